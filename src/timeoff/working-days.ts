import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { addDays, workingFraction, type Holiday } from './calendar.js';
import { findHolidays } from './timeoff.store.js';

// Counting working days from a day, at one location: what due dates "3 working days after the
// start date" mean. The same working days as time off (calendar.ts): Monday to Friday minus the
// location's holidays; a half-day holiday still has a working morning, so it counts.

/**
 * The day `offset` working days from `anchor` at `locationId` (null: no holidays, weekends only),
 * for each offset: 0 is the anchor itself (whatever day it is), 1 the first working day after it,
 * -1 the last working day before it. One statement per call, whatever the offsets.
 */
export async function workingDaysFrom(
  db: Database,
  locationId: string | null,
  anchor: CalendarDate,
  offsets: readonly number[],
): Promise<Map<number, CalendarDate>> {
  const furthest = Math.max(0, ...offsets.map((offset) => Math.abs(offset)));
  // Two calendar days per working day covers weekends and a generous share of holidays; the walk
  // below reads more when a calendar has more than that.
  let span = furthest * 2 + 31;
  for (;;) {
    const from = addDays(anchor, -span);
    const to = addDays(anchor, span);
    const holidays = locationId ? await findHolidays(db, [locationId], from, to) : [];
    const byDate = new Map<CalendarDate, Holiday>(holidays.map((holiday) => [holiday.date, holiday]));
    const result = walk(anchor, offsets, byDate, span);
    if (result) return result;
    span *= 2;
  }
}

/** The days of each offset within `span` calendar days of the anchor, or null when one lies beyond. */
function walk(anchor: CalendarDate, offsets: readonly number[], holidays: ReadonlyMap<CalendarDate, Holiday>, span: number): Map<number, CalendarDate> | null {
  const result = new Map<number, CalendarDate>();
  for (const offset of new Set(offsets)) {
    const step = offset < 0 ? -1 : 1;
    let day = anchor;
    let counted = 0;
    let travelled = 0;
    while (counted < Math.abs(offset)) {
      day = addDays(day, step);
      travelled += 1;
      if (travelled > span) return null;
      if (workingFraction(day, holidays.get(day)) > 0) counted += 1;
    }
    result.set(offset, day);
  }
  return result;
}
