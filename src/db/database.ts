import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Placeholder, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { StartupError } from '../startup/startup-error.js';
import { explainConnectionFailure } from './connection-errors.js';
import * as schema from './schema.js';
import { createStatementTimer, timedPglite, timedPostgres, type StatementListener, type StatementTimer } from './statement-timing.js';

/** The drizzle API shared by both drivers; domain code sees only this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export type DatabaseTarget =
  /** `connections`: the pool's size, 10 unless given (tests that compare statement counts use 1). */
  | { kind: 'postgres'; url: string; connections?: number }
  | { kind: 'pglite'; dataDir: string | null };

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: DatabaseTarget['kind'];
  /**
   * SQL statements sent since start; tests read it to prove batching. Statements marked as
   * bookkeeping (`uncountedStatement`) are left out: they run beside requests, not for them.
   */
  statementCount(): number;
  /** Tells `listener` every statement's kind, duration and outcome (metrics); returns the unsubscribe. */
  observeStatements(listener: StatementListener): () => void;
  /** Statements sent and not answered yet. */
  statementsInFlight(): number;
  /** Most connections open at once: 10 on PostgreSQL, 1 for the embedded database. */
  readonly poolSize: number;
  migrate(): Promise<void>;
  /** True when the server answers and every committed migration is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Starts a statement that background bookkeeping sends (e.g. the service-call counters): a
 * request's statement count (tests prove batching with it) must not depend on when that runs.
 */
export const uncountedStatement = '/* people:bookkeeping */ ';

class StatementCounter implements DrizzleLogger {
  count = 0;
  logQuery(query: string): void {
    if (!query.startsWith(uncountedStatement)) this.count += 1;
  }
}

const postgresPoolSize = 10;

/** Any fixed number: the advisory lock People's replicas take around their migrations. */
const migrationLockKey = 7_101_915;

/**
 * Runs the migrations while holding a session advisory lock on a connection of its own, so that
 * replicas starting together on a fresh database migrate one after the other: the second finds
 * the migrations applied instead of racing the first to create the same tables.
 */
async function migrateOnce(url: string, migrate: () => Promise<void>): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await lock`select pg_advisory_lock(${migrationLockKey})`;
    await migrate();
  } finally {
    // Ending the session releases the lock too, should the unlock itself fail.
    await lock`select pg_advisory_unlock(${migrationLockKey})`.catch(() => undefined);
    await lock.end({ timeout: 5 });
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  const counter = new StatementCounter();
  const timer = createStatementTimer();
  if (target.kind === 'postgres') {
    const poolSize = target.connections ?? postgresPoolSize;
    const client = postgres(target.url, {
      onnotice: () => undefined,
      max: poolSize,
      // The planner overestimates the recursive org queries by orders of magnitude, and JIT
      // compiling them then costs more than running them (measured in bench/: 3x on orgChart).
      connection: { jit: 'off' },
    });
    // postgres.js connects on the first statement: connect now, so an unreachable server or a
    // missing database is reported as such, before anything else runs.
    try {
      await client`select 1`;
    } catch (error) {
      await client.end({ timeout: 0 });
      throw new StartupError(explainConnectionFailure(error, target.url));
    }
    const db = drizzlePostgres({ client: timedPostgres(client, timer), schema, logger: counter });
    return buildHandle(db, 'postgres', { counter, timer, poolSize }, () => migrateOnce(target.url, () => migratePostgres(db, { migrationsFolder })), () =>
      client.end({ timeout: 5 }),
    );
  }
  if (target.dataDir) mkdirSync(path.dirname(target.dataDir), { recursive: true });
  const client = createPglite(target.dataDir);
  await client.waitReady;
  const db = drizzlePglite({ client: timedPglite(client, timer), schema, logger: counter });
  return buildHandle(db, 'pglite', { counter, timer, poolSize: 1 }, () => migratePglite(db, { migrationsFolder }), () => client.close());
}

/**
 * An embedded database with the extensions the migrations create (pg_trgm: the employee search's
 * trigram indexes). PostgreSQL ships them as contrib; PGlite loads each only when given it here.
 */
export function createPglite(dataDir: string | null = null): PGlite {
  return new PGlite({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
}

function buildHandle(
  db: Database,
  kind: DatabaseTarget['kind'],
  statements: { counter: StatementCounter; timer: StatementTimer; poolSize: number },
  runMigrations: () => Promise<void>,
  closeClient: () => Promise<void>,
): DatabaseHandle {
  let closed = false;
  return {
    db,
    kind,
    statementCount: () => statements.counter.count,
    observeStatements: (listener) => statements.timer.observe(listener),
    statementsInFlight: () => statements.timer.inFlight(),
    poolSize: statements.poolSize,
    migrate: runMigrations,
    async isReady() {
      try {
        const rows = await queryRows<{ applied: number }>(
          db,
          sql`select count(*)::int as applied from drizzle.__drizzle_migrations`,
        );
        return (rows[0]?.applied ?? 0) >= committedMigrationCount();
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await closeClient();
    },
  };
}

let journalEntries: number | undefined;
function committedMigrationCount(): number {
  // The journal ships with the code and does not change while running: read it once.
  journalEntries ??= (
    JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
  ).entries.length;
  return journalEntries;
}

/**
 * `column = any($1::uuid[])`: a set of ids as ONE array parameter. `inArray` binds one parameter
 * per id (1,007 for PSA's 500 employees in issue 14's profile), which costs building, binding
 * and planning a new statement text for every set size. The ids must be UUIDs (as for `in`); a
 * compiled read (`compiled-read.ts`) gives the placeholder that stands for them.
 */
export function isAnyUuid(column: SQLWrapper, ids: readonly string[] | Placeholder): SQL {
  return sql`${column} = any(${ids instanceof Placeholder ? ids : sql.param([...ids])}::uuid[])`;
}

/** The rows of a raw statement's result, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result;
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) return result.rows;
  throw new Error('the driver returned no rows');
}

export async function queryRows<T>(db: Database, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement));
}
