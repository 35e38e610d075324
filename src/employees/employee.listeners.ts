import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import type { EmploymentStatusValue } from './employee.tables.js';

// What other domains do when someone is hired or a status change is recorded, in the same
// transaction (the employee's row is locked): workflows starts onboarding and offboarding here.
// The composition layer hands the listeners to every request (`ctx.employmentListeners`), so this
// domain tells them without importing the domains that listen (they import it).

export interface EmployeeCreated {
  employeeId: string;
  hireDate: CalendarDate;
}

export interface StatusChangeRecorded {
  employeeId: string;
  status: EmploymentStatusValue;
  /** The status in force the day before `effectiveDate`. */
  previousStatus: EmploymentStatusValue | null;
  effectiveDate: CalendarDate;
  /** The history row of the change (`EmployeeChange.id`). */
  changeId: string;
  reason: string | null;
}

export interface EmploymentListener {
  /** `createEmployee` created the employee (their job and history are written). */
  employeeCreated?(tx: Database, ctx: RequestContext, created: EmployeeCreated): Promise<void>;
  /** `changeEmployeeStatus` recorded a status change (a domain recording one itself is not told). */
  statusChangeRecorded?(tx: Database, ctx: RequestContext, change: StatusChangeRecorded): Promise<void>;
}
