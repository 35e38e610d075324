import { sql } from 'drizzle-orm';
import { bigserial, char, check, date, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { employees, type FieldChangeValue } from '../employees/employee.tables.js';

// The organisation: departments (a tree whose names, parents, heads and cost centres are
// effective-dated, like jobs) and locations. Every change has a row in `organisation_changes`,
// the history HR reads; the dated department fields live in `department_versions`.

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  /** The first day the department is archived (no longer in use); null while it is not. */
  archivedOn: date('archived_on', { mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const locations = pgTable(
  'locations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Unique whatever its case (the index below): "Berlin office" and "Berlin Office" are one site.
    name: text('name').notNull(),
    city: text('city').notNull(),
    countryCode: char('country_code', { length: 2 }).notNull(),
    timezone: text('timezone').notNull(),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    region: text('region'),
    postalCode: text('postal_code'),
    /** The first day the location is archived (no longer in use); null while it is not. */
    archivedOn: date('archived_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('locations_name_lower_key').on(sql`lower(${t.name})`)],
);

export const organisationChangeKind = pgEnum('organisation_change_kind', ['CREATED', 'UPDATED', 'ARCHIVED']);

/** The audit trail of the organisation: one row per change of a department or a location. */
export const organisationChanges = pgTable(
  'organisation_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Orders changes recorded in one transaction, which share `recorded_at`.
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'cascade' }),
    locationId: uuid('location_id').references(() => locations.id, { onDelete: 'cascade' }),
    kind: organisationChangeKind('kind').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    reason: text('reason'),
    changes: jsonb('changes').$type<FieldChangeValue[]>().notNull(),
  },
  (t) => [
    index('organisation_changes_department_idx').on(t.departmentId, t.sequence),
    index('organisation_changes_location_idx').on(t.locationId, t.sequence),
    check('organisation_changes_one_unit', sql`(${t.departmentId} is null) <> (${t.locationId} is null)`),
  ],
);

/**
 * Effective-dated department fields, sparse like `employee_job_changes`: a row sets only the
 * fields named in `fields` (name, parentId, headId, costCentre). The value of a field on a day
 * is the one from the latest row on or before that day that names it, so a back-dated rename
 * never undoes a later move. The department exists from its earliest row.
 */
export const departmentVersions = pgTable(
  'department_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    changeId: uuid('change_id')
      .notNull()
      .references(() => organisationChanges.id, { onDelete: 'cascade' }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    fields: text('fields').array().notNull(),
    name: text('name'),
    parentId: uuid('parent_id').references((): AnyPgColumn => departments.id),
    headId: uuid('head_id').references((): AnyPgColumn => employees.id),
    costCentre: text('cost_centre'),
  },
  (t) => [
    index('department_versions_timeline_idx').on(t.departmentId, t.effectiveFrom, t.sequence),
    index('department_versions_parent_idx').on(t.parentId),
    index('department_versions_head_idx').on(t.headId),
  ],
);

export type DepartmentRow = typeof departments.$inferSelect;
export type LocationRow = typeof locations.$inferSelect;
export type DepartmentVersionRow = typeof departmentVersions.$inferSelect;
export type OrganisationChangeRow = typeof organisationChanges.$inferSelect;
export type OrganisationChangeKindValue = (typeof organisationChangeKind.enumValues)[number];
