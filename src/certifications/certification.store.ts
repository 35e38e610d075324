import { and, arrayContains, arrayOverlaps, asc, eq, gte, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import {
  certificationCatalog,
  employeeCertifications,
  type CertificationCatalogRow,
  type EmployeeCertificationRow,
} from './certification.tables.js';

// SQL only, set-based: every read takes many ids, so loaders cost one statement per batch.

/** A record is current while no renewal replaced it and nobody removed it. */
const isCurrent = and(isNull(employeeCertifications.supersededAt), isNull(employeeCertifications.removedAt));

// ---------------------------------------------------------------- catalog

/** Catalog entries by name; with `keys`, those answering to any of them; with `tagKey`, those tagged with it. */
export async function findCatalogEntries(
  db: Database,
  filter: { keys?: readonly string[]; tagKey?: string } = {},
): Promise<CertificationCatalogRow[]> {
  const conditions = [];
  if (filter.keys) {
    if (filter.keys.length === 0) return [];
    conditions.push(arrayOverlaps(certificationCatalog.matchKeys, [...filter.keys]));
  }
  if (filter.tagKey !== undefined) conditions.push(arrayContains(certificationCatalog.matchKeys, [filter.tagKey]));
  return db
    .select()
    .from(certificationCatalog)
    .where(and(...conditions))
    .orderBy(asc(certificationCatalog.name), asc(certificationCatalog.id));
}

export async function findCatalogEntriesByIds(db: Database, ids: readonly string[]): Promise<CertificationCatalogRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(certificationCatalog).where(inArray(certificationCatalog.id, [...ids]));
}

/** Other entries answering to any of `keys` (candidates for a name, code or alias collision). */
export async function findCatalogEntriesSharingKeys(
  db: Database,
  keys: readonly string[],
  exceptId: string | null,
): Promise<CertificationCatalogRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(certificationCatalog)
    .where(
      and(
        arrayOverlaps(certificationCatalog.matchKeys, [...keys]),
        exceptId === null ? undefined : ne(certificationCatalog.id, exceptId),
      ),
    );
}

/**
 * Serialises catalog writes, so two entries with the same name cannot both pass the collision
 * check: the catalog is small and rarely written, a table lock costs nothing here.
 */
export async function lockCatalog(db: Database): Promise<void> {
  await db.execute(sql`lock table ${certificationCatalog} in share row exclusive mode`);
}

export async function insertCatalogEntry(
  db: Database,
  values: typeof certificationCatalog.$inferInsert,
): Promise<CertificationCatalogRow> {
  const [row] = await db.insert(certificationCatalog).values(values).returning();
  if (!row) throw new Error('catalog insert returned nothing');
  return row;
}

export async function updateCatalogEntry(
  db: Database,
  id: string,
  values: Partial<typeof certificationCatalog.$inferInsert>,
): Promise<CertificationCatalogRow | null> {
  const [row] = await db
    .update(certificationCatalog)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(certificationCatalog.id, id))
    .returning();
  return row ?? null;
}

// ---------------------------------------------------------------- employees' certifications

/**
 * The current records (not renewed, not removed) of these employees, expired ones included,
 * ordered by employee and then catalog name: one statement however many employees.
 */
export async function findCurrentCertifications(
  db: Database,
  employeeIds: readonly string[],
): Promise<EmployeeCertificationRow[]> {
  if (employeeIds.length === 0) return [];
  const rows = await db
    .select({ certification: employeeCertifications })
    .from(employeeCertifications)
    .innerJoin(certificationCatalog, eq(certificationCatalog.id, employeeCertifications.catalogEntryId))
    .where(and(inArray(employeeCertifications.employeeId, [...employeeIds]), isCurrent))
    .orderBy(asc(employeeCertifications.employeeId), asc(certificationCatalog.name), asc(employeeCertifications.id));
  return rows.map((row) => row.certification);
}

/** Current records of these catalog entries (any holder): for matching by certification. */
export async function findCurrentCertificationsOfEntries(
  db: Database,
  catalogEntryIds: readonly string[],
): Promise<EmployeeCertificationRow[]> {
  if (catalogEntryIds.length === 0) return [];
  return db
    .select()
    .from(employeeCertifications)
    .where(and(inArray(employeeCertifications.catalogEntryId, [...catalogEntryIds]), isCurrent));
}

/** Records by id, whatever their state (renewed and removed ones too: history stays readable). */
export async function findCertificationsByIds(db: Database, ids: readonly string[]): Promise<EmployeeCertificationRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(employeeCertifications).where(inArray(employeeCertifications.id, [...ids]));
}

/** The records that renewed these ones. */
export async function findRenewalsOf(db: Database, ids: readonly string[]): Promise<EmployeeCertificationRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(employeeCertifications).where(inArray(employeeCertifications.renewedFromId, [...ids]));
}

/** Current records expiring from `from` to `to`, both included. */
export async function findExpiringCertifications(
  db: Database,
  from: CalendarDate,
  to: CalendarDate,
): Promise<EmployeeCertificationRow[]> {
  return db
    .select()
    .from(employeeCertifications)
    .where(and(isCurrent, gte(employeeCertifications.expiresOn, from), lte(employeeCertifications.expiresOn, to)))
    .orderBy(asc(employeeCertifications.expiresOn));
}

/** Locks one record for a change, so concurrent decisions on it run one after the other. */
export async function lockCertification(db: Database, id: string): Promise<EmployeeCertificationRow | null> {
  const [row] = await db.select().from(employeeCertifications).where(eq(employeeCertifications.id, id)).for('update');
  return row ?? null;
}

/** The employee's current record of a catalog entry, locked. */
export async function lockCurrentCertification(
  db: Database,
  employeeId: string,
  catalogEntryId: string,
): Promise<EmployeeCertificationRow | null> {
  const [row] = await db
    .select()
    .from(employeeCertifications)
    .where(
      and(
        eq(employeeCertifications.employeeId, employeeId),
        eq(employeeCertifications.catalogEntryId, catalogEntryId),
        isCurrent,
      ),
    )
    .for('update');
  return row ?? null;
}

/** A record of someone other than `employeeId` with this credential id for this catalog entry. */
export async function findCredentialHeldByOther(
  db: Database,
  catalogEntryId: string,
  credentialId: string,
  employeeId: string,
): Promise<EmployeeCertificationRow | null> {
  const [row] = await db
    .select()
    .from(employeeCertifications)
    .where(
      and(
        eq(employeeCertifications.catalogEntryId, catalogEntryId),
        sql`lower(${employeeCertifications.credentialId}) = lower(${credentialId})`,
        ne(employeeCertifications.employeeId, employeeId),
        isNull(employeeCertifications.removedAt),
      ),
    )
    .limit(1);
  return row ?? null;
}

export type NewCertification = typeof employeeCertifications.$inferInsert;

export async function insertCertification(
  db: Database,
  values: NewCertification,
): Promise<EmployeeCertificationRow> {
  const [row] = await db.insert(employeeCertifications).values(values).returning();
  if (!row) throw new Error('certification insert returned nothing');
  return row;
}

export async function updateCertification(
  db: Database,
  id: string,
  values: Partial<typeof employeeCertifications.$inferInsert>,
): Promise<EmployeeCertificationRow> {
  const [row] = await db
    .update(employeeCertifications)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(employeeCertifications.id, id))
    .returning();
  if (!row) throw new Error(`certification ${id} vanished while locked`);
  return row;
}
