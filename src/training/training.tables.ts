import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { certificationCatalog } from '../certifications/certification.tables.js';
import { employees, employmentType } from '../employees/employee.tables.js';
import { departments, locations } from '../organisation/organisation.tables.js';

// Training: a course catalog, rules that require courses of the people they match (like time-off
// policy assignment rules), and enrollments. EXPIRED is never stored: a completion runs out when
// a rule with renewal applies, which is worked out for the day asked about (training.status.ts).

/** Stored statuses; the API adds EXPIRED for a completion that has run out. */
export const trainingEnrollmentStatus = pgEnum('training_enrollment_status', ['ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'WITHDRAWN']);
export const trainingEnrollmentSource = pgEnum('training_enrollment_source', ['SELF', 'LINE', 'HR', 'REQUIREMENT', 'RENEWAL']);

export const trainingCourses = pgTable(
  'training_courses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    provider: text('provider').notNull(),
    hours: numeric('hours', { precision: 7, scale: 2, mode: 'number' }).notNull(),
    description: text('description'),
    url: text('url'),
    certificationCatalogEntryId: uuid('certification_catalog_entry_id').references(() => certificationCatalog.id),
    selfEnrollment: boolean('self_enrollment').notNull().default(false),
    selfPaced: boolean('self_paced').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('training_courses_title_provider_uq').on(sql`lower(${t.title})`, sql`lower(${t.provider})`)],
);

export const trainingRequirements = pgTable(
  'training_requirements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => trainingCourses.id),
    departmentId: uuid('department_id').references(() => departments.id),
    locationId: uuid('location_id').references(() => locations.id),
    employmentType: employmentType('employment_type'),
    dueWithinDays: integer('due_within_days').notNull(),
    renewalMonths: integer('renewal_months'),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** Set when removed; a removed rule enrolls nobody. */
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
    removedBy: text('removed_by'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('training_requirements_course_idx').on(t.courseId)],
);

export const trainingEnrollments = pgTable(
  'training_enrollments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    courseId: uuid('course_id')
      .notNull()
      .references(() => trainingCourses.id),
    status: trainingEnrollmentStatus('status').notNull().default('ENROLLED'),
    source: trainingEnrollmentSource('source').notNull(),
    /** The rule that required it (REQUIREMENT, RENEWAL). */
    requirementId: uuid('requirement_id').references(() => trainingRequirements.id),
    dueOn: date('due_on', { mode: 'string' }),
    enrolledBy: text('enrolled_by').notNull(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    completedOn: date('completed_on', { mode: 'string' }),
    score: numeric('score', { precision: 5, scale: 2, mode: 'number' }),
    completedBy: text('completed_by'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    withdrawnBy: text('withdrawn_by'),
    withdrawalReason: text('withdrawal_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // One open enrollment per employee and course: racing enrollments (and assignment runs) cannot both land.
    uniqueIndex('training_enrollments_open_uq')
      .on(t.employeeId, t.courseId)
      .where(sql`${t.status} in ('ENROLLED', 'IN_PROGRESS')`),
    index('training_enrollments_employee_idx').on(t.employeeId),
    index('training_enrollments_course_idx').on(t.courseId),
  ],
);

export type TrainingCourseRow = typeof trainingCourses.$inferSelect;
export type TrainingRequirementRow = typeof trainingRequirements.$inferSelect;
export type TrainingEnrollmentRow = typeof trainingEnrollments.$inferSelect;
export type TrainingEnrollmentStatusValue = (typeof trainingEnrollmentStatus.enumValues)[number];
export type TrainingEnrollmentSourceValue = (typeof trainingEnrollmentSource.enumValues)[number];
