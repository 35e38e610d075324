import { UTCDate } from '@date-fns/utc';
import { addDays, getDay, format } from 'date-fns';
import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/database.js';
import type { CalendarDate } from '../src/shared/dates.js';
import { SeededRandom } from '../src/shared/random.js';
import { sinceAlways } from '../src/timeoff/policy-terms.js';
import {
  holidayCalendars,
  holidays,
  timeOffPolicies,
  timeOffPolicyRuleSets,
  timeOffPolicyRules,
  timeOffPolicyTerms,
  timeOffRequestDays,
  timeOffRequests,
  type ApprovalStep,
  type TimeOffPortionValue,
  type TimeOffStatusValue,
} from '../src/timeoff/timeoff.tables.js';

/*
 * Time off for the bench organisation, so availability (qualifiedEmployees with a range) reads
 * real rows: two policies for everyone, each with its first balance term; a holiday calendar per
 * location with a few holidays in the coming weeks; and requests from four months back to four
 * months ahead, stored day by day as the time-off service stores them (working days only; half
 * days and hours too). Not written: the decisions behind the approved, denied and cancelled ones
 * (nothing here reads them). No requested day falls on any location's holiday, so a day taken
 * always blocks.
 *
 * Deterministic (its own seeded PRNG, so the organisation itself comes out as before).
 */

export interface BenchTimeOffPerson {
  id: string;
  /** Working (ACTIVE or ON_LEAVE) today: people who have left take no more time off. */
  employed: boolean;
}

export interface BenchTimeOff {
  policies: number;
  holidays: number;
  requests: number;
  days: number;
  /** The bench's two-week availability range: Monday to the Sunday two weeks later. */
  range: { from: CalendarDate; to: CalendarDate };
  /** Employees with an approved day of time off within `range` (whom availability excludes). */
  blockedInRange: ReadonlySet<string>;
  insert(db: Database): Promise<void>;
}

const recordedBy = 'system:bench-seed';
const chunkSize = 1000;
const approvalChain: ApprovalStep[] = [{ kind: 'MANAGER' }];

function shiftDays(date: CalendarDate, days: number): CalendarDate {
  return format(addDays(new UTCDate(date), days), 'yyyy-MM-dd');
}

function isWeekend(date: CalendarDate): boolean {
  const day = getDay(new UTCDate(date));
  return day === 0 || day === 6;
}

