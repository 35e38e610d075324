import type { CalendarDate } from '../../shared/dates.js';
import type { TimeOffPolicyOverrideRecord, TimeOffPolicyOverrideRow } from './model.js';

// What HR sees of an employee's dated overrides: each assignment or exclusion with the day the
// next row of that employee and policy ends it. A row handing back to the rules (assigned null)
// is not an override to show: it only ends the one before it (its `until`).

/** Rows sorted by employee and policy, each pair oldest first (as the admin store returns them). */
export function overridePeriods(rows: readonly TimeOffPolicyOverrideRecord[]): TimeOffPolicyOverrideRow[] {
  return rows.flatMap((row, index) => {
    if (row.assigned === null) return [];
    const next = rows[index + 1];
    const until = next && next.employeeId === row.employeeId && next.policyId === row.policyId ? next.effectiveFrom : null;
    return [{ ...row, assigned: row.assigned, until }];
  });
}

/** Those in force on `today` or scheduled to start after it. */
export function currentAndScheduled(periods: readonly TimeOffPolicyOverrideRow[], today: CalendarDate): TimeOffPolicyOverrideRow[] {
  return periods.filter((period) => period.until === null || period.until > today);
}
