import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { userSessions, type UserSessionRow } from './sessions.tables.js';
import { TokenRejectedError, type SessionTokens } from './tokens.js';

export type { SessionOrigin } from './tokens.js';

// People sessions as records: started at sign-in, asked on every request that carries a session
// token, ended by signing out, by the person from another device, or by HR. The token's signature
// proves who issued it; this table says whether it still counts, the same on every replica.

/** Why a session stopped counting before it expired. */
export type SessionEndReason = 'signed_out' | 'ended_by_user' | 'ended_by_hr' | 'access_suspended';

/** How long an expired session's record is kept: long enough to answer "was it ended, or did it expire?". */
const expiredSessionsKeptDays = 7;

/**
 * Session tokens backed by the table: `issue` records the session, `verify` refuses one that was
 * ended or was never recorded (a token signed with SESSION_SECRET but not by a sign-in here).
 */
export function createStoredSessions(db: Database, tokens: SessionTokens): SessionTokens {
  return {
    async issue(identity, now, origin) {
      const session = await tokens.issue(identity, now, origin);
      await db.insert(userSessions).values({
        id: session.sessionId,
        hubUserId: identity.hubUserId,
        startedAt: now,
        expiresAt: session.expiresAt,
        ip: origin?.ip ?? null,
        userAgent: origin?.userAgent ?? null,
      });
      // Sign-ins are rare next to requests: clearing long-expired records here needs no scheduler,
      // and any replica may do it.
      await db.delete(userSessions).where(lt(userSessions.expiresAt, sql`now() - make_interval(days => ${expiredSessionsKeptDays})`));
      return session;
    },
    async verify(token) {
      const identity = await tokens.verify(token);
      const [record] = await db
        .select({ hubUserId: userSessions.hubUserId, endedAt: userSessions.endedAt, endReason: userSessions.endReason })
        .from(userSessions)
        .where(eq(userSessions.id, identity.sessionId));
      if (!record || record.hubUserId !== identity.hubUserId) {
        throw new TokenRejectedError('session_ended', 'People has no record of this session.');
      }
      if (record.endedAt !== null) {
        throw new TokenRejectedError('session_ended', `The session was ended (${endReasonText(record.endReason)}).`);
      }
      return identity;
    },
  };
}

function endReasonText(reason: string | null): string {
  switch (reason) {
    case 'signed_out':
      return 'signed out';
    case 'ended_by_user':
      return 'by its owner, from another session';
    case 'ended_by_hr':
      return 'by HR';
    case 'access_suspended':
      return 'when People access was suspended';
    default:
      return 'ended';
  }
}

/** A person's sessions that still count (not ended, not expired), newest first, at most `limit`. */
export async function findLiveSessions(db: Database, hubUserIds: readonly string[], now: Date, limit: number): Promise<UserSessionRow[]> {
  if (hubUserIds.length === 0) return [];
  return db
    .select()
    .from(userSessions)
    .where(and(inArray(userSessions.hubUserId, [...hubUserIds]), isNull(userSessions.endedAt), gt(userSessions.expiresAt, now)))
    .orderBy(desc(userSessions.startedAt), desc(userSessions.id))
    .limit(limit);
}

/** The session with this id, whoever's it is; null when there is none. */
export async function findSession(db: Database, sessionId: string): Promise<UserSessionRow | null> {
  const [row] = await db.select().from(userSessions).where(eq(userSessions.id, sessionId));
  return row ?? null;
}

/**
 * Ends the live sessions chosen (by id, or every one of some Hub users); returns those it ended.
 * Already-ended sessions keep how they ended.
 */
export async function endSessions(
  db: Database,
  which: { sessionIds?: readonly string[]; hubUserIds?: readonly string[] },
  end: { reason: SessionEndReason; endedBy: string; at: Date },
): Promise<UserSessionRow[]> {
  const chosen = [
    which.sessionIds && which.sessionIds.length > 0 ? inArray(userSessions.id, [...which.sessionIds]) : undefined,
    which.hubUserIds && which.hubUserIds.length > 0 ? inArray(userSessions.hubUserId, [...which.hubUserIds]) : undefined,
  ].filter((condition) => condition !== undefined);
  if (chosen.length === 0) return [];
  return db
    .update(userSessions)
    .set({ endedAt: end.at, endReason: end.reason, endedBy: end.endedBy })
    .where(and(or(...chosen), isNull(userSessions.endedAt), gt(userSessions.expiresAt, end.at)))
    .returning();
}
