import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../../src/db/database.js';

// For testing a migration's backfill: the database as it was before it (the same migration files,
// a journal that stops earlier), so rows can be inserted the old way before the rest runs.

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** Applies the migrations up to and including `lastIndex`; the returned function removes the copy. */
export async function migrateUpTo(db: PgliteDatabase, lastIndex: number): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), 'people-migrations-'));
  await cp(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Journal;
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((entry) => entry.idx <= lastIndex) }));
  await migrate(db, { migrationsFolder: folder });
  return () => rm(folder, { recursive: true, force: true });
}
