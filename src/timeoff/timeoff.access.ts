import { allowedNow, allows, assertCallerAllowed, forbidden, relationTo, type Relation, type RuleTable } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';
import type { TimeOffRequestModel } from './timeoff.tables.js';
import { wholeRequest } from './timeoff.whole-request.js';

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

export const timeOffRules = {
  seeFull: ['hr', 'self', 'line'],
  seeDates: ['service:PSA'],
  /** Everyone's requests in the calendar; a person otherwise sees their own and their line's. */
  seeEveryonesCalendar: ['hr', 'service:PSA'],
  /** Requesting time off: the employee for themself, or HR on their behalf. */
  request: ['hr', 'self'],
  listPolicies: ['knownUser'],
  adjustBalances: ['hr'],
  /** Deciding or cancelling any step of anyone else's request, in the Admin's or HR's capacity. */
  decideAsAdmin: ['ADMIN'],
  decideAsHr: ['hr'],
} as const satisfies RuleTable;

const viewRules = [timeOffRules.seeFull, timeOffRules.seeDates];

/**
 * How much of an employee's time off the caller sees; null: nothing. Synchronous unless only the
 * caller's reporting line can tell (PSA's batch decides 500 employees without waiting).
 */
export function timeOffView(ctx: RequestContext, employeeId: string): TimeOffView | null | Promise<TimeOffView | null> {
  const relation = relationTo(ctx, employeeId, viewRules);
  return relation instanceof Promise ? relation.then(viewOf) : viewOf(relation);
}

function viewOf(relation: Relation): TimeOffView | null {
  if (allows(timeOffRules.seeFull, relation)) return 'full';
  return allows(timeOffRules.seeDates, relation) ? 'dates' : null;
}

/** A request's view, counting a named approver of its chain as a manager. */
export async function requestView(ctx: RequestContext, request: TimeOffRequestModel): Promise<TimeOffView | null> {
  const view = await timeOffView(ctx, request.employeeId);
  if (view === 'full') return view;
  const { caller } = ctx;
  // Only then the chain: a summary (a hot read's) loads its whole row for it.
  if (caller.kind === 'user' && caller.employeeId !== null) {
    const { approvalChain } = await wholeRequest(ctx, request);
    if (approvalChain.some((step) => step.kind === 'NAMED' && step.employeeId === caller.employeeId)) return 'full';
  }
  return view;
}

export async function assertFullView(ctx: RequestContext, employeeId: string, what: string): Promise<void> {
  if ((await timeOffView(ctx, employeeId)) !== 'full') throw forbidden(`You may not see ${what} of this employee.`);
}

/** Requesting time off: the employee for themself, or HR on their behalf. */
export function assertMayRequest(ctx: RequestContext, employeeId: string): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot request time off.`);
  if (!allowedNow(ctx, timeOffRules.request, employeeId)) throw forbidden('Only the employee, or HR on their behalf, may request time off.');
}

/** Listing policies: signed-in people. */
export function assertMayListPolicies(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key does not list policies.`);
  assertCallerAllowed(ctx, timeOffRules.listPolicies, 'Your account has no People role and no employee record.');
}
