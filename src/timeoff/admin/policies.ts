import { describeCaller } from '../../auth/auth.service.js';
import { findEmployeesByIds, terminalStatuses } from '../../employees/employee.service.js';
import { recordEvent, type EventData } from '../../events/events.service.js';
import type {
  CreateTimeOffPolicyInput,
  SetTimeOffPolicyRulesInput,
  TimeOffApprovalStepInput,
  UpdateTimeOffPolicyInput,
} from '../../generated/graphql.js';
import type { Database } from '../../db/database.js';
import type { RequestContext } from '../../graphql/context.js';
import type { CalendarDate } from '../../shared/dates.js';
import { isUuid, normaliseId } from '../../shared/ids.js';
import { employeeLeft, employeeNotFound, locationNotFound } from '../../shared/common-errors.js';
import { fail, userError, type Outcome, type UserError } from '../../shared/user-errors.js';
import { abort, abortIf, writeTransaction } from '../../shared/write-transaction.js';
import { assertMayAdministerTimeOff } from './access.js';
import * as adminStore from './store.js';
import {
  checkAssignmentFrom,
  checkEffectiveFrom,
  normaliseCategory,
  normaliseCode,
  parseApprovalChain,
  parseRules,
  roundPolicyAmounts,
  validatePolicyFields,
  type PolicyFields,
} from './validation.js';
import { defaultHoursPerDay } from '../calendar.js';
import { sameTerms, termFieldNames, termOn, termsOf, type PolicyTerms } from '../policy-terms.js';
import * as store from '../timeoff.store.js';
import type { ApprovalStep, TimeOffPolicyRow } from '../timeoff.tables.js';

// Administering policies and their default assignment. Every change locks the policy row first
// (one writer per policy at a time) and records a `timeoff.policy.changed` event in the same
// transaction, so Bus hears of a change if and only if it committed.
//
// History is not rewritten here: requests store their days and their approval chain when
// submitted, and their deducted amount when approved; nothing below touches them. The balance
// terms (accrual kind, amount, cap, negative limit) are effective-dated (policy-terms.ts): a
// change records a term from its `effectiveFrom` (default today), so balances of earlier days
// keep the terms they were computed with; only a deliberate backdated correction (bounded by
// checkEffectiveFrom) reaches into the past. Rules are dated the same way (assignment.ts): a
// new rule set holds from its `effectiveFrom` until the next one.

type PolicyOutcome = Outcome<TimeOffPolicyRow>;

const policyNotFound = () => userError('POLICY_NOT_FOUND', ['input', 'id'], 'No time-off policy has this id.');
const duplicateCode = (code: string) => userError('DUPLICATE_POLICY_CODE', ['input', 'code'], `Another policy has the code ${code}.`);

/** Every policy change answers the policy as read after the commit (work returns its id). */
const reloadPolicy = (ctx: RequestContext, id: string) => ctx.loaders.timeOff.policy.load(id);

/** `effectiveFrom`: when a change of the dated terms (accrual kind, amount, cap, limit) or of the rules takes effect. */
function recordPolicyChange(
  tx: Database,
  policy: { id: string; code: string },
  change: EventData<'timeoff.policy.changed'>['change'],
  fields: readonly string[],
  effectiveFrom?: CalendarDate,
) {
  return recordEvent(tx, {
    type: 'timeoff.policy.changed',
    subject: `time_off_policy:${policy.id}`,
    data: { policyId: policy.id, code: policy.code, change, fields, ...(effectiveFrom ? { effectiveFrom } : {}) },
  });
}

/**
 * Named approvers must be employees who have not left (as of today): a chain naming someone
 * gone would send every request to their managers without anyone having decided so.
 */
async function checkNamedApprovers(tx: Database, chain: readonly ApprovalStep[], today: string): Promise<UserError[]> {
  const named = chain.flatMap((step, index) => (step.kind === 'NAMED' ? [{ index, employeeId: step.employeeId }] : []));
  if (named.length === 0) return [];
  const records = new Map((await findEmployeesByIds(tx, named.map((step) => step.employeeId), today)).map((record) => [record.id, record]));
  return named.flatMap(({ index, employeeId }) => {
    const at = ['input', 'approvalChain', String(index), 'employeeId'];
    const record = records.get(employeeId);
    if (!record) return [employeeNotFound(at)];
    const status = record.job?.status;
    if (status && terminalStatuses.includes(status)) return [employeeLeft(at)];
    return [];
  });
}

/** The chain of the input, or null when it is not given (create: the default; update: unchanged). */
function chainOf(input: readonly TimeOffApprovalStepInput[] | null | undefined): { chain: ApprovalStep[] | null; errors: UserError[] } {
  if (input === undefined || input === null) return { chain: null, errors: [] };
  return parseApprovalChain(input);
}

