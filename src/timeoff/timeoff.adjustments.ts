import { assertCallerAllowed, assertNotOwnRecord, describeCaller } from '../auth/auth.service.js';
import type { AdjustTimeOffBalanceInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { lockEmployee } from '../employees/employee.service.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { loadBalances, type Balance } from './balance.js';
import { roundDays } from './calendar.js';
import { timeOffRules } from './timeoff.access.js';
import * as store from './timeoff.store.js';
import { maxReasonLength } from './timeoff.validation.js';

// HR's manual balance adjustments: with a reason, recorded with who and when, never one's own.

/** Largest manual adjustment, in days either way. */
export const maxAdjustment = 366;

export async function adjustBalance(ctx: RequestContext, input: AdjustTimeOffBalanceInput): Promise<Outcome<Balance>> {
  const employeeId = normaliseId(input.employeeId);
  const policyId = normaliseId(input.policyId);
  const { caller } = ctx;
  assertCallerAllowed(ctx, timeOffRules.adjustBalances, 'Only Admin, HR Manager and HR Staff may adjust time-off balances.');
  await assertNotOwnRecord(ctx, employeeId, 'You cannot adjust your own balance; ask someone else in HR.');
  const reason = input.reason.trim();
  const effectiveDate = input.effectiveDate ?? ctx.today;
  const errors: UserError[] = [];
  if (!Number.isFinite(input.amount) || input.amount === 0 || Math.abs(input.amount) > maxAdjustment) {
    errors.push(userError('INVALID_VALUE', ['input', 'amount'], `The amount must be non-zero and at most ${maxAdjustment} days either way.`));
  }
  if (reason.length === 0) errors.push(userError('REQUIRED', ['input', 'reason'], 'Say why the balance is adjusted.'));
  if (reason.length > maxReasonLength) errors.push(userError('INVALID_VALUE', ['input', 'reason'], `The reason is at most ${maxReasonLength} characters.`));
  if (!isUuid(employeeId)) errors.push(employeeNotFound(['input', 'employeeId']));
  if (!isUuid(policyId)) errors.push(userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'));
  if (errors.length > 0) return fail(...errors);
  return writeTransaction(
    ctx,
    async (tx) => {
      if (!(await lockEmployee(tx, employeeId))) abort(employeeNotFound(['input', 'employeeId']));
      const balance = (await loadBalances(tx, [employeeId], effectiveDate)).get(employeeId)?.find((b) => b.policy.id === policyId);
      if (!balance) {
        const [policy] = await store.findPoliciesByIds(tx, [policyId]);
        abort(
          policy
            ? userError('POLICY_NOT_ASSIGNED', ['input', 'policyId'], `${policy.name} does not apply to this employee.`)
            : userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'),
        );
      }
      if (balance.unlimited) abort(userError('INVALID_VALUE', ['input', 'policyId'], 'An unlimited policy has no balance to adjust.'));
      await store.insertAdjustment(tx, {
        employeeId,
        policyId,
        amount: roundDays(input.amount),
        reason,
        recordedBy: describeCaller(caller),
        effectiveDate,
      });
    },
    {
      // The balance as of the adjustment's day, read afresh: it includes the adjustment.
      reload: async (ctx) => {
        const balances = await ctx.loaders.timeOff.balances.load({ key: employeeId, asOf: effectiveDate });
        return balances.find((candidate) => candidate.policy.id === policyId);
      },
    },
  );
}
