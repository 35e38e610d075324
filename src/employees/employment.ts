import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { employedOrPreHireStatuses, employedStatuses, type LocationSpan, type StatusSpan } from './employee.model.js';
import * as store from './employee.store.js';
import type { EmploymentStatusValue } from './employee.tables.js';

// Employment as other domains read it: whether someone exists and is employed, where they work
// and whom they report to, on a given day. Time off, certifications and auth ask here (through
// employee.service.ts) and never query the employee tables themselves. These are facts, not
// answers to a caller: permission checks stay with whoever asks.

export {
  employedOrPreHireStatuses,
  employedStatuses,
  terminalStatuses,
  type EmployedPerson,
  type EmployeeRecord,
  type EmploymentTimeline,
  type JobState,
  type LocationSpan,
  type StatusSpan,
} from './employee.model.js';
export type { EmploymentStatusValue, EmploymentTypeValue } from './employee.tables.js';

export {
  // Employees with their job on a day (status, job title, department, location, type, manager).
  findEmployeesByIds,
  // The job on a day alone, by employee id.
  findJobStates,
  // Location and status timelines up to a day, to answer "on a day" for every day of a range.
  findEmploymentTimelines,
  findHireDate,
  // The employee a signed-in user is, with their status on a day.
  findEmployeeForIdentity,
  // People per department or location on a day: counts, and a page of each (by name).
  countPeopleByUnit,
  listPeopleByUnit,
  type OrganisationUnitField,
  type UnitMemberRow,
  // Everyone with their job on a day, for work over the whole organisation (review cycles, training rules).
  findEveryoneOn,
  // An emergency offboarding suspends the employee's People access at once (auth refuses them).
  setAccessSuspended,
  // Everyone employed on a day (or those of a list who are), with department, location and type.
  findEmployedOn,
  // The maintained current jobs held for a day (the lifecycle scheduler rolls them to today; so do tests and the bench).
  rollCurrentJobs,
  rebuildCurrentJobs,
} from './employee.store.js';

/**
 * Locks the employee's row for the rest of the transaction; false when there is no such
 * employee. Every change to an employee or to what hangs off them (time off, certifications)
 * takes this lock first, so racing writers queue up instead of overspending or overwriting.
 */
export async function lockEmployee(db: Database, employeeId: string): Promise<boolean> {
  return (await store.lockEmployee(db, employeeId)) !== null;
}

/** The span in force on `date`: the latest starting on or before it, from a timeline sorted oldest first. */
function spanOn<T extends { from: CalendarDate }>(timeline: readonly T[], date: CalendarDate): T | undefined {
  let current: T | undefined;
  for (const span of timeline) {
    if (span.from > date) break;
    current = span;
  }
  return current;
}

/** The employment status in force on `date`; null before the first one. */
export function statusOn(timeline: readonly StatusSpan[], date: CalendarDate): EmploymentStatusValue | null {
  return spanOn(timeline, date)?.status ?? null;
}

/** The location in force on `date`; null before the first one. */
export function locationOn(timeline: readonly LocationSpan[], date: CalendarDate): string | null {
  return spanOn(timeline, date)?.locationId ?? null;
}

/**
 * Employed on `date`: ACTIVE or ON_LEAVE then. A status takes effect on its day, so the hire day
 * counts and the day of a termination or resignation does not.
 */
export function isEmployedOn(statuses: readonly StatusSpan[], date: CalendarDate): boolean {
  const status = statusOn(statuses, date);
  return status !== null && employedStatuses.includes(status);
}

/**
 * Everyone who works in a department or location (`unit`) on `from` or any later day, as far as
 * the timelines already say (future moves and rehires included): employed or hired to start,
 * never after they have left. Each with the first such day. One statement.
 */
export async function findUnitMembersFrom(
  db: Database,
  unit: store.OrganisationUnitField,
  unitId: string,
  from: CalendarDate,
): Promise<{ employeeId: string; firstDay: CalendarDate }[]> {
  const rows = await store.findTimelinesOfUnitMembers(db, unit, unitId);
  const members: { employeeId: string; firstDay: CalendarDate }[] = [];
  let index = 0;
  while (index < rows.length) {
    const employeeId = rows[index]?.employeeId;
    let place: string | null = null;
    let status: EmploymentStatusValue | null = null;
    let firstDay: CalendarDate | null = null;
    // Each day's rows together: the state after a day's last row holds until the next day with rows.
    while (firstDay === null && index < rows.length && rows[index]?.employeeId === employeeId) {
      const day = rows[index]?.effectiveFrom ?? '';
      while (index < rows.length && rows[index]?.employeeId === employeeId && rows[index]?.effectiveFrom === day) {
        const row = rows[index];
        if (row?.fields.includes(unit)) place = row.unitId;
        if (row?.fields.includes('status') && row.status) status = row.status;
        index += 1;
      }
      const next = rows[index]?.employeeId === employeeId ? rows[index]?.effectiveFrom : undefined;
      const holdsFrom = day > from ? day : from;
      const present = place === unitId && status !== null && employedOrPreHireStatuses.includes(status);
      if (present && (next === undefined || next > holdsFrom)) firstDay = holdsFrom;
    }
    while (index < rows.length && rows[index]?.employeeId === employeeId) index += 1;
    if (employeeId !== undefined && firstDay !== null) members.push({ employeeId, firstDay });
  }
  return members;
}
