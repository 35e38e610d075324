import { asc, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { departments, locations, type DepartmentRow, type LocationRow } from './organisation.tables.js';

export function listDepartments(db: Database): Promise<DepartmentRow[]> {
  return db.select().from(departments).orderBy(asc(departments.name));
}

export function listLocations(db: Database): Promise<LocationRow[]> {
  return db.select().from(locations).orderBy(asc(locations.name));
}

export function findDepartments(db: Database, ids: readonly string[]): Promise<DepartmentRow[]> {
  return ids.length ? db.select().from(departments).where(inArray(departments.id, [...ids])) : Promise.resolve([]);
}

export function findLocations(db: Database, ids: readonly string[]): Promise<LocationRow[]> {
  return ids.length ? db.select().from(locations).where(inArray(locations.id, [...ids])) : Promise.resolve([]);
}

export async function insertDepartment(db: Database, values: typeof departments.$inferInsert): Promise<DepartmentRow> {
  const [row] = await db.insert(departments).values(values).returning();
  if (!row) throw new Error('insert into departments returned no row');
  return row;
}

export async function insertLocation(db: Database, values: typeof locations.$inferInsert): Promise<LocationRow> {
  const [row] = await db.insert(locations).values(values).returning();
  if (!row) throw new Error('insert into locations returned no row');
  return row;
}
