import { and, asc, eq, inArray, notInArray, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import {
  legalAcknowledgements,
  legalPolicies,
  legalPolicyContents,
  legalSyncState,
  legalWebhookDeliveries,
  type LegalAcknowledgementRow,
  type LegalPolicyContentRow,
  type LegalPolicyRow,
  type LegalSyncStateRow,
  type PolicyAudienceValue,
} from './legal.tables.js';

// Data access for the Legal integration: SQL only, no rules. Reads are set-based so the loaders
// can batch them.

// ---------------------------------------------------------------- policies

/** Legal's active policies, by title. */
export async function findActivePolicies(db: Database): Promise<LegalPolicyRow[]> {
  return await db.select().from(legalPolicies).where(eq(legalPolicies.active, true)).orderBy(asc(legalPolicies.title), asc(legalPolicies.id));
}

export async function findPolicy(db: Database, id: string): Promise<LegalPolicyRow | null> {
  const rows = await db.select().from(legalPolicies).where(eq(legalPolicies.id, id));
  return rows[0] ?? null;
}

export interface PolicyValues {
  id: string;
  title: string;
  version: string;
  category: string;
  effectiveDate: string;
  audience: PolicyAudienceValue;
  daysToAcknowledge: number | null;
}

/** Makes `policies` the active ones: each inserted or updated, every other one marked inactive (kept for history). */
export async function replaceActivePolicies(db: Database, policies: readonly PolicyValues[]): Promise<void> {
  for (const policy of policies) {
    const values = { ...policy, active: true, syncedAt: sql`now()` };
    await db.insert(legalPolicies).values(values).onConflictDoUpdate({ target: legalPolicies.id, set: values });
  }
  const ids = policies.map((policy) => policy.id);
  await db
    .update(legalPolicies)
    .set({ active: false })
    .where(and(eq(legalPolicies.active, true), ids.length > 0 ? notInArray(legalPolicies.id, ids) : undefined));
}

export async function findContent(db: Database, policyId: string, version: string): Promise<LegalPolicyContentRow | null> {
  const rows = await db
    .select()
    .from(legalPolicyContents)
    .where(and(eq(legalPolicyContents.policyId, policyId), eq(legalPolicyContents.version, version)));
  return rows[0] ?? null;
}

/** Keeps a version's text; a text already kept stays (a version's text does not change). */
export async function insertContent(db: Database, content: { policyId: string; version: string; format: string; body: string }): Promise<void> {
  await db.insert(legalPolicyContents).values(content).onConflictDoNothing();
}

// ---------------------------------------------------------------- acknowledgements

/** Acknowledgements of these policy versions, of everyone or of `employeeIds`. */
export async function findAcknowledgementsOfVersions(
  db: Database,
  versions: readonly { id: string; version: string }[],
  employeeIds?: readonly string[],
): Promise<LegalAcknowledgementRow[]> {
  if (versions.length === 0 || employeeIds?.length === 0) return [];
  const a = legalAcknowledgements;
  return db
    .select()
    .from(a)
    .where(
      and(
        or(...versions.map((policy) => and(eq(a.policyId, policy.id), eq(a.policyVersion, policy.version)))),
        employeeIds ? inArray(a.employeeId, [...employeeIds]) : undefined,
      ),
    );
}

/** Every acknowledgement of these employees (any policy, any version). */
export async function findAcknowledgementsOfEmployees(db: Database, employeeIds: readonly string[]): Promise<LegalAcknowledgementRow[]> {
  if (employeeIds.length === 0) return [];
  return await db.select().from(legalAcknowledgements).where(inArray(legalAcknowledgements.employeeId, [...employeeIds]));
}

export async function findAcknowledgementById(db: Database, id: string): Promise<LegalAcknowledgementRow | null> {
  const rows = await db.select().from(legalAcknowledgements).where(eq(legalAcknowledgements.id, id));
  return rows[0] ?? null;
}

/** The employee's acknowledgement of one policy version, locked for the transaction. */
export async function lockAcknowledgement(
  db: Database,
  key: { employeeId: string; policyId: string; policyVersion: string },
): Promise<LegalAcknowledgementRow | null> {
  const a = legalAcknowledgements;
  const rows = await db
    .select()
    .from(a)
    .where(and(eq(a.employeeId, key.employeeId), eq(a.policyId, key.policyId), eq(a.policyVersion, key.policyVersion)))
    .for('update');
  return rows[0] ?? null;
}

/** The acknowledgement Legal knows by this id, locked for the transaction. */
export async function lockAcknowledgementByLegalId(db: Database, legalAcknowledgementId: string): Promise<LegalAcknowledgementRow | null> {
  const rows = await db
    .select()
    .from(legalAcknowledgements)
    .where(eq(legalAcknowledgements.legalAcknowledgementId, legalAcknowledgementId))
    .for('update');
  return rows[0] ?? null;
}

export async function insertAcknowledgement(db: Database, values: typeof legalAcknowledgements.$inferInsert): Promise<LegalAcknowledgementRow> {
  const [row] = await db.insert(legalAcknowledgements).values(values).returning();
  if (!row) throw new Error('insert into legal_acknowledgements returned no row');
  return row;
}

export async function updateAcknowledgement(
  db: Database,
  id: string,
  values: Partial<Omit<typeof legalAcknowledgements.$inferInsert, 'id' | 'employeeId' | 'policyId' | 'policyVersion'>>,
): Promise<void> {
  await db
    .update(legalAcknowledgements)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(legalAcknowledgements.id, id));
}

