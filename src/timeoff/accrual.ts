import { getDaysInMonth } from 'date-fns/getDaysInMonth';
import { getDaysInYear } from 'date-fns/getDaysInYear';
import { UTCDate } from '@date-fns/utc';
import type { CalendarDate } from '../shared/dates.js';
import { addDays, daysBetween, yearOf } from './calendar.js';
import { alwaysAssigned, type DatedAssignment } from './assignment.js';
import { inForceOn, termOn, type DatedTerms } from './policy-terms.js';

// What a year accrues under effective-dated terms (see balance.ts for the balance around it).
//
// Each day of the year is governed by one term, so a change mid-year prorates and nothing is
// counted twice:
//   - a month whose 1st falls under a MONTHLY term accrues a twelfth of that term's amount,
//     credited on the 1st (a monthly change takes effect on the next 1st);
//   - otherwise each day accrues amount/days-in-year of the ANNUAL_GRANT term in force that
//     day, credited up front (a term turning MONTHLY mid-month starts on the next 1st, the days
//     before it keep the month's opening term); UNLIMITED days accrue nothing.
// Both are prorated by the days employed (hire, termination) and by the days the policy is
// assigned to the employee (assignment.ts), like employment days: a day not assigned accrues
// nothing. While an override gives the employee their own yearly amount, it replaces the amount
// of the term in force, day by day (also within a monthly month, as a hire mid-month does).
//
// Terms and assignment are taken as known on `asOf`: a change starting after `asOf` is ignored
// (for an annual grant, what is in force on `asOf` is assumed to hold to the year's end). So recording a change
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

/** The segments of [from, to] split where an assignment change starts, each with its assignment. */
function assignedSegments(assignment: readonly DatedAssignment[], from: CalendarDate, to: CalendarDate) {
  const starts = [from, ...assignment.filter((entry) => entry.effectiveFrom > from && entry.effectiveFrom <= to).map((entry) => entry.effectiveFrom)];
  return starts.map((start, index) => {
    const next = starts[index + 1];
    return { start, end: next ? addDays(next, -1) : to, assignment: inForceOn(assignment, start) };
  });
}

/** The yearly amount of a term for an assigned stretch: the employee's own, if an override gives one. */
const amountOf = (term: DatedTerms, assignment: DatedAssignment) => assignment.ownAmount ?? term.amountPerYear;

/**
 * Accrued in the year of `asOf`, up to `asOf`, under `terms` (sorted oldest first), on the days
 * `assignment` (sorted oldest first) assigns the policy.
 */
export function accruedInYear(
  terms: readonly DatedTerms[],
  window: EmploymentWindow,
  asOf: CalendarDate,
  assignment: readonly DatedAssignment[] = alwaysAssigned,
): number {
  if (asOf < window.hireDate) return 0;
  const known = terms.filter((term) => term.effectiveFrom <= asOf);
  const inForce = known.length > 0 ? known : terms.slice(0, 1);
  const assigned = assignment.filter((entry) => entry.effectiveFrom <= asOf);
  const year = yearOf(asOf);
  const daysInYear = getDaysInYear(new UTCDate(`${year}-01-01`));
  let total = 0;
  for (let month = 1; month <= 12; month += 1) {
    const first = `${year}-${pad(month)}-01`;
    const length = getDaysInMonth(new UTCDate(first));
    const last = `${year}-${pad(month)}-${pad(length)}`;
    const opening = termOn(inForce, first);
    if (opening.accrualKind === 'MONTHLY') {
      if (first > asOf) continue;
      for (const segment of assignedSegments(assigned, first, last)) {
        if (!segment.assignment?.assigned) continue;
        total += (amountOf(opening, segment.assignment) / 12) * (employedDays(window, segment.start, segment.end) / length);
      }
      continue;
    }
    // Day-based within the month: split it where a term or an assignment starts.
    const splits = [
      ...inForce.filter((term) => term.effectiveFrom > first && term.effectiveFrom <= last).map((term) => term.effectiveFrom),
      ...assigned.filter((entry) => entry.effectiveFrom > first && entry.effectiveFrom <= last).map((entry) => entry.effectiveFrom),
    ];
    const starts = [first, ...[...new Set(splits)].sort()];
    starts.forEach((start, index) => {
      const next = starts[index + 1];
      const end = next ? addDays(next, -1) : last;
      const term = termOn(inForce, start);
      const governing = term.accrualKind === 'MONTHLY' ? opening : term;
      const on = inForceOn(assigned, start);
      if (!on?.assigned || governing.accrualKind !== 'ANNUAL_GRANT') return;
      total += (amountOf(governing, on) * employedDays(window, start, end)) / daysInYear;
    });
  }
  return round2(total);
}
