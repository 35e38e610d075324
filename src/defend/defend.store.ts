import { and, count, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import {
  emergencyOffboardingRequests as requests,
  insiderThreatSignals as signals,
  type EmergencyOffboardingRequestRow,
  type EmergencyRequestStateValue,
  type InsiderThreatSignalRow,
} from './defend.tables.js';

/** Serialises Defend's emergency requests for the rest of the transaction: the circuit breaker counts, then acts, with no one between. */
export async function lockEmergencyRequests(db: Database): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('people.defend-emergency'))`);
}

export async function findRequestByAlert(db: Database, alertId: string): Promise<EmergencyOffboardingRequestRow | null> {
  const rows = await db.select().from(requests).where(eq(requests.alertId, alertId));
  return rows[0] ?? null;
}

export async function findRequestsByIds(db: Database, ids: readonly string[]): Promise<EmergencyOffboardingRequestRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(requests).where(inArray(requests.id, [...ids]));
}

export async function lockRequest(db: Database, id: string): Promise<EmergencyOffboardingRequestRow | null> {
  const rows = await db.select().from(requests).where(eq(requests.id, id)).for('update');
  return rows[0] ?? null;
}

/** Requests received in (`since`, `until`], whatever became of them (held ones count: a flood stays held). */
export async function countRequestsBetween(db: Database, since: Date, until: Date): Promise<number> {
  const [row] = await db
    .select({ count: count() })
    .from(requests)
    .where(and(gt(requests.requestedAt, since), lte(requests.requestedAt, until)));
  return Number(row?.count ?? 0);
}

export async function insertRequest(db: Database, values: typeof requests.$inferInsert): Promise<EmergencyOffboardingRequestRow> {
  const [row] = await db.insert(requests).values(values).returning();
  if (!row) throw new Error('the emergency request was not written');
  return row;
}

export async function updateRequest(db: Database, id: string, values: Partial<typeof requests.$inferInsert>): Promise<void> {
  await db.update(requests).set(values).where(eq(requests.id, id));
}

export function listRequests(db: Database, states: readonly EmergencyRequestStateValue[] | null, first: number): Promise<EmergencyOffboardingRequestRow[]> {
  return db
    .select()
    .from(requests)
    .where(states && states.length > 0 ? inArray(requests.state, [...states]) : undefined)
    .orderBy(desc(requests.requestedAt), desc(requests.id))
    .limit(first);
}

/** Stores the signal unless its alert is already stored: the row written, or null for a repeat. */
export async function insertSignal(db: Database, values: typeof signals.$inferInsert): Promise<InsiderThreatSignalRow | null> {
  const [row] = await db.insert(signals).values(values).onConflictDoNothing({ target: signals.alertId }).returning();
  return row ?? null;
}

export async function findSignalByAlert(db: Database, alertId: string): Promise<InsiderThreatSignalRow | null> {
  const rows = await db.select().from(signals).where(eq(signals.alertId, alertId));
  return rows[0] ?? null;
}

export async function updateSignal(db: Database, id: string, values: Partial<typeof signals.$inferInsert>): Promise<void> {
  await db.update(signals).set(values).where(eq(signals.id, id));
}

/** Each employee's signals, newest first. */
export function findSignalsOfEmployees(db: Database, employeeIds: readonly string[]): Promise<InsiderThreatSignalRow[]> {
  if (employeeIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(signals)
    .where(inArray(signals.employeeId, [...employeeIds]))
    .orderBy(desc(signals.receivedAt), desc(signals.id));
}
