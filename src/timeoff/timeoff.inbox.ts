import { callerAllowed, isOwnRecord, lineBelowCaller } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';
import { resolveApprovers } from './timeoff.approvals.js';
import { timeOffRules } from './timeoff.access.js';
import * as store from './timeoff.store.js';
import type { TimeOffRequestRow } from './timeoff.tables.js';

// What waits for a person's decision (the portal's home page): pending requests whose current
// step is theirs, by the same approver resolution the decision itself uses (timeoff.approvals.ts).

/**
 * Pending requests the caller must decide, oldest first: the current step's approver is them (the
 * requester's manager, the next one up when absent, a named approver or their fallback), or, for
 * HR, the current step is an HR step. Never their own. A constant number of statements: the
 * candidates come from the caller's reports and the chains that name them, in one query.
 */
export async function pendingApprovalsFor(ctx: RequestContext): Promise<TimeOffRequestRow[]> {
  const { caller } = ctx;
  if (caller.kind !== 'user') return [];
  const hr = callerAllowed(ctx, timeOffRules.decideAsHr);
  const below = [...(await lineBelowCaller(ctx))];
  const candidates = await store.findPendingRequestsFor(ctx.db, {
    employeeIds: below,
    namedApproverIds: caller.employeeId ? [caller.employeeId, ...below] : [],
    atHrStep: hr,
  });
  for (const request of candidates) ctx.loaders.timeOff.request.prime(request.id, request);
  const mine = await Promise.all(
    candidates.map(async (request) => {
      if (await isOwnRecord(ctx, request.employeeId)) return false;
      if (hr && request.approvalChain[request.currentStep]?.kind === 'HR') return true;
      const approvers = await resolveApprovers(ctx, request);
      return caller.employeeId !== null && approvers[request.currentStep] === caller.employeeId;
    }),
  );
  return candidates.filter((_request, index) => mine[index]);
}
