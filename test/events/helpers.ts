import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import { openDatabase, queryRows, type Database, type DatabaseHandle } from '../../src/db/database.js';
// The outbox machinery is exercised with types outside the catalog: the catalog-free insert.
import { insertOutboxEvent as recordEvent, type NewEvent } from '../../src/events/outbox.js';

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger whose lines tests can read (level 50 = error, 40 = warn). */
export function captureLogger(): { logger: Logger; entries: LogEntry[]; text(): string } {
  const entries: LogEntry[] = [];
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const line = chunk.toString();
      lines.push(line);
      const parsed: unknown = JSON.parse(line);
      if (isLogEntry(parsed)) entries.push(parsed);
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, entries, text: () => lines.join('') };
}

function isLogEntry(value: unknown): value is LogEntry {
  return typeof value === 'object' && value !== null && 'level' in value && 'msg' in value;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Records events in one committed transaction; returns their ids in order. */
export async function recordCommitted(db: Database, events: NewEvent[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const event of events) ids.push(await recordEvent(tx, event));
    return ids;
  });
}

export function employeeEvent(subjectId: string, data: Record<string, unknown> = {}): NewEvent {
  return { type: 'employee.updated', subject: `employee:${subjectId}`, data: { employeeId: subjectId, ...data } };
}

/**
 * The URL of the PostgreSQL database behind `handle` (TEST_DATABASE_URL's server, the test
 * file's own database), or null on PGlite.
 */
export async function postgresUrlOf(handle: DatabaseHandle): Promise<string | null> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (handle.kind !== 'postgres' || !serverUrl) return null;
  const rows = await queryRows<{ name: string }>(handle.db, sql`select current_database() as name`);
  const url = new URL(serverUrl);
  url.pathname = `/${rows[0]?.name ?? ''}`;
  return url.toString();
}

/**
 * A second handle on the same database, as another replica would have: on PostgreSQL its own
 * connection pool; on PGlite (one connection by nature) the same handle.
 */
export async function secondHandle(handle: DatabaseHandle): Promise<{ handle: DatabaseHandle; close(): Promise<void> }> {
  const url = await postgresUrlOf(handle);
  if (!url) return { handle, close: async () => undefined };
  const other = await openDatabase({ kind: 'postgres', url });
  return { handle: other, close: () => other.close() };
}
