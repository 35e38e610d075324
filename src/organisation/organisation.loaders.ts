import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import { isUuid } from '../shared/ids.js';
import { findDepartments, findLocations } from './organisation.store.js';
import type { DepartmentRow, LocationRow } from './organisation.tables.js';

function byIdLoader<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await find(ids.filter(isUuid));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function createOrganisationLoaders(db: Database) {
  return {
    department: byIdLoader<DepartmentRow>((ids) => findDepartments(db, ids)),
    location: byIdLoader<LocationRow>((ids) => findLocations(db, ids)),
  };
}

export type OrganisationLoaders = ReturnType<typeof createOrganisationLoaders>;
