import { sql, type SQL } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { departments, locations } from '../organisation/organisation.tables.js';

export const employmentStatus = pgEnum('employment_status', [
  'PRE_HIRE',
  'ACTIVE',
  'ON_LEAVE',
  'TERMINATED',
  'RESIGNED',
]);
export const employmentType = pgEnum('employment_type', [
  'FULL_TIME',
  'PART_TIME',
  'CONTRACTOR',
  'INTERN',
  'TEMPORARY',
]);
export const employeeChangeKind = pgEnum('employee_change_kind', ['CREATED', 'UPDATED', 'STATUS_CHANGED', 'HIRE_DATE_CORRECTED']);

export const employeeNumberSequence = pgSequence('employee_number_seq', { startWith: 1000 });

/**
 * The employee columns the directory search looks in, as one text: what `employees_search_idx`
 * (trigram) indexes, so a term is looked up instead of matched against every row. Any column's
 * match is a match of this text, so the rows it finds are a superset the per-column check narrows.
 */
export function employeeSearchText(t: {
  firstName: AnyPgColumn;
  lastName: AnyPgColumn;
  preferredName: AnyPgColumn;
  email: AnyPgColumn;
  employeeNumber: AnyPgColumn;
}): SQL {
  return sql`${t.firstName} || ' ' || ${t.lastName} || ' ' || coalesce(${t.preferredName}, '') || ' ' || ${t.email} || ' ' || ${t.employeeNumber}`;
}

/** Identity and non-dated work fields. Effective-dated job fields live in `employee_job_changes`. */
export const employees = pgTable(
  'employees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeNumber: text('employee_number').notNull().unique(),
    // Stored lower-cased; the unique index on lower() also guards rows written by other means.
    email: text('email').notNull(),
    hubUserId: text('hub_user_id').unique(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    preferredName: text('preferred_name'),
    hireDate: date('hire_date', { mode: 'string' }).notNull(),
    // Null means "the location's time zone".
    timezone: text('timezone'),
    workPhone: text('work_phone'),
    /**
     * Set while an emergency offboarding (Defend) is under way: People refuses the employee's
     * tokens and sessions at once, before their leaving status takes effect; cleared when HR
     * reverses it.
     */
    accessSuspendedAt: timestamp('access_suspended_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('employees_email_lower_key').on(sql`lower(${t.email})`),
    index('employees_name_idx').on(t.lastName, t.firstName, t.id),
    index('employees_hire_date_idx').on(t.hireDate, t.id),
    // fastupdate off: new rows go straight into the index, not a pending list every search reads
    // until a vacuum (PGlite has none; on PostgreSQL the planner then chose a scan).
    index('employees_search_idx')
      .using('gin', sql`(${employeeSearchText(t)}) gin_trgm_ops`)
      .with({ fastupdate: false }),
  ],
);

export interface AddressValue {
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
}

export interface EmergencyContactValue {
  name: string;
  relationship: string | null;
  phone: string;
}

/** Sensitive personal data, kept apart so it is read only when asked for (and, later, only by those allowed). */
export const employeePersonalData = pgTable('employee_personal_data', {
  employeeId: uuid('employee_id')
    .primaryKey()
    .references(() => employees.id, { onDelete: 'cascade' }),
  personalEmail: text('personal_email'),
  personalPhone: text('personal_phone'),
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  homeAddress: jsonb('home_address').$type<AddressValue>(),
  emergencyContact: jsonb('emergency_contact').$type<EmergencyContactValue>(),
});

/** The audit trail: one row per change, whatever it touched. */
export const employeeChanges = pgTable(
  'employee_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Orders changes recorded in one transaction, which share `recorded_at`.
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    kind: employeeChangeKind('kind').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    reason: text('reason'),
    changes: jsonb('changes').$type<FieldChangeValue[]>().notNull(),
  },
  (t) => [index('employee_changes_employee_idx').on(t.employeeId, t.sequence)],
);

