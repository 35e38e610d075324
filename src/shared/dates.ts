import { UTCDate } from '@date-fns/utc';
import { addMonths as addMonthsToDate } from 'date-fns/addMonths';
import { addYears as addYearsToDate } from 'date-fns/addYears';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';

/**
 * Calendar dates are ISO strings (`YYYY-MM-DD`) end to end, never JS Dates: a Date is an
 * instant, and turning one into a day depends on a time zone, which is how HR dates drift.
 */
export type CalendarDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  // parseISO rolls 2026-02-30 over to March; a real date formats back to itself.
  const parsed = parseISO(value);
  return isValid(parsed) && format(parsed, 'yyyy-MM-dd') === value;
}

/**
 * One YYYY-MM-DD formatter per time zone, built on first use: constructing an Intl.DateTimeFormat
 * costs far more than formatting with one (9% of a small request in issue 14's profile). Only
 * valid zones are kept, and at most `maxDayFormatters` (zone names are case-insensitive, so a
 * caller could otherwise grow the map with spellings of one zone).
 */
const maxDayFormatters = 1000;
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD. Throws (RangeError) on an invalid zone, which is then not kept.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dayFormatters.size >= maxDayFormatters) dayFormatters.clear();
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    dayFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date it is now in `timeZone`. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  return dayFormatter(timeZone).format(instant);
}

export function addYears(date: CalendarDate, years: number): CalendarDate {
  // UTCDate keeps the arithmetic off the process's local time zone.
  return format(addYearsToDate(new UTCDate(date), years), 'yyyy-MM-dd');
}

/** `date` plus `days` calendar days (negative: earlier). */
const msPerDay = 86_400_000;

/**
 * `date` plus `days`, by arithmetic on UTC midnight (a date-only ISO string parses as UTC, and
 * UTC days are all 86,400,000 ms): the same answer as date-fns, without building two date
 * objects and a formatter per call, which hot loops (a range check per employee) paid for.
 */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(date) + days * msPerDay).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (negative when `to` is earlier), by the same arithmetic. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / msPerDay);
}

/** `date` plus `months` calendar months, clamped to the month's end (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  return format(addMonthsToDate(new UTCDate(date), months), 'yyyy-MM-dd');
}

export interface Clock {
  now(): Date;
  /** Today in the organisation's business time zone: the day effective-dated changes are read for. */
  today(): CalendarDate;
}

export function systemClock(timeZone: string): Clock {
  return {
    now: () => new Date(),
    today: () => calendarDateIn(new Date(), timeZone),
  };
}
