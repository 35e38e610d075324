import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import type { UserError } from '../shared/user-errors.js';
import type { EmploymentStatusValue } from './employee.tables.js';

// What other domains do when someone is hired, a status change is recorded or a hire date is
// corrected, in the same transaction (the employee's row is locked): workflows starts onboarding
// and offboarding here and moves onboarding due dates; time off and the organisation say which of
// their records a corrected hire date would contradict.
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

/** A hire date being corrected (`correctHireDate`). */
export interface HireDateCorrection {
  employeeId: string;
  previousHireDate: CalendarDate;
  hireDate: CalendarDate;
  today: CalendarDate;
}

export interface EmploymentListener {
  /** `createEmployee` created the employee (their job and history are written). */
  employeeCreated?(tx: Database, ctx: RequestContext, created: EmployeeCreated): Promise<void>;
  /** `changeEmployeeStatus` recorded a status change (a domain recording one itself is not told). */
  statusChangeRecorded?(tx: Database, ctx: RequestContext, change: StatusChangeRecorded): Promise<void>;
  /**
   * `correctHireDate` is about to move the hire: the domain's records the new date would
   * contradict, each a user error (at `input.hireDate`, see `hireDateConflict`) refusing it.
   */
  hireDateConflicts?(tx: Database, ctx: RequestContext, correction: HireDateCorrection): Promise<UserError[]>;
  /** `correctHireDate` moved the hire (its job rows and the hire date are written): move what hangs on it. */
  hireDateCorrected?(tx: Database, ctx: RequestContext, correction: HireDateCorrection): Promise<void>;
}
