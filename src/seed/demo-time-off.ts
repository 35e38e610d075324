import { describeCaller } from '../auth/caller.js';
import type { Database } from '../db/database.js';
import type { EmploymentType } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { createRequestContext } from '../graphql/request-context.js';
import type { CalendarDate } from '../shared/dates.js';
import {
  addDays,
  approveTimeOffRequest,
  cancelTimeOffRequest,
  denyTimeOffRequest,
  insertHolidayCalendar,
  insertPolicy,
  isWeekend,
  replaceRuleSet,
  requestTimeOff,
  sinceAlways,
  upsertOverride,
  yearOf,
  type ApprovalStep,
  type Holiday,
} from '../timeoff/timeoff.service.js';
import { SeededRandom } from '../shared/random.js';

/*
 * Demo time off, loaded right after the demo organisation: policies and assignment rules as data,
 * holiday calendars of the four offices for this year and the next, and about a year of requests
 * made and decided through the time-off service (so every decision is recorded, by the seed's
 * system caller acting as Admin). Deterministic: a seeded PRNG, dates relative to today.
 */

export type DemoLocationKey = 'BER' | 'LON' | 'AUS' | 'SIN';

export interface DemoTimeOffInput {
  ctx: RequestContext;
  locations: Record<DemoLocationKey, string>;
  /** Every demo employee by key, with where and how they were hired (their job as loaded). */
  employees: readonly { key: string; id: string; location: DemoLocationKey; type: EmploymentType }[];
}

export interface DemoTimeOffSummary {
  policies: number;
  requests: number;
  skipped: number;
}

const prngSeed = 0x71e0ff;


// ---------------------------------------------------------------- policies

const employedTypes: readonly EmploymentType[] = ['FULL_TIME', 'PART_TIME', 'INTERN', 'TEMPORARY'];
const managerThenHr: ApprovalStep[] = [{ kind: 'MANAGER' }, { kind: 'HR', whenLongerThanDays: 10 }];

interface PolicySpec {
  code: string;
  name: string;
  category: string;
  accrualKind: 'ANNUAL_GRANT' | 'MONTHLY' | 'UNLIMITED';
  amountPerYear: number;
  carryOverCap: number | null;
  private: boolean;
  approvalChain: ApprovalStep[];
  /** Locations it applies to (null: everywhere). */
  location: DemoLocationKey | null;
  /** Employment types it applies to (null: every type, contractors included). */
  types: readonly EmploymentType[] | null;
}

const vacation = (location: DemoLocationKey, country: string, days: number): PolicySpec => ({
  code: `VAC-${location}`,
  name: `Vacation (${country})`,
  category: 'VACATION',
  accrualKind: 'ANNUAL_GRANT',
  amountPerYear: days,
  carryOverCap: 5,
  private: false,
  approvalChain: managerThenHr,
  location,
  types: employedTypes,
});

const policySpecs: readonly PolicySpec[] = [
  vacation('BER', 'Germany', 25),
  vacation('LON', 'United Kingdom', 25),
  vacation('AUS', 'United States', 15),
  vacation('SIN', 'Singapore', 14),
  {
    code: 'SICK', name: 'Sick leave', category: 'SICK', accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: 0,
    private: true, approvalChain: [], location: null, types: employedTypes,
  },
  {
    code: 'PERSONAL', name: 'Personal days', category: 'PERSONAL', accrualKind: 'ANNUAL_GRANT', amountPerYear: 3, carryOverCap: 0,
    private: false, approvalChain: [{ kind: 'MANAGER' }], location: null, types: employedTypes,
  },
  {
    code: 'PARENTAL', name: 'Parental leave', category: 'PARENTAL', accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: 0,
    private: true, approvalChain: [{ kind: 'HR' }], location: null, types: employedTypes,
  },
  // Contractors get this one only.
  {
    code: 'UNPAID', name: 'Unpaid leave', category: 'UNPAID', accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: 0,
    private: false, approvalChain: managerThenHr, location: null, types: null,
  },
];

// ---------------------------------------------------------------- holidays

/** Easter Sunday (Gregorian, anonymous algorithm). */
function easter(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return date(year, month, day);
}

