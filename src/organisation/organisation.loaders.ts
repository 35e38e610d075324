import type { Database } from '../db/database.js';
import { byIdLoader } from '../shared/loaders.js';
import { findDepartments, findLocations } from './organisation.store.js';
import type { DepartmentRow, LocationRow } from './organisation.tables.js';

export function createOrganisationLoaders(db: Database) {
  return {
    department: byIdLoader<DepartmentRow>((ids) => findDepartments(db, ids)),
    location: byIdLoader<LocationRow>((ids) => findLocations(db, ids)),
  };
}

export type OrganisationLoaders = ReturnType<typeof createOrganisationLoaders>;
