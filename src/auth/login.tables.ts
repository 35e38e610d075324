import { index, inet, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const loginOutcome = pgEnum('login_outcome', ['success', 'failure']);

/** The audit trail of sign-ins; each row's event goes to Bus in the same transaction. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    outcome: loginOutcome('outcome').notNull(),
    /** Verified on success; as claimed by the (unverified) token on failure, when readable. */
    hubUserId: text('hub_user_id'),
    email: text('email'),
    employeeId: uuid('employee_id'),
    sessionId: uuid('session_id'),
    ip: inet('ip'),
    userAgent: text('user_agent'),
    reason: text('reason'),
  },
  (t) => [
    index('login_attempts_occurred_idx').on(t.occurredAt),
    index('login_attempts_hub_user_idx').on(t.hubUserId),
    // The sign-in failure limit counts a source's recent refusals (login-limits.ts).
    index('login_attempts_ip_idx').on(t.ip, t.occurredAt),
  ],
);

export type LoginAttemptRow = typeof loginAttempts.$inferSelect;
