import { terminalStatuses } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import type { PerformanceReviewRow, ReviewCycleRow } from './review.tables.js';

// Who writes a review's manager review: the employee's manager on the cycle's start day, kept
// when the employee moves on (the review is about the period they managed). When that manager
// has left, the next one up the employee's reporting line of the start day who has not; null
// when there is none (HR writes it then). Worked out when asked, so a departure counts at once.

export async function cycleOf(ctx: RequestContext, review: PerformanceReviewRow): Promise<ReviewCycleRow> {
  const cycle = await ctx.loaders.reviews.cycle.load(review.cycleId);
  if (!cycle) throw new Error(`review cycle ${review.cycleId} of review ${review.id} is missing`);
  return cycle;
}

export async function reviewerOf(ctx: RequestContext, review: PerformanceReviewRow): Promise<string | null> {
  if (review.managerId === null) return null;
  const cycle = await cycleOf(ctx, review);
  const chain = await ctx.loaders.employees.reportingChainIds.load({ key: review.employeeId, asOf: cycle.startsOn });
  const from = chain.indexOf(review.managerId);
  const candidates = from >= 0 ? chain.slice(from) : [review.managerId];
  for (const id of candidates) {
    if (id === review.employeeId) continue;
    const record = await ctx.loaders.employees.byId.load({ key: id, asOf: ctx.today });
    const status = record?.job?.status ?? null;
    if (record && status !== null && !terminalStatuses.includes(status)) return id;
  }
  return null;
}
