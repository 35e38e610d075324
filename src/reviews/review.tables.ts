import { date, index, jsonb, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { employees, type EmploymentTypeValue } from '../employees/employee.tables.js';

// Performance reviews: cycles (period, participants, due dates, rating scale and questions, all
// as data) and one review per employee and cycle, holding the employee's self review and their
// manager's review. The review's overall state is stored; each form's state is too.

export const performanceReviewState = pgEnum('performance_review_state', ['NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'RELEASED', 'ACKNOWLEDGED']);
export const reviewFormState = pgEnum('review_form_state', ['NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED']);

export interface RatingLevel {
  value: number;
  label: string;
}

export interface ReviewQuestionValue {
  id: string;
  text: string;
  kind: 'RATING' | 'TEXT';
}

/** Who is in a cycle; an empty list matches anyone. */
export interface ReviewParticipantsValue {
  departmentIds: string[];
  locationIds: string[];
  employmentTypes: EmploymentTypeValue[];
}

export interface ReviewAnswerValue {
  questionId: string;
  rating: number | null;
  text: string | null;
}

export const reviewCycles = pgTable('review_cycles', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  selfReviewDueOn: date('self_review_due_on', { mode: 'string' }).notNull(),
  managerReviewDueOn: date('manager_review_due_on', { mode: 'string' }).notNull(),
  ratingScale: jsonb('rating_scale').$type<RatingLevel[]>().notNull(),
  questions: jsonb('questions').$type<ReviewQuestionValue[]>().notNull(),
  participants: jsonb('participants').$type<ReviewParticipantsValue>().notNull(),
  releasedAt: timestamp('released_at', { withTimezone: true, mode: 'date' }),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const performanceReviews = pgTable(
  'performance_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => reviewCycles.id, { onDelete: 'cascade' }),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    /** The employee's manager on the cycle's start day; who writes the manager review follows from it (review.reviewer.ts). */
    managerId: uuid('manager_id').references(() => employees.id),
    state: performanceReviewState('state').notNull().default('NOT_STARTED'),

    selfState: reviewFormState('self_state').notNull().default('NOT_STARTED'),
    selfAnswers: jsonb('self_answers').$type<ReviewAnswerValue[]>().notNull().default([]),
    selfOverallRating: smallint('self_overall_rating'),
    selfGoals: jsonb('self_goals').$type<string[]>().notNull().default([]),
    selfSubmittedAt: timestamp('self_submitted_at', { withTimezone: true, mode: 'date' }),
    selfUpdatedAt: timestamp('self_updated_at', { withTimezone: true, mode: 'date' }),

    managerState: reviewFormState('manager_state').notNull().default('NOT_STARTED'),
    managerAnswers: jsonb('manager_answers').$type<ReviewAnswerValue[]>().notNull().default([]),
    managerOverallRating: smallint('manager_overall_rating'),
    managerGoals: jsonb('manager_goals').$type<string[]>().notNull().default([]),
    managerSubmittedAt: timestamp('manager_submitted_at', { withTimezone: true, mode: 'date' }),
    managerUpdatedAt: timestamp('manager_updated_at', { withTimezone: true, mode: 'date' }),
    /** Who wrote the manager review, as recorded (`user:<hub id>`). */
    managerReviewBy: text('manager_review_by'),

    releasedAt: timestamp('released_at', { withTimezone: true, mode: 'date' }),
    releasedBy: text('released_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgementComment: text('acknowledgement_comment'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('performance_reviews_cycle_employee_uq').on(t.cycleId, t.employeeId),
    index('performance_reviews_employee_idx').on(t.employeeId),
    index('performance_reviews_manager_idx').on(t.managerId),
  ],
);

export type ReviewCycleRow = typeof reviewCycles.$inferSelect;
export type PerformanceReviewRow = typeof performanceReviews.$inferSelect;
export type PerformanceReviewStateValue = (typeof performanceReviewState.enumValues)[number];
export type ReviewFormStateValue = (typeof reviewFormState.enumValues)[number];
