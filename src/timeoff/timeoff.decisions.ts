import { describeCaller, forbidden, isOwnRecord } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { TimeOffDecisionInput } from '../generated/graphql.js';
import type { CalendarDate } from '../shared/dates.js';
import { addDays } from './calendar.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { lockEmployee } from '../employees/employee.service.js';
import { fail, userError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { cancelCapacity, deciderCapacity, resolveApprovers, todayWhereEmployeeWorks } from './timeoff.approvals.js';
import { requestView } from './timeoff.access.js';
import * as store from './timeoff.store.js';
import { requestWrite, type RequestOutcome } from './timeoff.transaction.js';

// Explicit transitions: approve and deny decide the current step; cancel ends a pending or
// (before its first day) approved request. The wrong state is a CONFLICT, never a silent no-op.

type Decision = 'APPROVE' | 'DENY' | 'CANCEL';

export function approveTimeOffRequest(ctx: RequestContext, input: TimeOffDecisionInput): Promise<RequestOutcome> {
  return decide(ctx, input, 'APPROVE');
}

export function denyTimeOffRequest(ctx: RequestContext, input: TimeOffDecisionInput): Promise<RequestOutcome> {
  return decide(ctx, input, 'DENY');
}

export function cancelTimeOffRequest(ctx: RequestContext, input: TimeOffDecisionInput): Promise<RequestOutcome> {
  return decide(ctx, input, 'CANCEL');
}

const notFound = () => userError('REQUEST_NOT_FOUND', ['input', 'id'], 'No time-off request has this id.');

async function decide(ctx: RequestContext, input: TimeOffDecisionInput, decision: Decision): Promise<RequestOutcome> {
  const id = normaliseId(input.id);
  if (ctx.caller.kind === 'service') throw forbidden(`The ${ctx.caller.service} service key cannot decide on time off.`);
  const seen = isUuid(id) ? await ctx.loaders.timeOff.request.load(id) : null;
  if (!seen || !(await requestView(ctx, seen))) return fail(notFound());
  const comment = input.comment?.trim() || null;
  if (comment !== null && comment.length > 2000) {
    return fail(userError('INVALID_VALUE', ['input', 'comment'], 'A comment is at most 2000 characters.'));
  }
  // Who decides each step is read before the transaction (it depends on the org, not on the request's state).
  const approvers = await resolveApprovers(ctx, seen);
  // As is whether it is the caller's own (the requester never changes).
  const ownRequest = await isOwnRecord(ctx, seen.employeeId);
  // Whether approved time off has started is decided on the requester's calendar.
  const requesterToday = await todayWhereEmployeeWorks(ctx, seen.employeeId);
  const decidedBy = describeCaller(ctx.caller);
  const deciderEmployeeId = ctx.caller.kind === 'user' ? ctx.caller.employeeId : null;

  return writeTransaction(ctx, async (tx) => {
    await lockEmployee(tx, seen.employeeId);
    const request = await store.lockRequest(tx, id);
    if (!request) abort(notFound());

    if (decision === 'CANCEL') {
      if (request.status !== 'PENDING' && request.status !== 'APPROVED') {
        abort(userError('CONFLICT', ['input', 'id'], `A ${request.status} request cannot be cancelled.`));
      }
      const capacity = cancelCapacity(ctx, request, ownRequest, requesterToday);
      if (!capacity) {
        if (ctx.caller.kind === 'user' && ctx.caller.employeeId === request.employeeId) {
          abort(userError('CONFLICT', ['input', 'id'], 'The time off has started: only HR can cancel it now.'));
        }
        throw forbidden('Only the employee or HR may cancel this request.');
      }
      await store.insertDecision(tx, {
        requestId: request.id,
        stepIndex: null,
        decision: 'CANCELLED',
        actingAs: capacity,
        approverEmployeeId: deciderEmployeeId,
        decidedBy,
        comment,
      });
      await store.updateRequest(tx, request.id, { status: 'CANCELLED' });
      return request.id;
    }

    if (request.status !== 'PENDING') {
      abort(userError('CONFLICT', ['input', 'id'], `The request is ${request.status}; only a PENDING request can be decided.`));
    }
    // The step is the one current under the lock: a decision decides exactly that step, once.
    // A decider who names another step (they read the request before someone else decided it)
    // gets a conflict rather than a decision on a step they have not seen.
    const step = input.step ?? null;
    if (step !== null && step !== request.currentStep) {
      abort(
        userError(
          'CONFLICT',
          ['input', 'step'],
          `Step ${step} is no longer awaiting a decision; the request is at step ${request.currentStep}.`,
        ),
      );
    }
    const capacity = deciderCapacity(ctx, request, approvers, ownRequest);
    if (ownRequest) throw forbidden('Nobody decides their own time-off request; it goes to their approvers or someone else in HR.');
    if (!capacity) throw forbidden('You are not the approver of this step of the request.');
    await store.insertDecision(tx, {
      requestId: request.id,
      stepIndex: request.currentStep,
      decision: decision === 'APPROVE' ? 'APPROVED' : 'DENIED',
      actingAs: capacity,
      approverEmployeeId: deciderEmployeeId,
      decidedBy,
      comment,
    });
    if (decision === 'DENY') {
      await store.updateRequest(tx, request.id, { status: 'DENIED' });
    } else if (request.currentStep + 1 >= request.approvalChain.length) {
      // The amount is frozen now: later policy or holiday changes do not rewrite it.
      await store.updateRequest(tx, request.id, { status: 'APPROVED', deductedAmount: request.amount });
    } else {
      await store.updateRequest(tx, request.id, { currentStep: request.currentStep + 1 });
    }
    return request.id;
  }, requestWrite);
}

/** What `cancelTimeOffAfterLastDay` did: request ids only. */
export interface TimeOffAfterLastDay {
  /** Pending and approved requests starting after the last day, now CANCELLED. */
  cancelled: string[];
  /** Pending and approved requests that start on or before the last day and end after it: left for HR (a part was taken, or may be). */
  straddling: string[];
}

/**
 * A leaver's time off after their last day, cancelled the way `cancelTimeOffRequest` cancels (a
 * CANCELLED decision in the request's history, by HR's capacity, with `comment`; the balance then
 * no longer counts it), inside the caller's transaction. Requests that start after the last day
 * are cancelled; one that straddles it is left for HR and reported. Takes the employee's lock, as
 * every change to their time off. Running it again cancels nothing more.
 */
export async function cancelTimeOffAfterLastDay(
  tx: Database,
  input: { employeeId: string; lastDay: CalendarDate; decidedBy: string; comment: string },
): Promise<TimeOffAfterLastDay> {
  await lockEmployee(tx, input.employeeId);
  const open = await store.findRequestsOfEmployees(tx, [input.employeeId], { from: addDays(input.lastDay, 1), to: null, statuses: ['PENDING', 'APPROVED'] });
  const cancelled: string[] = [];
  const straddling: string[] = [];
  for (const seen of open) {
    const request = await store.lockRequest(tx, seen.id);
    if (!request || (request.status !== 'PENDING' && request.status !== 'APPROVED') || request.endDate <= input.lastDay) continue;
    if (request.startDate <= input.lastDay) {
      straddling.push(request.id);
      continue;
    }
    await store.insertDecision(tx, {
      requestId: request.id,
      stepIndex: null,
      decision: 'CANCELLED',
      actingAs: 'HR',
      approverEmployeeId: null,
      decidedBy: input.decidedBy,
      comment: input.comment,
    });
    await store.updateRequest(tx, request.id, { status: 'CANCELLED' });
    cancelled.push(request.id);
  }
  return { cancelled: cancelled.sort(), straddling: straddling.sort() };
}
