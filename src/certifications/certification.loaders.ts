import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import { groupBy } from '../shared/collections.js';
import { isUuid } from '../shared/ids.js';
import * as store from './certification.store.js';
import type { CertificationCatalogRow, EmployeeCertificationRow } from './certification.tables.js';

/** Rows by id, in the order asked, null where none: one statement per batch. */
function byIdLoader<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const rows = await find(ids.filter(isUuid));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatchSize: 5000 },
  );
}

/** Per-request loaders of the certification domain: lists of employees never cost N+1. */
export function createCertificationLoaders(db: Database) {
  const certification = byIdLoader((ids) => store.findCertificationsByIds(db, ids));

  /**
   * Each employee's current records (expired ones too), by catalog name. Keyed by employee only:
   * the day and `includeExpired` filter in memory, so one `_entities` batch is one statement.
   */
  const currentCertifications = new DataLoader<string, EmployeeCertificationRow[]>(
    async (employeeIds) => {
      const rows = await store.findCurrentCertifications(db, employeeIds.filter(isUuid));
      for (const row of rows) certification.prime(row.id, row);
      const grouped = groupBy(rows, (row) => row.employeeId);
      return employeeIds.map((id) => grouped.get(id) ?? []);
    },
    { maxBatchSize: 5000 },
  );

  /** The record that renewed each one (null while it is current). */
  const certificationRenewal = new DataLoader<string, EmployeeCertificationRow | null>(
    async (ids) => {
      const rows = await store.findRenewalsOf(db, ids.filter(isUuid));
      for (const row of rows) certification.prime(row.id, row);
      const byRenewed = new Map(rows.map((row) => [row.renewedFromId ?? '', row]));
      return ids.map((id) => byRenewed.get(id) ?? null);
    },
    { maxBatchSize: 5000 },
  );

  const catalogEntry = byIdLoader<CertificationCatalogRow>((ids) => store.findCatalogEntriesByIds(db, ids));

  return { certification, currentCertifications, certificationRenewal, catalogEntry };
}

export type CertificationLoaders = ReturnType<typeof createCertificationLoaders>;
