import { assertCallerAllowed, assertNotOwnRecord, callerAllowed, forbidden, type RuleTable } from '../../auth/auth.service.js';
import type { RequestContext } from '../../graphql/context.js';

// Who administers time off.

export const timeOffAdminRules = {
  /** Policies, rules, overrides, holiday calendars. */
  administer: ['ADMIN', 'HR_MANAGER'],
  /** A policy's hours per day, approval chain, rules and overrides, and employees' overrides. */
  readAdministration: ['hr'],
  /** Holidays are public knowledge: every signed-in person People knows, and every service. */
  readHolidays: ['knownUser', 'service:PSA', 'service:DEFEND', 'service:LEGAL'],
} as const satisfies RuleTable;

export function assertMayAdministerTimeOff(ctx: RequestContext): void {
  const { caller } = ctx;
  if (callerAllowed(ctx, timeOffAdminRules.administer)) return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot administer time off.`);
  if (callerAllowed(ctx, timeOffAdminRules.readAdministration)) {
    throw forbidden('HR Staff see time-off administration but do not change it: ask an HR Manager or Admin.');
  }
  throw forbidden('Only HR Managers and Admins administer time-off policies and holiday calendars.');
}

/** An override of one's own policies would be granting oneself days: someone else in HR does it. */
export function assertNotOwnPolicies(ctx: RequestContext, employeeId: string): Promise<void> {
  return assertNotOwnRecord(ctx, employeeId, 'You cannot change your own time-off policies; ask someone else in HR.');
}

export function assertHrRead(ctx: RequestContext, what: string): void {
  assertCallerAllowed(ctx, timeOffAdminRules.readAdministration, `Only HR sees ${what}.`);
}

export function assertMayReadHolidays(ctx: RequestContext): void {
  assertCallerAllowed(ctx, timeOffAdminRules.readHolidays, 'Your account has no People role and no employee record.');
}
