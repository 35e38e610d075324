import { forbidden, isSelf, unauthenticated } from '../auth/access.js';
import { hasRole, hrRoles, type Caller, type Role } from '../auth/caller.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and do what with policies and acknowledgements, as data (the README's Legal matrix).
//
//   dashboard   policyCompliance: HR (Admin, HR Manager, HR Staff) for everyone; a Manager for
//               their reports (direct and indirect, today).
//   statuses    an employee's acknowledgements (Employee.policyAcknowledgements): HR, a Manager
//               above them in the reporting line, the employee.
//   signatures  what awaits an employee's signature (Employee.pendingSignatures, with Legal's
//               signing links): the employee only.
//   sign        reading a policy to sign (policyToSign) and signing it (acknowledgePolicy): the
//               employee, for themself only; nobody signs for someone else.
//
// No service reaches any of it: PSA and Defend get FORBIDDEN; Legal's key reaches its callback
// only (it is refused on /graphql altogether).

interface ReadRule {
  /** Roles that see it for everyone. */
  roles: readonly Role[];
  /** A person with the Manager role, for employees below them in the reporting line today. */
  lineManager: boolean;
  self: boolean;
}

export type LegalReadScope = 'dashboard' | 'statuses' | 'signatures';

export const legalReadRules: Readonly<Record<LegalReadScope, ReadRule>> = {
  dashboard: { roles: hrRoles, lineManager: true, self: false },
  statuses: { roles: hrRoles, lineManager: true, self: true },
  signatures: { roles: [], lineManager: false, self: true },
};

/** Whose compliance the caller sees on the dashboard: everyone, their reports, or no one (refused). */
export type DashboardScope = { everyone: true } | { everyone: false; managerId: string };

export function dashboardScope(ctx: RequestContext): DashboardScope {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system') return { everyone: true };
  const rule = legalReadRules.dashboard;
  if (hasRole(caller, ...rule.roles)) return { everyone: true };
  if (rule.lineManager && caller.kind === 'user' && hasRole(caller, 'MANAGER') && caller.employeeId !== null) {
    return { everyone: false, managerId: caller.employeeId };
  }
  throw forbidden('Only HR, and Managers for their reports, see policy compliance.');
}

async function isAboveInLine(ctx: RequestContext, employeeId: string): Promise<boolean> {
  const { caller } = ctx;
  if (caller.kind !== 'user' || caller.employeeId === null) return false;
  const chain = await ctx.loaders.employees.reportingChainIds.load({ key: employeeId, asOf: ctx.today });
  return chain.includes(caller.employeeId);
}

/** May the caller read `scope` about employee `employeeId`? */
export async function mayRead(ctx: RequestContext, scope: LegalReadScope, employeeId: string): Promise<boolean> {
  const { caller } = ctx;
  const rule = legalReadRules[scope];
  switch (caller.kind) {
    case 'anonymous':
      throw unauthenticated();
    case 'system':
      return true;
    case 'service':
      return false;
    case 'user':
      if (hasRole(caller, ...rule.roles)) return true;
      if (rule.self && isSelf(caller, employeeId)) return true;
      return rule.lineManager && hasRole(caller, 'MANAGER') && (await isAboveInLine(ctx, employeeId));
  }
}

export async function assertMayRead(ctx: RequestContext, scope: LegalReadScope, employeeId: string, what: string): Promise<void> {
  if (!(await mayRead(ctx, scope, employeeId))) throw forbidden(`You may not see ${what}.`);
}

/**
 * Reading a policy to sign and signing it: a person acting for the employee they are, never for
 * anyone else (HR and Admin included). Answers that employee's id.
 */
export function signerOf(caller: Caller): string {
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind !== 'user') throw forbidden('Only an employee signs policies, for themself.');
  if (caller.employeeId === null) throw forbidden('Your account has no employee record: only employees sign policies.');
  return caller.employeeId;
}
