import type { EmploymentType, HolidayInput, TimeOffApprovalStepInput, TimeOffPolicyRuleInput } from '../../generated/graphql.js';
import { employeeNotFound } from '../../shared/common-errors.js';
import { isUuid, normaliseId } from '../../shared/ids.js';
import type { CalendarDate } from '../../shared/dates.js';
import { userError, type UserError } from '../../shared/user-errors.js';
import { roundDays, yearOf, type Holiday } from '../calendar.js';
import type { PolicyTerms } from '../policy-terms.js';
import type { ApprovalStep, TimeOffPolicyRecord } from '../timeoff.tables.js';

// Checks of time-off administration input that need no database. Each returns every problem it
// finds (not just the first), with the path of the field at fault, so a form can mark them all.

/** Upper bound of every amount in days: a year. Anything beyond is a typo, not a policy. */
export const maxPolicyDays = 366;
/** Waiting periods up to two years (probation-like rules are months, not years). */
export const maxWaitingPeriodDays = 730;
export const maxChainSteps = 10;
export const maxRules = 100;
export const maxHolidaysPerYear = 100;
export const maxNameLength = 200;
/** Years a calendar may be edited for: far enough for history and planning, near enough to catch a typo. */
export const holidayYears = { min: 1970, max: 2100 } as const;

/**
 * How far a dated change of terms may reach: back to 1 January of last year (correcting the year
 * just closed, e.g. its carry-over cap, is routine; older years are settled), ahead to the end of
 * the year after next (as far as requests go). Beyond either, it is a typo.
 */
export const termYears = { back: 1, ahead: 2 } as const;

const codePattern = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;
const categoryPattern = /^[A-Z][A-Z0-9_]{0,39}$/;

/** The fields of a policy an administrator sets: the row's, and the terms in force from some day. */
export type PolicyFields = Omit<TimeOffPolicyRecord, 'id' | 'createdAt'> & PolicyTerms;

type Path = string[];

function checkDays(errors: UserError[], value: number, path: Path, label: string, max = maxPolicyDays): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    errors.push(userError('INVALID_VALUE', path, `${label} must be between 0 and ${max} days.`));
  }
}

function checkText(errors: UserError[], value: string, path: Path, label: string): void {
  if (value.length === 0) errors.push(userError('REQUIRED', path, `${label} is required.`));
  else if (value.length > maxNameLength) errors.push(userError('INVALID_VALUE', path, `${label} is at most ${maxNameLength} characters.`));
}

export const normaliseCode = (code: string): string => code.trim().toUpperCase();
export const normaliseCategory = (category: string): string => category.trim().toUpperCase();

/** Every field of a policy as it would be stored (after defaults or a patch), checked as a whole. */
export function validatePolicyFields(fields: PolicyFields): UserError[] {
  const errors: UserError[] = [];
  const at = (field: string): Path => ['input', field];
  if (!codePattern.test(fields.code)) {
    errors.push(userError('INVALID_VALUE', at('code'), 'A code is 1 to 40 letters, digits, `-` or `_`, starting with a letter or digit.'));
  }
  checkText(errors, fields.name, at('name'), 'The name');
  if (!categoryPattern.test(fields.category)) {
    errors.push(userError('INVALID_VALUE', at('category'), 'A category is 1 to 40 letters, digits or `_`, starting with a letter (VACATION, SICK…).'));
  }
  checkDays(errors, fields.amountPerYear, at('amountPerYear'), 'The yearly amount');
  if (fields.accrualKind === 'UNLIMITED' && fields.amountPerYear !== 0) {
    errors.push(userError('INVALID_VALUE', at('amountPerYear'), 'An unlimited policy has no yearly amount: leave it at 0.'));
  }
  if (fields.carryOverCap !== null) checkDays(errors, fields.carryOverCap, at('carryOverCap'), 'The carry-over cap');
  checkDays(errors, fields.negativeBalanceLimit, at('negativeBalanceLimit'), 'The negative balance limit');
  if (!Number.isInteger(fields.waitingPeriodDays) || fields.waitingPeriodDays < 0 || fields.waitingPeriodDays > maxWaitingPeriodDays) {
    errors.push(userError('INVALID_VALUE', at('waitingPeriodDays'), `The waiting period is a whole number of days from 0 to ${maxWaitingPeriodDays}.`));
  }
  if (!Number.isFinite(fields.hoursPerDay) || fields.hoursPerDay <= 0 || fields.hoursPerDay > 24) {
    errors.push(userError('INVALID_VALUE', at('hoursPerDay'), 'Hours per day must be more than 0 and at most 24.'));
  }
  return errors;
}

