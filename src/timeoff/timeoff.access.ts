import { forbidden, unauthenticated } from '../auth/access.js';
import { hasRole, hrRoles, type Caller } from '../auth/caller.js';
import type { RequestContext } from '../graphql/context.js';
import type { TimeOffRequestRow } from './timeoff.tables.js';

// Who may see and do what with time off: the README's time-off permission matrix, as data.
//
//   full   the request with its policy, reason and decisions; balances.
//   dates  dates, days and status only; the policy only when it is not private
//          (a private absence is just "unavailable"); never reason or decision text.
//
// The employee, HR (Admin, HR Manager, HR Staff) and anyone above the employee in the
// reporting line today (their manager, and theirs) see everything; PSA sees dates; nobody else
// sees anything.

export type TimeOffView = 'full' | 'dates';

const serviceViews: Readonly<Partial<Record<string, TimeOffView>>> = { PSA: 'dates' };

export function isHr(caller: Caller): boolean {
  return caller.kind === 'system' || hasRole(caller, ...hrRoles);
}

/** True when the caller is above the employee in the reporting line today. */
async function isAboveInLine(ctx: RequestContext, employeeId: string): Promise<boolean> {
  const { caller } = ctx;
  if (caller.kind !== 'user' || caller.employeeId === null) return false;
  const chain = await ctx.loaders.employees.reportingChainIds.load({ key: employeeId, asOf: ctx.today });
  return chain.includes(caller.employeeId);
}

/** How much of an employee's time off the caller sees; null: nothing. */
export async function timeOffView(ctx: RequestContext, employeeId: string): Promise<TimeOffView | null> {
  const { caller } = ctx;
  switch (caller.kind) {
    case 'anonymous':
      throw unauthenticated();
    case 'system':
      return 'full';
    case 'service':
      return serviceViews[caller.service] ?? null;
    case 'user':
      if (caller.employeeId === employeeId || isHr(caller)) return 'full';
      return (await isAboveInLine(ctx, employeeId)) ? 'full' : null;
  }
}

/** A request's view, counting a named approver of its chain as a manager. */
export async function requestView(ctx: RequestContext, request: TimeOffRequestRow): Promise<TimeOffView | null> {
  const { caller } = ctx;
  if (caller.kind === 'user' && caller.employeeId !== null) {
    const named = request.approvalChain.some((step) => step.kind === 'NAMED' && step.employeeId === caller.employeeId);
    if (named) return 'full';
  }
  return timeOffView(ctx, request.employeeId);
}

export async function assertFullView(ctx: RequestContext, employeeId: string, what: string): Promise<void> {
  if ((await timeOffView(ctx, employeeId)) !== 'full') throw forbidden(`You may not see ${what} of this employee.`);
}

/** Requesting time off: the employee for themself, or HR on their behalf. */
export function assertMayRequest(ctx: RequestContext, employeeId: string): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system') return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot request time off.`);
  if (caller.employeeId === employeeId || isHr(caller)) return;
  throw forbidden('Only the employee, or HR on their behalf, may request time off.');
}

/** Listing policies: signed-in people. */
export function assertMayListPolicies(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key does not list policies.`);
  if (caller.kind === 'user' && caller.roles.length === 0 && caller.employeeId === null) {
    throw forbidden('Your account has no People role and no employee record.');
  }
}
