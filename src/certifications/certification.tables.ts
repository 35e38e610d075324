import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { employees } from '../employees/employee.tables.js';

// Certifications: a catalog of what issuers certify, and the certifications employees hold.
// Status (active, expiring, expired) is never stored: it is derived from `expires_on` for the day
// asked about. A renewal is a new row; the row it replaces keeps its dates and points forward.

export const certificationVerificationState = pgEnum('certification_verification_state', ['UNVERIFIED', 'VERIFIED', 'REJECTED']);

export const certificationCatalog = pgTable(
  'certification_catalog',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    issuer: text('issuer').notNull(),
    code: text('code'),
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    /** Null: the certification does not expire. */
    validityMonths: integer('validity_months'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /**
     * Name, code, aliases and tags in matching form (lower case, letters and digits only), kept
     * in step by the domain module on every write, so a search is one indexed array overlap.
     */
    matchKeys: text('match_keys').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('certification_catalog_match_keys_idx').using('gin', t.matchKeys)],
);

export const employeeCertifications = pgTable(
  'employee_certifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    catalogEntryId: uuid('catalog_entry_id')
      .notNull()
      .references(() => certificationCatalog.id),
    credentialId: text('credential_id'),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    /** The last valid day; null: no expiry. */
    expiresOn: date('expires_on', { mode: 'string' }),
    evidenceUrl: text('evidence_url'),
    verificationState: certificationVerificationState('verification_state').notNull().default('UNVERIFIED'),
    /** The employee who verified or rejected it, when a person in People did. */
    verifiedByEmployeeId: uuid('verified_by_employee_id').references(() => employees.id),
    /** Who verified or rejected it, as `describeCaller` records callers. */
    verifiedBy: text('verified_by'),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    verificationComment: text('verification_comment'),
    renewedFromId: uuid('renewed_from_id').references((): AnyPgColumn => employeeCertifications.id),
    /** Set when a renewal replaced this row; the renewal points back through `renewed_from_id`. */
    supersededAt: timestamp('superseded_at', { withTimezone: true, mode: 'date' }),
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
    removedBy: text('removed_by'),
    removalReason: text('removal_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // One current record per employee and certification: two racing adds cannot both land.
    uniqueIndex('employee_certifications_current_uq')
      .on(t.employeeId, t.catalogEntryId)
      .where(sql`${t.supersededAt} is null and ${t.removedAt} is null`),
    index('employee_certifications_employee_idx').on(t.employeeId),
    index('employee_certifications_catalog_idx').on(t.catalogEntryId),
    index('employee_certifications_expires_idx').on(t.expiresOn),
  ],
);

export type CertificationCatalogRow = typeof certificationCatalog.$inferSelect;
export type EmployeeCertificationRow = typeof employeeCertifications.$inferSelect;
export type CertificationVerificationStateValue = (typeof certificationVerificationState.enumValues)[number];
