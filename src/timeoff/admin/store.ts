import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { findLocations } from '../../organisation/organisation.service.js';
import type { Holiday } from '../calendar.js';
import { findTermsOfPolicies } from '../timeoff.store.js';
import type { HolidayCalendarRow, TimeOffPolicyOverrideRecord, TimeOffPolicyRuleSetRow } from './model.js';
import {
  holidayCalendars,
  holidays,
  timeOffPolicies,
  timeOffPolicyOverrides,
  timeOffPolicyRuleSets,
  timeOffPolicyRules,
  timeOffPolicyTerms,
  type TimeOffPolicyRow,
} from '../timeoff.tables.js';

// SQL of time-off administration: policies, their rules and overrides, holiday calendars.
// Reads take many ids, so the loaders built on them cost one statement per batch.

// ---------------------------------------------------------------- policies

/**
 * The policy with its terms, its row locked until the transaction ends: changes to one policy
 * (its row, its terms, and their events) run one after the other.
 */
export async function lockPolicy(db: Database, id: string): Promise<TimeOffPolicyRow | null> {
  const rows = await db.select().from(timeOffPolicies).where(eq(timeOffPolicies.id, id)).for('update');
  const row = rows[0];
  if (!row) return null;
  return { ...row, terms: await findTermsOfPolicies(db, [id]) };
}

export async function findPolicyIdByCode(db: Database, code: string): Promise<string | null> {
  const rows = await db.select({ id: timeOffPolicies.id }).from(timeOffPolicies).where(eq(timeOffPolicies.code, code));
  return rows[0]?.id ?? null;
}

export async function updatePolicy(
  db: Database,
  id: string,
  values: Partial<Omit<typeof timeOffPolicies.$inferInsert, 'id' | 'createdAt'>>,
): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.update(timeOffPolicies).set(values).where(eq(timeOffPolicies.id, id));
}

/** Records the terms in force from `term.effectiveFrom`, replacing a term already recorded from that day. */
export async function upsertTerm(db: Database, term: typeof timeOffPolicyTerms.$inferInsert): Promise<void> {
  const { policyId: _policyId, effectiveFrom: _effectiveFrom, ...values } = term;
  await db
    .insert(timeOffPolicyTerms)
    .values(term)
    .onConflictDoUpdate({
      target: [timeOffPolicyTerms.policyId, timeOffPolicyTerms.effectiveFrom],
      set: { ...values, recordedAt: sql`now()` },
    });
}

export async function deleteTerm(db: Database, policyId: string, effectiveFrom: string): Promise<void> {
  await db
    .delete(timeOffPolicyTerms)
    .where(and(eq(timeOffPolicyTerms.policyId, policyId), eq(timeOffPolicyTerms.effectiveFrom, effectiveFrom)));
}

// ---------------------------------------------------------------- rules

/** Rule sets of the given policies with their rules, oldest first: one statement (a row per rule). */
export async function findRuleSetsOfPolicies(db: Database, policyIds: readonly string[]): Promise<TimeOffPolicyRuleSetRow[]> {
  if (policyIds.length === 0) return [];
  const s = timeOffPolicyRuleSets;
  const r = timeOffPolicyRules;
  const rows = await db
    .select({ set: s, rule: r })
    .from(s)
    .leftJoin(r, and(eq(r.policyId, s.policyId), eq(r.effectiveFrom, s.effectiveFrom)))
    .where(inArray(s.policyId, [...policyIds]))
    .orderBy(asc(s.policyId), asc(s.effectiveFrom), asc(r.locationId), asc(r.employmentType));
  const sets: TimeOffPolicyRuleSetRow[] = [];
  for (const { set, rule } of rows) {
    let current = sets.at(-1);
    if (!current || current.policyId !== set.policyId || current.effectiveFrom !== set.effectiveFrom) {
      current = { ...set, rules: [] };
      sets.push(current);
    }
    if (rule) current.rules.push(rule);
  }
  return sets;
}

export async function findLocationIds(db: Database, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await findLocations(db, ids)).map((row) => row.id));
}

// ---------------------------------------------------------------- overrides

