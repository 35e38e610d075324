import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';

export interface TestDatabase {
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. With TEST_DATABASE_URL set (CI's real
 * PostgreSQL), a new database is created on that server and dropped afterwards; otherwise an
 * in-memory PGlite.
 *
 * `connections: 1` is for tests that compare two requests' statement counts. Over a pool,
 * answers come back in any order, and which DataLoader keys share a batch depends on that order:
 * the same request cost 18 statements in one run and 26 in the next. One connection answers in
 * the order asked, as PGlite does, so the counts say what the code batches, not how the pool
 * happened to answer.
 */
export async function createTestDatabase(options: { connections?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await handle.migrate();
    return { handle, drop: () => handle.close() };
  }
  const name = `people_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), ...(options.connections !== undefined ? { connections: options.connections } : {}) });
  await handle.migrate();
  return {
    handle,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
