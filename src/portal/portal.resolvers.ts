import type { Resolvers } from '../generated/graphql.js';
import * as portal from './portal.service.js';

// Thin: the signed-in person's parts, each read through its own domain (portal.service.ts).

export const portalResolvers: Resolvers = {
  Query: {
    me: (_root, _args, ctx) => portal.me(ctx),
  },
  Me: {
    hubUserId: (me) => me.caller.hubUserId,
    email: (me) => me.caller.email,
    roles: (me) => [...me.caller.roles],
    employee: (me, _args, ctx) => portal.employeeOf(ctx, me),
    capabilities: (_me, _args, ctx) => portal.capabilitiesOf(ctx),
    timeOffBalances: (me, _args, ctx) => portal.timeOffBalancesOf(ctx, me),
    recentTimeOffRequests: (me, { first }, ctx) => portal.recentTimeOffRequestsOf(ctx, me, first ?? 5),
    pendingApprovals: (_me, _args, ctx) => portal.pendingApprovalsOf(ctx),
    pendingReviews: (_me, _args, ctx) => portal.pendingReviews(ctx),
    expiringCertifications: (me, { withinDays }, ctx) => portal.expiringCertificationsOf(ctx, me, withinDays ?? 60),
    trainingDue: (_me, { withinDays }, ctx) => portal.trainingDue(ctx, withinDays ?? 60),
    openWorkflowTasks: (_me, { first }, ctx) => portal.openWorkflowTasksOf(ctx, first ?? 20),
    pendingSignatures: (me, _args, ctx) => portal.pendingSignaturesOfMe(ctx, me),
  },
};
