import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import {
  trainingCourses,
  trainingEnrollments,
  trainingRequirements,
  type TrainingCourseRow,
  type TrainingEnrollmentRow,
  type TrainingRequirementRow,
} from './training.tables.js';

// Data access for training: SQL only, no rules; set-based, so loaders batch it.

const e = trainingEnrollments;

export const openStatuses = ['ENROLLED', 'IN_PROGRESS'] as const;

// ---------------------------------------------------------------- courses

export async function findCourses(db: Database, options: { search: string | null; includeInactive: boolean }): Promise<TrainingCourseRow[]> {
  const pattern = options.search ? `%${options.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
  return db
    .select()
    .from(trainingCourses)
    .where(
      and(
        options.includeInactive ? undefined : eq(trainingCourses.active, true),
        pattern ? or(ilike(trainingCourses.title, pattern), ilike(trainingCourses.provider, pattern)) : undefined,
      ),
    )
    .orderBy(asc(trainingCourses.title), asc(trainingCourses.provider));
}

export async function findCoursesByIds(db: Database, ids: readonly string[]): Promise<TrainingCourseRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(trainingCourses).where(inArray(trainingCourses.id, [...ids]));
}

export async function lockCourse(db: Database, id: string): Promise<TrainingCourseRow | null> {
  const [row] = await db.select().from(trainingCourses).where(eq(trainingCourses.id, id)).for('update');
  return row ?? null;
}

export async function insertCourse(db: Database, values: typeof trainingCourses.$inferInsert): Promise<TrainingCourseRow> {
  const [row] = await db.insert(trainingCourses).values(values).returning();
  if (!row) throw new Error('inserting a course returned no row');
  return row;
}

export async function updateCourse(db: Database, id: string, values: Partial<typeof trainingCourses.$inferInsert>): Promise<void> {
  await db.update(trainingCourses).set({ ...values, updatedAt: sql`now()` }).where(eq(trainingCourses.id, id));
}

// ---------------------------------------------------------------- requirements

/** Rules, by course title; removed ones too when asked. */
export async function findRequirements(db: Database, options: { includeRemoved: boolean }): Promise<TrainingRequirementRow[]> {
  const rows = await db
    .select({ requirement: trainingRequirements })
    .from(trainingRequirements)
    .innerJoin(trainingCourses, eq(trainingCourses.id, trainingRequirements.courseId))
    .where(options.includeRemoved ? undefined : isNull(trainingRequirements.removedAt))
    .orderBy(asc(trainingCourses.title), asc(trainingRequirements.createdAt), asc(trainingRequirements.id));
  return rows.map((row) => row.requirement);
}

export async function findRequirementsByIds(db: Database, ids: readonly string[]): Promise<TrainingRequirementRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(trainingRequirements).where(inArray(trainingRequirements.id, [...ids]));
}

export async function lockRequirement(db: Database, id: string): Promise<TrainingRequirementRow | null> {
  const [row] = await db.select().from(trainingRequirements).where(eq(trainingRequirements.id, id)).for('update');
  return row ?? null;
}

export async function insertRequirement(db: Database, values: typeof trainingRequirements.$inferInsert): Promise<TrainingRequirementRow> {
  const [row] = await db.insert(trainingRequirements).values(values).returning();
  if (!row) throw new Error('inserting a training requirement returned no row');
  return row;
}

export async function markRequirementRemoved(db: Database, id: string, at: Date, by: string): Promise<void> {
  await db.update(trainingRequirements).set({ removedAt: at, removedBy: by }).where(eq(trainingRequirements.id, id));
}

// ---------------------------------------------------------------- enrollments

export async function findEnrollmentsByIds(db: Database, ids: readonly string[]): Promise<TrainingEnrollmentRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(e).where(inArray(e.id, [...ids]));
}

/** Every enrollment of the employees: open ones first by due date, then the rest newest first. */
export async function findEnrollmentsOfEmployees(db: Database, employeeIds: readonly string[]): Promise<TrainingEnrollmentRow[]> {
  if (employeeIds.length === 0) return [];
  return db
    .select()
    .from(e)
    .where(inArray(e.employeeId, [...employeeIds]))
    .orderBy(
      sql`case when ${e.status} in ('ENROLLED', 'IN_PROGRESS') then 0 else 1 end`,
      sql`case when ${e.status} in ('ENROLLED', 'IN_PROGRESS') then ${e.dueOn} end asc nulls last`,
      desc(sql`coalesce(${e.completedOn}::timestamptz, ${e.withdrawnAt}, ${e.enrolledAt})`),
      desc(e.enrolledAt),
      asc(e.id),
    );
}

/** Every enrollment (any status) in the courses, for rules over the whole organisation. */
export async function findEnrollmentsInCourses(db: Database, courseIds: readonly string[]): Promise<TrainingEnrollmentRow[]> {
  if (courseIds.length === 0) return [];
  return db.select().from(e).where(inArray(e.courseId, [...courseIds]));
}

export async function lockEnrollment(db: Database, id: string): Promise<TrainingEnrollmentRow | null> {
  const [row] = await db.select().from(e).where(eq(e.id, id)).for('update');
  return row ?? null;
}

export async function findOpenEnrollment(db: Database, employeeId: string, courseId: string): Promise<TrainingEnrollmentRow | null> {
  const [row] = await db
    .select()
    .from(e)
    .where(and(eq(e.employeeId, employeeId), eq(e.courseId, courseId), inArray(e.status, [...openStatuses])));
  return row ?? null;
}

export async function insertEnrollment(db: Database, values: typeof trainingEnrollments.$inferInsert): Promise<TrainingEnrollmentRow> {
  const [row] = await db.insert(e).values(values).returning();
  if (!row) throw new Error('inserting an enrollment returned no row');
  return row;
}

/**
 * Enrollments a rule requires; one that would be a second open enrollment of the course (another
 * run, or someone enrolled them meanwhile) is skipped. Answers the rows inserted.
 */
export async function insertRequiredEnrollments(
  db: Database,
  values: (typeof trainingEnrollments.$inferInsert)[],
): Promise<TrainingEnrollmentRow[]> {
  if (values.length === 0) return [];
  return db.insert(e).values(values).onConflictDoNothing().returning();
}

export async function updateEnrollment(db: Database, id: string, values: Partial<typeof trainingEnrollments.$inferInsert>): Promise<void> {
  await db.update(e).set({ ...values, updatedAt: sql`now()` }).where(eq(e.id, id));
}
