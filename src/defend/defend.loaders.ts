import type { Database } from '../db/database.js';
import { groupedLoader } from '../shared/loaders.js';
import * as store from './defend.store.js';
import type { InsiderThreatSignalRow } from './defend.tables.js';

/** Per-request loaders of the Defend domain: signals of many employees in one statement. */
export function createDefendLoaders(db: Database) {
  const signalsOfEmployee = groupedLoader<InsiderThreatSignalRow>((employeeIds) => store.findSignalsOfEmployees(db, employeeIds), (row) => row.employeeId);
  return { signalsOfEmployee };
}

export type DefendLoaders = ReturnType<typeof createDefendLoaders>;
