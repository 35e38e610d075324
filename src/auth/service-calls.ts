import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { uncountedStatement, type Database } from '../db/database.js';
import { serviceNames, type ServiceName } from './caller.js';
import { integrationCalls } from './service-calls.tables.js';

// What PSA, Defend and Legal's calls met at the door: accepted, or refused for a bad key, a key
// People does not have, or a key in another service's header. Counted per minute in PostgreSQL
// (integration_calls) so every replica's diagnostics say the same. Refusals are written before
// the refusal is answered; accepted calls are batched (at most one write per replica every
// `acceptedFlushMs`, and whenever diagnostics are read), so a busy integration costs almost
// nothing. The writes are bookkeeping: they do not count as a request's statements.

export type ServiceCallRefusal = 'bad_key' | 'not_configured' | 'wrong_header';

export interface ServiceCall {
  service: ServiceName;
  outcome: 'accepted' | 'refused';
  /** Why it was refused; null when accepted. */
  reason: ServiceCallRefusal | null;
  /** The header the key came in (lower case), e.g. `x-integration-key`. */
  header: string;
}

export interface ServiceCallLog {
  /** Counts a call; for a refusal, resolves once it is written (or its write failed, which is logged). */
  record(call: ServiceCall): Promise<void>;
  /** Writes every call counted so far; diagnostics call it before reading. */
  flush(): Promise<void>;
  /** Writes what is counted and stops the batching timer. */
  stop(): Promise<void>;
}

/** How long accepted calls wait to be written together. */
export const defaultAcceptedFlushMs = 10_000;
/** Minutes kept: a week of "last accepted call", and a day to spare. */
const retentionDays = 8;
const pruneEveryMs = 60 * 60_000;

interface Pending {
  call: ServiceCall;
  minute: Date;
  calls: number;
  lastAt: Date;
}

export function createServiceCallLog(options: { db: Database; logger: Logger; acceptedFlushMs?: number; now?: () => Date }): ServiceCallLog {
  const { db, logger } = options;
  const now = options.now ?? (() => new Date());
  const acceptedFlushMs = options.acceptedFlushMs ?? defaultAcceptedFlushMs;
  let pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let lastPrunedAt = 0;

  const write = async (batch: Pending[]) => {
    if (batch.length === 0) return;
    try {
      await db.execute(upsert(batch));
      if (Date.now() - lastPrunedAt > pruneEveryMs) {
        lastPrunedAt = Date.now();
        await db.execute(
          sql.raw(`${uncountedStatement}delete from integration_calls where minute < now() - interval '${retentionDays} days'`),
        );
      }
    } catch (error) {
      // Diagnostics lose these counts; the calls themselves were answered as they should be.
      logger.warn({ error: error instanceof Error ? error.name : typeof error, calls: batch.length }, 'integration call counts could not be written');
    }
  };

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = [...pending.values()];
    pending = new Map();
    // One write at a time, in order: a later flush waits for the one before it.
    writing = writing.then(() => write(batch));
    return writing;
  };

  return {
    record(call) {
      const at = now();
      const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
      const key = JSON.stringify([call.service, call.outcome, call.reason ?? '', call.header, minute.getTime()]);
      const entry = pending.get(key);
      if (entry) {
        entry.calls += 1;
        entry.lastAt = at;
      } else pending.set(key, { call, minute, calls: 1, lastAt: at });
      if (call.outcome === 'refused') return flush();
      if (!timer) {
        timer = setTimeout(() => void flush(), acceptedFlushMs);
        timer.unref();
      }
      return Promise.resolve();
    },
    flush,
    stop: flush,
  };
}

function upsert(batch: Pending[]) {
  const rows = sql.join(
    batch.map(
      ({ call, minute, calls, lastAt }) =>
        sql`(${call.service}, ${call.outcome}, ${call.reason ?? ''}, ${call.header}, ${minute.toISOString()}::timestamptz, ${calls}::int, ${lastAt.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  return sql`${sql.raw(uncountedStatement)}insert into integration_calls (service, outcome, reason, header, minute, calls, last_at)
    values ${rows}
    on conflict (service, outcome, reason, header, minute)
    do update set calls = integration_calls.calls + excluded.calls, last_at = greatest(integration_calls.last_at, excluded.last_at)`;
}

// ---------------------------------------------------------------- diagnostics

export interface RefusedServiceCalls {
  reason: ServiceCallRefusal;
  header: string;
  count: number;
  lastAt: Date;
}

export interface ServiceCallSummary {
  service: ServiceName;
  lastAcceptedAt: Date | null;
  /** Refusals in the last hour, by reason and header, most recent first. */
  refusedLastHour: RefusedServiceCalls[];
}

/** Per service: the last accepted call (within the retention) and the last hour's refusals. */
export async function summarizeServiceCalls(db: Database): Promise<ServiceCallSummary[]> {
  const [accepted, refused] = await Promise.all([
    db
      .select({ service: integrationCalls.service, lastAt: sql<Date>`max(${integrationCalls.lastAt})`.mapWith(integrationCalls.lastAt) })
      .from(integrationCalls)
      .where(eq(integrationCalls.outcome, 'accepted'))
      .groupBy(integrationCalls.service),
    db
      .select({
        service: integrationCalls.service,
        reason: integrationCalls.reason,
        header: integrationCalls.header,
        count: sql<number>`sum(${integrationCalls.calls})::int`.mapWith(Number),
        lastAt: sql<Date>`max(${integrationCalls.lastAt})`.mapWith(integrationCalls.lastAt),
      })
      .from(integrationCalls)
      .where(
        and(
          eq(integrationCalls.outcome, 'refused'),
          gte(integrationCalls.lastAt, sql`now() - interval '1 hour'`),
        ),
      )
      .groupBy(integrationCalls.service, integrationCalls.reason, integrationCalls.header)
      .orderBy(desc(sql`max(${integrationCalls.lastAt})`)),
  ]);
  return serviceNames.map((service) => ({
    service,
    lastAcceptedAt: accepted.find((row) => row.service === service)?.lastAt ?? null,
    refusedLastHour: refused.flatMap((row) =>
      row.service === service && isRefusal(row.reason) ? [{ reason: row.reason, header: row.header, count: row.count, lastAt: row.lastAt }] : [],
    ),
  }));
}

const refusals: readonly string[] = ['bad_key', 'not_configured', 'wrong_header'] satisfies ServiceCallRefusal[];

function isRefusal(reason: string): reason is ServiceCallRefusal {
  return refusals.includes(reason);
}
