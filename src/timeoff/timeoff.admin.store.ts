import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { locations } from '../organisation/organisation.tables.js';
import type { Holiday } from './calendar.js';
import { findTermsOfPolicies } from './timeoff.store.js';
import type { HolidayCalendarRow, TimeOffPolicyOverrideRow, TimeOffPolicyRuleRow } from './timeoff.admin.model.js';
import {
  holidayCalendars,
  holidays,
  timeOffPolicies,
  timeOffPolicyOverrides,
  timeOffPolicyRules,
  timeOffPolicyTerms,
  type TimeOffPolicyRow,
} from './timeoff.tables.js';

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

export async function findRulesOfPolicies(db: Database, policyIds: readonly string[]): Promise<TimeOffPolicyRuleRow[]> {
  if (policyIds.length === 0) return [];
  return db
    .select()
    .from(timeOffPolicyRules)
    .where(inArray(timeOffPolicyRules.policyId, [...policyIds]))
    .orderBy(asc(timeOffPolicyRules.locationId), asc(timeOffPolicyRules.employmentType));
}

/** Replaces every rule of a policy (call inside a transaction: nobody sees the policy without rules in between). */
export async function replaceRules(
  db: Database,
  policyId: string,
  rules: readonly Pick<TimeOffPolicyRuleRow, 'locationId' | 'employmentType'>[],
): Promise<void> {
  await db.delete(timeOffPolicyRules).where(eq(timeOffPolicyRules.policyId, policyId));
  if (rules.length > 0) await db.insert(timeOffPolicyRules).values(rules.map((rule) => ({ policyId, ...rule })));
}

export async function findLocationIds(db: Database, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: locations.id }).from(locations).where(inArray(locations.id, [...ids]));
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------- overrides

/** Overrides of the given policies, by employee id (stable order for a screen). */
export async function findOverridesOfPolicies(db: Database, policyIds: readonly string[]): Promise<TimeOffPolicyOverrideRow[]> {
  if (policyIds.length === 0) return [];
  return db
    .select()
    .from(timeOffPolicyOverrides)
    .where(inArray(timeOffPolicyOverrides.policyId, [...policyIds]))
    .orderBy(asc(timeOffPolicyOverrides.employeeId));
}

/** Overrides of the given employees, by policy name. */
export async function findOverridesOfEmployees(db: Database, employeeIds: readonly string[]): Promise<TimeOffPolicyOverrideRow[]> {
  if (employeeIds.length === 0) return [];
  const o = timeOffPolicyOverrides;
  return db
    .select({ employeeId: o.employeeId, policyId: o.policyId, assigned: o.assigned, amountPerYear: o.amountPerYear })
    .from(o)
    .innerJoin(timeOffPolicies, eq(timeOffPolicies.id, o.policyId))
    .where(inArray(o.employeeId, [...employeeIds]))
    .orderBy(asc(timeOffPolicies.name), asc(o.policyId));
}

export async function findOverride(db: Database, employeeId: string, policyId: string): Promise<TimeOffPolicyOverrideRow | null> {
  const rows = await db
    .select()
    .from(timeOffPolicyOverrides)
    .where(and(eq(timeOffPolicyOverrides.employeeId, employeeId), eq(timeOffPolicyOverrides.policyId, policyId)));
  return rows[0] ?? null;
}

export async function deleteOverride(db: Database, employeeId: string, policyId: string): Promise<boolean> {
  const rows = await db
    .delete(timeOffPolicyOverrides)
    .where(and(eq(timeOffPolicyOverrides.employeeId, employeeId), eq(timeOffPolicyOverrides.policyId, policyId)))
    .returning({ policyId: timeOffPolicyOverrides.policyId });
  return rows.length > 0;
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