export async function createPolicy(ctx: RequestContext, input: CreateTimeOffPolicyInput): Promise<PolicyOutcome> {
  assertMayAdministerTimeOff(ctx);
  const parsedChain = chainOf(input.approvalChain);
  const fields = roundPolicyAmounts({
    code: normaliseCode(input.code),
    name: input.name.trim(),
    category: normaliseCategory(input.category),
    accrualKind: input.accrualKind,
    amountPerYear: input.amountPerYear ?? 0,
    carryOverCap: input.carryOverCap ?? null,
    negativeBalanceLimit: input.negativeBalanceLimit ?? 0,
    waitingPeriodDays: input.waitingPeriodDays ?? 0,
    private: input.private ?? false,
    hoursPerDay: input.hoursPerDay ?? defaultHoursPerDay,
    approvalChain: parsedChain.chain ?? [{ kind: 'MANAGER' }],
  });
  const errors = [...validatePolicyFields(fields), ...parsedChain.errors];
  if (errors.length > 0) return fail(...errors);

  return writeTransaction(
    ctx,
    async (tx) => {
      const problems = await checkNamedApprovers(tx, fields.approvalChain, ctx.today);
      if (await adminStore.findPolicyIdByCode(tx, fields.code)) problems.push(duplicateCode(fields.code));
      abortIf(problems);
      const policy = await store.insertPolicy(tx, fields, describeCaller(ctx.caller));
      await recordPolicyChange(tx, policy, 'CREATED', Object.keys(fields));
      return policy.id;
    },
    { uniqueViolations: { time_off_policies_code_unique: () => duplicateCode(fields.code) }, reload: reloadPolicy },
  );
}

/** The fields an update sets: omitted ones stay; null clears only what may be empty (the cap). */
function patchOf(input: UpdateTimeOffPolicyInput, chain: ApprovalStep[] | null): { patch: Partial<PolicyFields>; errors: UserError[] } {
  const patch: Partial<PolicyFields> = {};
  const errors: UserError[] = [];
  const set = <K extends keyof PolicyFields>(field: K, value: PolicyFields[K] | null | undefined) => {
    if (value === undefined) return;
    if (value !== null) patch[field] = value;
    else if (field === 'carryOverCap') patch.carryOverCap = null;
    else errors.push(userError('REQUIRED', ['input', field], `${field} cannot be cleared.`));
  };
  set('code', input.code === undefined || input.code === null ? input.code : normaliseCode(input.code));
  set('name', input.name === undefined || input.name === null ? input.name : input.name.trim());
  set('category', input.category === undefined || input.category === null ? input.category : normaliseCategory(input.category));
  set('accrualKind', input.accrualKind);
  set('amountPerYear', input.amountPerYear);
  set('carryOverCap', input.carryOverCap);
  set('negativeBalanceLimit', input.negativeBalanceLimit);
  set('waitingPeriodDays', input.waitingPeriodDays);
  set('private', input.private);
  set('hoursPerDay', input.hoursPerDay);
  if (chain !== null) patch.approvalChain = chain;
  return { patch, errors };
}

const policyFieldNames = [
  'code',
  'name',
  'category',
  'accrualKind',
  'amountPerYear',
  'carryOverCap',
  'negativeBalanceLimit',
  'waitingPeriodDays',
  'private',
  'hoursPerDay',
  'approvalChain',
] as const satisfies readonly (keyof PolicyFields)[];

/** The fields on the policy's own row: a change applies at once. */
const rowFieldNames = policyFieldNames.filter((field): field is keyof PolicyRowFields => !(termFieldNames as readonly string[]).includes(field));

type PolicyRowFields = Omit<PolicyFields, keyof PolicyTerms>;

// Values are numbers, strings, booleans and the chain's JSON: comparing their JSON is exact.
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function copyField<K extends keyof PolicyRowFields>(target: Partial<PolicyRowFields>, source: PolicyFields, field: K): void {
  target[field] = source[field];
}

/**
 * Records the dated terms from `effectiveFrom`. A term equal to the one before it changes
 * nothing, so it is dropped: setting a scheduled change back to the previous terms cancels it.
 * Terms recorded from later days stay as they are: each states the terms from its day on.
 */
