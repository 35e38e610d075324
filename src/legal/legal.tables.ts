import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { employees, type EmploymentTypeValue } from '../employees/employee.tables.js';

// Legal's policies and acknowledgement statuses, as People keeps them: a local copy refreshed by
// the sync (legal.sync.ts) and by Legal's callback (legal.callback.ts), so the dashboards answer
// from People's database whatever state Legal is in. Who must acknowledge is never stored: it is
// worked out from People's own employee data on the day asked about (legal.audience.ts).

/**
 * SUBMITTED: the employee signed in People and the proxy to Legal is under way or done, but Legal
 * has not confirmed it. ACKNOWLEDGED, DECLINED, FAILED: what Legal says (callback or sync).
 */
export const legalAcknowledgementStatus = pgEnum('legal_acknowledgement_status', ['SUBMITTED', 'ACKNOWLEDGED', 'DECLINED', 'FAILED']);

/** Where the record began: signed in People (proxied to Legal), or learnt from Legal (signed there). */
export const legalAcknowledgementSource = pgEnum('legal_acknowledgement_source', ['PEOPLE', 'LEGAL']);

/** Who a policy applies to, as Legal says it (names, not People ids: Legal does not know them). */
export interface PolicyAudienceValue {
  all: boolean;
  /** Department codes or names (case-insensitive). */
  departments: string[];
  /** Location names (case-insensitive). */
  locations: string[];
  employmentTypes: EmploymentTypeValue[];
}

/** Legal's active policies as of the last sync; a policy Legal no longer lists is kept, inactive. */
export const legalPolicies = pgTable(
  'legal_policies',
  {
    /** Legal's id. */
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    /** The version in force: acknowledging an older one does not count. */
    version: text('version').notNull(),
    category: text('category').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    audience: jsonb('audience').$type<PolicyAudienceValue>().notNull(),
    /** Null: no deadline. */
    daysToAcknowledge: integer('days_to_acknowledge'),
    active: boolean('active').notNull().default(true),
    /** When the sync last saw it in Legal's active list. */
    syncedAt: timestamp('synced_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('legal_policies_active_idx').on(t.active, t.title)],
);

/** The text of a policy version, fetched from Legal once and kept: a version's text never changes. */
export const legalPolicyContents = pgTable(
  'legal_policy_contents',
  {
    policyId: text('policy_id').notNull(),
    version: text('version').notNull(),
    /** `html` or `markdown`, as Legal sent it. */
    format: text('format').notNull(),
    body: text('body').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.policyId, t.version] })],
);

/**
 * One employee's acknowledgement of one policy version. Written when they sign in People
 * (SUBMITTED, with what Legal needs to record the act: the typed name, time, IP and user agent,
 * sent by the `legal.submit_acknowledgement` task) or when Legal tells People about one signed in
 * Legal. `legal_status_at` is the time of the last status taken from Legal: an older status
 * (a late callback, an old page of the sync) never replaces a newer one.
 */
export const legalAcknowledgements = pgTable(
  'legal_acknowledgements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    policyId: text('policy_id').notNull(),
    policyVersion: text('policy_version').notNull(),
    status: legalAcknowledgementStatus('status').notNull(),
    source: legalAcknowledgementSource('source').notNull(),
    /** The Hub user the signer was signed in as (what Legal records the signature under). */
    signerHubUserId: text('signer_hub_user_id'),
    typedName: text('typed_name'),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }),
    signerIp: text('signer_ip'),
    signerUserAgent: text('signer_user_agent'),
    /** Legal's id, once Legal has answered the proxy (202) or told People about it. */
    legalAcknowledgementId: text('legal_acknowledgement_id'),
    vaultDocumentId: text('vault_document_id'),
    legalStatusAt: timestamp('legal_status_at', { withTimezone: true, mode: 'date' }),
    /** How many times the employee signed this version in People (again after a DECLINED or FAILED). */
    submissions: integer('submissions').notNull().default(0),
    /** The task proxying the latest submission (its state is the submission's). */
    submissionTaskId: uuid('submission_task_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('legal_acknowledgements_employee_policy_version_uq').on(t.employeeId, t.policyId, t.policyVersion),
    index('legal_acknowledgements_policy_idx').on(t.policyId, t.policyVersion),
    index('legal_acknowledgements_legal_id_idx').on(t.legalAcknowledgementId),
  ],
);

/** Callback deliveries already applied, by `webhook-id`: a redelivery changes nothing. */
export const legalWebhookDeliveries = pgTable('legal_webhook_deliveries', {
  webhookId: text('webhook_id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * The sync's one row (id 1): what every replica reads to say how Legal is doing, and the claim
 * that lets one replica at a time sync (`lease_until`). `last_error_code` and `last_error` are a
 * code and a line without secrets or personal data.
 */
export const legalSyncState = pgTable('legal_sync_state', {
  id: smallint('id').primaryKey(),
  leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
  leaseToken: uuid('lease_token'),
  /** The last sync that completed: the statuses shown are as of then. */
  syncedAt: timestamp('synced_at', { withTimezone: true, mode: 'date' }),
  /** The newest `updatedAt` of an acknowledgement seen: the next sync asks from there. */
  acknowledgementsUpdatedSince: timestamp('acknowledgements_updated_since', { withTimezone: true, mode: 'date' }),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
  lastErrorCode: text('last_error_code'),
  lastError: text('last_error'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  nextSyncAt: timestamp('next_sync_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
});

export type LegalPolicyRow = typeof legalPolicies.$inferSelect;
export type LegalPolicyContentRow = typeof legalPolicyContents.$inferSelect;
export type LegalAcknowledgementRow = typeof legalAcknowledgements.$inferSelect;
export type LegalAcknowledgementStatusValue = (typeof legalAcknowledgementStatus.enumValues)[number];
export type LegalSyncStateRow = typeof legalSyncState.$inferSelect;
