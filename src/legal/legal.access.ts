import { allowedOn, callerAllowed, forbidden, lineBelowCaller, type AuthenticatedCaller, type RuleTable } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and do what with policies and acknowledgements, as data (the README's Legal matrix).
// No service is granted anything: PSA and Defend get FORBIDDEN, and Legal's key reaches its
// callback only (it is refused on /graphql altogether).

export const legalRules = {
  /** policyCompliance for everyone. */
  dashboard: ['hr'],
  /** policyCompliance for one's reports (direct and indirect, today). */
  dashboardOfReports: ['MANAGER'],
  /** An employee's acknowledgement statuses (Employee.policyAcknowledgements). */
  statuses: ['hr', 'lineManager', 'self'],
  /** What awaits an employee's signature, with Legal's signing links (Employee.pendingSignatures). */
  signatures: ['self'],
} as const satisfies RuleTable;

export type LegalReadScope = 'statuses' | 'signatures';

/** Whose compliance the caller sees on the dashboard: everyone, or the employees below them in the line today. */
export type DashboardScope = { everyone: true } | { everyone: false; employeeIds: readonly string[] };

export async function dashboardScope(ctx: RequestContext): Promise<DashboardScope> {
  if (callerAllowed(ctx, legalRules.dashboard)) return { everyone: true };
  if (callerAllowed(ctx, legalRules.dashboardOfReports)) return { everyone: false, employeeIds: [...(await lineBelowCaller(ctx))] };
  throw forbidden('Only HR, and Managers for their reports, see policy compliance.');
}

export async function assertMayRead(ctx: RequestContext, scope: LegalReadScope, employeeId: string, what: string): Promise<void> {
  if (!(await allowedOn(ctx, legalRules[scope], employeeId))) throw forbidden(`You may not see ${what}.`);
}

/**
 * Reading a policy to sign and signing it: a person, acting as the employee they are; nobody
 * signs for anyone else (HR and Admin included). Answers that employee's id.
 */
export function signerOf(caller: AuthenticatedCaller): string {
  if (caller.kind !== 'user') throw forbidden('Only an employee signs policies, for themself.');
  if (caller.employeeId === null) throw forbidden('Your account has no employee record: only employees sign policies.');
  return caller.employeeId;
}