async function recordTerms(
  tx: Database,
  policy: TimeOffPolicyRow,
  effectiveFrom: CalendarDate,
  terms: PolicyTerms,
  recordedBy: string,
): Promise<void> {
  await adminStore.upsertTerm(tx, { policyId: policy.id, effectiveFrom, ...terms, recordedBy });
  const previous = policy.terms.filter((term) => term.effectiveFrom < effectiveFrom).at(-1);
  if (previous && sameTerms(previous, terms)) await adminStore.deleteTerm(tx, policy.id, effectiveFrom);
}

export async function updatePolicy(ctx: RequestContext, input: UpdateTimeOffPolicyInput): Promise<PolicyOutcome> {
  assertMayAdministerTimeOff(ctx);
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(policyNotFound());
  const parsedChain = chainOf(input.approvalChain);
  const { patch, errors } = patchOf(input, parsedChain.chain);
  errors.push(...parsedChain.errors);
  // Dated terms take effect from `effectiveFrom`, by default today: nothing before today changes.
  const effectiveFrom = input.effectiveFrom ?? ctx.today;
  errors.push(...checkEffectiveFrom(input.effectiveFrom ?? null, termFieldNames.some((field) => field in patch), ctx.today));
  if (errors.length > 0) return fail(...errors);

  return writeTransaction(
    ctx,
    async (tx) => {
      const current = await adminStore.lockPolicy(tx, id);
      if (!current) abort(policyNotFound());
      const { id: _id, createdAt: _createdAt, terms: _terms, ...currentRow } = current;
      const base = termOn(current.terms, effectiveFrom, id);
      // Checked as a whole: a patch can be wrong only together with what it leaves (UNLIMITED with a yearly amount).
      const merged = roundPolicyAmounts({ ...currentRow, ...termsOf(base), ...patch });
      const problems = validatePolicyFields(merged);
      if (patch.approvalChain) problems.push(...(await checkNamedApprovers(tx, merged.approvalChain, ctx.today)));
      if (merged.code !== current.code) {
        const holder = await adminStore.findPolicyIdByCode(tx, merged.code);
        if (holder && holder !== id) problems.push(duplicateCode(merged.code));
      }
      abortIf(problems);
      const rowChanged = rowFieldNames.filter((field) => !sameValue(merged[field], current[field]));
      const termsChanged = termFieldNames.filter((field) => !sameValue(merged[field], base[field]));
      if (rowChanged.length === 0 && termsChanged.length === 0) return id;
      const changes: Partial<PolicyRowFields> = {};
      for (const field of rowChanged) copyField(changes, merged, field);
      await adminStore.updatePolicy(tx, id, changes);
      if (termsChanged.length > 0) await recordTerms(tx, current, effectiveFrom, termsOf(merged), describeCaller(ctx.caller));
      const changed = policyFieldNames.filter((field) => (rowChanged as string[]).includes(field) || (termsChanged as string[]).includes(field));
      const policy = merged.code === current.code ? current : { id, code: merged.code };
      await recordPolicyChange(tx, policy, 'UPDATED', changed, termsChanged.length > 0 ? effectiveFrom : undefined);
      return id;
    },
    { uniqueViolations: { time_off_policies_code_unique: () => duplicateCode(patch.code ?? '') }, reload: reloadPolicy },
  );
}

export async function setPolicyRules(ctx: RequestContext, input: SetTimeOffPolicyRulesInput): Promise<PolicyOutcome> {
  assertMayAdministerTimeOff(ctx);
  const policyId = normaliseId(input.policyId);
  const notFound = userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.');
  const { rules, errors } = parseRules(input.rules);
  if (!isUuid(policyId)) errors.unshift(notFound);
  // A rule set holds from `effectiveFrom` (default today): earlier days keep the rules they had.
  const effectiveFrom = input.effectiveFrom ?? ctx.today;
  errors.push(...checkAssignmentFrom(input.effectiveFrom ?? null, ctx.today));
  if (errors.length > 0) return fail(...errors);

  return writeTransaction(ctx, async (tx) => {
    const policy = await adminStore.lockPolicy(tx, policyId);
    if (!policy) abort(notFound);
    const wanted = [...new Set(rules.flatMap((rule) => (rule.locationId && isUuid(rule.locationId) ? [rule.locationId] : [])))];
    const known = await adminStore.findLocationIds(tx, wanted);
    const problems = rules.flatMap((rule, index) =>
      rule.locationId && !known.has(rule.locationId)
        ? [locationNotFound(['input', 'rules', String(index), 'locationId'])]
        : [],
    );
    abortIf(problems);
    await store.replaceRuleSet(tx, policy.id, rules, describeCaller(ctx.caller), effectiveFrom);
    await recordPolicyChange(tx, policy, 'RULES_REPLACED', ['assignmentRules'], effectiveFrom);
    return policy.id;
  }, { reload: reloadPolicy });
}
