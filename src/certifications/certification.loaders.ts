import type { Database } from '../db/database.js';
import { byIdLoader, byKeyLoader, groupedLoader } from '../shared/loaders.js';
import * as store from './certification.store.js';
import type { CertificationCatalogRow, EmployeeCertificationRow } from './certification.tables.js';

/** Per-request loaders of the certification domain: lists of employees never cost N+1. */
export function createCertificationLoaders(db: Database) {
  const byId = byIdLoader((ids) => store.findCertificationsByIds(db, ids));

  /**
   * Each employee's current records (expired ones too), by catalog name. Keyed by employee only:
   * the day and `includeExpired` filter in memory, so one `_entities` batch is one statement.
   */
  const current = groupedLoader<EmployeeCertificationRow>(async (employeeIds) => {
    const rows = await store.findCurrentCertifications(db, employeeIds);
    for (const row of rows) byId.prime(row.id, row);
    return rows;
  }, (row) => row.employeeId);

  /** The record that renewed each one (null while it is current). */
  const renewal = byKeyLoader<EmployeeCertificationRow>(async (ids) => {
    const rows = await store.findRenewalsOf(db, ids);
    for (const row of rows) byId.prime(row.id, row);
    return rows;
  }, (row) => row.renewedFromId ?? '');

  const catalogEntry = byIdLoader<CertificationCatalogRow>((ids) => store.findCatalogEntriesByIds(db, ids));

  return { byId, current, renewal, catalogEntry };
}

export type CertificationLoaders = ReturnType<typeof createCertificationLoaders>;