/** Legal's id for one submission of an acknowledgement, unless Legal already named it (its callback came first). */
export async function recordLegalAcknowledgementId(db: Database, id: string, submission: number, legalAcknowledgementId: string): Promise<void> {
  const a = legalAcknowledgements;
  await db
    .update(a)
    .set({ legalAcknowledgementId, updatedAt: sql`now()` })
    .where(and(eq(a.id, id), eq(a.submissions, submission), sql`${a.legalAcknowledgementId} is null`));
}

// ---------------------------------------------------------------- callback deliveries

/** Records a callback's `webhook-id`; false when it was recorded before (a redelivery). */
export async function recordWebhookDelivery(db: Database, webhookId: string): Promise<boolean> {
  const rows = await db.insert(legalWebhookDeliveries).values({ webhookId }).onConflictDoNothing().returning({ id: legalWebhookDeliveries.webhookId });
  return rows.length > 0;
}

// ---------------------------------------------------------------- the sync's row

const syncRowId = 1;

export async function findSyncState(db: Database): Promise<LegalSyncStateRow | null> {
  const rows = await db.select().from(legalSyncState).where(eq(legalSyncState.id, syncRowId));
  return rows[0] ?? null;
}

export interface SyncClaim {
  token: string;
  /** Where the acknowledgements left off last time (null: from the start). */
  updatedSince: Date | null;
  /** The error the previous attempt ended with, to log only changes. */
  previousErrorCode: string | null;
}

/**
 * Claims the next sync for `leaseMs`: one replica at a time, and only when it is due (unless
 * `force`). Null when another replica holds the lease or the sync is not due.
 */
export async function claimSync(db: Database, options: { leaseMs: number; force: boolean }): Promise<SyncClaim | null> {
  await db.insert(legalSyncState).values({ id: syncRowId }).onConflictDoNothing();
  const s = legalSyncState;
  const rows = await db
    .update(s)
    .set({
      leaseUntil: sql`now() + make_interval(secs => ${options.leaseMs / 1000})`,
      leaseToken: sql`gen_random_uuid()`,
    })
    .where(
      and(
        eq(s.id, syncRowId),
        sql`(${s.leaseUntil} is null or ${s.leaseUntil} < now())`,
        options.force ? undefined : sql`${s.nextSyncAt} <= now()`,
      ),
    )
    .returning({ token: s.leaseToken, updatedSince: s.acknowledgementsUpdatedSince, previousErrorCode: s.lastErrorCode });
  const row = rows[0];
  return row?.token ? { token: row.token, updatedSince: row.updatedSince, previousErrorCode: row.previousErrorCode } : null;
}

/** Moves the acknowledgements' watermark on, within the claim (a page applied stays applied). */
export async function advanceWatermark(db: Database, token: string, updatedSince: Date): Promise<void> {
  await db
    .update(legalSyncState)
    .set({ acknowledgementsUpdatedSince: updatedSince })
    .where(and(eq(legalSyncState.id, syncRowId), eq(legalSyncState.leaseToken, token)));
}

export type SyncSettlement =
  | { ok: true; nextInMs: number }
  | { ok: false; errorCode: string; error: string; nextInMs: (consecutiveFailures: number) => number };

/** Records how a claimed sync ended and releases the claim; false when the claim was lost. */
export async function settleSync(db: Database, token: string, settlement: SyncSettlement): Promise<boolean> {
  const s = legalSyncState;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(s).where(and(eq(s.id, syncRowId), eq(s.leaseToken, token))).for('update');
    if (!current) return false;
    const failures = settlement.ok ? 0 : current.consecutiveFailures + 1;
    const nextInMs = settlement.ok ? settlement.nextInMs : settlement.nextInMs(failures);
    await tx
      .update(s)
      .set({
        leaseUntil: null,
        leaseToken: null,
        lastAttemptAt: sql`now()`,
        consecutiveFailures: failures,
        lastErrorCode: settlement.ok ? null : settlement.errorCode,
        lastError: settlement.ok ? null : settlement.error.slice(0, 500),
        nextSyncAt: sql`now() + make_interval(secs => ${nextInMs / 1000})`,
        ...(settlement.ok ? { syncedAt: sql`now()` } : {}),
      })
      .where(eq(s.id, syncRowId));
    return true;
  });
}

/** Milliseconds until the next sync is due (negative: due now), or null before the first claim. */
export async function msUntilNextSync(db: Database): Promise<number | null> {
  const rows = await db
    .select({ ms: sql<number>`(extract(epoch from (${legalSyncState.nextSyncAt} - now())) * 1000)::float8` })
    .from(legalSyncState)
    .where(eq(legalSyncState.id, syncRowId));
  const ms = rows[0]?.ms;
  return ms === undefined ? null : Number(ms);
}
