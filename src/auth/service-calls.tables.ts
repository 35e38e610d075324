import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Calls from PSA, Defend and Legal, counted per minute by service, outcome (`accepted`,
 * `refused`), reason of a refusal (`bad_key`, `not_configured`, `wrong_header`; '' when accepted)
 * and the header the key came in. Every replica adds to the same rows, so each reports the same
 * (integration diagnostics). Never a key or anything else of the request.
 */
export const integrationCalls = pgTable(
  'integration_calls',
  {
    service: text('service').notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason').notNull().default(''),
    header: text('header').notNull(),
    minute: timestamp('minute', { withTimezone: true, mode: 'date' }).notNull(),
    calls: integer('calls').notNull(),
    lastAt: timestamp('last_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'integration_calls_pk', columns: [t.service, t.outcome, t.reason, t.header, t.minute] })],
);

export type IntegrationCallRow = typeof integrationCalls.$inferSelect;
