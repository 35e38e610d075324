import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { eachDate, locationOn, workingFraction, type Holiday } from './calendar.js';
import * as store from './timeoff.store.js';
import type { TimeOffStatusValue } from './timeoff.tables.js';

// Who is available on which day: the working calendar of the employee's location on each day,
// overlaid with their time off. Computed for many employees at once in three statements.

export type AvailabilityStateValue = 'AVAILABLE' | 'NON_WORKING' | 'OFF' | 'MORNING_OFF' | 'AFTERNOON_OFF' | 'HOURS_OFF';

export interface AvailabilityDayModel {
  date: CalendarDate;
  state: AvailabilityStateValue;
  holiday: string | null;
  halfDayHoliday: boolean;
  hoursOff: number | null;
  category: string | null;
  /** The policy behind the time off is private: callers seeing dates only get no category. */
  privatePolicy: boolean;
  requestStatus: TimeOffStatusValue | null;
}

const stateOfPortion = {
  FULL: 'OFF',
  MORNING: 'MORNING_OFF',
  AFTERNOON: 'AFTERNOON_OFF',
  HOURS: 'HOURS_OFF',
} as const;

export async function loadAvailability(
  db: Database,
  employeeIds: readonly string[],
  from: CalendarDate,
  to: CalendarDate,
  statuses: readonly TimeOffStatusValue[],
): Promise<Map<string, AvailabilityDayModel[]>> {
  const result = new Map<string, AvailabilityDayModel[]>();
  if (employeeIds.length === 0) return result;
  const [timelines, taken] = await Promise.all([
    store.findJobTimelines(db, employeeIds, to),
    store.findTakenDays(db, employeeIds, from, to, statuses),
  ]);
  const locationIds = new Set<string>();
  for (const timeline of timelines.values()) {
    for (const span of timeline.locations) if (span.locationId) locationIds.add(span.locationId);
  }
  const holidays = new Map<string, Holiday>();
  for (const row of await store.findHolidays(db, [...locationIds], from, to)) holidays.set(`${row.locationId}|${row.date}`, row);
  const takenBy = new Map<string, store.TakenDayRow>();
  for (const row of taken) {
    const key = `${row.employeeId}|${row.date}`;
    const other = takenBy.get(key);
    // A morning and an afternoon from two requests make a day off.
    takenBy.set(key, other && other.portion !== row.portion ? { ...row, portion: 'FULL', hours: null } : row);
  }
  const dates = eachDate(from, to);

  for (const employeeId of employeeIds) {
    const locations = timelines.get(employeeId)?.locations ?? [];
    result.set(
      employeeId,
      dates.map((date) => {
        const location = locationOn(locations, date);
        const holiday = location ? holidays.get(`${location}|${date}`) : undefined;
        const working = workingFraction(date, holiday);
        const off = takenBy.get(`${employeeId}|${date}`);
        const base = {
          date,
          holiday: holiday?.name ?? null,
          halfDayHoliday: holiday?.halfDay === true && working > 0,
          hoursOff: null,
          category: null,
          privatePolicy: false,
          requestStatus: null,
        };
        if (working === 0) return { ...base, state: 'NON_WORKING' as const };
        if (!off) return { ...base, state: 'AVAILABLE' as const };
        return {
          ...base,
          state: stateOfPortion[off.portion],
          hoursOff: off.portion === 'HOURS' ? off.hours : null,
          category: off.category,
          privatePolicy: off.privatePolicy,
          requestStatus: off.status,
        };
      }),
    );
  }
  return result;
}