/** Every override row of the given policies, by employee then start (a screen derives what is in force). */
export async function findOverridesOfPolicies(db: Database, policyIds: readonly string[]): Promise<TimeOffPolicyOverrideRecord[]> {
  if (policyIds.length === 0) return [];
  const o = timeOffPolicyOverrides;
  return db
    .select()
    .from(o)
    .where(inArray(o.policyId, [...policyIds]))
    .orderBy(asc(o.employeeId), asc(o.effectiveFrom));
}

/** Every override row of the given employees, by policy name then start. */
export async function findOverridesOfEmployees(db: Database, employeeIds: readonly string[]): Promise<TimeOffPolicyOverrideRecord[]> {
  if (employeeIds.length === 0) return [];
  const o = timeOffPolicyOverrides;
  return db
    .select({
      employeeId: o.employeeId,
      policyId: o.policyId,
      effectiveFrom: o.effectiveFrom,
      assigned: o.assigned,
      amountPerYear: o.amountPerYear,
      recordedBy: o.recordedBy,
      recordedAt: o.recordedAt,
    })
    .from(o)
    .innerJoin(timeOffPolicies, eq(timeOffPolicies.id, o.policyId))
    .where(inArray(o.employeeId, [...employeeIds]))
    .orderBy(asc(timeOffPolicies.name), asc(o.policyId), asc(o.effectiveFrom));
}

/** Every override row of one employee and policy, oldest first. */
export async function findOverrideHistory(db: Database, employeeId: string, policyId: string): Promise<TimeOffPolicyOverrideRecord[]> {
  const o = timeOffPolicyOverrides;
  return db
    .select()
    .from(o)
    .where(and(eq(o.employeeId, employeeId), eq(o.policyId, policyId)))
    .orderBy(asc(o.effectiveFrom));
}

// ---------------------------------------------------------------- holiday calendars

/** Calendars of the given locations (null: all), by name. */
export async function findCalendars(db: Database, locationIds: readonly string[] | null): Promise<HolidayCalendarRow[]> {
  if (locationIds && locationIds.length === 0) return [];
  return db
    .select()
    .from(holidayCalendars)
    .where(locationIds ? inArray(holidayCalendars.locationId, [...locationIds]) : undefined)
    .orderBy(asc(holidayCalendars.name), asc(holidayCalendars.id));
}

export async function findCalendarsByIds(db: Database, ids: readonly string[]): Promise<HolidayCalendarRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(holidayCalendars).where(inArray(holidayCalendars.id, [...ids]));
}

/** The calendar row, locked: changes to one calendar (and their events) run one after the other. */
export async function lockCalendar(db: Database, id: string): Promise<HolidayCalendarRow | null> {
  const rows = await db.select().from(holidayCalendars).where(eq(holidayCalendars.id, id)).for('update');
  return rows[0] ?? null;
}

export async function insertCalendar(db: Database, values: { locationId: string; name: string }): Promise<HolidayCalendarRow> {
  const [row] = await db.insert(holidayCalendars).values(values).returning();
  if (!row) throw new Error('calendar insert returned nothing');
  return row;
}

/** Every holiday of the calendars, by date. Calendars hold a few dozen a year, so screens filter the rest. */
export async function findHolidaysOfCalendars(
  db: Database,
  calendarIds: readonly string[],
): Promise<(Holiday & { calendarId: string })[]> {
  if (calendarIds.length === 0) return [];
  return db
    .select({ calendarId: holidays.calendarId, date: holidays.date, name: holidays.name, halfDay: holidays.halfDay })
    .from(holidays)
    .where(inArray(holidays.calendarId, [...calendarIds]))
    .orderBy(asc(holidays.date));
}

/** Makes the holidays of one calendar year exactly `days` (call inside a transaction). */
export async function replaceHolidaysOfYear(db: Database, calendarId: string, year: number, days: readonly Holiday[]): Promise<void> {
  await db
    .delete(holidays)
    .where(and(eq(holidays.calendarId, calendarId), gte(holidays.date, `${year}-01-01`), lte(holidays.date, `${year}-12-31`)));
  if (days.length > 0) await db.insert(holidays).values(days.map((day) => ({ calendarId, ...day })));
}