function date(year: number, month: number, day: number): CalendarDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: CalendarDate): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The nth (1-based) given weekday of a month; n = -1: the last one. */
function nthWeekday(year: number, month: number, dayOfWeek: number, n: number): CalendarDate {
  if (n > 0) {
    const first = date(year, month, 1);
    return addDays(first, ((dayOfWeek - weekday(first) + 7) % 7) + (n - 1) * 7);
  }
  const last = addDays(date(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1);
  return addDays(last, -((weekday(last) - dayOfWeek + 7) % 7));
}

const full = (day: CalendarDate, name: string): Holiday => ({ date: day, name, halfDay: false });

/** Berlin: the national public holidays plus Berlin's Women's Day; Christmas Eve and New Year's Eve are half days (company practice). No substitute days in Germany. */
function berlinHolidays(year: number): Holiday[] {
  const e = easter(year);
  return [
    full(date(year, 1, 1), 'Neujahr'),
    full(date(year, 3, 8), 'Internationaler Frauentag'),
    full(addDays(e, -2), 'Karfreitag'),
    full(addDays(e, 1), 'Ostermontag'),
    full(date(year, 5, 1), 'Tag der Arbeit'),
    full(addDays(e, 39), 'Christi Himmelfahrt'),
    full(addDays(e, 50), 'Pfingstmontag'),
    full(date(year, 10, 3), 'Tag der Deutschen Einheit'),
    { date: date(year, 12, 24), name: 'Heiligabend', halfDay: true },
    full(date(year, 12, 25), '1. Weihnachtstag'),
    full(date(year, 12, 26), '2. Weihnachtstag'),
    { date: date(year, 12, 31), name: 'Silvester', halfDay: true },
  ];
}

/** England and Wales bank holidays, with substitute days when one falls on a weekend. */
function englandHolidays(year: number): Holiday[] {
  const e = easter(year);
  const newYear = date(year, 1, 1);
  const newYearObserved = weekday(newYear) === 6 ? addDays(newYear, 2) : weekday(newYear) === 0 ? addDays(newYear, 1) : newYear;
  const christmas = date(year, 12, 25);
  const boxing = date(year, 12, 26);
  let christmasObserved = christmas;
  let boxingObserved = boxing;
  if (weekday(christmas) === 6) [christmasObserved, boxingObserved] = [addDays(christmas, 2), addDays(christmas, 3)];
  else if (weekday(christmas) === 0) [christmasObserved, boxingObserved] = [addDays(christmas, 2), boxing];
  else if (weekday(boxing) === 6) boxingObserved = addDays(boxing, 2);
  const substitute = (name: string, actual: CalendarDate, observed: CalendarDate) => (actual === observed ? name : `${name} (substitute day)`);
  return [
    full(newYearObserved, substitute("New Year's Day", newYear, newYearObserved)),
    full(addDays(e, -2), 'Good Friday'),
    full(addDays(e, 1), 'Easter Monday'),
    full(nthWeekday(year, 5, 1, 1), 'Early May bank holiday'),
    full(nthWeekday(year, 5, 1, -1), 'Spring bank holiday'),
    full(nthWeekday(year, 8, 1, -1), 'Summer bank holiday'),
    full(christmasObserved, substitute('Christmas Day', christmas, christmasObserved)),
    full(boxingObserved, substitute('Boxing Day', boxing, boxingObserved)),
  ];
}

/** US federal holidays observed by the Austin office (Saturday: the Friday before; Sunday: the Monday after), plus the Texas day after Thanksgiving. */
function texasHolidays(year: number): Holiday[] {
  const observed = (day: CalendarDate, name: string): Holiday => {
    const dow = weekday(day);
    if (dow === 6) return full(addDays(day, -1), `${name} (observed)`);
    if (dow === 0) return full(addDays(day, 1), `${name} (observed)`);
    return full(day, name);
  };
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  return [
    // A Saturday New Year's Day is observed on 31 December of the year before: leave it out of this year.
    ...(weekday(date(year, 1, 1)) === 6 ? [] : [observed(date(year, 1, 1), "New Year's Day")]),
    full(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day'),
    full(nthWeekday(year, 2, 1, 3), "Presidents' Day"),
    full(nthWeekday(year, 5, 1, -1), 'Memorial Day'),
    observed(date(year, 6, 19), 'Juneteenth'),
    observed(date(year, 7, 4), 'Independence Day'),
    full(nthWeekday(year, 9, 1, 1), 'Labor Day'),
    full(thanksgiving, 'Thanksgiving Day'),
    full(addDays(thanksgiving, 1), 'Day after Thanksgiving'),
    observed(date(year, 12, 25), 'Christmas Day'),
    ...(weekday(date(year + 1, 1, 1)) === 6 ? [full(date(year, 12, 31), "New Year's Day (observed)")] : []),
  ];
}

/** Singapore's lunar holidays as gazetted by MOM (the years the demo can need); the rest follow fixed dates or Easter. */
const singaporeLunar: Record<number, readonly (readonly [string, string])[]> = {
  2025: [['01-29', 'Chinese New Year'], ['01-30', 'Chinese New Year'], ['03-31', 'Hari Raya Puasa'], ['05-12', 'Vesak Day'], ['06-07', 'Hari Raya Haji'], ['10-20', 'Deepavali']],
  2026: [['02-17', 'Chinese New Year'], ['02-18', 'Chinese New Year'], ['03-21', 'Hari Raya Puasa'], ['05-27', 'Hari Raya Haji'], ['05-31', 'Vesak Day'], ['11-08', 'Deepavali']],
  2027: [['02-06', 'Chinese New Year'], ['02-07', 'Chinese New Year'], ['03-10', 'Hari Raya Puasa'], ['05-17', 'Hari Raya Haji'], ['05-20', 'Vesak Day'], ['10-28', 'Deepavali']],
};

/** Singapore public holidays; one falling on a Sunday gives the Monday after off. */
function singaporeHolidays(year: number): Holiday[] {
  const days: Holiday[] = [
    full(date(year, 1, 1), "New Year's Day"),
    full(addDays(easter(year), -2), 'Good Friday'),
    full(date(year, 5, 1), 'Labour Day'),
    full(date(year, 8, 9), 'National Day'),
    full(date(year, 12, 25), 'Christmas Day'),
    ...(singaporeLunar[year] ?? []).map(([monthDay, name]) => full(`${year}-${monthDay}`, name)),
  ];
  const taken = new Set(days.map((day) => day.date));
  for (const day of [...days]) {
    if (weekday(day.date) !== 0) continue;
    let inLieu = addDays(day.date, 1);
    while (taken.has(inLieu)) inLieu = addDays(inLieu, 1);
    taken.add(inLieu);
    days.push(full(inLieu, `${day.name} (in lieu)`));
  }
  return days;
}

const holidaySpecs: Record<DemoLocationKey, { name: string; holidays: (year: number) => Holiday[] }> = {
  BER: { name: 'Germany (Berlin)', holidays: berlinHolidays },
  LON: { name: 'England and Wales', holidays: englandHolidays },
  AUS: { name: 'United States (Texas)', holidays: texasHolidays },
  SIN: { name: 'Singapore', holidays: singaporeHolidays },
};

/** Holidays of a location for the given years, one per date, sorted. Exported for tests. */
export function demoHolidays(location: DemoLocationKey, years: readonly number[]): Holiday[] {
  const byDate = new Map<CalendarDate, Holiday>();
  for (const year of years) for (const day of holidaySpecs[location].holidays(year)) if (!byDate.has(day.date)) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

// ---------------------------------------------------------------- requests

type Outcome = 'APPROVED' | 'DENIED' | 'CANCELLED' | 'PENDING';

interface Plan {
  policy: string;
  start: CalendarDate;
  end: CalendarDate;
  outcome: Outcome;
  reason: string | null;
}

/** Refusals that only mean "this random request does not fit this person": skipped. */
const tolerated = new Set([
  'EMPLOYEE_NOT_ACTIVE',
  'POLICY_NOT_ASSIGNED',
  'IN_WAITING_PERIOD',
  'NO_WORKING_DAYS',
  'OVERLAPS_EXISTING_REQUEST',
  'INSUFFICIENT_BALANCE',
  'DATE_TOO_FAR',
]);

/** The next Monday–Friday on or after a day. */
function weekdayFrom(day: CalendarDate): CalendarDate {
  let result = day;
  while (isWeekend(result)) result = addDays(result, 1);
  return result;
}

/** A block of `workingDays` weekdays from `start` (weekends inside it are spanned, holidays are left to the service). */
function block(start: CalendarDate, workingDays: number): { start: CalendarDate; end: CalendarDate } {
  const first = weekdayFrom(start);
  let end = first;
  for (let left = workingDays - 1; left > 0; left -= 1) end = weekdayFrom(addDays(end, 1));
  return { start: first, end };
}

const vacationReasons = [
  'Summer holiday', 'Family visit', 'Trip abroad', 'Long weekend', 'Wedding of a friend', 'Moving flat',
  'School holidays', 'Hiking trip', null, null, null,
] as const;
const sickReasons = ['Flu', 'Migraine', 'Doctor’s appointment', 'Back pain', null] as const;

function planFor(random: SeededRandom, today: CalendarDate, vacationCode: string, index: number): Plan[] {
  const plans: Plan[] = [];
  const reason = () => random.pick(vacationReasons);
  // Past vacations over the last eleven months. Every request and decision goes through the service
  // (tens of milliseconds each on the embedded database), so the history is sampled to keep the first start quick.
  const pastBlocks = random.chance(0.75) ? (random.chance(0.2) ? 2 : 1) : 0;
  for (let i = 0; i < pastBlocks; i += 1) {
    const long = random.chance(0.15);
    const { start, end } = block(addDays(today, -random.int(20, 330)), long ? random.int(11, 13) : random.int(1, 5));
    const roll = random.next();
    const outcome: Outcome = roll < 0.15 ? 'DENIED' : roll < 0.3 ? 'CANCELLED' : 'APPROVED';
    plans.push({ policy: vacationCode, start, end, outcome, reason: reason() });
  }
  // Something coming up within the next two months for every other person: approved, or pending for a third of them.
  if (index % 2 === 0) {
    const { start, end } = block(addDays(today, random.int(3, 50)), random.int(1, 5));
    plans.push({ policy: vacationCode, start, end, outcome: index % 6 === 0 ? 'PENDING' : 'APPROVED', reason: reason() });
  }
  // Later plans: summer or year end.
  if (random.chance(0.08)) {
    const long = random.chance(0.4);
    const { start, end } = block(addDays(today, random.int(70, 200)), long ? random.int(11, 14) : random.int(3, 8));
    const roll = random.next();
    const outcome: Outcome = roll < 0.45 ? 'APPROVED' : roll < 0.9 ? 'PENDING' : 'CANCELLED';
    plans.push({ policy: vacationCode, start, end, outcome, reason: reason() });
  }
  // Sick days (approved at once: no chain) and the odd personal day.
  if (random.chance(0.3)) {
    const { start, end } = block(addDays(today, -random.int(5, 330)), random.int(1, 3));
    plans.push({ policy: 'SICK', start, end, outcome: 'APPROVED', reason: random.pick(sickReasons) });
  }
  if (random.chance(0.05)) {
    const { start, end } = block(addDays(today, random.int(-300, 40)), 1);
    plans.push({ policy: 'PERSONAL', start, end, outcome: start < today || random.chance(0.5) ? 'APPROVED' : 'PENDING', reason: 'Personal matters' });
  }
  return plans;
}

export async function seedDemoTimeOff(db: Database, input: DemoTimeOffInput): Promise<DemoTimeOffSummary> {
  // One outer transaction (each service call nests in it as a savepoint): one commit instead of hundreds.
  return db.transaction(async (tx) => {
    const ctx = createRequestContext({ requestId: input.ctx.requestId, caller: input.ctx.caller, db: tx, clock: input.ctx.clock, logger: input.ctx.logger });
    return seedInside(tx, ctx, input);
  });
}

async function seedInside(db: Database, ctx: RequestContext, input: DemoTimeOffInput): Promise<DemoTimeOffSummary> {
  const { locations, employees } = input;
  const today = ctx.today;
  const random = new SeededRandom(prngSeed);

  const policyIds = new Map<string, string>();
  for (const spec of policySpecs) {
    const policy = await insertPolicy(db, {
      code: spec.code,
      name: spec.name,
      category: spec.category,
      accrualKind: spec.accrualKind,
      amountPerYear: spec.amountPerYear,
      carryOverCap: spec.carryOverCap,
      negativeBalanceLimit: 0,
      waitingPeriodDays: 0,
      private: spec.private,
      approvalChain: spec.approvalChain,
    }, describeCaller(ctx.caller));
    policyIds.set(spec.code, policy.id);
    const locationId = spec.location ? locations[spec.location] : null;
    // The demo's rules hold since always, so every seeded year of history has them.
    const rules = (spec.types ?? [null]).map((employmentType) => ({ locationId, employmentType }));
    await replaceRuleSet(db, policy.id, rules, describeCaller(ctx.caller), sinceAlways);
  }
  const policyId = (code: string): string => {
    const id = policyIds.get(code);
    if (!id) throw new Error(`Demo seed: no policy ${code}`);
    return id;
  };

  const years = [yearOf(today) - 1, yearOf(today), yearOf(today) + 1];
  for (const key of Object.keys(holidaySpecs) as DemoLocationKey[]) {
    await insertHolidayCalendar(db, { locationId: locations[key], name: holidaySpecs[key].name }, demoHolidays(key, years));
  }

  const byKey = new Map(employees.map((employee) => [employee.key, employee]));
  // Per-employee overrides: the principal architect negotiated 30 days; the intern has no personal days.
  const architect = byKey.get('architect');
  const since = { effectiveFrom: sinceAlways, recordedBy: describeCaller(ctx.caller) };
  if (architect) await upsertOverride(db, { employeeId: architect.id, policyId: policyId(`VAC-${architect.location}`), assigned: true, amountPerYear: 30, ...since });
  const intern = byKey.get('intern');
  if (intern) await upsertOverride(db, { employeeId: intern.id, policyId: policyId('PERSONAL'), assigned: false, ...since });

  let requests = 0;
  let skipped = 0;
  const make = async (employeeId: string, plan: Plan): Promise<void> => {
    const outcome = await requestTimeOff(ctx, {
      employeeId,
      policyId: policyId(plan.policy),
      startDate: plan.start,
      endDate: plan.end,
      reason: plan.reason,
    });
    if (!outcome.ok) {
      const unexpected = outcome.errors.filter((error) => !tolerated.has(error.code));
      if (unexpected.length > 0) {
        throw new Error(`Demo seed: time off for ${employeeId} was refused: ${unexpected.map((error) => `${error.code}: ${error.message}`).join('; ')}`);
      }
      skipped += 1;
      return;
    }
    requests += 1;
    let request = outcome.value;
    const decided = async (result: Awaited<ReturnType<typeof approveTimeOffRequest>>, what: string) => {
      if (!result.ok) throw new Error(`Demo seed: ${what} was refused: ${result.errors.map((error) => error.code).join(', ')}`);
      return result.value;
    };
    if (plan.outcome === 'PENDING' || request.status !== 'PENDING') {
      if (plan.outcome === 'CANCELLED') {
        await decided(await cancelTimeOffRequest(ctx, { id: request.id, comment: 'Plans changed' }), 'cancelling');
      }
      return;
    }
    if (plan.outcome === 'DENIED') {
      await decided(await denyTimeOffRequest(ctx, { id: request.id, comment: random.pick(['Team already short that week', 'Release week: please pick other dates', 'Too many people off']) }), 'denying');
      return;
    }
    // Approve every step of the chain (the manager's, then HR's for long ones).
    while (request.status === 'PENDING') request = await decided(await approveTimeOffRequest(ctx, { id: request.id }), 'approving');
    if (plan.outcome === 'CANCELLED') await decided(await cancelTimeOffRequest(ctx, { id: request.id, comment: 'Plans changed' }), 'cancelling');
  };

  let index = 0;
  for (const employee of employees) {
    if (employee.type === 'CONTRACTOR') {
      // Contractors have unpaid leave only.
      const { start, end } = block(addDays(today, -random.int(30, 200)), random.int(2, 4));
      await make(employee.id, { policy: 'UNPAID', start, end, outcome: 'APPROVED', reason: 'Between engagements' });
      continue;
    }
    for (const plan of planFor(random, today, `VAC-${employee.location}`, index)) await make(employee.id, plan);
    index += 1;
  }
  // Parental leave for the technician on it since two months ago (private: others see "unavailable").
  const parental = byKey.get('sdParental');
  if (parental) {
    await make(parental.id, { policy: 'PARENTAL', start: weekdayFrom(addDays(today, -60)), end: addDays(today, 120), outcome: 'APPROVED', reason: 'Parental leave' });
  }

  return { policies: policySpecs.length, requests, skipped };
}
