import type { Resolvers } from '../../generated/graphql.js';
import type { RequestContext } from '../../graphql/context.js';
import { toPayload } from '../../shared/user-errors.js';
import { termOn } from '../policy-terms.js';
import * as policies from './policies.js';
import * as reads from './reads.js';
import * as holidays from './holidays.js';
import * as overrides from './overrides.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in policies.ts,
// overrides.ts, holidays.ts and access.ts.

export const timeOffAdminResolvers: Resolvers = {
  Query: {
    holidayCalendars: (_root, { locationIds }, ctx) => holidays.listCalendars(ctx, locationIds),
  },
  Mutation: {
    createTimeOffPolicy: async (_root, { input }, ctx) => toPayload('policy', await policies.createPolicy(ctx, input)),
    updateTimeOffPolicy: async (_root, { input }, ctx) => toPayload('policy', await policies.updatePolicy(ctx, input)),
    setTimeOffPolicyRules: async (_root, { input }, ctx) => toPayload('policy', await policies.setPolicyRules(ctx, input)),
    setTimeOffPolicyOverride: async (_root, { input }, ctx) => overridePayload(ctx, await overrides.setOverride(ctx, input)),
    clearTimeOffPolicyOverride: async (_root, { input }, ctx) => overridePayload(ctx, await overrides.clearOverride(ctx, input)),
    createHolidayCalendar: async (_root, { input }, ctx) => toPayload('calendar', await holidays.createCalendar(ctx, input)),
    setHolidays: async (_root, { input }, ctx) => toPayload('calendar', await holidays.setHolidays(ctx, input)),
  },
  Employee: {
    timeOffPolicyOverrides: (employee, _args, ctx) => reads.overridesOfEmployee(ctx, employee.id),
  },
  TimeOffPolicy: {
    hoursPerDay: (policy, _args, ctx) => reads.hoursPerDayOf(ctx, policy),
    approvalChain: (policy, _args, ctx) => reads.approvalChainOf(ctx, policy),
    assignmentRules: (policy, _args, ctx) => reads.rulesOf(ctx, policy),
    assignmentHistory: (policy, _args, ctx) => reads.ruleHistoryOf(ctx, policy),
    overrides: (policy, _args, ctx) => reads.overridesOfPolicy(ctx, policy),
    terms: (policy, _args, ctx) => reads.termsOf(ctx, policy),
    // Everyone reads the terms in force today; the policy carries all of them, so no extra statement.
    accrualKind: (policy, _args, ctx) => termOn(policy.terms, ctx.today, policy.id).accrualKind,
    amountPerYear: (policy, _args, ctx) => termOn(policy.terms, ctx.today, policy.id).amountPerYear,
    carryOverCap: (policy, _args, ctx) => termOn(policy.terms, ctx.today, policy.id).carryOverCap,
    negativeBalanceLimit: (policy, _args, ctx) => termOn(policy.terms, ctx.today, policy.id).negativeBalanceLimit,
  },
  TimeOffApprovalStep: {
    whenLongerThanDays: (step) => (step.kind === 'HR' ? (step.whenLongerThanDays ?? null) : null),
    approver: (step, _args, ctx) => (step.kind === 'NAMED' ? ctx.loaders.employees.byId.load({ key: step.employeeId, asOf: ctx.today }) : null),
  },
  TimeOffPolicyRule: {
    location: (rule, _args, ctx) => (rule.locationId ? ctx.loaders.organisation.location.load(rule.locationId) : null),
  },
  TimeOffPolicyOverride: {
    employee: (override, _args, ctx) => ctx.loaders.employees.byId.load({ key: override.employeeId, asOf: ctx.today }),
    policy: async (override, _args, ctx) => {
      const policy = await ctx.loaders.timeOff.policy.load(override.policyId);
      if (!policy) throw new Error(`policy ${override.policyId} of an override is missing`);
      return policy;
    },
  },
  Location: {
    holidayCalendar: (location, _args, ctx) => holidays.calendarOfLocation(ctx, location.id),
  },
  HolidayCalendar: {
    location: async (calendar, _args, ctx) => {
      const location = await ctx.loaders.organisation.location.load(calendar.locationId);
      if (!location) throw new Error(`location ${calendar.locationId} of a holiday calendar is missing`);
      return location;
    },
    holidays: (calendar, args, ctx) => holidays.holidaysOf(ctx, calendar, args),
  },
};

async function overridePayload(ctx: RequestContext, outcome: Awaited<ReturnType<typeof overrides.setOverride>>) {
  if (!outcome.ok) return { override: null, employee: null, userErrors: outcome.errors };
  const employee = await ctx.loaders.employees.byId.load({ key: outcome.value.employeeId, asOf: ctx.today });
  return { override: outcome.value.override, employee, userErrors: [] };
}
