import { index, inet, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * People sessions, one per sign-in at /auth/sso. The session token is signed (tokens.ts), but a
 * signature cannot be taken back: every request with a session token also asks this table, so a
 * session ended here (sign-out, the person from another device, HR) is refused by every replica
 * at once.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    /** The token's `sid` claim. */
    id: uuid('id').primaryKey(),
    hubUserId: text('hub_user_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Where it was started from, as the sign-in recorded it: so a person can tell their sessions apart. */
    ip: inet('ip'),
    userAgent: text('user_agent'),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    /** `signed_out`, `ended_by_user`, `ended_by_hr` or `access_suspended` (sessions.ts). */
    endReason: text('end_reason'),
    /** Who ended it, as `describeCaller` records a change's author. */
    endedBy: text('ended_by'),
  },
  (t) => [
    // A person's sessions (theirs to list, HR's to end); expired ones are purged by expiry.
    index('user_sessions_hub_user_idx').on(t.hubUserId),
    index('user_sessions_expires_idx').on(t.expiresAt),
  ],
);

export type UserSessionRow = typeof userSessions.$inferSelect;
