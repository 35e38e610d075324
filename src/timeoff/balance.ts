import type { Database } from '../db/database.js';
import { findEmployeesByIds, findJobStates, terminalStatuses } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { accruedInYear, type EmploymentWindow } from './accrual.js';
import { alwaysAssigned, assignedOn, assignmentTimeline, type DatedAssignment } from './assignment.js';
import { roundDays, yearOf } from './calendar.js';
import { requireTerms, termOn, type DatedTerms } from './policy-terms.js';
import * as store from './timeoff.store.js';
import type { TimeOffPolicyRow } from './timeoff.tables.js';

// The one place a time-off balance is computed. Every screen and every check (requesting,
// approving) reads it through `loadBalances`, which costs the same few statements for one
// employee or five hundred.
//
// For an employee, a policy and a day D (in calendar year Y), under the policy's terms in force
// over each year (effective-dated: see policy-terms.ts and accrual.ts):
//   accrued     what Y grants up to D: an annual grant (all of it from the first day of Y,
//               or from the hire date), or monthly accrual (a twelfth per month, credited on the
//               first of the month); both prorated by the days employed in Y (hire, termination),
//               and by the days under each term when the terms change within Y.
//   carriedOver what was left at the end of Y-1, capped by the cap in force on 31 December of
//               Y-1 (negative balances carry in full; nothing carries out of an unlimited year).
//   adjustments HR's manual adjustments effective in Y up to D.
//   used        approved days of Y on or before D.
//   scheduled   approved days of Y after D (booked; not yet taken).
//   pending     requested days of Y awaiting a decision.
//   available   accrued + carriedOver + adjustments - used - scheduled - pending.
// So "available" already excludes approved future days and pending requests: it is what can
// still be requested. Days of a request that fall in another year count in that year.
// A policy unlimited on D has no accrual and no available amount (null).
// A term recorded from a later day than D never changes the balance as of D.
//
// Assignment is effective-dated too (assignment.ts): a policy shows as of D when its rules or
// the employee's override in force on D assign it; a year accrues only on the days it was
// assigned (an override's own amount replaces the term's amount on its days); carry-over runs
// through every year as before. A rule set or override recorded from a later day than D never
// changes the balance as of D. Rules match the employee's job as of D, on every day.

export type { EmploymentWindow } from './accrual.js';

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
  /** How far below zero `available` may go: the limit in force on `asOf`. */
  negativeBalanceLimit: number;
  /** When the policy was assigned to the employee, as known on `asOf` (requests check their days against it). */
  assignment: readonly DatedAssignment[];
}

export interface YearUsage {
  approved: number;
  approvedToDate: number;
  pending: number;
  adjustments: number;
}

/** The balance itself, from everything already loaded (terms sorted oldest first). Pure. */
export function computeBalance(
  terms: readonly DatedTerms[],
  window: EmploymentWindow,
  asOf: CalendarDate,
  usageByYear: ReadonlyMap<number, YearUsage>,
  assignment: readonly DatedAssignment[] = alwaysAssigned,
): Omit<Balance, 'employeeId' | 'policy' | 'assignment'> {
  const year = yearOf(asOf);
  const none: YearUsage = { approved: 0, approvedToDate: 0, pending: 0, adjustments: 0 };
  const current = usageByYear.get(year) ?? none;
  const inForce = termOn(terms, asOf);
  if (inForce.accrualKind === 'UNLIMITED') {
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
      negativeBalanceLimit: inForce.negativeBalanceLimit,
    };
  }
  // Walk the years since the hire year, carrying the closing balance forward under the cap in
  // force on each 31 December (a cap changed from 1 January applies to the year after).
  let carried = 0;
  for (let y = yearOf(window.hireDate); y < year; y += 1) {
    const usage = usageByYear.get(y) ?? none;
    const yearEnd = `${y}-12-31`;
    const closing = carried + accruedInYear(terms, window, yearEnd, assignment) + usage.adjustments - usage.approved;
    const { accrualKind, carryOverCap } = termOn(terms, yearEnd);
    // An unlimited year has no balance to carry, neither days nor debt.
    if (accrualKind === 'UNLIMITED') carried = 0;
    else carried = closing > 0 && carryOverCap !== null ? Math.min(closing, carryOverCap) : closing;
  }
  const accrued = accruedInYear(terms, window, asOf, assignment);
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
    negativeBalanceLimit: inForce.negativeBalanceLimit,
  };
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
  const [records, yearEndStates, policies, ruleSets, overrides, usage, adjustments] = await Promise.all([
    findEmployeesByIds(db, employeeIds, asOf),
    findJobStates(db, employeeIds, yearEnd),
    store.findPolicies(db),
    store.findRuleSets(db, asOf),
    store.findOverrides(db, employeeIds, asOf),
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
    const facts = { locationId: record.job?.locationId ?? null, employmentType: record.job?.employmentType ?? null };
    const own = overrides.get(record.id);
    const balances = policies.flatMap((policy) => {
      const timeline = assignmentTimeline(ruleSets.get(policy.id) ?? [], own?.get(policy.id) ?? [], facts, asOf);
      if (!assignedOn(timeline, asOf)) return [];
      const usageByYear = usageBy.get(usageKey(record.id, policy.id)) ?? new Map<number, YearUsage>();
      const terms = requireTerms(policy.terms, policy.id);
      return [{ employeeId: record.id, policy, assignment: timeline, ...computeBalance(terms, window, asOf, usageByYear, timeline) }];
    });
    result.set(record.id, balances);
  }
  return result;
}
