import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { loginAttempts } from './login.tables.js';

// Hub SSO as the sign-in audit (`login_attempts`, written by every replica) shows it: the last
// sign-in that worked and the last hour's refusals by reason, for the integration diagnostics.

export interface SignInSummary {
  lastSuccessAt: Date | null;
  /** Refused sign-ins in the last hour by reason (`bad_signature`, `wrong_audience`…), most recent first. */
  refusedLastHour: { reason: string; count: number; lastAt: Date }[];
}

export async function summarizeSignIns(db: Database): Promise<SignInSummary> {
  const [success, refused] = await Promise.all([
    db
      .select({ occurredAt: loginAttempts.occurredAt })
      .from(loginAttempts)
      .where(eq(loginAttempts.outcome, 'success'))
      .orderBy(desc(loginAttempts.occurredAt))
      .limit(1),
    db
      .select({
        reason: sql<string>`coalesce(${loginAttempts.reason}, 'unknown')`,
        count: sql<number>`count(*)::int`.mapWith(Number),
        lastAt: sql<Date>`max(${loginAttempts.occurredAt})`.mapWith(loginAttempts.occurredAt),
      })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.outcome, 'failure'), gt(loginAttempts.occurredAt, sql`now() - interval '1 hour'`)))
      .groupBy(sql`coalesce(${loginAttempts.reason}, 'unknown')`)
      .orderBy(desc(sql`max(${loginAttempts.occurredAt})`)),
  ]);
  return { lastSuccessAt: success[0]?.occurredAt ?? null, refusedLastHour: refused };
}
