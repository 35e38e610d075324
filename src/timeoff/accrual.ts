import { getDaysInMonth, getDaysInYear } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import type { CalendarDate } from '../shared/dates.js';
import { addDays, daysBetween, yearOf } from './calendar.js';
import { termOn, type DatedTerms } from './policy-terms.js';

// What a year accrues under effective-dated terms (see balance.ts for the balance around it).
//
// Each day of the year is governed by one term, so a change mid-year prorates and nothing is
// counted twice:
//   - a month whose 1st falls under a MONTHLY term accrues a twelfth of that term's amount,
//     credited on the 1st (a monthly change takes effect on the next 1st);
//   - otherwise each day accrues amount/days-in-year of the ANNUAL_GRANT term in force that
//     day, credited up front (a term turning MONTHLY mid-month starts on the next 1st, the days
//     before it keep the month's opening term); UNLIMITED days accrue nothing.
// Both are prorated by the days employed (hire, termination).
//
// Terms are taken as known on `asOf`: a term starting after `asOf` is ignored (for an annual
// grant, the term in force on `asOf` is assumed to hold to the year's end). So recording a change
// from a later day never alters a balance as of an earlier one.

export interface EmploymentWindow {
  hireDate: CalendarDate;
  /** The day a termination takes effect (the first day not employed), or null. */
  terminationDate: CalendarDate | null;
}

/** Days employed in [from, to] (both in one year). */
function employedDays(window: EmploymentWindow, from: CalendarDate, to: CalendarDate): number {
  const start = window.hireDate > from ? window.hireDate : from;
  const lastEmployed = window.terminationDate ? addDays(window.terminationDate, -1) : to;
  const end = lastEmployed < to ? lastEmployed : to;
  return start > end ? 0 : daysBetween(start, end) + 1;
}

const pad = (value: number) => String(value).padStart(2, '0');

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Accrued in the year of `asOf`, up to `asOf`, under `terms` (sorted oldest first). */
export function accruedInYear(terms: readonly DatedTerms[], window: EmploymentWindow, asOf: CalendarDate): number {
  if (asOf < window.hireDate) return 0;
  const known = terms.filter((term) => term.effectiveFrom <= asOf);
  const inForce = known.length > 0 ? known : terms.slice(0, 1);
  const year = yearOf(asOf);
  const daysInYear = getDaysInYear(new UTCDate(`${year}-01-01`));
  let total = 0;
  for (let month = 1; month <= 12; month += 1) {
    const first = `${year}-${pad(month)}-01`;
    const length = getDaysInMonth(new UTCDate(first));
    const last = `${year}-${pad(month)}-${pad(length)}`;
    const opening = termOn(inForce, first);
    if (opening.accrualKind === 'MONTHLY') {
      if (first <= asOf) total += (opening.amountPerYear / 12) * (employedDays(window, first, last) / length);
      continue;
    }
    // Day-based within the month: split it where a term starts.
    const starts = [first, ...inForce.filter((term) => term.effectiveFrom > first && term.effectiveFrom <= last).map((term) => term.effectiveFrom)];
    starts.forEach((start, index) => {
      const next = starts[index + 1];
      const end = next ? addDays(next, -1) : last;
      const term = termOn(inForce, start);
      const governing = term.accrualKind === 'MONTHLY' ? opening : term;
      if (governing.accrualKind === 'ANNUAL_GRANT') total += (governing.amountPerYear * employedDays(window, start, end)) / daysInYear;
    });
  }
  return round2(total);
}
