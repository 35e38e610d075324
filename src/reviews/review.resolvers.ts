import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as reviews from './review.service.js';

// Thin: arguments in, domain call, result out. Rules live in review.access and the domain modules.

export const reviewResolvers: Resolvers = {
  Query: {
    reviewCycle: (_root, { id }, ctx) => reviews.getCycle(ctx, id),
    reviewCycles: (_root, _args, ctx) => reviews.listCycles(ctx),
    performanceReview: (_root, { id }, ctx) => reviews.getReview(ctx, id),
  },
  Mutation: {
    createReviewCycle: async (_root, { input }, ctx) => toPayload('cycle', await reviews.createReviewCycle(ctx, input)),
    releaseReviewCycle: async (_root, { input }, ctx) => toPayload('cycle', await reviews.releaseReviewCycle(ctx, input)),
    releasePerformanceReview: async (_root, { input }, ctx) => toPayload('review', await reviews.releasePerformanceReview(ctx, input)),
    saveSelfReview: async (_root, { input }, ctx) => toPayload('review', await reviews.saveSelfReview(ctx, input)),
    saveManagerReview: async (_root, { input }, ctx) => toPayload('review', await reviews.saveManagerReview(ctx, input)),
    acknowledgePerformanceReview: async (_root, { input }, ctx) => toPayload('review', await reviews.acknowledgePerformanceReview(ctx, input)),
  },
  Employee: {
    performanceReviews: (employee, _args, ctx) => reviews.reviewsOf(ctx, employee.id),
  },
  ReviewCycle: {
    progress: (cycle, _args, ctx) => reviews.progressOf(ctx, cycle),
    reviews: (cycle, _args, ctx) => reviews.reviewsOfCycle(ctx, cycle),
  },
  ReviewParticipants: {
    departments: async (participants, _args, ctx) => loaded(await ctx.loaders.organisation.department.loadMany(participants.departmentIds.map((key) => ({ key, asOf: ctx.today })))),
    locations: async (participants, _args, ctx) => loaded(await ctx.loaders.organisation.location.loadMany(participants.locationIds)),
  },
  PerformanceReview: {
    cycle: async (review, _args, ctx) => {
      const cycle = await ctx.loaders.reviews.cycle.load(review.cycleId);
      if (!cycle) throw new Error(`review cycle ${review.cycleId} is missing`);
      return cycle;
    },
    employee: (review, _args, ctx) => ctx.loaders.employees.byId.load({ key: review.employeeId, asOf: ctx.today }),
    manager: (review, _args, ctx) => reviews.managerOf(ctx, review),
    selfReview: (review, _args, ctx) => reviews.selfReviewOf(ctx, review),
    managerReview: (review, _args, ctx) => reviews.managerReviewOf(ctx, review),
    availableActions: (review, _args, ctx) => reviews.availableActions(ctx, review),
  },
};

/** Rows a loader found, in order (a participant list names only rows that exist). */
function loaded<T>(rows: readonly (T | null | Error)[]): T[] {
  return rows.filter((row): row is T => row !== null && !(row instanceof Error));
}
