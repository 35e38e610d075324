import { getDaysInMonth, getDaysInYear } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import type { Database } from '../db/database.js';
import { findEmployeesByIds, findJobStates } from '../employees/employee.store.js';
import { terminalStatuses } from '../employees/employee.model.js';
import type { EmploymentTypeValue } from '../employees/employee.tables.js';
import type { CalendarDate } from '../shared/dates.js';
import { addDays, daysBetween, roundDays, yearOf } from './calendar.js';
import * as store from './timeoff.store.js';
import type { TimeOffPolicyRow } from './timeoff.tables.js';

// The one place a time-off balance is computed. Every screen and every check (requesting,
// approving) reads it through `loadBalances`, which costs the same few statements for one
// employee or five hundred.
//
// For an employee, a policy and a day D (in calendar year Y):
//   accrued     what Y grants up to D: an annual grant (all of it from the first day of Y,
//               or from the hire date), or monthly accrual (a twelfth per month, credited on the
//               first of the month); both prorated by the days employed in Y (hire, termination).
//   carriedOver what was left at the end of Y-1, capped by the policy (negative balances carry in full).
//   adjustments HR's manual adjustments effective in Y up to D.
//   used        approved days of Y on or before D.
//   scheduled   approved days of Y after D (booked; not yet taken).
//   pending     requested days of Y awaiting a decision.
//   available   accrued + carriedOver + adjustments - used - scheduled - pending.
// So "available" already excludes approved future days and pending requests: it is what can
// still be requested. Days of a request that fall in another year count in that year.
// Unlimited policies have no accrual and no available amount (null).

export interface Balance {
  employeeId: string;
  policy: TimeOffPolicyRow;
  asOf: CalendarDate;
  unlimited: boolean;
  accrued: number;
  carriedOver: number;
  adjustments: number;
  used: number;
  scheduled: number;
  pending: number;
  /** Null for unlimited policies. */
  available: number | null;
  /** How far below zero `available` may go. */
  negativeBalanceLimit: number;
}

export interface EmploymentWindow {
  hireDate: CalendarDate;
  /** The day a termination takes effect (the first day not employed), or null. */
  terminationDate: CalendarDate | null;
}

export interface PolicyTerms {
  accrualKind: TimeOffPolicyRow['accrualKind'];
  amountPerYear: number;
  carryOverCap: number | null;
}

