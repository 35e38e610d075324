import { forbidden, isOwnRecord, lineBelowCaller } from '../auth/auth.service.js';
import type { PerformanceReviewAction, ReviewAnswer, ReviewForm } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { assertMayReadCycles, assertNoService, mayManageCycles, mayWriteWithoutManager, reviewView, type ReviewView } from './review.access.js';
import { cycleOf, reviewerOf } from './review.reviewer.js';
import * as store from './review.store.js';
import type { PerformanceReviewRow, ReviewCycleRow } from './review.tables.js';

// Reading reviews: one review, an employee's history, cycles with their progress, and what waits
// for the caller. Every review goes through the caller's view of it (review.access.ts).

const releasedStates: readonly PerformanceReviewRow['state'][] = ['RELEASED', 'ACKNOWLEDGED'];

export const isReleased = (review: PerformanceReviewRow): boolean => releasedStates.includes(review.state);

/** The caller's view of one review (who writes its manager review counts). */
export async function viewOf(ctx: RequestContext, review: PerformanceReviewRow): Promise<ReviewView | null> {
  return reviewView(ctx, review.employeeId, await reviewerOf(ctx, review));
}

/** One review, or null when there is none or the caller may not see it (existence is not revealed). */
export async function getReview(ctx: RequestContext, id: string): Promise<PerformanceReviewRow | null> {
  assertNoService(ctx);
  const review = await ctx.loaders.reviews.review.load(normaliseId(id));
  if (!review) return null;
  return (await viewOf(ctx, review)) ? review : null;
}

/**
 * `Employee.performanceReviews`: newest cycle first. HR and the line above see every review; the
 * employee those released to them; whoever writes a review's manager review sees that one.
 * FORBIDDEN for anyone who sees none of them.
 */
export async function reviewsOf(ctx: RequestContext, employeeId: string): Promise<PerformanceReviewRow[]> {
  assertNoService(ctx);
  const general = await reviewView(ctx, employeeId, null);
  const reviews = await ctx.loaders.reviews.ofEmployee.load(employeeId);
  if (general === 'full') return reviews;
  if (general === 'own') return reviews.filter(isReleased);
  const asReviewer = await Promise.all(reviews.map(async (review) => ((await viewOf(ctx, review)) === 'full' ? review : null)));
  const visible = asReviewer.filter((review): review is PerformanceReviewRow => review !== null);
  if (visible.length === 0) throw forbidden('You may not see the performance reviews of this employee.');
  return visible;
}

// ---------------------------------------------------------------- forms

/** Whether the caller wrote (or writes) this form: drafts show to their author only. */
async function isAuthor(ctx: RequestContext, review: PerformanceReviewRow, kind: 'self' | 'manager'): Promise<boolean> {
  const { caller } = ctx;
  if (caller.kind !== 'user') return caller.kind === 'system';
  if (kind === 'self') return caller.employeeId === review.employeeId;
  const reviewer = await reviewerOf(ctx, review);
  if (reviewer !== null) return caller.employeeId === reviewer;
  return mayWriteWithoutManager(ctx) && !(await isOwnRecord(ctx, review.employeeId));
}

function isOverdue(ctx: RequestContext, review: PerformanceReviewRow, state: ReviewForm['state'], dueOn: string): boolean {
  return state !== 'SUBMITTED' && !isReleased(review) && dueOn < ctx.today;
}

export async function selfReviewOf(ctx: RequestContext, review: PerformanceReviewRow): Promise<ReviewForm> {
  const cycle = await cycleOf(ctx, review);
  const shown = review.selfState === 'SUBMITTED' || (await isAuthor(ctx, review, 'self'));
  return {
    state: review.selfState,
    dueOn: cycle.selfReviewDueOn,
    overdue: isOverdue(ctx, review, review.selfState, cycle.selfReviewDueOn),
    answers: shown ? review.selfAnswers.map(toAnswer) : null,
    overallRating: shown ? review.selfOverallRating : null,
    goals: shown ? review.selfGoals : null,
    submittedAt: review.selfSubmittedAt,
    updatedAt: review.selfUpdatedAt,
  };
}

/** The manager review: FORBIDDEN to the employee until the review is released. */
export async function managerReviewOf(ctx: RequestContext, review: PerformanceReviewRow): Promise<ReviewForm> {
  const view = await viewOf(ctx, review);
  if (view !== 'full' && !isReleased(review)) {
    throw forbidden('The manager review is shown to the employee once HR releases the review.');
  }
  const cycle = await cycleOf(ctx, review);
  const shown = review.managerState === 'SUBMITTED' || (await isAuthor(ctx, review, 'manager'));
  return {
    state: review.managerState,
    dueOn: cycle.managerReviewDueOn,
    overdue: isOverdue(ctx, review, review.managerState, cycle.managerReviewDueOn),
    answers: shown ? review.managerAnswers.map(toAnswer) : null,
    overallRating: shown ? review.managerOverallRating : null,
    goals: shown ? review.managerGoals : null,
    submittedAt: review.managerSubmittedAt,
    updatedAt: review.managerUpdatedAt,
  };
}

function toAnswer(answer: PerformanceReviewRow['selfAnswers'][number]): ReviewAnswer {
  return { questionId: answer.questionId, rating: answer.rating, text: answer.text };
}

export async function managerOf(ctx: RequestContext, review: PerformanceReviewRow) {
  const reviewer = await reviewerOf(ctx, review);
  return reviewer ? ctx.loaders.employees.byId.load({ key: reviewer, asOf: ctx.today }) : null;
}

// ---------------------------------------------------------------- what the caller may do

/** Whether the cycle has opened (reviews are written from its start day). */
export const hasOpened = (ctx: RequestContext, cycle: ReviewCycleRow): boolean => cycle.startsOn <= ctx.today;

