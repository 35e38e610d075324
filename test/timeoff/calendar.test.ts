import { describe, expect, it } from 'vitest';
import {
  addDays,
  eachDate,
  expandRange,
  isWeekend,
  portionProblem,
  type Holiday,
  type HolidaysByLocation,
  type RangeRequest,
} from '../../src/timeoff/calendar.js';
import { locationOn } from '../../src/employees/employee.service.js';

const berlin = 'loc-berlin';
const newYork = 'loc-new-york';

function holidaysOf(entries: Record<string, Holiday[]>): HolidaysByLocation {
  return new Map(Object.entries(entries).map(([location, days]) => [location, new Map(days.map((day) => [day.date, day]))]));
}

function range(start: string, end: string, extra: Partial<RangeRequest> = {}): RangeRequest {
  return { start, end, startPortion: 'FULL', endPortion: 'FULL', hours: null, hoursPerDay: 8, ...extra };
}

const inBerlin = [{ from: '2000-01-01', locationId: berlin }];

describe('calendar arithmetic', () => {
  it('adds days across a leap day and a year end without time-zone drift', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(eachDate('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('knows weekends', () => {
    expect(isWeekend('2026-11-28')).toBe(true); // Saturday
    expect(isWeekend('2026-11-29')).toBe(true); // Sunday
    expect(isWeekend('2026-11-30')).toBe(false); // Monday
  });

  it('reads the location in force on a day from a sparse timeline', () => {
    const timeline = [
      { from: '2020-01-01', locationId: berlin },
      { from: '2026-07-01', locationId: newYork },
    ];
    expect(locationOn(timeline, '2019-12-31')).toBeNull();
    expect(locationOn(timeline, '2026-06-30')).toBe(berlin);
    expect(locationOn(timeline, '2026-07-01')).toBe(newYork);
  });
});

describe('expandRange', () => {
  it('counts working days only: a full week is 5 days', () => {
    const days = expandRange(range('2026-11-23', '2026-11-29'), inBerlin, new Map());
    expect(days.map((day) => day.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(days.every((day) => day.portion === 'FULL' && day.amount === 1)).toBe(true);
  });

  it('includes a leap day (Tuesday 29 February 2028)', () => {
    const days = expandRange(range('2028-02-28', '2028-03-01'), inBerlin, new Map());
    expect(days.map((day) => day.date)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('crosses a year end, leaving out the holidays of the location', () => {
    const holidays = holidaysOf({
      [berlin]: [
        { date: '2026-12-25', name: 'Christmas Day', halfDay: false },
        { date: '2026-12-31', name: "New Year's Eve", halfDay: true },
        { date: '2027-01-01', name: "New Year's Day", halfDay: false },
      ],
    });
    const days = expandRange(range('2026-12-24', '2027-01-05'), inBerlin, holidays);
    expect(days.map((day) => [day.date, day.amount])).toEqual([
      ['2026-12-24', 1],
      ['2026-12-28', 1],
      ['2026-12-29', 1],
      ['2026-12-30', 1],
      ['2026-12-31', 0.5],
      ['2027-01-04', 1],
      ['2027-01-05', 1],
    ]);
  });

  it('a holiday on a weekend takes nothing away twice', () => {
    // 2027-12-25 is a Saturday.
    const holidays = holidaysOf({ [berlin]: [{ date: '2027-12-25', name: 'Christmas Day', halfDay: false }] });
    const days = expandRange(range('2027-12-20', '2027-12-26'), inBerlin, holidays);
    expect(days).toHaveLength(5);
  });

  it("uses the holidays of the location the employee works at on each day", () => {
    const holidays = holidaysOf({
      [berlin]: [{ date: '2026-10-05', name: 'Berlin only', halfDay: false }],
      [newYork]: [{ date: '2026-10-12', name: 'Columbus Day', halfDay: false }],
    });
    const timeline = [
      { from: '2020-01-01', locationId: berlin },
      { from: '2026-10-08', locationId: newYork },
    ];
    const days = expandRange(range('2026-10-05', '2026-10-12'), timeline, holidays);
    expect(days.map((day) => day.date)).toEqual(['2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09']);
  });

  it('half days at both ends', () => {
    const days = expandRange(range('2026-11-23', '2026-11-25', { startPortion: 'AFTERNOON', endPortion: 'MORNING' }), inBerlin, new Map());
    expect(days).toEqual([
      { date: '2026-11-23', portion: 'AFTERNOON', hours: null, amount: 0.5 },
      { date: '2026-11-24', portion: 'FULL', hours: null, amount: 1 },
      { date: '2026-11-25', portion: 'MORNING', hours: null, amount: 0.5 },
    ]);
  });

  it('a single morning, a single afternoon, and hours', () => {
    expect(expandRange(range('2026-11-24', '2026-11-24', { startPortion: 'MORNING' }), inBerlin, new Map())).toEqual([
      { date: '2026-11-24', portion: 'MORNING', hours: null, amount: 0.5 },
    ]);
    expect(expandRange(range('2026-11-24', '2026-11-24', { endPortion: 'AFTERNOON' }), inBerlin, new Map())).toEqual([
      { date: '2026-11-24', portion: 'AFTERNOON', hours: null, amount: 0.5 },
    ]);
    expect(expandRange(range('2026-11-24', '2026-11-24', { hours: 2 }), inBerlin, new Map())).toEqual([
      { date: '2026-11-24', portion: 'HOURS', hours: 2, amount: 0.25 },
    ]);
  });

  it('an afternoon on a half-day holiday takes nothing; a full day takes the morning', () => {
    const holidays = holidaysOf({ [berlin]: [{ date: '2026-12-24', name: 'Christmas Eve', halfDay: true }] });
    expect(expandRange(range('2026-12-24', '2026-12-24', { startPortion: 'AFTERNOON' }), inBerlin, holidays)).toEqual([]);
    expect(expandRange(range('2026-12-24', '2026-12-24'), inBerlin, holidays)).toEqual([
      { date: '2026-12-24', portion: 'MORNING', hours: null, amount: 0.5 },
    ]);
  });

  it('only weekends: nothing', () => {
    expect(expandRange(range('2026-11-28', '2026-11-29'), inBerlin, new Map())).toEqual([]);
  });
});

describe('portionProblem', () => {
  it('refuses portions that make no sense', () => {
    expect(portionProblem(range('2026-11-23', '2026-11-25', { startPortion: 'MORNING' }))?.field).toBe('startPortion');
    expect(portionProblem(range('2026-11-23', '2026-11-25', { endPortion: 'AFTERNOON' }))?.field).toBe('endPortion');
    expect(portionProblem(range('2026-11-23', '2026-11-25', { hours: 3 }))?.field).toBe('hours');
    expect(portionProblem(range('2026-11-23', '2026-11-23', { hours: 9 }))?.field).toBe('hours');
    expect(portionProblem(range('2026-11-23', '2026-11-23', { startPortion: 'MORNING', endPortion: 'AFTERNOON' }))?.field).toBe('endPortion');
    expect(portionProblem(range('2026-11-23', '2026-11-25', { startPortion: 'AFTERNOON', endPortion: 'MORNING' }))).toBeNull();
  });
});
