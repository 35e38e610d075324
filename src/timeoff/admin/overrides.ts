import { describeCaller } from '../../auth/auth.service.js';
import { recordEvent } from '../../events/events.service.js';
import type { ClearTimeOffPolicyOverrideInput, SetTimeOffPolicyOverrideInput } from '../../generated/graphql.js';
import type { Database } from '../../db/database.js';
import type { RequestContext } from '../../graphql/context.js';
import type { CalendarDate } from '../../shared/dates.js';
import { isUuid, normaliseId } from '../../shared/ids.js';
import { lockEmployee } from '../../employees/employee.service.js';
import { employeeNotFound } from '../../shared/common-errors.js';
import { fail, succeed, userError, type Outcome, type UserError } from '../../shared/user-errors.js';
import { abort, writeTransaction } from '../../shared/write-transaction.js';
import { inForceOn } from '../policy-terms.js';
import { roundDays } from '../calendar.js';
import { overridePeriods } from './override-periods.js';
import { termOn } from '../policy-terms.js';
import { assertMayAdministerTimeOff, assertNotOwnPolicies } from './access.js';
import type { TimeOffPolicyOverrideRow } from './model.js';
import * as adminStore from './store.js';
import { checkAssignmentFrom, maxPolicyDays } from './validation.js';
import * as store from '../timeoff.store.js';

// Per-employee exceptions to a policy's rules, effective-dated: each holds from its
// `effectiveFrom` (default today) until the employee's next one for the policy, and clearing
// records a row handing back to the rules from that day, so earlier days keep their override
// (and the balances computed with it). A change locks the employee row (as requests and
// decisions do), so it cannot interleave with a request checking that employee's balance, and
// its `timeoff.policy_override.changed` event is ordered with the employee's other events.

export interface OverrideChange {
  employeeId: string;
  /** The override recorded from the change's `effectiveFrom`; null once cleared. */
  override: TimeOffPolicyOverrideRow | null;
}

interface Target {
  employeeId: string;
  policyId: string;
}

async function parseTarget(ctx: RequestContext, input: { employeeId: string; policyId: string }): Promise<{ target: Target; errors: UserError[] }> {
  const target = { employeeId: normaliseId(input.employeeId), policyId: normaliseId(input.policyId) };
  await assertNotOwnPolicies(ctx, target.employeeId);
  const errors: UserError[] = [];
  if (!isUuid(target.employeeId)) errors.push(employeeNotFound(employeeField));
  if (!isUuid(target.policyId)) errors.push(policyNotFound());
  return { target, errors };
}

const employeeField = ['input', 'employeeId'];
const policyNotFound = () => userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.');

/** Locks the employee, then checks both exist; the policy's row is read as it is now. */
async function lockTarget(tx: Database, target: Target) {
  const employeeExists = await lockEmployee(tx, target.employeeId);
  const [policy] = await store.findPoliciesByIds(tx, [target.policyId]);
  const errors = [...(employeeExists ? [] : [employeeNotFound(employeeField)]), ...(policy ? [] : [policyNotFound()])];
  if (!policy || errors.length > 0) abort(...errors);
  return policy;
}

function recordOverrideChange(tx: Database, target: Target, assigned: boolean | null, effectiveFrom: CalendarDate) {
  return recordEvent(tx, {
    type: 'timeoff.policy_override.changed',
    subject: `employee:${target.employeeId}`,
    data: { employeeId: target.employeeId, policyId: target.policyId, assigned, effectiveFrom },
  });
}

/** The override recorded from `effectiveFrom`, as shown (with the day the next one ends it). */
async function overrideFrom(tx: Database, target: Target, effectiveFrom: CalendarDate): Promise<TimeOffPolicyOverrideRow | null> {
  const periods = overridePeriods(await adminStore.findOverrideHistory(tx, target.employeeId, target.policyId));
  return periods.find((period) => period.effectiveFrom === effectiveFrom) ?? null;
}

export async function setOverride(ctx: RequestContext, input: SetTimeOffPolicyOverrideInput): Promise<Outcome<OverrideChange>> {
  assertMayAdministerTimeOff(ctx);
  const { target, errors } = await parseTarget(ctx, input);
  const amount = input.amountPerYear ?? null;
  const effectiveFrom = input.effectiveFrom ?? ctx.today;
  errors.push(...checkAssignmentFrom(input.effectiveFrom ?? null, ctx.today));
  if (amount !== null) {
    if (!input.assigned) {
      errors.push(userError('INVALID_VALUE', ['input', 'amountPerYear'], 'An exclusion has no yearly amount.'));
    } else if (!Number.isFinite(amount) || amount < 0 || amount > maxPolicyDays) {
      errors.push(userError('INVALID_VALUE', ['input', 'amountPerYear'], `The yearly amount must be between 0 and ${maxPolicyDays} days.`));
    }
  }
  if (errors.length > 0) return fail(...errors);

  const outcome = await writeTransaction(ctx, async (tx) => {
    const policy = await lockTarget(tx, target);
    // Judged by the terms in force on its first day: the own amount replaces the amount of the
    // term in force on each day of the override (an unlimited term accrues nothing anyway).
    if (amount !== null && termOn(policy.terms, effectiveFrom, policy.id).accrualKind === 'UNLIMITED') {
      abort(userError('INVALID_VALUE', ['input', 'amountPerYear'], 'An unlimited policy has no yearly amount.'));
    }
    await store.upsertOverride(tx, {
      ...target,
      effectiveFrom,
      assigned: input.assigned,
      amountPerYear: amount === null ? null : roundDays(amount),
      recordedBy: describeCaller(ctx.caller),
    });
    await recordOverrideChange(tx, target, input.assigned, effectiveFrom);
    return overrideFrom(tx, target, effectiveFrom);
  });
  return outcome.ok ? succeed({ employeeId: target.employeeId, override: outcome.value }) : outcome;
}

export async function clearOverride(ctx: RequestContext, input: ClearTimeOffPolicyOverrideInput): Promise<Outcome<OverrideChange>> {
  assertMayAdministerTimeOff(ctx);
  const { target, errors } = await parseTarget(ctx, input);
  const effectiveFrom = input.effectiveFrom ?? ctx.today;
  errors.push(...checkAssignmentFrom(input.effectiveFrom ?? null, ctx.today));
  if (errors.length > 0) return fail(...errors);
  const outcome = await writeTransaction(ctx, async (tx) => {
    await lockTarget(tx, target);
    const inForce = inForceOn(await adminStore.findOverrideHistory(tx, target.employeeId, target.policyId), effectiveFrom);
    if (!inForce || inForce.assigned === null) {
      abort(userError('OVERRIDE_NOT_FOUND', ['input', 'policyId'], `The employee has no override of this policy on ${effectiveFrom}.`));
    }
    // A row, not a delete: the days before `effectiveFrom` keep the override they had.
    await store.upsertOverride(tx, { ...target, effectiveFrom, assigned: null, amountPerYear: null, recordedBy: describeCaller(ctx.caller) });
    await recordOverrideChange(tx, target, null, effectiveFrom);
  });
  return outcome.ok ? succeed({ employeeId: target.employeeId, override: null }) : outcome;
}