/** Days employed in [from, to] (both in one year). */
function employedDays(window: EmploymentWindow, from: CalendarDate, to: CalendarDate): number {
  const start = window.hireDate > from ? window.hireDate : from;
  const lastEmployed = window.terminationDate ? addDays(window.terminationDate, -1) : to;
  const end = lastEmployed < to ? lastEmployed : to;
  return start > end ? 0 : daysBetween(start, end) + 1;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Accrued in the year of `asOf`, up to `asOf`. */
export function accruedInYear(terms: PolicyTerms, window: EmploymentWindow, asOf: CalendarDate): number {
  if (terms.accrualKind === 'UNLIMITED' || asOf < window.hireDate) return 0;
  const year = yearOf(asOf);
  if (terms.accrualKind === 'ANNUAL_GRANT') {
    const days = employedDays(window, `${year}-01-01`, `${year}-12-31`);
    return round2((terms.amountPerYear * days) / getDaysInYear(new UTCDate(`${year}-01-01`)));
  }
  let total = 0;
  const lastMonth = Number(asOf.slice(5, 7));
  for (let month = 1; month <= lastMonth; month += 1) {
    const first = `${year}-${pad(month)}-01`;
    const length = getDaysInMonth(new UTCDate(first));
    const days = employedDays(window, first, `${year}-${pad(month)}-${pad(length)}`);
    total += (terms.amountPerYear / 12) * (days / length);
  }
  return round2(total);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export interface YearUsage {
  approved: number;
  approvedToDate: number;
  pending: number;
  adjustments: number;
}

/** The balance itself, from everything already loaded. Pure. */
export function computeBalance(
  terms: PolicyTerms,
  window: EmploymentWindow,
  asOf: CalendarDate,
  usageByYear: ReadonlyMap<number, YearUsage>,
): Omit<Balance, 'employeeId' | 'policy' | 'negativeBalanceLimit'> {
  const year = yearOf(asOf);
  const none: YearUsage = { approved: 0, approvedToDate: 0, pending: 0, adjustments: 0 };
  const current = usageByYear.get(year) ?? none;
  if (terms.accrualKind === 'UNLIMITED') {
    return {
      asOf,
      unlimited: true,
      accrued: 0,
      carriedOver: 0,
      adjustments: roundDays(current.adjustments),
      used: roundDays(current.approvedToDate),
      scheduled: roundDays(current.approved - current.approvedToDate),
      pending: roundDays(current.pending),
      available: null,
    };
  }
  // Walk the years since the hire year, carrying the closing balance forward.
  let carried = 0;
  for (let y = yearOf(window.hireDate); y < year; y += 1) {
    const usage = usageByYear.get(y) ?? none;
    const closing = carried + accruedInYear(terms, window, `${y}-12-31`) + usage.adjustments - usage.approved;
    carried = closing > 0 && terms.carryOverCap !== null ? Math.min(closing, terms.carryOverCap) : closing;
  }
  const accrued = accruedInYear(terms, window, asOf);
  const used = current.approvedToDate;
  const scheduled = current.approved - current.approvedToDate;
  return {
    asOf,
    unlimited: false,
    accrued,
    carriedOver: roundDays(carried),
    adjustments: roundDays(current.adjustments),
    used: roundDays(used),
    scheduled: roundDays(scheduled),
    pending: roundDays(current.pending),
    available: roundDays(accrued + carried + current.adjustments - used - scheduled - current.pending),
  };
}

export interface AssignmentFacts {
  locationId: string | null;
  employmentType: EmploymentTypeValue | null;
}

/** The policies that apply to an employee, with the yearly amount that applies to them. */
export function assignedPolicies(
  policies: readonly TimeOffPolicyRow[],
  rules: readonly { policyId: string; locationId: string | null; employmentType: EmploymentTypeValue | null }[],
  overrides: readonly { policyId: string; assigned: boolean; amountPerYear: number | null }[],
  facts: AssignmentFacts,
): { policy: TimeOffPolicyRow; amountPerYear: number }[] {
  return policies.flatMap((policy) => {
    const override = overrides.find((candidate) => candidate.policyId === policy.id);
    if (override) return override.assigned ? [{ policy, amountPerYear: override.amountPerYear ?? policy.amountPerYear }] : [];
    const matches = rules.some(
      (rule) =>
        rule.policyId === policy.id &&
        (rule.locationId === null || rule.locationId === facts.locationId) &&
        (rule.employmentType === null || rule.employmentType === facts.employmentType),
    );
    return matches ? [{ policy, amountPerYear: policy.amountPerYear }] : [];
  });
}

/**
 * Balances of every policy assigned to each employee, as of `asOf` (assignment by the job on
 * that day). A constant number of statements, whatever the number of employees.
 */
export async function loadBalances(
  db: Database,
  employeeIds: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, Balance[]>> {
  const result = new Map<string, Balance[]>();
  if (employeeIds.length === 0) return result;
  const yearEnd = `${asOf.slice(0, 4)}-12-31`;
  const [records, yearEndStates, policies, rules, overrides, usage, adjustments] = await Promise.all([
    findEmployeesByIds(db, employeeIds, asOf),
    findJobStates(db, employeeIds, yearEnd),
    store.findPolicies(db),
    store.findPolicyRules(db),
    store.findOverrides(db, employeeIds),
    store.sumUsage(db, employeeIds, asOf),
    store.sumAdjustments(db, employeeIds, asOf),
  ]);
  const usageKey = (employeeId: string, policyId: string) => `${employeeId}|${policyId}`;
  const usageBy = new Map<string, Map<number, YearUsage>>();
  const entry = (employeeId: string, policyId: string, year: number): YearUsage => {
    const key = usageKey(employeeId, policyId);
    const years = usageBy.get(key) ?? new Map<number, YearUsage>();
    usageBy.set(key, years);
    const existing = years.get(year) ?? { approved: 0, approvedToDate: 0, pending: 0, adjustments: 0 };
    years.set(year, existing);
    return existing;
  };
  for (const row of usage) {
    const target = entry(row.employeeId, row.policyId, row.year);
    target.approved += row.approved;
    target.approvedToDate += row.approvedToDate;
    target.pending += row.pending;
  }
  for (const row of adjustments) entry(row.employeeId, row.policyId, row.year).adjustments += row.amount;

  for (const record of records) {
    const endState = yearEndStates.get(record.id);
    const terminated = endState?.status ? terminalStatuses.includes(endState.status) : false;
    const window: EmploymentWindow = {
      hireDate: record.hireDate,
      terminationDate: terminated ? (endState?.terminationDate ?? null) : null,
    };
    const assigned = assignedPolicies(
      policies,
      rules,
      overrides.filter((override) => override.employeeId === record.id),
      { locationId: record.job?.locationId ?? null, employmentType: record.job?.employmentType ?? null },
    );
    result.set(
      record.id,
      assigned.map(({ policy, amountPerYear }) => ({
        employeeId: record.id,
        policy,
        negativeBalanceLimit: policy.negativeBalanceLimit,
        ...computeBalance(
          { accrualKind: policy.accrualKind, amountPerYear, carryOverCap: policy.carryOverCap },
          window,
          asOf,
          usageBy.get(usageKey(record.id, policy.id)) ?? new Map(),
        ),
      })),
    );
  }
  return result;
}
