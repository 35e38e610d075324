import type { CalendarDate } from '../shared/dates.js';
import type { TimeOffPolicyTermRow } from './timeoff.tables.js';

// Effective-dated policy terms: accrual kind, yearly amount, carry-over cap and negative-balance
// limit hold from a term's `effectiveFrom` until the next term. Keeping them dated (instead of
// one value on the policy) is what lets HR raise an amount without rewriting past balances.

/** The fields that are effective-dated. Everything else on a policy applies at once. */
export interface PolicyTerms {
  accrualKind: TimeOffPolicyTermRow['accrualKind'];
  amountPerYear: number;
  carryOverCap: number | null;
  negativeBalanceLimit: number;
}

/** A term as balance.ts needs it: when it starts, and its values. */
export type DatedTerms = PolicyTerms & { effectiveFrom: CalendarDate };

export const termFieldNames = ['accrualKind', 'amountPerYear', 'carryOverCap', 'negativeBalanceLimit'] as const satisfies readonly (keyof PolicyTerms)[];

/** The first term of every policy starts here: early enough that every day of history has terms. */
export const sinceAlways: CalendarDate = '1900-01-01';

/** The latest entry starting on or before `date`, from entries sorted oldest first. */
export function inForceOn<T extends { effectiveFrom: CalendarDate }>(entries: readonly T[], date: CalendarDate): T | undefined {
  let current: T | undefined;
  for (const entry of entries) {
    if (entry.effectiveFrom > date) break;
    current = entry;
  }
  return current;
}

/**
 * Every policy has a term from `sinceAlways` (creation and migration 0005 guarantee it), so none
 * is a broken invariant, e.g. a policy inserted straight into the table without its first term:
 * fail loudly, naming the policy, rather than compute a balance from nothing.
 */
export function requireTerms<T>(terms: readonly T[], policyId: string): readonly T[] {
  if (terms.length === 0) {
    throw new Error(`time-off policy ${policyId} has no terms: insert its first term into time_off_policy_terms (see timeoff.store insertPolicy)`);
  }
  return terms;
}

/** The term in force on `date`, from terms sorted oldest first (the first one before it). */
export function termOn<T extends DatedTerms>(terms: readonly T[], date: CalendarDate, policyId = '?'): T {
  const found = inForceOn(terms, date) ?? requireTerms(terms, policyId)[0];
  if (!found) throw new Error(`time-off policy ${policyId} has no terms`);
  return found;
}

export function termsOf(term: PolicyTerms): PolicyTerms {
  return {
    accrualKind: term.accrualKind,
    amountPerYear: term.amountPerYear,
    carryOverCap: term.carryOverCap,
    negativeBalanceLimit: term.negativeBalanceLimit,
  };
}

export function sameTerms(a: PolicyTerms, b: PolicyTerms): boolean {
  return termFieldNames.every((field) => a[field] === b[field]);
}
