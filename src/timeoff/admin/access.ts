import { assertNotOwnRecord, forbidden, unauthenticated } from '../../auth/access.js';
import { hasRole } from '../../auth/caller.js';
import type { RequestContext } from '../../graphql/context.js';
import { isHr } from '../timeoff.access.js';

// Who administers time off.
//
//   write  HR Manager and Admin (and the system): policies, rules, overrides, holiday calendars.
//   read   HR (Admin, HR Manager, HR Staff): a policy's hours per day, approval chain, rules and
//          overrides, and employees' overrides. Holidays are read by everyone signed in.

export function assertMayAdministerTimeOff(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system' || hasRole(caller, 'ADMIN', 'HR_MANAGER')) return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot administer time off.`);
  if (hasRole(caller, 'HR_STAFF')) throw forbidden('HR Staff see time-off administration but do not change it: ask an HR Manager or Admin.');
  throw forbidden('Only HR Managers and Admins administer time-off policies and holiday calendars.');
}

/** An override of one's own policies would be granting oneself days: someone else in HR does it. */
export function assertNotOwnPolicies(ctx: RequestContext, employeeId: string): Promise<void> {
  return assertNotOwnRecord(ctx, employeeId, 'You cannot change your own time-off policies; ask someone else in HR.');
}

export function assertHrRead(ctx: RequestContext, what: string): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (!isHr(caller)) throw forbidden(`Only HR sees ${what}.`);
}

/** Holidays are public knowledge: any signed-in person People knows, and any service. */
export function assertMayReadHolidays(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'user' && caller.roles.length === 0 && caller.employeeId === null) {
    throw forbidden('Your account has no People role and no employee record.');
  }
}
