import type { CalendarDate } from '../shared/dates.js';
import type { EmployeeRow, EmploymentStatusValue, EmploymentTypeValue } from './employee.tables.js';

/** Effective-dated job fields as they stand on one day. */
export interface JobState {
  status: EmploymentStatusValue | null;
  jobTitle: string | null;
  departmentId: string | null;
  locationId: string | null;
  employmentType: EmploymentTypeValue | null;
  managerId: string | null;
  terminationDate: CalendarDate | null;
}

/** One span of a location timeline: where someone works from `from` on, until the next span. */
export interface LocationSpan {
  from: CalendarDate;
  locationId: string | null;
}

/** One span of a status timeline: the status from `from` on, until the next span. */
export interface StatusSpan {
  from: CalendarDate;
  status: EmploymentStatusValue;
}

/** Where someone works and their status, as timelines sorted oldest first (see employment.ts). */
export interface EmploymentTimeline {
  locations: LocationSpan[];
  statuses: StatusSpan[];
}

/** Someone employed on a day, with what rules about groups of people (a policy's audience) look at. */
export interface EmployedPerson {
  id: string;
  hubUserId: string | null;
  email: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  hireDate: CalendarDate;
  departmentId: string | null;
  locationId: string | null;
  employmentType: EmploymentTypeValue | null;
}

export const jobFields = ['status', 'jobTitle', 'departmentId', 'locationId', 'employmentType', 'managerId'] as const;
export type JobField = (typeof jobFields)[number];

/**
 * Columns of the employee row a record leaves out: the row's own timestamps, which almost no read
 * asks for. Each is an object to decode per employee, and the batches PSA and the calendar make
 * decode hundreds (issue 14: about a sixth of their time). `createdAt` and `updatedAt` are loaded by
 * the `recordTimes` loader when a query asks for them; the suspension is read by sign-in only.
 */
export type EmployeeRowTimestamp = 'createdAt' | 'updatedAt' | 'accessSuspendedAt';

/**
 * An employee as resolvers see it: the stored row (without its timestamps) plus the job state on
 * `asOf`, the day the query asked about (today unless the caller chose another).
 */
export interface EmployeeRecord extends Omit<EmployeeRow, EmployeeRowTimestamp> {
  asOf: CalendarDate;
  job: JobState | null;
}

/** When an employee's row was created and last changed. */
export type EmployeeRecordTimes = Pick<EmployeeRow, 'id' | 'createdAt' | 'updatedAt'>;

// The status sets, one name and one meaning each. Everything else (SQL too) is built from them.

/** Statuses of someone who has left: their employment has ended. */
export const terminalStatuses: readonly EmploymentStatusValue[] = ['TERMINATED', 'RESIGNED'];

/** Statuses of someone employed on the day: hired and not gone (on leave counts). */
export const employedStatuses: readonly EmploymentStatusValue[] = ['ACTIVE', 'ON_LEAVE'];

/** Employed, or hired with a start date still to come: everyone who has not left (and so can manage). */
export const employedOrPreHireStatuses: readonly EmploymentStatusValue[] = ['PRE_HIRE', ...employedStatuses];

/** Which status may follow which. Rehire (terminal back to ACTIVE) is allowed; anything else out of a terminal state is not. */
export const allowedStatusTransitions: Readonly<Record<EmploymentStatusValue, readonly EmploymentStatusValue[]>> = {
  PRE_HIRE: ['ACTIVE', ...terminalStatuses],
  ACTIVE: ['ON_LEAVE', ...terminalStatuses],
  ON_LEAVE: ['ACTIVE', ...terminalStatuses],
  TERMINATED: ['ACTIVE'],
  RESIGNED: ['ACTIVE'],
};

export function displayNameOf(employee: Pick<EmployeeRow, 'firstName' | 'lastName' | 'preferredName'>): string {
  return `${employee.preferredName ?? employee.firstName} ${employee.lastName}`;
}

/** One node of the org chart as resolvers see it. */
export interface OrgChartNodeModel {
  employee: EmployeeRecord;
  depth: number;
  reports: OrgChartNodeModel[];
}