/**
 * `effectiveFrom` of an update: within `termYears` of today, and only with a dated field to date
 * (name, chain and the like apply at once; accepting a date for them would mislead).
 */
export function checkEffectiveFrom(effectiveFrom: CalendarDate | null, datesTerms: boolean, today: CalendarDate): UserError[] {
  if (effectiveFrom === null) return [];
  const at: Path = ['input', 'effectiveFrom'];
  if (!datesTerms) {
    return [userError('INVALID_VALUE', at, 'effectiveFrom dates a change of accrualKind, amountPerYear, carryOverCap or negativeBalanceLimit; none is given.')];
  }
  return checkWithinTermYears(effectiveFrom, today, 'Terms');
}

/**
 * `effectiveFrom` of an assignment change (rules, overrides): the same reach as terms, for the
 * same reasons; balances depend on both alike.
 */
export function checkAssignmentFrom(effectiveFrom: CalendarDate | null, today: CalendarDate): UserError[] {
  return effectiveFrom === null ? [] : checkWithinTermYears(effectiveFrom, today, 'Assignment');
}

function checkWithinTermYears(effectiveFrom: CalendarDate, today: CalendarDate, what: string): UserError[] {
  const at: Path = ['input', 'effectiveFrom'];
  const earliest = `${yearOf(today) - termYears.back}-01-01`;
  const latest = `${yearOf(today) + termYears.ahead}-12-31`;
  if (effectiveFrom < earliest) return [userError('DATE_TOO_FAR', at, `${what} can be changed from ${earliest} at the earliest.`)];
  if (effectiveFrom > latest) return [userError('DATE_TOO_FAR', at, `${what} can be changed from ${latest} at the latest.`)];
  return [];
}

/** Amounts are stored with three decimals; round here so what is checked is what is stored. */
export function roundPolicyAmounts(fields: PolicyFields): PolicyFields {
  return {
    ...fields,
    amountPerYear: roundDays(fields.amountPerYear),
    carryOverCap: fields.carryOverCap === null ? null : roundDays(fields.carryOverCap),
    negativeBalanceLimit: roundDays(fields.negativeBalanceLimit),
    hoursPerDay: roundDays(fields.hoursPerDay),
  };
}

/**
 * The shape of an approval chain: each step carries what its kind needs and nothing else, and no
 * approver appears twice (they would approve the same request twice). Whether named approvers
 * exist is checked against the database afterwards.
 */
