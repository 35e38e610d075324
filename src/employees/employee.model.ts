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

export const jobFields = ['status', 'jobTitle', 'departmentId', 'locationId', 'employmentType', 'managerId'] as const;
export type JobField = (typeof jobFields)[number];

/**
 * An employee as resolvers see it: the stored row plus the job state on `asOf`,
 * the day the query asked about (today unless the caller chose another).
 */
export interface EmployeeRecord extends EmployeeRow {
  asOf: CalendarDate;
  job: JobState | null;
}

export const terminalStatuses: readonly EmploymentStatusValue[] = ['TERMINATED', 'RESIGNED'];

/** Which status may follow which. Rehire (terminal back to ACTIVE) is allowed; anything else out of a terminal state is not. */
export const allowedStatusTransitions: Readonly<Record<EmploymentStatusValue, readonly EmploymentStatusValue[]>> = {
  PRE_HIRE: ['ACTIVE', 'TERMINATED', 'RESIGNED'],
  ACTIVE: ['ON_LEAVE', 'TERMINATED', 'RESIGNED'],
  ON_LEAVE: ['ACTIVE', 'TERMINATED', 'RESIGNED'],
  TERMINATED: ['ACTIVE'],
  RESIGNED: ['ACTIVE'],
};

/** Statuses in which someone can be a manager. */
export const employedStatuses: readonly EmploymentStatusValue[] = ['PRE_HIRE', 'ACTIVE', 'ON_LEAVE'];

export function displayNameOf(employee: Pick<EmployeeRow, 'firstName' | 'lastName' | 'preferredName'>): string {
  return `${employee.preferredName ?? employee.firstName} ${employee.lastName}`;
}

/** One node of the org chart as resolvers see it. */
export interface OrgChartNodeModel {
  employee: EmployeeRecord;
  depth: number;
  reports: OrgChartNodeModel[];
}
