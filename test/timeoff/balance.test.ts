import { describe, expect, it } from 'vitest';
import { accruedInYear } from '../../src/timeoff/accrual.js';
import { computeBalance, type YearUsage } from '../../src/timeoff/balance.js';
import { sinceAlways, type DatedTerms, type PolicyTerms } from '../../src/timeoff/policy-terms.js';

/** One term for all history: the policy never changed. */
const always = (terms: Omit<PolicyTerms, 'negativeBalanceLimit'>): DatedTerms[] => [{ effectiveFrom: sinceAlways, negativeBalanceLimit: 0, ...terms }];
const annualTerms = { accrualKind: 'ANNUAL_GRANT' as const, amountPerYear: 25, carryOverCap: 5 };
const annual = always(annualTerms);
const monthly = always({ accrualKind: 'MONTHLY', amountPerYear: 24, carryOverCap: null });
const longServing = { hireDate: '2015-01-01', terminationDate: null };

function usage(entries: Record<number, Partial<YearUsage>>): Map<number, YearUsage> {
  return new Map(
    Object.entries(entries).map(([year, value]) => [
      Number(year),
      { approved: 0, approvedToDate: 0, pending: 0, adjustments: 0, ...value },
    ]),
  );
}

describe('accrual', () => {
  it('grants the whole year from 1 January for someone employed all year', () => {
    expect(accruedInYear(annual, longServing, '2026-01-01')).toBe(25);
  });

  it('prorates an annual grant by the days employed (hire in the year, leap year)', () => {
    // Hired 1 July 2028: 184 of 366 days.
    expect(accruedInYear(annual, { hireDate: '2028-07-01', terminationDate: null }, '2028-08-01')).toBe(12.57);
    // Nothing before the hire date.
    expect(accruedInYear(annual, { hireDate: '2028-07-01', terminationDate: null }, '2028-06-30')).toBe(0);
  });

  it('prorates for a termination within the year (last day employed is the day before)', () => {
    // Terminated from 1 April 2026: employed 90 of 365 days.
    expect(accruedInYear(annual, { hireDate: '2015-01-01', terminationDate: '2026-04-01' }, '2026-02-01')).toBe(6.16);
  });

  it('accrues monthly, a twelfth on the first of each month, prorated in the hire month', () => {
    expect(accruedInYear(monthly, longServing, '2026-01-01')).toBe(2);
    expect(accruedInYear(monthly, longServing, '2026-03-31')).toBe(6);
    expect(accruedInYear(monthly, longServing, '2026-12-31')).toBe(24);
    // Hired 16 February 2028 (leap year): 14 of 29 days of February, then March.
    expect(accruedInYear(monthly, { hireDate: '2028-02-16', terminationDate: null }, '2028-03-01')).toBe(2.97);
  });
});

describe('computeBalance', () => {
  it('available excludes used, scheduled (approved future) and pending days', () => {
    const balance = computeBalance(annual, longServing, '2026-06-15', usage({ 2026: { approved: 8, approvedToDate: 3, pending: 2, adjustments: 1 } }));
    expect(balance).toMatchObject({ accrued: 25, carriedOver: 5, adjustments: 1, used: 3, scheduled: 5, pending: 2, available: 21 });
  });

  it('carries over across a year end, capped', () => {
    // 2025: 25 granted, 10 taken: 15 left, capped at 5.
    const balance = computeBalance(annual, { hireDate: '2025-01-01', terminationDate: null }, '2026-01-02', usage({ 2025: { approved: 10 } }));
    expect(balance.carriedOver).toBe(5);
    expect(balance.available).toBe(30);
  });

  it('carries a negative balance in full', () => {
    const balance = computeBalance(annual, { hireDate: '2025-01-01', terminationDate: null }, '2026-03-01', usage({ 2025: { approved: 27 } }));
    expect(balance.carriedOver).toBe(-2);
    expect(balance.available).toBe(23);
  });

  it('without a cap, carries everything; through several years', () => {
    const uncapped = always({ ...annualTerms, carryOverCap: null });
    const balance = computeBalance(uncapped, { hireDate: '2024-01-01', terminationDate: null }, '2026-05-01', usage({ 2024: { approved: 20 }, 2025: { approved: 25 } }));
    expect(balance.carriedOver).toBe(5);
  });

  it('unlimited policies have no available amount', () => {
    const balance = computeBalance(always({ accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: null }), longServing, '2026-06-01', usage({ 2026: { approved: 4, approvedToDate: 4 } }));
    expect(balance).toMatchObject({ unlimited: true, used: 4, available: null });
  });
});

describe('accrual under terms that change within the year', () => {
  const from = (effectiveFrom: string, terms: Omit<PolicyTerms, 'negativeBalanceLimit' | 'carryOverCap'>): DatedTerms => ({
    effectiveFrom,
    carryOverCap: null,
    negativeBalanceLimit: 0,
    ...terms,
  });

  it('annual to monthly from the 15th: July stays annual (the month opened under it), monthly from 1 August', () => {
    const terms = [from(sinceAlways, { accrualKind: 'ANNUAL_GRANT', amountPerYear: 24 }), from('2026-07-15', { accrualKind: 'MONTHLY', amountPerYear: 36 })];
    // 24 × 212/365 (1 January to 31 July) = 13.94, then 3 a month.
    expect(accruedInYear(terms, longServing, '2026-07-20')).toBe(13.94);
    expect(accruedInYear(terms, longServing, '2026-08-01')).toBe(16.94);
    expect(accruedInYear(terms, longServing, '2026-12-31')).toBe(28.94);
  });

  it('monthly to annual from the 15th: July stays monthly, the annual share from 1 August', () => {
    const terms = [from(sinceAlways, { accrualKind: 'MONTHLY', amountPerYear: 24 }), from('2026-07-15', { accrualKind: 'ANNUAL_GRANT', amountPerYear: 36 })];
    // 7 × 2, then 36 × 153/365 = 15.09.
    expect(accruedInYear(terms, longServing, '2026-12-31')).toBe(29.09);
  });

  it('a term from after the day asked for is not counted yet', () => {
    const terms = [from(sinceAlways, { accrualKind: 'ANNUAL_GRANT', amountPerYear: 24 }), from('2026-07-01', { accrualKind: 'UNLIMITED', amountPerYear: 0 })];
    expect(accruedInYear(terms, longServing, '2026-06-30')).toBe(24);
    // Unlimited from July: only the first half's share was ever granted.
    expect(accruedInYear(terms, longServing, '2026-12-31')).toBe(11.9);
  });
});
