import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { FieldChangeValue } from '../employees/employee.service.js';
import { groupBy } from '../shared/collections.js';
import type { CalendarDate } from '../shared/dates.js';
import type { DatedDepartmentField, DepartmentState, DepartmentTimeline } from './organisation.model.js';
import {
  departments,
  departmentVersions,
  locations,
  organisationChanges,
  type DepartmentRow,
  type LocationRow,
  type OrganisationChangeKindValue,
  type OrganisationChangeRow,
} from './organisation.tables.js';

// Data access for departments and locations: SQL only, no rules. Reads are set-based so the
// loaders can batch them.

/** Since always: the first day of departments written without a date (demo data, fixtures, migration 0007). */
export const sinceAlways: CalendarDate = '1900-01-01';

// ---------------------------------------------------------------- reads

/**
 * Departments with their whole timelines, of `ids` or of every department: one statement (each
 * version joined to its department), grouped here. A department without a version cannot be read
 * as of any day; only a row written by hand is one, and it is left out.
 */
export async function findDepartmentTimelines(db: Database, ids?: readonly string[]): Promise<DepartmentTimeline[]> {
  if (ids?.length === 0) return [];
  const rows = await db
    .select({ row: departments, version: departmentVersions })
    .from(departments)
    .innerJoin(departmentVersions, eq(departmentVersions.departmentId, departments.id))
    .where(ids ? inArray(departments.id, [...ids]) : undefined)
    .orderBy(asc(departmentVersions.effectiveFrom), asc(departmentVersions.sequence));
  return [...groupBy(rows, (joined) => joined.row.id).values()].flatMap((group) => {
    const [first] = group;
    return first ? [{ row: first.row, versions: group.map((joined) => joined.version) }] : [];
  });
}

/** Department rows (no dated fields) of `ids`: which of them exist. */
export function findDepartments(db: Database, ids: readonly string[]): Promise<DepartmentRow[]> {
  return ids.length ? db.select().from(departments).where(inArray(departments.id, [...ids])) : Promise.resolve([]);
}

export function findLocations(db: Database, ids: readonly string[]): Promise<LocationRow[]> {
  return ids.length ? db.select().from(locations).where(inArray(locations.id, [...ids])) : Promise.resolve([]);
}

export function listLocationRows(db: Database): Promise<LocationRow[]> {
  return db.select().from(locations).orderBy(asc(locations.name), asc(locations.id));
}

/** Departments as bare rows (no dated fields), e.g. to tell which ids exist. */
export function listDepartmentRows(db: Database): Promise<DepartmentRow[]> {
  return db.select().from(departments).orderBy(asc(departments.code));
}

/** Whether another location has this name, whatever its case: "Berlin office" and "Berlin Office" would read as one site. */
export async function isLocationNameTaken(db: Database, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(sql`lower(${locations.name}) = ${name.toLowerCase()}`, exceptId ? sql`${locations.id} <> ${exceptId}` : undefined));
  return rows.length > 0;
}

export type OrganisationUnitKind = 'department' | 'location';

/** Recorded changes of departments or locations, newest first. */
export async function findChanges(db: Database, unit: OrganisationUnitKind, ids: readonly string[]): Promise<OrganisationChangeRow[]> {
  if (ids.length === 0) return [];
  const column = unit === 'department' ? organisationChanges.departmentId : organisationChanges.locationId;
  return db
    .select()
    .from(organisationChanges)
    .where(and(isNotNull(column), inArray(column, [...ids])))
    .orderBy(desc(organisationChanges.sequence));
}

/** Departments of which `employeeId` is head in any version: a hire-date correction must keep them headed by someone employed. */
export async function findDepartmentsHeadedBy(db: Database, employeeId: string): Promise<{ departmentId: string; effectiveFrom: CalendarDate }[]> {
  return db
    .select({ departmentId: departmentVersions.departmentId, effectiveFrom: departmentVersions.effectiveFrom })
    .from(departmentVersions)
    .where(and(eq(departmentVersions.headId, employeeId), sql`'headId' = any(${departmentVersions.fields})`))
    .orderBy(asc(departmentVersions.effectiveFrom));
}

// ---------------------------------------------------------------- locks (inside the caller's transaction)

/**
 * Serialises changes to the department tree: a move and a rename are checked against every other
 * department on every later day, so two racing changes must not both pass their checks.
 */
