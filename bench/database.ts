import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type DatabaseHandle } from '../src/db/database.js';

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** What the table header says, e.g. "PGlite (embedded, in memory)". */
  description: string;
  /** `postgres://…` of the bench database on a server (the floor connects there); null on PGlite. */
  url: string | null;
  /** Closes the handle and, on a server, drops the bench database. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one bench run: in-memory PGlite by default; with `serverUrl`
 * (BENCH_DATABASE_URL) a new `people_bench_<random>` database on that server, dropped by `drop()`.
 */
export async function openBenchDatabase(
  serverUrl: string | undefined,
): Promise<BenchDatabase> {
  if (!serverUrl) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await handle.migrate();
    const version = await serverVersion(handle);
    return { handle, description: `PGlite (embedded, in memory; PostgreSQL ${version})`, url: null, drop: () => handle.close() };
  }

  const name = `people_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  let dropped = false;
  const dropDatabase = async (handle: DatabaseHandle | null) => {
    if (dropped) return;
    dropped = true;
    try {
      await handle?.close();
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    }
  };

  let handle: DatabaseHandle | null = null;
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    handle = await openDatabase({ kind: 'postgres', url: url.toString() });
    await handle.migrate();
    const version = await serverVersion(handle);
    const opened = handle;
    return {
      handle: opened,
      description: `PostgreSQL ${version} at ${url.host} (database ${name}, dropped at the end)`,
      url: url.toString(),
      drop: () => dropDatabase(opened),
    };
  } catch (error) {
    await dropDatabase(handle);
    throw error;
  }
}

async function serverVersion(handle: DatabaseHandle): Promise<string> {
  const rows = await queryRows<{ version: string }>(handle.db, sql`select current_setting('server_version') as version`);
  return rows[0]?.version ?? 'unknown';
}
