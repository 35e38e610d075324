import {
  bigserial,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { employees, employmentType } from '../employees/employee.tables.js';
import { locations } from '../organisation/organisation.tables.js';

// Time off: policies (as data), who they apply to, holiday calendars, requests stored day by
// day, every decision, and HR's manual balance adjustments. Amounts are in days (numeric, so
// half days and hours add up exactly); dates are calendar dates, never instants.

export const timeOffAccrualKind = pgEnum('time_off_accrual_kind', ['ANNUAL_GRANT', 'MONTHLY', 'UNLIMITED']);
export const timeOffRequestStatus = pgEnum('time_off_request_status', ['PENDING', 'APPROVED', 'DENIED', 'CANCELLED']);
export const timeOffPortion = pgEnum('time_off_portion', ['FULL', 'MORNING', 'AFTERNOON', 'HOURS']);
export const timeOffDecisionKind = pgEnum('time_off_decision_kind', ['APPROVED', 'DENIED', 'CANCELLED']);
/** In which capacity a decision was taken: the step's own approver, or HR/Admin deciding for it, or the requester (cancel). */
export const timeOffActingAs = pgEnum('time_off_acting_as', ['APPROVER', 'HR', 'ADMIN', 'REQUESTER']);

/** One step of an approval chain. */
export type ApprovalStep =
  | { kind: 'MANAGER' }
  /** HR decides; with `whenLongerThanDays`, only for requests longer than that many days. */
  | { kind: 'HR'; whenLongerThanDays?: number }
  | { kind: 'NAMED'; employeeId: string };

const days = (name: string) => numeric(name, { precision: 8, scale: 3, mode: 'number' });

export const timeOffPolicies = pgTable('time_off_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** VACATION, SICK, PERSONAL, UNPAID, PARENTAL… data, not code paths. */
  category: text('category').notNull(),
  // Accrual kind, yearly amount, carry-over cap and negative limit are effective-dated: they live
  // in time_off_policy_terms, so changing them never rewrites a past year's balance.
  /** Days after the hire date before the first day that may be taken. */
  waitingPeriodDays: integer('waiting_period_days').notNull().default(0),
  /** Private (sick, parental): callers other than HR, the employee and their manager see only "unavailable". */
  private: boolean('private').notNull().default(false),
  hoursPerDay: days('hours_per_day').notNull().default(8),
  approvalChain: jsonb('approval_chain').$type<ApprovalStep[]>().notNull().default([{ kind: 'MANAGER' }]),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * The balance terms of a policy from `effectiveFrom` until the next term. Every policy has a
 * first term from 1900-01-01 (its creation, or migration 0005 for older policies), so every day
 * of history has one. Balances of year Y use the terms in force over Y; see balance.ts.
 */
export const timeOffPolicyTerms = pgTable(
  'time_off_policy_terms',
  {
    policyId: uuid('policy_id')
      .notNull()
      .references(() => timeOffPolicies.id, { onDelete: 'cascade' }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    accrualKind: timeOffAccrualKind('accrual_kind').notNull(),
    /** Days per full year (0 for UNLIMITED). */
    amountPerYear: days('amount_per_year').notNull().default(0),
    /** Most days carried into the next year; null: no cap, 0: nothing carries over. */
    carryOverCap: days('carry_over_cap'),
    /** How far below zero the balance may go; 0: not at all. */
    negativeBalanceLimit: days('negative_balance_limit').notNull().default(0),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.policyId, t.effectiveFrom] })],
);

/**
 * A policy's default assignment is effective-dated: each set of rules holds from its
 * `effectiveFrom` until the next set (see assignment.ts). A set is this row plus its rules in
 * time_off_policy_rules; a set without rules assigns the policy to nobody from that day, which
 * is why the set has a row of its own. Older rules got a set from 1900-01-01 (migration 0006).
 */
export const timeOffPolicyRuleSets = pgTable(
  'time_off_policy_rule_sets',
  {
    policyId: uuid('policy_id')
      .notNull()
      .references(() => timeOffPolicies.id, { onDelete: 'cascade' }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.policyId, t.effectiveFrom] })],
);

/** One rule of a set: a policy applies to everyone matching every non-null criterion. */
export const timeOffPolicyRules = pgTable(
  'time_off_policy_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => timeOffPolicies.id, { onDelete: 'cascade' }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    locationId: uuid('location_id').references(() => locations.id),
    employmentType: employmentType('employment_type'),
  },
  (t) => [
    index('time_off_policy_rules_policy_idx').on(t.policyId, t.effectiveFrom),
    foreignKey({ name: 'time_off_policy_rules_rule_set_fk', columns: [t.policyId, t.effectiveFrom], foreignColumns: [timeOffPolicyRuleSets.policyId, timeOffPolicyRuleSets.effectiveFrom] }).onDelete('cascade'),
  ],
);

