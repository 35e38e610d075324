import { describeCaller } from '../auth/auth.service.js';
import { employedStatuses, findEveryoneOn, type EmployeeRecord } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { CreateReviewCycleInput, ReleaseReviewCycleInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { departmentNotFound, locationNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { assertMayManageCycles } from './review.access.js';
import { errors } from './review.errors.js';
import * as store from './review.store.js';
import type { ReviewCycleRow, ReviewParticipantsValue } from './review.tables.js';
import { parseCycle } from './review.validation.js';

// Review cycles: creating one creates its reviews; releasing one releases its submitted reviews.

const cycleWrite = {
  reload: (ctx, id) => ctx.loaders.reviews.cycle.load(id),
} satisfies WriteOptions<string, ReviewCycleRow>;

/** Whether an employee is in a cycle: employed on its start day and matching every given criterion. */
export function isParticipant(employee: EmployeeRecord, participants: ReviewParticipantsValue): boolean {
  const job = employee.job;
  if (!job?.status || !employedStatuses.includes(job.status)) return false;
  const { departmentIds, locationIds, employmentTypes } = participants;
  return (
    (departmentIds.length === 0 || (job.departmentId !== null && departmentIds.includes(job.departmentId))) &&
    (locationIds.length === 0 || (job.locationId !== null && locationIds.includes(job.locationId))) &&
    (employmentTypes.length === 0 || (job.employmentType !== null && employmentTypes.includes(job.employmentType)))
  );
}

async function unknownOrganisation(ctx: RequestContext, participants: ReviewParticipantsValue): Promise<UserError[]> {
  const problems: UserError[] = [];
  const departments = await ctx.loaders.organisation.department.loadMany(participants.departmentIds.filter(isUuid).map((key) => ({ key, asOf: ctx.today })));
  departments.forEach((department, index) => {
    if (!department || department instanceof Error) problems.push(departmentNotFound(['input', 'participants', 'departmentIds', String(index)]));
  });
  const locations = await ctx.loaders.organisation.location.loadMany(participants.locationIds.filter(isUuid));
  locations.forEach((location, index) => {
    if (!location || location instanceof Error) problems.push(locationNotFound(['input', 'participants', 'locationIds', String(index)]));
  });
  return problems;
}

/**
 * Creates a cycle and a review for each participant, with their manager on the start day. The
 * participants are read in the same transaction as the inserts, so the cycle covers the
 * organisation as it stood when it was created (for that day).
 */
export async function createReviewCycle(ctx: RequestContext, input: CreateReviewCycleInput): Promise<Outcome<ReviewCycleRow>> {
  assertMayManageCycles(ctx);
  const { cycle, errors: problems } = parseCycle(input, ctx.today);
  if (problems.length > 0) return fail(...problems);
  const unknown = await unknownOrganisation(ctx, cycle.participants);
  if (unknown.length > 0) return fail(...unknown);

  return writeTransaction(ctx, async (tx) => {
    const everyone = await findEveryoneOn(tx, cycle.startsOn);
    const participants = everyone.filter((employee) => isParticipant(employee, cycle.participants));
    if (participants.length === 0) abort(errors.noParticipants(cycle.startsOn));
    const row = await store.insertCycle(tx, { ...cycle, createdBy: describeCaller(ctx.caller) });
    await store.insertReviews(
      tx,
      participants.map((employee) => ({ cycleId: row.id, employeeId: employee.id, managerId: employee.job?.managerId ?? null })),
    );
    return row.id;
  }, cycleWrite);
}

/**
 * Releases every SUBMITTED review of the cycle (its employees then see their manager's review),
 * with a `review.released` event each. Reviews submitted later are released one by one.
 */
export async function releaseReviewCycle(ctx: RequestContext, input: ReleaseReviewCycleInput): Promise<Outcome<ReviewCycleRow>> {
  assertMayManageCycles(ctx);
  const cycleId = normaliseId(input.cycleId);
  if (!isUuid(cycleId)) return fail(errors.cycleNotFound());
  return writeTransaction(ctx, async (tx) => {
    // The cycle's row serialises releases of it; each review's own release locks that review.
    const cycle = await store.lockCycle(tx, cycleId);
    if (!cycle) abort(errors.cycleNotFound());
    const now = ctx.clock.now();
    const released = await store.releaseSubmittedReviews(tx, cycle.id, now, describeCaller(ctx.caller));
    for (const review of released) {
      await recordEvent(tx, {
        type: 'review.released',
        subject: `performance_review:${review.id}`,
        data: { reviewId: review.id, cycleId: cycle.id, employeeId: review.employeeId },
      });
    }
    await store.markCycleReleased(tx, cycle.id, now);
    return cycle.id;
  }, cycleWrite);
}
