import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as timeOff from './timeoff.service.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in timeoff.service
// and timeoff.access. The administration's resolvers (admin/) are wired in through here too.

export { timeOffAdminResolvers } from './admin/resolvers.js';

export const timeOffResolvers: Resolvers = {
  Query: {
    timeOffRequest: (_root, { id }, ctx) => timeOff.getRequest(ctx, id),
    timeOffPolicies: (_root, _args, ctx) => timeOff.listPolicies(ctx),
    timeOffCalendar: (_root, args, ctx) => timeOff.calendar(ctx, args),
  },
  Mutation: {
    requestTimeOff: async (_root, { input }, ctx) => toPayload('request', await timeOff.requestTimeOff(ctx, input)),
    approveTimeOffRequest: async (_root, { input }, ctx) => toPayload('request', await timeOff.approveTimeOffRequest(ctx, input)),
    denyTimeOffRequest: async (_root, { input }, ctx) => toPayload('request', await timeOff.denyTimeOffRequest(ctx, input)),
    cancelTimeOffRequest: async (_root, { input }, ctx) => toPayload('request', await timeOff.cancelTimeOffRequest(ctx, input)),
    adjustTimeOffBalance: async (_root, { input }, ctx) => toPayload('balance', await timeOff.adjustBalance(ctx, input)),
  },
  Employee: {
    timeOffBalances: (employee, { asOf }, ctx) => timeOff.balancesOf(ctx, employee.id, asOf),
    timeOffAdjustments: (employee, args, ctx) => timeOff.adjustmentsOf(ctx, employee.id, args),
    timeOffRequests: (employee, args, ctx) => timeOff.requestsOf(ctx, employee.id, args),
    availability: (employee, args, ctx) => timeOff.availabilityOf(ctx, employee.id, args),
    timeOff: (employee, args, ctx) => timeOff.timeOffOf(ctx, employee.id, args),
  },
  TimeOffRequest: {
    // An entity: the gateway's references pass the same checks as timeOffRequest(id).
    __resolveReference: (reference, ctx) => timeOff.getRequest(ctx, String(reference.id)),
    employee: (request, _args, ctx) => ctx.loaders.employees.byId.load({ key: request.employeeId, asOf: ctx.today }),
    policy: (request, _args, ctx) => timeOff.policyOf(ctx, request),
    days: (request, args, ctx) => timeOff.daysOf(ctx, request, args),
    reason: (request, _args, ctx) => timeOff.reasonOf(ctx, request),
    decisions: (request, _args, ctx) => timeOff.decisionsOf(ctx, request),
    currentStep: (request) => (request.status === 'PENDING' ? request.currentStep : null),
    stepCount: (request, _args, ctx) => timeOff.stepCountOf(ctx, request),
    createdAt: (request, _args, ctx) => timeOff.createdAtOf(ctx, request),
    availableActions: (request, _args, ctx) => timeOff.availableActions(ctx, request),
  },
  TimeOffAdjustment: {
    policy: async (adjustment, _args, ctx) => {
      const policy = await ctx.loaders.timeOff.policy.load(adjustment.policyId);
      if (!policy) throw new Error(`time-off policy ${adjustment.policyId} of adjustment ${adjustment.id} is missing`);
      return policy;
    },
  },
  TimeOffDecision: {
    approver: (decision, _args, ctx) =>
      decision.approverEmployeeId ? ctx.loaders.employees.byId.load({ key: decision.approverEmployeeId, asOf: ctx.today }) : null,
  },
};
