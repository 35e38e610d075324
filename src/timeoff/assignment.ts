import type { EmploymentTypeValue } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { inForceOn, sinceAlways } from './policy-terms.js';

// Effective-dated assignment of a policy to an employee. A policy's rules come in sets, each in
// force from its `effectiveFrom` until the next set; an employee's override of the policy holds
// from its `effectiveFrom` until their next one (an override with `assigned` null hands back to
// the rules). Pure: balance.ts loads the rows once for every employee and asks here.
//
// Like terms (accrual.ts), assignment is taken as known on a day: a set or override recorded
// from a later day is ignored, so recording one never alters a balance as of an earlier day.

export interface AssignmentFacts {
  locationId: string | null;
  employmentType: EmploymentTypeValue | null;
}

export interface Rule {
  locationId: string | null;
  employmentType: EmploymentTypeValue | null;
}

/** A set of rules in force from `effectiveFrom`; no rules: the policy applies to nobody then. */
export interface RuleSet {
  effectiveFrom: CalendarDate;
  rules: readonly Rule[];
}

export interface DatedOverride {
  effectiveFrom: CalendarDate;
  /** true: assigned, false: excluded, null: back to the rules. */
  assigned: boolean | null;
  amountPerYear: number | null;
}

/** Whether the policy is assigned from `effectiveFrom` on, and with which own yearly amount (null: the terms'). */
export interface DatedAssignment {
  effectiveFrom: CalendarDate;
  assigned: boolean;
  ownAmount: number | null;
}

/** Every day assigned, at the terms' amount: what callers that know nothing of assignment mean. */
export const alwaysAssigned: readonly DatedAssignment[] = [{ effectiveFrom: sinceAlways, assigned: true, ownAmount: null }];

export function matches(rules: readonly Rule[], facts: AssignmentFacts): boolean {
  return rules.some(
    (rule) =>
      (rule.locationId === null || rule.locationId === facts.locationId) &&
      (rule.employmentType === null || rule.employmentType === facts.employmentType),
  );
}

/**
 * The assignment of one policy to one employee over time, as known on `knownOn` (both lists
 * sorted oldest first). The job facts are the employee's on the day asked about (balance.ts),
 * applied to every day: what changes over time here is the policy's rules and overrides.
 */
export function assignmentTimeline(
  ruleSets: readonly RuleSet[],
  overrides: readonly DatedOverride[],
  facts: AssignmentFacts,
  knownOn: CalendarDate,
): DatedAssignment[] {
  const known = <T extends { effectiveFrom: CalendarDate }>(entries: readonly T[]) => entries.filter((entry) => entry.effectiveFrom <= knownOn);
  const sets = known(ruleSets);
  const own = known(overrides);
  const starts = [...new Set([sinceAlways, ...sets.map((set) => set.effectiveFrom), ...own.map((o) => o.effectiveFrom)])].sort();
  const timeline: DatedAssignment[] = [];
  for (const start of starts) {
    const override = inForceOn(own, start);
    const next: DatedAssignment =
      override && override.assigned !== null
        ? { effectiveFrom: start, assigned: override.assigned, ownAmount: override.assigned ? override.amountPerYear : null }
        : { effectiveFrom: start, assigned: matches(inForceOn(sets, start)?.rules ?? [], facts), ownAmount: null };
    const previous = timeline.at(-1);
    // Keep only real changes, so accrual splits a year no more than it must.
    if (!previous || previous.assigned !== next.assigned || previous.ownAmount !== next.ownAmount) timeline.push(next);
  }
  return timeline;
}

export function assignedOn(timeline: readonly DatedAssignment[], date: CalendarDate): DatedAssignment | null {
  const entry = inForceOn(timeline, date);
  return entry?.assigned ? entry : null;
}