export interface FieldChangeValue {
  field: string;
  before: string | null;
  after: string | null;
}

/**
 * Effective-dated job timeline, sparse: a row sets only the fields named in `fields`.
 * The value of a field on a day is the one from the latest row (by effective date, then
 * by recording order) that names it, so a back-dated change to one field never overwrites
 * a later change to another.
 */
export const employeeJobChanges = pgTable(
  'employee_job_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    changeId: uuid('change_id')
      .notNull()
      .references(() => employeeChanges.id, { onDelete: 'cascade' }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    fields: text('fields').array().notNull(),
    status: employmentStatus('status'),
    jobTitle: text('job_title'),
    departmentId: uuid('department_id').references(() => departments.id),
    locationId: uuid('location_id').references(() => locations.id),
    employmentType: employmentType('employment_type'),
    managerId: uuid('manager_id').references((): AnyPgColumn => employees.id),
    /**
     * When the lifecycle event (hired, terminated) of a status change was emitted, or found not
     * to be one. Null until its effective date has come: the scheduler picks it up then.
     */
    lifecycleProcessedAt: timestamp('lifecycle_processed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('employee_job_changes_timeline_idx').on(t.employeeId, t.effectiveFrom, t.sequence),
    index('employee_job_changes_manager_idx').on(t.managerId),
    // The search's job-title candidates: every title an employee ever had, so every day's is covered.
    // fastupdate off, as employees_search_idx.
    index('employee_job_changes_job_title_search_idx').using('gin', t.jobTitle.op('gin_trgm_ops')).with({ fastupdate: false }),
    index('employee_job_changes_lifecycle_due_idx')
      .on(t.effectiveFrom)
      .where(sql`${t.lifecycleProcessedAt} is null and 'status' = any(${t.fields})`),
  ],
);

/**
 * Every employee's job folded from `employee_job_changes` as of one day: the day in
 * `employee_current_jobs_day` (today, once the lifecycle scheduler has rolled it forward). A
 * derived copy for the reads of that day, which otherwise fold the whole history on every query;
 * the history stays the record and answers every other day. Written in the transaction of each
 * job change (employee.store.ts: refreshCurrentJobs); an employee with no job change in force on
 * the day has no row, as the history has no state for them.
 */
export const employeeCurrentJobs = pgTable(
  'employee_current_jobs',
  {
    employeeId: uuid('employee_id')
      .primaryKey()
      .references(() => employees.id, { onDelete: 'cascade' }),
    status: employmentStatus('status'),
    jobTitle: text('job_title'),
    // No foreign keys on the derived ids: the history's rows carry them already.
    departmentId: uuid('department_id'),
    locationId: uuid('location_id'),
    employmentType: employmentType('employment_type'),
    managerId: uuid('manager_id'),
    terminationDate: date('termination_date', { mode: 'string' }),
  },
  (t) => [
    // Also finds the org chart's roots: no manager (null), or a manager who has left (by status).
    index('employee_current_jobs_manager_idx').on(t.managerId),
    index('employee_current_jobs_status_idx').on(t.status),
  ],
);

/** The one day `employee_current_jobs` holds (a single row; the migration writes it). */
export const employeeCurrentJobsDay = pgTable(
  'employee_current_jobs_day',
  {
    only: boolean('only').primaryKey().default(true),
    asOf: date('as_of', { mode: 'string' }).notNull(),
  },
  (t) => [check('employee_current_jobs_day_single_row', sql`${t.only}`)],
);

export type EmployeeRow = typeof employees.$inferSelect;
export type EmployeePersonalDataRow = typeof employeePersonalData.$inferSelect;
export type EmployeeChangeRow = typeof employeeChanges.$inferSelect;
export type EmploymentStatusValue = (typeof employmentStatus.enumValues)[number];
export type EmploymentTypeValue = (typeof employmentType.enumValues)[number];