export function mayWriteSelfReview(ctx: RequestContext, review: PerformanceReviewRow): boolean {
  const { caller } = ctx;
  return caller.kind === 'user' && caller.employeeId === review.employeeId;
}

export async function mayWriteManagerReview(ctx: RequestContext, review: PerformanceReviewRow): Promise<boolean> {
  if (ctx.caller.kind !== 'user') return false;
  return isAuthor(ctx, review, 'manager');
}

export async function mayRelease(ctx: RequestContext, review: PerformanceReviewRow): Promise<boolean> {
  return mayManageCycles(ctx) && !(await isOwnRecord(ctx, review.employeeId));
}

export async function availableActions(ctx: RequestContext, review: PerformanceReviewRow): Promise<PerformanceReviewAction[]> {
  const cycle = await cycleOf(ctx, review);
  const actions: PerformanceReviewAction[] = [];
  const open = hasOpened(ctx, cycle) && !isReleased(review);
  if (open && review.selfState !== 'SUBMITTED' && mayWriteSelfReview(ctx, review)) actions.push('WRITE_SELF_REVIEW');
  if (open && review.managerState !== 'SUBMITTED' && (await mayWriteManagerReview(ctx, review))) actions.push('WRITE_MANAGER_REVIEW');
  if (review.state === 'SUBMITTED' && (await mayRelease(ctx, review))) actions.push('RELEASE');
  if (review.state === 'RELEASED' && mayWriteSelfReview(ctx, review)) actions.push('ACKNOWLEDGE');
  return actions;
}

/**
 * The caller's review to-dos (the portal's home page): their self review to write, manager
 * reviews to write, their released review to acknowledge; by due date. Three statements whatever
 * the numbers: the caller's own reviews, their reports (one lookup per request), open candidates.
 */
export async function pendingReviewsOf(ctx: RequestContext): Promise<PerformanceReviewRow[]> {
  const { caller } = ctx;
  if (caller.kind !== 'user') return [];
  const includeManagerless = mayWriteWithoutManager(ctx);
  const [own, below] = await Promise.all([
    caller.employeeId ? ctx.loaders.reviews.ofEmployee.load(caller.employeeId) : [],
    lineBelowCaller(ctx),
  ]);
  const candidates =
    caller.employeeId !== null || includeManagerless
      ? await store.findOpenManagerReviews(ctx.db, { managerId: caller.employeeId, employeeIds: [...below], includeManagerless })
      : [];
  for (const row of candidates) ctx.loaders.reviews.review.prime(row.id, row);

  const ownPending = await Promise.all(
    own.map(async (review) => {
      const cycle = await cycleOf(ctx, review);
      if (review.state === 'RELEASED') return { review, dueOn: cycle.managerReviewDueOn };
      const toWrite = !isReleased(review) && hasOpened(ctx, cycle) && review.selfState !== 'SUBMITTED';
      return toWrite ? { review, dueOn: cycle.selfReviewDueOn } : null;
    }),
  );
  const toReview = await Promise.all(
    candidates.map(async (review) => {
      if (review.employeeId === caller.employeeId) return null;
      const cycle = await cycleOf(ctx, review);
      const mine = review.managerState !== 'SUBMITTED' && hasOpened(ctx, cycle) && (await mayWriteManagerReview(ctx, review));
      return mine ? { review, dueOn: cycle.managerReviewDueOn } : null;
    }),
  );
  return [...ownPending, ...toReview]
    .filter((entry): entry is { review: PerformanceReviewRow; dueOn: string } => entry !== null)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.review.id.localeCompare(b.review.id))
    .map((entry) => entry.review);
}

// ---------------------------------------------------------------- cycles

export async function getCycle(ctx: RequestContext, id: string): Promise<ReviewCycleRow | null> {
  assertMayReadCycles(ctx);
  const normalised = normaliseId(id);
  return isUuid(normalised) ? ctx.loaders.reviews.cycle.load(normalised) : null;
}

export async function listCycles(ctx: RequestContext): Promise<ReviewCycleRow[]> {
  assertMayReadCycles(ctx);
  const cycles = await store.findCycles(ctx.db);
  for (const cycle of cycles) ctx.loaders.reviews.cycle.prime(cycle.id, cycle);
  return cycles;
}

export async function reviewsOfCycle(ctx: RequestContext, cycle: ReviewCycleRow): Promise<PerformanceReviewRow[]> {
  assertMayReadCycles(ctx);
  return ctx.loaders.reviews.ofCycle.load(cycle.id);
}

export async function progressOf(ctx: RequestContext, cycle: ReviewCycleRow) {
  const reviews = await reviewsOfCycle(ctx, cycle);
  const count = (predicate: (review: PerformanceReviewRow) => boolean) => reviews.filter(predicate).length;
  const open = (review: PerformanceReviewRow) => !isReleased(review);
  return {
    total: reviews.length,
    notStarted: count((review) => review.state === 'NOT_STARTED'),
    inProgress: count((review) => review.state === 'IN_PROGRESS'),
    submitted: count((review) => review.state === 'SUBMITTED'),
    released: count((review) => review.state === 'RELEASED'),
    acknowledged: count((review) => review.state === 'ACKNOWLEDGED'),
    selfReviewsSubmitted: count((review) => review.selfState === 'SUBMITTED'),
    selfReviewsOverdue: count((review) => open(review) && review.selfState !== 'SUBMITTED' && cycle.selfReviewDueOn < ctx.today),
    managerReviewsSubmitted: count((review) => review.managerState === 'SUBMITTED'),
    managerReviewsOverdue: count((review) => open(review) && review.managerState !== 'SUBMITTED' && cycle.managerReviewDueOn < ctx.today),
  };
}