export function parseApprovalChain(input: readonly TimeOffApprovalStepInput[]): { chain: ApprovalStep[]; errors: UserError[] } {
  const errors: UserError[] = [];
  const chain: ApprovalStep[] = [];
  if (input.length > maxChainSteps) {
    return { chain, errors: [userError('INVALID_VALUE', ['input', 'approvalChain'], `A chain has at most ${maxChainSteps} steps.`)] };
  }
  const seen = new Set<string>();
  input.forEach((step, index) => {
    const at = (field?: string): Path => ['input', 'approvalChain', String(index), ...(field ? [field] : [])];
    const stepErrors: UserError[] = [];
    const threshold = step.whenLongerThanDays ?? null;
    const employeeId = step.employeeId ? normaliseId(step.employeeId) : null;
    if (step.kind !== 'HR' && threshold !== null) {
      stepErrors.push(userError('INVALID_VALUE', at('whenLongerThanDays'), 'Only an HR step has a length threshold.'));
    }
    if (step.kind !== 'NAMED' && employeeId !== null) {
      stepErrors.push(userError('INVALID_VALUE', at('employeeId'), 'Only a NAMED step names an approver.'));
    }
    if (step.kind === 'HR' && threshold !== null) checkDays(stepErrors, threshold, at('whenLongerThanDays'), 'The length threshold');
    if (step.kind === 'NAMED') {
      if (employeeId === null) stepErrors.push(userError('REQUIRED', at('employeeId'), 'A NAMED step needs the approver’s employee id.'));
      else if (!isUuid(employeeId)) stepErrors.push(employeeNotFound(at('employeeId')));
    }
    const key = step.kind === 'NAMED' ? `NAMED:${employeeId}` : step.kind;
    if (seen.has(key)) {
      stepErrors.push(userError('INVALID_VALUE', at(), step.kind === 'NAMED' ? 'This approver is already a step of the chain.' : `The chain already has a ${step.kind} step.`));
    }
    seen.add(key);
    errors.push(...stepErrors);
    if (stepErrors.length > 0) return;
    if (step.kind === 'MANAGER') chain.push({ kind: 'MANAGER' });
    else if (step.kind === 'HR') chain.push(threshold === null ? { kind: 'HR' } : { kind: 'HR', whenLongerThanDays: roundDays(threshold) });
    else if (employeeId !== null) chain.push({ kind: 'NAMED', employeeId });
  });
  return { chain, errors };
}

export interface ParsedRule {
  locationId: string | null;
  employmentType: EmploymentType | null;
}

/** Rules as stored, or why not: at most `maxRules`, no two alike. Locations are looked up afterwards. */
export function parseRules(input: readonly TimeOffPolicyRuleInput[]): { rules: ParsedRule[]; errors: UserError[] } {
  if (input.length > maxRules) {
    return { rules: [], errors: [userError('INVALID_VALUE', ['input', 'rules'], `A policy has at most ${maxRules} rules.`)] };
  }
  const errors: UserError[] = [];
  const seen = new Set<string>();
  const rules = input.map((rule, index) => {
    const locationId = rule.locationId ? normaliseId(rule.locationId) : null;
    const employmentType = rule.employmentType ?? null;
    const key = `${locationId ?? '*'}|${employmentType ?? '*'}`;
    if (seen.has(key)) errors.push(userError('INVALID_VALUE', ['input', 'rules', String(index)], 'The same rule is listed twice.'));
    seen.add(key);
    return { locationId, employmentType };
  });
  return { rules, errors };
}

/** The holidays of one year as stored, or why not: dates in that year, one holiday per date, named. */
export function parseHolidays(year: number, input: readonly HolidayInput[]): { days: Holiday[]; errors: UserError[] } {
  const errors: UserError[] = [];
  if (!Number.isInteger(year) || year < holidayYears.min || year > holidayYears.max) {
    errors.push(userError('INVALID_VALUE', ['input', 'year'], `The year must be from ${holidayYears.min} to ${holidayYears.max}.`));
  }
  if (input.length > maxHolidaysPerYear) {
    errors.push(userError('INVALID_VALUE', ['input', 'holidays'], `A year has at most ${maxHolidaysPerYear} holidays.`));
  }
  if (errors.length > 0) return { days: [], errors };
  const seen = new Set<string>();
  const days = input.map((holiday, index) => {
    const at = (field: string): Path => ['input', 'holidays', String(index), field];
    const name = holiday.name.trim();
    if (yearOf(holiday.date) !== year) errors.push(userError('INVALID_VALUE', at('date'), `${holiday.date} is not in ${year}.`));
    if (seen.has(holiday.date)) errors.push(userError('DUPLICATE_HOLIDAY', at('date'), `${holiday.date} is listed twice.`));
    seen.add(holiday.date);
    checkText(errors, name, at('name'), 'The holiday’s name');
    return { date: holiday.date, name, halfDay: holiday.halfDay ?? false };
  });
  return { days, errors };
}

export function parseName(value: string, path: Path, label: string): { name: string; errors: UserError[] } {
  const name = value.trim();
  const errors: UserError[] = [];
  checkText(errors, name, path, label);
  return { name, errors };
}
