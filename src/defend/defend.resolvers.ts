import type { Resolvers } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { toPayload } from '../shared/user-errors.js';
import * as defend from './defend.service.js';

// Thin: arguments in, domain call, result out; permissions live in the Defend service modules.

const employeeOn = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.employees.byId.load({ key: id, asOf: ctx.today }) : null);
const workflowOf = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.workflows.byId.load(id) : null);

export const defendResolvers: Resolvers = {
  Query: {
    emergencyOffboardingRequests: (_root, args, ctx) => defend.listEmergencyRequests(ctx, args),
  },
  Mutation: {
    triggerEmergencyOffboarding: (_root, { input }, ctx) => defend.triggerEmergencyOffboarding(ctx, input),
    confirmEmergencyOffboarding: async (_root, { input }, ctx) => toPayload('request', await defend.decideEmergencyRequest(ctx, input, 'CONFIRMED')),
    declineEmergencyOffboarding: async (_root, { input }, ctx) => toPayload('request', await defend.decideEmergencyRequest(ctx, input, 'DECLINED')),
    reportInsiderThreatSignal: (_root, { input }, ctx) => defend.reportInsiderThreatSignal(ctx, input),
  },
  Employee: {
    insiderThreatSignals: (employee, _args, ctx) => defend.signalsOfEmployee(ctx, employee),
  },
  TriggerEmergencyOffboardingPayload: {
    // Through the workflow's own resolvers: Defend sees its summary view (state, urgency, dates).
    workflow: (payload, _args, ctx) => workflowOf(ctx, payload.workflowId),
  },
  EmergencyOffboardingRequest: {
    employee: (request, _args, ctx) => employeeOn(ctx, request.employeeId),
    workflow: (request, _args, ctx) => workflowOf(ctx, request.workflowId),
  },
  InsiderThreatSignal: {
    workflow: (signal, _args, ctx) => workflowOf(ctx, signal.workflowId),
    reviewTask: (signal, _args, ctx) => (signal.reviewTaskId ? ctx.loaders.workflows.taskById.load(signal.reviewTaskId) : null),
  },
};
