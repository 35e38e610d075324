import { assertNotOwnRecord, describeCaller, forbidden } from '../auth/auth.service.js';
import type { AcknowledgePerformanceReviewInput, ReleasePerformanceReviewInput, SaveReviewInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events/events.service.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, type Outcome } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { assertMayManageCycles, assertNoService } from './review.access.js';
import { errors } from './review.errors.js';
import { hasOpened, isReleased, mayWriteManagerReview, mayWriteSelfReview } from './review.queries.js';
import { cycleOf } from './review.reviewer.js';
import * as store from './review.store.js';
import type { PerformanceReviewRow, PerformanceReviewStateValue, ReviewCycleRow } from './review.tables.js';
import { checkOverallRating, limits, missingForSubmission, parseAnswers, parseGoals } from './review.validation.js';

// Writing a review: the employee's self review, the manager review, HR's release and the
// employee's acknowledgement. Who may act is decided before the transaction (through the
// request's loaders); inside it the review's row is locked first and its state checked again, so
// racing saves and releases run one after the other.

export type ReviewOutcome = Outcome<PerformanceReviewRow>;

const reviewWrite = {
  reload: (ctx, id) => ctx.loaders.reviews.review.load(id),
} satisfies WriteOptions<string, PerformanceReviewRow>;

/** The review as read before the write (for the permission checks), or a user error. */
async function reviewBeforeWrite(ctx: RequestContext, reviewId: string): Promise<PerformanceReviewRow | null> {
  assertNoService(ctx);
  const id = normaliseId(reviewId);
  return isUuid(id) ? ctx.loaders.reviews.review.load(id) : null;
}

async function lockedReview(tx: Database, id: string): Promise<PerformanceReviewRow> {
  const review = await store.lockReview(tx, id);
  if (!review) abort(errors.reviewNotFound());
  return review;
}

type Form = 'self' | 'manager';

/** The changes of a save: the form's answers, rating and goals as given (omitted ones kept), checked against the cycle. */
function formChanges(cycle: ReviewCycleRow, review: PerformanceReviewRow, form: Form, input: SaveReviewInput, now: Date) {
  const parsedAnswers = input.answers ? parseAnswers(cycle, input.answers) : null;
  const parsedGoals = input.goals ? parseGoals(input.goals) : null;
  abortIf([...(parsedAnswers?.errors ?? []), ...(parsedGoals?.errors ?? []), ...checkOverallRating(cycle, input.overallRating)]);
  const current =
    form === 'self'
      ? { answers: review.selfAnswers, overallRating: review.selfOverallRating, goals: review.selfGoals }
      : { answers: review.managerAnswers, overallRating: review.managerOverallRating, goals: review.managerGoals };
  const answers = parsedAnswers?.answers ?? current.answers;
  const overallRating = input.overallRating === undefined ? current.overallRating : input.overallRating;
  const goals = parsedGoals?.goals ?? current.goals;
  const submit = input.submit === true;
  if (submit) abortIf(missingForSubmission(cycle, answers, overallRating, form === 'manager'));
  const state = submit ? ('SUBMITTED' as const) : ('IN_PROGRESS' as const);
  return form === 'self'
    ? { selfAnswers: answers, selfOverallRating: overallRating, selfGoals: goals, selfState: state, selfUpdatedAt: now, ...(submit ? { selfSubmittedAt: now } : {}) }
    : { managerAnswers: answers, managerOverallRating: overallRating, managerGoals: goals, managerState: state, managerUpdatedAt: now, ...(submit ? { managerSubmittedAt: now } : {}) };
}

/** The review's state after a save: SUBMITTED once the manager review is, else IN_PROGRESS. */
function stateAfterSave(form: Form, submit: boolean): PerformanceReviewStateValue {
  return form === 'manager' && submit ? 'SUBMITTED' : 'IN_PROGRESS';
}

