import { UTCDate } from '@date-fns/utc';
import { getDay } from 'date-fns/getDay';
import { locationOn, type LocationSpan } from '../employees/employee.service.js';
import { addDays, daysBetween, type CalendarDate } from '../shared/dates.js';
import type { TimeOffPortionValue } from './timeoff.tables.js';

// Working-day arithmetic for time off, in one place. Dates are `YYYY-MM-DD` calendar dates of the
// employee's location; UTCDate keeps the process's time zone out, so nothing shifts by a day.

export const defaultHoursPerDay = 8;

// Plain arithmetic on UTC days (see src/shared/dates.ts): these run per employee and per day.
export { addDays, daysBetween };

export function isWeekend(date: CalendarDate): boolean {
  const day = getDay(new UTCDate(date));
  return day === 0 || day === 6;
}

/** Every calendar date from `start` to `end`, both included. */
export function eachDate(start: CalendarDate, end: CalendarDate): CalendarDate[] {
  const dates: CalendarDate[] = [];
  for (let date = start; date <= end; date = addDays(date, 1)) dates.push(date);
  return dates;
}

export function yearOf(date: CalendarDate): number {
  return Number(date.slice(0, 4));
}

export interface Holiday {
  date: CalendarDate;
  name: string;
  /** The afternoon is off, the morning worked. */
  halfDay: boolean;
}

/** Holidays by location id, then by date. */
export type HolidaysByLocation = ReadonlyMap<string, ReadonlyMap<CalendarDate, Holiday>>;

/**
 * How much of a working day is worked on `date` at a location: 1 on a working day, 0.5 on a
 * half-day holiday (the morning), 0 on weekends and full holidays.
 */
export function workingFraction(date: CalendarDate, holiday: Holiday | undefined): number {
  if (isWeekend(date)) return 0;
  if (!holiday) return 1;
  return holiday.halfDay ? 0.5 : 0;
}

export interface RangeRequest {
  start: CalendarDate;
  end: CalendarDate;
  /** The first day: FULL, or AFTERNOON (starts at midday). For a one-day request also MORNING. */
  startPortion: TimeOffPortionValue;
  /** The last day: FULL, or MORNING (back at midday). Ignored for a one-day request. */
  endPortion: TimeOffPortionValue;
  /** Only for one-day requests: hours off that day (portion HOURS). */
  hours: number | null;
  hoursPerDay: number;
}

export interface RequestedDay {
  date: CalendarDate;
  portion: TimeOffPortionValue;
  hours: number | null;
  /** In days: 1, 0.5, or hours / hours per day. */
  amount: number;
}

/** Rounds an amount of days to 3 decimals (the stored precision), so sums add up exactly. */
export function roundDays(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * The days a range takes off, working days only: weekends and the holidays of the location the
 * employee works at on each day are left out; a half-day holiday leaves the morning to take.
 * Days that take nothing are not returned. Assumes `start <= end` and valid portions
 * (see `portionProblem`).
 */
export function expandRange(
  request: RangeRequest,
  timeline: readonly LocationSpan[],
  holidays: HolidaysByLocation,
): RequestedDay[] {
  const days: RequestedDay[] = [];
  const single = request.start === request.end;
  for (const date of eachDate(request.start, request.end)) {
    const location = locationOn(timeline, date);
    const holiday = location ? holidays.get(location)?.get(date) : undefined;
    const working = workingFraction(date, holiday);
    if (working === 0) continue;
    let portion: TimeOffPortionValue = 'FULL';
    if (single) portion = request.hours !== null ? 'HOURS' : singleDayPortion(request.startPortion, request.endPortion);
    else if (date === request.start) portion = request.startPortion;
    else if (date === request.end) portion = request.endPortion;
    const day = takeOn(date, portion, working, request);
    if (day) days.push(day);
  }
  return days;
}

function takeOn(date: CalendarDate, portion: TimeOffPortionValue, working: number, request: RangeRequest): RequestedDay | null {
  switch (portion) {
    case 'FULL':
      // On a half-day holiday, a full day off is the morning.
      return working === 1 ? { date, portion, hours: null, amount: 1 } : { date, portion: 'MORNING', hours: null, amount: 0.5 };
    case 'MORNING':
      return { date, portion, hours: null, amount: 0.5 };
    case 'AFTERNOON':
      // The afternoon of a half-day holiday is already off.
      return working === 1 ? { date, portion, hours: null, amount: 0.5 } : null;
    case 'HOURS': {
      const hours = Math.min(request.hours ?? 0, request.hoursPerDay * working);
      return hours > 0 ? { date, portion, hours, amount: roundDays(hours / request.hoursPerDay) } : null;
    }
  }
}

/** Why the portions of a request make no sense, or null. */
export function portionProblem(request: RangeRequest): { field: 'startPortion' | 'endPortion' | 'hours'; message: string } | null {
  const single = request.start === request.end;
  if (request.hours !== null) {
    if (!single) return { field: 'hours', message: 'Hours may be requested for a single day only.' };
    if (!(request.hours > 0) || request.hours > request.hoursPerDay) {
      return { field: 'hours', message: `Hours must be more than 0 and at most ${request.hoursPerDay}.` };
    }
    return null;
  }
  if (request.startPortion === 'HOURS') return { field: 'startPortion', message: 'Give `hours` to request hours.' };
  if (request.endPortion === 'HOURS') return { field: 'endPortion', message: 'Give `hours` to request hours.' };
  if (single) {
    if (request.endPortion !== 'FULL' && request.endPortion !== request.startPortion && request.startPortion !== 'FULL') {
      return { field: 'endPortion', message: 'A one-day request is a full day, a morning or an afternoon.' };
    }
    return null;
  }
  if (request.startPortion === 'MORNING') {
    return { field: 'startPortion', message: 'A request longer than a day starts with a full day or an afternoon.' };
  }
  if (request.endPortion === 'AFTERNOON') {
    return { field: 'endPortion', message: 'A request longer than a day ends with a full day or a morning.' };
  }
  return null;
}

/** For a one-day request, the portion asked for, whichever of the two fields gave it. */
export function singleDayPortion(startPortion: TimeOffPortionValue, endPortion: TimeOffPortionValue): TimeOffPortionValue {
  return startPortion !== 'FULL' ? startPortion : endPortion;
}

/** Whether two day rows of the same date collide (a morning and an afternoon do not). */
export function portionsOverlap(a: TimeOffPortionValue, b: TimeOffPortionValue): boolean {
  if ((a === 'MORNING' && b === 'AFTERNOON') || (a === 'AFTERNOON' && b === 'MORNING')) return false;
  return true;
}
