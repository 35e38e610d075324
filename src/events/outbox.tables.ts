import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const outboxEventState = pgEnum('outbox_event_state', ['pending', 'delivered', 'dead']);

/**
 * The transactional outbox: events written in the same transaction as the change they describe,
 * delivered to Bus afterwards by the dispatcher (at least once; consumers de-duplicate by `id`).
 *
 * - `sequence` is the global recording order; per `subject`, events are delivered in this order.
 * - `deliver_after` schedules an event; `next_attempt_at` is when the dispatcher may next try it
 *   (starts at `deliver_after`, then moved by claim leases and retry back-off).
 * - `attempts` counts delivery attempts (incremented when claimed); `last_error` is a short reason
 *   without secrets (an HTTP status or a network error code).
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    type: text('type').notNull(),
    subject: text('subject').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deliverAfter: timestamp('deliver_after', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    schemaVersion: integer('schema_version').notNull().default(1),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    state: outboxEventState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // The dispatcher: pending events that are due (partial, so delivered history costs nothing)…
    index('outbox_events_pending_due_idx')
      .on(t.nextAttemptAt, t.sequence)
      .where(sql`state = 'pending'`),
    // …and the "earlier pending event of the same subject?" check that keeps per-subject order.
    index('outbox_events_pending_subject_idx')
      .on(t.subject, t.sequence)
      .where(sql`state = 'pending'`),
    // Admin listing (newest first) by state or by subject.
    index('outbox_events_state_idx').on(t.state, t.sequence),
    index('outbox_events_subject_idx').on(t.subject, t.sequence),
  ],
);

export type OutboxEventRow = typeof outboxEvents.$inferSelect;
export type OutboxEventStateValue = (typeof outboxEventState.enumValues)[number];