async function saveForm(ctx: RequestContext, form: Form, input: SaveReviewInput): Promise<ReviewOutcome> {
  const before = await reviewBeforeWrite(ctx, input.reviewId);
  if (!before) return fail(errors.reviewNotFound());
  if (form === 'self' && !mayWriteSelfReview(ctx, before)) throw forbidden('Only the employee writes their self review.');
  if (form === 'manager' && !(await mayWriteManagerReview(ctx, before))) {
    throw forbidden("Only the review's manager writes the manager review (HR, when it has none; never their own).");
  }
  const cycle = await cycleOf(ctx, before);
  return writeTransaction(ctx, async (tx) => {
    const review = await lockedReview(tx, before.id);
    if (!hasOpened(ctx, cycle)) abort(errors.notOpenYet(cycle));
    if (isReleased(review)) abort(errors.released(review));
    if ((form === 'self' ? review.selfState : review.managerState) === 'SUBMITTED') abort(errors.formSubmitted(form));
    const changes = formChanges(cycle, review, form, input, ctx.clock.now());
    // A submitted manager review keeps the review SUBMITTED when the employee saves theirs later.
    const state = review.state === 'SUBMITTED' ? 'SUBMITTED' : stateAfterSave(form, input.submit === true);
    await store.updateReview(tx, review.id, {
      ...changes,
      state,
      ...(form === 'manager' ? { managerReviewBy: describeCaller(ctx.caller) } : {}),
    });
    return review.id;
  }, reviewWrite);
}

export function saveSelfReview(ctx: RequestContext, input: SaveReviewInput): Promise<ReviewOutcome> {
  return saveForm(ctx, 'self', input);
}

export function saveManagerReview(ctx: RequestContext, input: SaveReviewInput): Promise<ReviewOutcome> {
  return saveForm(ctx, 'manager', input);
}

/** HR releases one submitted review to its employee (never their own). */
export async function releasePerformanceReview(ctx: RequestContext, input: ReleasePerformanceReviewInput): Promise<ReviewOutcome> {
  assertMayManageCycles(ctx);
  const before = await reviewBeforeWrite(ctx, input.reviewId);
  if (!before) return fail(errors.reviewNotFound());
  await assertNotOwnRecord(ctx, before.employeeId, 'You cannot release your own review; ask someone else in HR.');
  return writeTransaction(ctx, async (tx) => {
    const review = await lockedReview(tx, before.id);
    if (review.state !== 'SUBMITTED') abort(errors.notSubmitted(review));
    await store.updateReview(tx, review.id, { state: 'RELEASED', releasedAt: ctx.clock.now(), releasedBy: describeCaller(ctx.caller) });
    await recordEvent(tx, {
      type: 'review.released',
      subject: `performance_review:${review.id}`,
      data: { reviewId: review.id, cycleId: review.cycleId, employeeId: review.employeeId },
    });
    return review.id;
  }, reviewWrite);
}

/** The employee acknowledges their released review, optionally with a comment. */
export async function acknowledgePerformanceReview(ctx: RequestContext, input: AcknowledgePerformanceReviewInput): Promise<ReviewOutcome> {
  const before = await reviewBeforeWrite(ctx, input.reviewId);
  if (!before) return fail(errors.reviewNotFound());
  if (!mayWriteSelfReview(ctx, before)) throw forbidden('Only the employee acknowledges their review.');
  const comment = input.comment?.trim() || null;
  if (comment !== null && comment.length > limits.comment) return fail(errors.commentTooLong(limits.comment));
  return writeTransaction(ctx, async (tx) => {
    const review = await lockedReview(tx, before.id);
    if (review.state !== 'RELEASED') abort(errors.notReleased(review));
    await store.updateReview(tx, review.id, { state: 'ACKNOWLEDGED', acknowledgedAt: ctx.clock.now(), acknowledgementComment: comment });
    return review.id;
  }, reviewWrite);
}
