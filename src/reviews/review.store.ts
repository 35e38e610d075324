import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { employeeNames } from '../employees/employee.service.js';
import {
  performanceReviews,
  reviewCycles,
  type PerformanceReviewRow,
  type PerformanceReviewStateValue,
  type ReviewCycleRow,
} from './review.tables.js';

// Data access for reviews: SQL only, no rules; set-based, so loaders batch it.

const r = performanceReviews;

export async function findCyclesByIds(db: Database, ids: readonly string[]): Promise<ReviewCycleRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(reviewCycles).where(inArray(reviewCycles.id, [...ids]));
}

export async function findCycles(db: Database): Promise<ReviewCycleRow[]> {
  return db.select().from(reviewCycles).orderBy(desc(reviewCycles.startsOn), desc(reviewCycles.createdAt));
}

export async function lockCycle(db: Database, id: string): Promise<ReviewCycleRow | null> {
  const [row] = await db.select().from(reviewCycles).where(eq(reviewCycles.id, id)).for('update');
  return row ?? null;
}

export async function insertCycle(db: Database, values: typeof reviewCycles.$inferInsert): Promise<ReviewCycleRow> {
  const [row] = await db.insert(reviewCycles).values(values).returning();
  if (!row) throw new Error('inserting a review cycle returned no row');
  return row;
}

export async function markCycleReleased(db: Database, id: string, at: Date): Promise<void> {
  await db.update(reviewCycles).set({ releasedAt: at }).where(eq(reviewCycles.id, id));
}

export async function insertReviews(db: Database, values: (typeof performanceReviews.$inferInsert)[]): Promise<void> {
  if (values.length > 0) await db.insert(r).values(values);
}

export async function findReviewsByIds(db: Database, ids: readonly string[]): Promise<PerformanceReviewRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(r).where(inArray(r.id, [...ids]));
}

/** Every review of the employees, newest cycle first (by start day). */
export async function findReviewsOfEmployees(db: Database, employeeIds: readonly string[]): Promise<PerformanceReviewRow[]> {
  if (employeeIds.length === 0) return [];
  const rows = await db
    .select({ review: r })
    .from(r)
    .innerJoin(reviewCycles, eq(reviewCycles.id, r.cycleId))
    .where(inArray(r.employeeId, [...employeeIds]))
    .orderBy(desc(reviewCycles.startsOn), desc(reviewCycles.createdAt));
  return rows.map((row) => row.review);
}

/** Every review of the cycles, by employee name. */
export async function findReviewsOfCycles(db: Database, cycleIds: readonly string[]): Promise<PerformanceReviewRow[]> {
  if (cycleIds.length === 0) return [];
  const names = employeeNames(db);
  const rows = await db
    .select({ review: r })
    .from(r)
    .innerJoin(names, eq(names.id, r.employeeId))
    .where(inArray(r.cycleId, [...cycleIds]))
    .orderBy(asc(names.lastName), asc(names.firstName), asc(r.id));
  return rows.map((row) => row.review);
}

const openStates: PerformanceReviewStateValue[] = ['NOT_STARTED', 'IN_PROGRESS'];

/**
 * Reviews whose manager review the given people might write: open ones (not submitted) whose
 * start-day manager is `managerId`, whose employee is one of `employeeIds` (those below the
 * caller: the line above a manager who left), or, with `includeManagerless`, that have no manager.
 */
export async function findOpenManagerReviews(
  db: Database,
  criteria: { managerId: string | null; employeeIds: readonly string[]; includeManagerless: boolean },
): Promise<PerformanceReviewRow[]> {
  const whose = [
    criteria.managerId !== null ? eq(r.managerId, criteria.managerId) : undefined,
    criteria.employeeIds.length > 0 ? inArray(r.employeeId, [...criteria.employeeIds]) : undefined,
    criteria.includeManagerless ? isNull(r.managerId) : undefined,
  ].filter((condition) => condition !== undefined);
  // No criterion is nobody, not everyone.
  if (whose.length === 0) return [];
  return db
    .select()
    .from(r)
    .where(and(inArray(r.state, openStates), or(...whose)));
}

export async function lockReview(db: Database, id: string): Promise<PerformanceReviewRow | null> {
  const [row] = await db.select().from(r).where(eq(r.id, id)).for('update');
  return row ?? null;
}

export async function updateReview(db: Database, id: string, values: Partial<typeof performanceReviews.$inferInsert>): Promise<void> {
  await db.update(r).set(values).where(eq(r.id, id));
}

/** Releases every SUBMITTED review of a cycle; answers which (ids and employees). */
export async function releaseSubmittedReviews(
  db: Database,
  cycleId: string,
  at: Date,
  by: string,
): Promise<{ id: string; employeeId: string }[]> {
  return db
    .update(r)
    .set({ state: 'RELEASED', releasedAt: at, releasedBy: by })
    .where(and(eq(r.cycleId, cycleId), eq(r.state, 'SUBMITTED')))
    .returning({ id: r.id, employeeId: r.employeeId });
}

/** For the demo seed's "already there?" check. */
export async function countCycles(db: Database): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(reviewCycles);
  return row?.count ?? 0;
}
