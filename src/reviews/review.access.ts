import { allows, assertCallerAllowed, callerAllowed, forbidden, isOwnRecord, relationTo, type RuleTable } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and do what with performance reviews (the README's review matrix), as data.
//
//   full  the whole review: HR, and those above the employee in the reporting line today
//         (direct and indirect), and whoever writes its manager review. Drafts stay with their
//         author: a form's answers show to others once it is submitted.
//   own   the employee's view of their own review: their self review always, the manager review
//         only once the review is released (never the manager's draft).
//
// Nobody else sees a review, and no service does. An HR person's own review is theirs to see as
// the employee, never as HR (separation of duties).

export type ReviewView = 'full' | 'own';

export const reviewRules = {
  /** The whole review of an employee (and their history, every state). */
  seeAll: ['hr', 'line'],
  /** Their own reviews, as the employee. */
  seeOwn: ['self'],
  /** Review cycles and their progress. */
  readCycles: ['hr'],
  /** Creating and releasing cycles, releasing reviews. */
  manageCycles: ['ADMIN', 'HR_MANAGER'],
  /** Writing the manager review of a review that has no manager (the top of the organisation). */
  writeWithoutManager: ['hr'],
} as const satisfies RuleTable;

const viewRules = [reviewRules.seeAll, reviewRules.seeOwn];

/**
 * How much of a review of employee `employeeId` the caller sees; null: nothing. `reviewerId` is
 * who writes its manager review (review.reviewer.ts): they see it whole wherever they now sit.
 */
export async function reviewView(ctx: RequestContext, employeeId: string, reviewerId: string | null): Promise<ReviewView | null> {
  const { caller } = ctx;
  if (caller.kind === 'service') return null;
  const relation = await relationTo(ctx, employeeId, viewRules);
  if (await isOwnRecord(ctx, employeeId)) return allows(reviewRules.seeOwn, relation) ? 'own' : null;
  if (caller.kind === 'user' && reviewerId !== null && caller.employeeId === reviewerId) return 'full';
  return allows(reviewRules.seeAll, relation) ? 'full' : null;
}

/** Refuses services outright: they never read reviews (saying so is no leak). */
export function assertNoService(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key does not read performance reviews.`);
}

export function assertMayReadCycles(ctx: RequestContext): void {
  assertNoService(ctx);
  assertCallerAllowed(ctx, reviewRules.readCycles, 'Only Admin, HR Manager and HR Staff see review cycles.');
}

export function assertMayManageCycles(ctx: RequestContext): void {
  assertNoService(ctx);
  assertCallerAllowed(ctx, reviewRules.manageCycles, 'Only Admin and HR Manager create and release review cycles.');
}

export function mayReadCycles(ctx: RequestContext): boolean {
  return callerAllowed(ctx, reviewRules.readCycles);
}

export function mayManageCycles(ctx: RequestContext): boolean {
  return callerAllowed(ctx, reviewRules.manageCycles);
}

/** Whether the caller writes manager reviews that have no manager: HR (never their own, checked by the caller). */
export function mayWriteWithoutManager(ctx: RequestContext): boolean {
  return callerAllowed(ctx, reviewRules.writeWithoutManager);
}
