import type { RequestContext } from '../../graphql/context.js';
import { assertHrRead } from './access.js';
import { inForceOn } from '../policy-terms.js';
import { currentAndScheduled, overridePeriods } from './override-periods.js';
import type { TimeOffPolicyOverrideRow, TimeOffPolicyRuleRow, TimeOffPolicyRuleSetRow } from './model.js';
import type { ApprovalStep, TimeOffPolicyRow, TimeOffPolicyTermRow } from '../timeoff.tables.js';

// What HR reads of policy administration. A policy is read by everyone (on their balances and
// requests), so these fields are guarded one by one: for anyone else they are null with a
// FORBIDDEN error at their path, and the rest of the policy stands.

export function hoursPerDayOf(ctx: RequestContext, policy: TimeOffPolicyRow): number {
  assertHrRead(ctx, 'the hours per day of a policy');
  return policy.hoursPerDay;
}

export function approvalChainOf(ctx: RequestContext, policy: TimeOffPolicyRow): ApprovalStep[] {
  assertHrRead(ctx, 'the approval chain of a policy');
  return policy.approvalChain;
}

/** The history of amounts and caps is HR's business, like the rest of a policy's administration. */
export function termsOf(ctx: RequestContext, policy: TimeOffPolicyRow): TimeOffPolicyTermRow[] {
  assertHrRead(ctx, 'the terms of a policy over time');
  return policy.terms;
}

/** The rules of the set in force today (none before the first set, or after an empty one). */
export async function rulesOf(ctx: RequestContext, policy: TimeOffPolicyRow): Promise<TimeOffPolicyRuleRow[]> {
  assertHrRead(ctx, 'the assignment rules of a policy');
  const sets = await ctx.loaders.timeOff.policyRuleSets.load(policy.id);
  return inForceOn(sets, ctx.today)?.rules ?? [];
}

export function ruleHistoryOf(ctx: RequestContext, policy: TimeOffPolicyRow): Promise<TimeOffPolicyRuleSetRow[]> {
  assertHrRead(ctx, 'the assignment history of a policy');
  return ctx.loaders.timeOff.policyRuleSets.load(policy.id);
}

/** Overrides in force today or scheduled, ended ones left out (their days are history). */
export async function overridesOfPolicy(ctx: RequestContext, policy: TimeOffPolicyRow): Promise<TimeOffPolicyOverrideRow[]> {
  assertHrRead(ctx, 'the overrides of a policy');
  return currentAndScheduled(overridePeriods(await ctx.loaders.timeOff.policyOverrides.load(policy.id)), ctx.today);
}

export async function overridesOfEmployee(ctx: RequestContext, employeeId: string): Promise<TimeOffPolicyOverrideRow[]> {
  assertHrRead(ctx, 'the time-off policy overrides of an employee');
  return currentAndScheduled(overridePeriods(await ctx.loaders.timeOff.employeeOverrides.load(employeeId)), ctx.today);
}