export function planBenchTimeOff(
  people: readonly BenchTimeOffPerson[],
  locationIds: readonly string[],
  today: CalendarDate,
  seed = 0x71e0ff,
): BenchTimeOff {
  const random = new SeededRandom(seed);
  const untilMonday = (8 - getDay(new UTCDate(today))) % 7 || 7;
  const from = shiftDays(today, untilMonday);
  const range = { from, to: shiftDays(from, 13) };

  const vacation = { id: randomUUID(), code: 'BENCH-VAC', name: 'Vacation', category: 'VACATION', private: false, approvalChain };
  const sick = { id: randomUUID(), code: 'BENCH-SICK', name: 'Sick leave', category: 'SICK', private: true, approvalChain: [] };
  const policies = [vacation, sick];
  // Every policy has a term from `sinceAlways` (policy-terms.ts: balances fail loudly without one).
  const terms: (typeof timeOffPolicyTerms.$inferInsert)[] = [
    { policyId: vacation.id, effectiveFrom: sinceAlways, accrualKind: 'ANNUAL_GRANT', amountPerYear: 25, carryOverCap: 5, recordedBy },
    { policyId: sick.id, effectiveFrom: sinceAlways, accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: 0, recordedBy },
  ];

  // A calendar per location; each has a holiday (one of them a half day) on some weekday of the range.
  const calendars = locationIds.map((locationId, index) => ({ id: randomUUID(), locationId, name: `Bench holidays ${index + 1}` }));
  const holidayRows = calendars.flatMap((calendar, index) => {
    const rows = [
      { calendarId: calendar.id, date: shiftDays(range.from, (index * 3) % 12), name: 'Founders Day', halfDay: index === 0 },
      { calendarId: calendar.id, date: shiftDays(today, 45 + index), name: 'Autumn Holiday', halfDay: false },
    ];
    return rows.filter((row) => !isWeekend(row.date));
  });
  const holidayDates = new Set(holidayRows.map((row) => row.date));
  const workingDay = (date: CalendarDate) => !isWeekend(date) && !holidayDates.has(date);

  const requests: (typeof timeOffRequests.$inferInsert & { id: string })[] = [];
  const days: (typeof timeOffRequestDays.$inferInsert)[] = [];
  const blockedInRange = new Set<string>();
  for (const person of people) {
    if (!person.employed) continue;
    // One to three requests, one after the other, from about four months ago.
    let cursor = shiftDays(today, -random.int(90, 130));
    const count = random.int(1, 3);
    for (let made = 0; made < count; made += 1) {
      const start = shiftDays(cursor, random.int(3, 80));
      if (start > shiftDays(today, 120)) break;
      const sickness = random.chance(0.15);
      const roll = random.next();
      const kind: 'RANGE' | 'HALF' | 'HOURS' = roll < 0.8 ? 'RANGE' : roll < 0.93 ? 'HALF' : 'HOURS';
      const end = kind === 'RANGE' ? shiftDays(start, sickness ? random.int(0, 3) : random.int(0, 9)) : start;
      const hours = kind === 'HOURS' ? random.int(2, 6) : null;
      const halfPortion: TimeOffPortionValue = random.chance(0.5) ? 'MORNING' : 'AFTERNOON';
      const taken: { date: CalendarDate; portion: TimeOffPortionValue; hours: number | null; amount: number }[] = [];
      for (let date = start; date <= end; date = shiftDays(date, 1)) {
        if (!workingDay(date)) continue;
        if (kind === 'RANGE') taken.push({ date, portion: 'FULL', hours: null, amount: 1 });
        else if (kind === 'HALF') taken.push({ date, portion: halfPortion, hours: null, amount: 0.5 });
        else taken.push({ date, portion: 'HOURS', hours, amount: Math.round(((hours ?? 0) / 8) * 1000) / 1000 });
      }
      cursor = shiftDays(end, 1);
      if (taken.length === 0) continue;

      const past = start <= today;
      const statusRoll = random.next();
      const status: TimeOffStatusValue = sickness
        ? 'APPROVED'
        : past
          ? statusRoll < 0.9 ? 'APPROVED' : statusRoll < 0.95 ? 'DENIED' : 'CANCELLED'
          : statusRoll < 0.7 ? 'APPROVED' : statusRoll < 0.92 ? 'PENDING' : statusRoll < 0.97 ? 'DENIED' : 'CANCELLED';
      const amount = Math.round(taken.reduce((sum, day) => sum + day.amount, 0) * 1000) / 1000;
      const id = randomUUID();
      const policy = sickness ? sick : vacation;
      requests.push({
        id,
        employeeId: person.id,
        policyId: policy.id,
        status,
        startDate: start,
        endDate: end,
        reason: sickness ? null : random.pick(['Holiday', 'Family visit', null, null]),
        amount,
        deductedAmount: status === 'APPROVED' ? amount : null,
        approvalChain: policy.approvalChain,
        currentStep: 0,
        createdBy: recordedBy,
      });
      for (const day of taken) days.push({ requestId: id, ...day });
      if (status === 'APPROVED' && taken.some((day) => day.date >= range.from && day.date <= range.to)) {
        blockedInRange.add(person.id);
      }
    }
  }

  return {
    policies: policies.length,
    holidays: holidayRows.length,
    requests: requests.length,
    days: days.length,
    range,
    blockedInRange,
    async insert(db) {
      await db.insert(timeOffPolicies).values(policies);
      await db.insert(timeOffPolicyTerms).values(terms);
      // Both apply to everyone (every location, every employment type).
      // Their rule sets hold since always (1900-01-01), like the terms.
      const ruleSets = policies.map((policy) => ({ policyId: policy.id, effectiveFrom: sinceAlways, recordedBy }));
      await db.insert(timeOffPolicyRuleSets).values(ruleSets);
      await db.insert(timeOffPolicyRules).values(ruleSets.map(({ policyId, effectiveFrom }) => ({ policyId, effectiveFrom })));
      await db.insert(holidayCalendars).values(calendars);
      if (holidayRows.length > 0) await db.insert(holidays).values(holidayRows);
      for (const chunk of chunks(requests)) await db.insert(timeOffRequests).values(chunk);
      for (const chunk of chunks(days)) await db.insert(timeOffRequestDays).values(chunk);
    },
  };
}

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += chunkSize) yield rows.slice(start, start + chunkSize);
}
