import type { Database } from '../db/database.js';
import { byIdLoader, byKeyLoader, datedLoader, groupedLoader } from '../shared/loaders.js';
import { departmentOn, type DepartmentModel, type DepartmentTimeline } from './organisation.model.js';
import { findChanges, findDepartmentTimelines, findLocations, listLocationRows } from './organisation.store.js';
import type { LocationRow, OrganisationChangeRow } from './organisation.tables.js';

// Per-request loaders of the organisation. A department's whole timeline is cached once, and any
// day is read off it without SQL; the tree (parents, children, subtrees) reads every department
// once per request. Departments are few, so that one statement serves every tree question.

export function createOrganisationLoaders(db: Database) {
  const departmentTimeline = byKeyLoader<DepartmentTimeline>((ids) => findDepartmentTimelines(db, ids), (timeline) => timeline.row.id);

  let everyDepartment: Promise<DepartmentTimeline[]> | undefined;
  /** Every department's timeline (for lists and the tree), read once per request. */
  const allDepartments = (): Promise<DepartmentTimeline[]> =>
    (everyDepartment ??= findDepartmentTimelines(db).then((timelines) => {
      for (const timeline of timelines) departmentTimeline.prime(timeline.row.id, timeline);
      return timelines;
    }));

  /** A department as it stood on a day: its timeline (one statement per batch, whatever the days), read on that day. */
  const department = datedLoader<DepartmentModel | null>(async (ids, asOf) => {
    const timelines = await departmentTimeline.loadMany(ids);
    const found = new Map<string, DepartmentModel>();
    for (const timeline of timelines) {
      if (timeline instanceof Error) throw timeline;
      if (timeline) found.set(timeline.row.id, departmentOn(timeline, asOf));
    }
    return found;
  }, null);

  const location = byIdLoader<LocationRow>((ids) => findLocations(db, ids));

  let everyLocation: Promise<LocationRow[]> | undefined;
  const allLocations = (): Promise<LocationRow[]> =>
    (everyLocation ??= listLocationRows(db).then((rows) => {
      for (const row of rows) location.prime(row.id, row);
      return rows;
    }));

  return {
    departmentTimeline,
    allDepartments,
    department,
    location,
    allLocations,
    departmentHistory: groupedLoader<OrganisationChangeRow>((ids) => findChanges(db, 'department', ids), (row) => row.departmentId ?? ''),
    locationHistory: groupedLoader<OrganisationChangeRow>((ids) => findChanges(db, 'location', ids), (row) => row.locationId ?? ''),
  };
}

export type OrganisationLoaders = ReturnType<typeof createOrganisationLoaders>;
