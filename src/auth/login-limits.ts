import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';
import { loginAttempts } from './login.tables.js';

// How many sign-ins one source may get wrong: counted from the audit trail (`login_attempts`),
// which every replica writes to, so a source is refused on every replica once it reaches the
// limit on any of them. The audit is the one source of truth; only refusals that could not be
// written there (the database failing) are counted in this replica's memory, so the limit holds
// even then.

export const loginFailureWindowSeconds = 15 * 60;

/** A refused sign-in's source: its address as stored (null when it had none) and a key for the in-memory fallback. */
export interface LoginSource {
  ip: string | null;
  key: string;
}

export interface LoginFailureLimit {
  /** Seconds until this source may try again; null when it is under the limit. */
  blockedFor(source: LoginSource): Promise<number | null>;
  /** A refusal the audit trail does not hold (it could not be written): counted here instead. */
  countUnrecorded(source: LoginSource): Promise<void>;
}

export function createLoginFailureLimit(options: {
  db: Database;
  /** Failures one source may make per window before it is refused. */
  limit: number;
  /** Told when the audit trail could not be read; the in-memory count still applies. */
  onCountFailed: (error: unknown) => void;
}): LoginFailureLimit {
  const { db, limit } = options;
  const unrecorded = new RateLimiterMemory({ points: limit, duration: loginFailureWindowSeconds });
  return {
    async blockedFor(source) {
      const inMemory = await unrecorded.get(source.key);
      const counted = inMemory?.consumedPoints ?? 0;
      if (counted >= limit && inMemory) return Math.max(1, Math.ceil(inMemory.msBeforeNext / 1000));
      try {
        return await secondsUntilUnderLimit(db, source.ip, limit - counted);
      } catch (error) {
        options.onCountFailed(error);
        return null;
      }
    },
    async countUnrecorded(source) {
      await unrecorded.penalty(source.key, 1);
    },
  };
}

const windowInterval = sql.raw(`interval '${loginFailureWindowSeconds} seconds'`);

/**
 * The `allowed`-th most recent counted refusal from this address within the window decides: while
 * it exists the source is at the limit, until it is older than the window. One indexed statement
 * (`login_attempts_ip_idx`); refusals for being rate limited do not count, or a source that keeps
 * trying would never get back under the limit.
 */
async function secondsUntilUnderLimit(db: Database, ip: string | null, allowed: number): Promise<number | null> {
  const rows = await db
    .select({
      secondsLeft: sql<number>`extract(epoch from (${loginAttempts.occurredAt} + ${windowInterval} - now()))`.mapWith(Number),
    })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.outcome, 'failure'),
        sql`${loginAttempts.reason} is distinct from 'rate_limited'`,
        ip === null ? isNull(loginAttempts.ip) : eq(loginAttempts.ip, ip),
        gt(loginAttempts.occurredAt, sql`now() - ${windowInterval}`),
      ),
    )
    .orderBy(desc(loginAttempts.occurredAt))
    .offset(Math.max(0, allowed - 1))
    .limit(1);
  const row = rows[0];
  return row ? Math.max(1, Math.ceil(row.secondsLeft)) : null;
}