export async function lockDepartmentTree(db: Database): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('people.department-tree'))`);
}

export async function lockLocation(db: Database, id: string): Promise<LocationRow | null> {
  const rows = await db.select().from(locations).where(eq(locations.id, id)).for('update');
  return rows[0] ?? null;
}

export async function lockDepartmentRow(db: Database, id: string): Promise<DepartmentRow | null> {
  const rows = await db.select().from(departments).where(eq(departments.id, id)).for('update');
  return rows[0] ?? null;
}

export interface AssignableUnit {
  id: string;
  archivedOn: CalendarDate | null;
  /** The first day it exists; null for locations, which are not dated. */
  existsFrom: CalendarDate | null;
}

/**
 * Departments and locations about to get someone, share-locked: archiving takes the row's update
 * lock, so a move into a unit and its archiving cannot pass their checks at the same time.
 */
export async function lockUnitsForAssignment(
  db: Database,
  ids: { departmentId?: string | null | undefined; locationId?: string | null | undefined },
): Promise<{ department: AssignableUnit | null; location: AssignableUnit | null }> {
  const [department] = ids.departmentId
    ? await db
        .select({
          id: departments.id,
          archivedOn: departments.archivedOn,
          // Spelled out: drizzle leaves columns of a one-table select unqualified, and a bare "id"
          // in the subquery would be the version's own.
          existsFrom: sql<CalendarDate | null>`(select min(v.effective_from)::text from ${departmentVersions} v where v.department_id = ${departments}.id)`,
        })
        .from(departments)
        .where(eq(departments.id, ids.departmentId))
        .for('share')
    : [];
  const [location] = ids.locationId
    ? await db
        .select({ id: locations.id, archivedOn: locations.archivedOn })
        .from(locations)
        .where(eq(locations.id, ids.locationId))
        .for('share')
    : [];
  return { department: department ?? null, location: location ? { ...location, existsFrom: null } : null };
}

// ---------------------------------------------------------------- writes (inside the caller's transaction)

export async function insertChange(
  db: Database,
  values: {
    unit: OrganisationUnitKind;
    unitId: string;
    kind: OrganisationChangeKindValue;
    recordedBy: string;
    effectiveFrom: CalendarDate;
    reason: string | null;
    changes: FieldChangeValue[];
  },
): Promise<string> {
  const { unit, unitId, ...rest } = values;
  const [row] = await db
    .insert(organisationChanges)
    .values({ ...rest, departmentId: unit === 'department' ? unitId : null, locationId: unit === 'location' ? unitId : null })
    .returning({ id: organisationChanges.id });
  if (!row) throw new Error('insert into organisation_changes returned no row');
  return row.id;
}

export async function insertDepartmentRow(db: Database, values: typeof departments.$inferInsert): Promise<DepartmentRow> {
  const [row] = await db.insert(departments).values(values).returning();
  if (!row) throw new Error('insert into departments returned no row');
  return row;
}

export async function insertVersion(
  db: Database,
  departmentId: string,
  changeId: string,
  effectiveFrom: CalendarDate,
  values: Partial<DepartmentState>,
): Promise<void> {
  const fields = Object.keys(values) as DatedDepartmentField[];
  await db.insert(departmentVersions).values({ departmentId, changeId, effectiveFrom, fields, ...values });
}

export async function updateDepartmentRow(db: Database, id: string, values: Partial<typeof departments.$inferInsert>): Promise<void> {
  await db
    .update(departments)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(departments.id, id));
}

export async function insertLocationRow(db: Database, values: typeof locations.$inferInsert): Promise<LocationRow> {
  const [row] = await db.insert(locations).values(values).returning();
  if (!row) throw new Error('insert into locations returned no row');
  return row;
}

export async function updateLocationRow(db: Database, id: string, values: Partial<typeof locations.$inferInsert>): Promise<void> {
  await db
    .update(locations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(locations.id, id));
}

// ---------------------------------------------------------------- seeding and fixtures

/**
 * A department in place since always, as the demo data and test fixtures set one up (no caller,
 * no event): the row, its CREATED change and its first version.
 */
export async function insertDepartment(
  db: Database,
  values: { id?: string; name: string; code: string; parentId?: string | null; costCentre?: string | null },
): Promise<DepartmentRow & { name: string }> {
  const row = await insertDepartmentRow(db, { ...(values.id ? { id: values.id } : {}), code: values.code });
  const state: Partial<DepartmentState> = { name: values.name };
  if (values.parentId) state.parentId = values.parentId;
  if (values.costCentre) state.costCentre = values.costCentre;
  const changeId = await insertChange(db, {
    unit: 'department',
    unitId: row.id,
    kind: 'CREATED',
    recordedBy: 'system:seed',
    effectiveFrom: sinceAlways,
    reason: null,
    changes: [
      { field: 'code', before: null, after: values.code },
      ...Object.entries(state).map(([field, after]) => ({ field, before: null, after: after ?? null })),
    ],
  });
  await insertVersion(db, row.id, changeId, sinceAlways, state);
  return { ...row, name: values.name };
}

/** A location as the demo data and test fixtures set one up (no caller, no event). */
export function insertLocation(db: Database, values: typeof locations.$inferInsert): Promise<LocationRow> {
  return insertLocationRow(db, values);
}
