import type { Database } from '../db/database.js';
import { findEmploymentTimelines, locationOn, type EmploymentTimeline, type LocationSpan } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { eachDate, workingFraction, type Holiday } from './calendar.js';
import * as store from './timeoff.store.js';
import type { TimeOffStatusValue } from './timeoff.tables.js';

// Who is available on which day: the working calendar of the employee's location on each day,
// overlaid with their time off. Computed for many employees at once in three statements; who is
// off at all in a range (for skill matching) from the same per-day rule, looking at taken days only.

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

type JobTimelines = ReadonlyMap<string, EmploymentTimeline>;

/** The days taken per employee and date; a morning and an afternoon from two requests make a day off. */
function indexTaken(rows: readonly store.TakenDayRow[]): Map<string, store.TakenDayRow> {
  const takenBy = new Map<string, store.TakenDayRow>();
  for (const row of rows) {
    const key = `${row.employeeId}|${row.date}`;
    const other = takenBy.get(key);
    takenBy.set(key, other && other.portion !== row.portion ? { ...row, portion: 'FULL', hours: null } : row);
  }
  return takenBy;
}

/** The holidays of every location the employees work at over the range, by location and date. */
async function loadHolidays(db: Database, timelines: JobTimelines, from: CalendarDate, to: CalendarDate): Promise<Map<string, Holiday>> {
  const locationIds = new Set<string>();
  for (const timeline of timelines.values()) {
    for (const span of timeline.locations) if (span.locationId) locationIds.add(span.locationId);
  }
  const holidays = new Map<string, Holiday>();
  if (locationIds.size === 0) return holidays;
  for (const row of await store.findHolidays(db, [...locationIds], from, to)) holidays.set(`${row.locationId}|${row.date}`, row);
  return holidays;
}

/** One day of one employee: the working calendar of their location that day, overlaid with the time off taken. */
function dayOf(
  date: CalendarDate,
  locations: readonly LocationSpan[],
  holidays: ReadonlyMap<string, Holiday>,
  off: store.TakenDayRow | undefined,
): AvailabilityDayModel {
  const location = locationOn(locations, date);
  const holiday = location ? holidays.get(`${location}|${date}`) : undefined;
  const working = workingFraction(date, holiday);
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
}

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
    findEmploymentTimelines(db, employeeIds, to),
    store.findTakenDays(db, employeeIds, from, to, statuses),
  ]);
  const holidays = await loadHolidays(db, timelines, from, to);
  const takenBy = indexTaken(taken);
  const dates = eachDate(from, to);
  for (const employeeId of employeeIds) {
    const locations = timelines.get(employeeId)?.locations ?? [];
    result.set(
      employeeId,
      dates.map((date) => dayOf(date, locations, holidays, takenBy.get(`${employeeId}|${date}`))),
    );
  }
  return result;
}

/** Day states in which someone is off, however briefly. */
const offStates: ReadonlySet<AvailabilityStateValue> = new Set(['OFF', 'MORNING_OFF', 'AFTERNOON_OFF', 'HOURS_OFF']);

/**
 * The employees who are off (any part of a working day) on some day of the range: the same days
 * `loadAvailability` shows as off, but only the days taken are looked at, not every day of
 * every employee. `timelines` are the employees' job timelines through `to`, which the caller
 * usually has already. Two statements at most.
 */
export async function findEmployeesOff(
  db: Database,
  timelines: JobTimelines,
  from: CalendarDate,
  to: CalendarDate,
  statuses: readonly TimeOffStatusValue[],
): Promise<Set<string>> {
  const off = new Set<string>();
  const taken = indexTaken(await store.findTakenDays(db, [...timelines.keys()], from, to, statuses));
  if (taken.size === 0) return off;
  const holidays = await loadHolidays(db, timelines, from, to);
  for (const day of taken.values()) {
    if (off.has(day.employeeId)) continue;
    const locations = timelines.get(day.employeeId)?.locations ?? [];
    if (offStates.has(dayOf(day.date, locations, holidays, day).state)) off.add(day.employeeId);
  }
  return off;
}