/**
 * Per-employee override of the rules from `effectiveFrom` until the employee's next override of
 * the policy: assign (optionally with their own yearly amount), exclude, or (`assigned` null)
 * hand back to the rules from that day. Clearing is a row, not a delete, so the days before it
 * keep the override they had.
 */
export const timeOffPolicyOverrides = pgTable(
  'time_off_policy_overrides',
  {
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => timeOffPolicies.id, { onDelete: 'cascade' }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** true: assigned, false: excluded, null: the rules decide again from `effectiveFrom`. */
    assigned: boolean('assigned'),
    amountPerYear: days('amount_per_year'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.employeeId, t.policyId, t.effectiveFrom] })],
);

export const holidayCalendars = pgTable('holiday_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  locationId: uuid('location_id')
    .notNull()
    .unique()
    .references(() => locations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
});

export const holidays = pgTable(
  'holidays',
  {
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => holidayCalendars.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    /** A half-day holiday: the afternoon is off, the morning is worked. */
    halfDay: boolean('half_day').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

export const timeOffRequests = pgTable(
  'time_off_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => timeOffPolicies.id),
    status: timeOffRequestStatus('status').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    reason: text('reason'),
    /** Total requested, in days (the sum of the day rows). */
    amount: days('amount').notNull(),
    /** Frozen at approval: later policy or holiday changes do not rewrite it. */
    deductedAmount: days('deducted_amount'),
    /** The applicable steps of the policy's chain, frozen at submission. */
    approvalChain: jsonb('approval_chain').$type<ApprovalStep[]>().notNull(),
    /** Index of the step awaiting a decision (while PENDING). */
    currentStep: integer('current_step').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('time_off_requests_employee_idx').on(t.employeeId, t.startDate),
    index('time_off_requests_dates_idx').on(t.startDate, t.endDate),
  ],
);

/** One row per requested day: so half days, hours and "is she free Tuesday afternoon" are the same data. */
export const timeOffRequestDays = pgTable(
  'time_off_request_days',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => timeOffRequests.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    portion: timeOffPortion('portion').notNull(),
    hours: days('hours'),
    amount: days('amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.date] }), index('time_off_request_days_date_idx').on(t.date)],
);

export const timeOffDecisions = pgTable(
  'time_off_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => timeOffRequests.id, { onDelete: 'cascade' }),
    /** The chain step decided (null for a cancellation). */
    stepIndex: integer('step_index'),
    decision: timeOffDecisionKind('decision').notNull(),
    actingAs: timeOffActingAs('acting_as').notNull(),
    /** The deciding employee, when the caller is one. */
    approverEmployeeId: uuid('approver_employee_id').references(() => employees.id),
    decidedBy: text('decided_by').notNull(),
    comment: text('comment'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('time_off_decisions_request_idx').on(t.requestId, t.sequence)],
);

export const timeOffBalanceAdjustments = pgTable(
  'time_off_balance_adjustments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => timeOffPolicies.id, { onDelete: 'cascade' }),
    amount: days('amount').notNull(),
    reason: text('reason').notNull(),
    recordedBy: text('recorded_by').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('time_off_adjustments_employee_idx').on(t.employeeId, t.policyId)],
);

export type TimeOffAdjustmentRow = typeof timeOffBalanceAdjustments.$inferSelect;


/** The policy's own row: name, waiting period, approval chain… (applied at once when changed). */
export type TimeOffPolicyRecord = typeof timeOffPolicies.$inferSelect;
export type TimeOffPolicyTermRow = typeof timeOffPolicyTerms.$inferSelect;
/**
 * A policy as every reader gets it: its row and all its terms, oldest first (policy-terms.ts
 * picks the one in force on a day). Named "Row" still because codegen maps TimeOffPolicy to it.
 */
export type TimeOffPolicyRow = TimeOffPolicyRecord & { terms: TimeOffPolicyTermRow[] };
export type TimeOffRequestRow = typeof timeOffRequests.$inferSelect;
/**
 * What the hot reads of requests (PSA's `timeOff`, the calendar: hundreds of rows) carry: the row
 * without its approval chain (jsonb), reason and bookkeeping, which decoding every row spent a
 * tenth of the calendar's time on (issue 14). Whoever needs them reads the whole row
 * (`wholeRequest`).
 */
export type TimeOffRequestSummary = Omit<TimeOffRequestRow, 'approvalChain' | 'reason' | 'createdBy' | 'createdAt' | 'updatedAt'>;
/** A request as fields see it: the whole row, or a summary from a hot read. */
export type TimeOffRequestModel = TimeOffRequestRow | TimeOffRequestSummary;
export type TimeOffRequestDayRow = typeof timeOffRequestDays.$inferSelect;
export type TimeOffDecisionRow = typeof timeOffDecisions.$inferSelect;
export type TimeOffPortionValue = (typeof timeOffPortion.enumValues)[number];
export type TimeOffStatusValue = (typeof timeOffRequestStatus.enumValues)[number];
