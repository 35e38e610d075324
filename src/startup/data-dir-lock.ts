import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartupError, errorCode } from './startup-error.js';

// PGlite is one process's database: two servers on one folder each keep their own copy in
// memory, hand out the same employee numbers, and whichever writes last silently wins. The lock
// file makes the second server refuse to start, naming the first.

export const lockFileName = 'people.lock';

/** Who holds the data folder, as written in the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The configured port until the server listens, then the port it listens on (PORT=0 picks one). */
  port: number;
  startedAt: string;
}

export interface DataDirLock {
  readonly file: string;
  /** The holder of a lock found behind by a process that is gone, which this one took over. */
  readonly tookOverFrom: LockHolder | 'unreadable' | null;
  /** Records the port the server listens on, for the message a second server shows. */
  recordPort(port: number): void;
  /** Removes the lock file, if it is still this process's. Safe to call more than once. */
  release(): void;
}

/**
 * Takes the data folder for this process, before anything opens the database in it. Refuses with
 * a StartupError naming the holder's PID and port when another live process holds it.
 */
export function lockDataDir(dataDir: string, owner: { host: string; port: number }): DataDirLock {
  const file = path.join(dataDir, lockFileName);
  const holder: LockHolder = { pid: process.pid, host: owner.host, port: owner.port, startedAt: new Date().toISOString() };
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StartupError(`cannot create DATA_DIR ${dataDir} (${errorCode(error) ?? String(error)}). Create it, or set DATA_DIR to a folder People may write to.`);
  }

  let tookOverFrom: LockHolder | 'unreadable' | null = null;
  // Two attempts: the second follows the removal of a lock its holder left behind.
  for (let attempt = 1; ; attempt += 1) {
    if (createExclusively(file, holder)) break;
    const found = readHolder(file);
    if (found === 'missing') continue;
    if (found !== 'unreadable' && isRunning(found.pid)) throw new StartupError(heldBy(found, dataDir, file));
    if (attempt > 1) throw new StartupError(`another process keeps taking ${file}; start one People at a time.`);
    removeStaleLock(file, dataDir);
    tookOverFrom = found;
  }

  let released = false;
  return {
    file,
    tookOverFrom,
    recordPort(port) {
      if (released) return;
      // Replaced in one rename, so a server starting meanwhile never reads half a file.
      const next = `${file}.${process.pid}`;
      writeFileSync(next, describe({ ...holder, port }));
      renameSync(next, file);
    },
    release() {
      if (released) return;
      released = true;
      const current = readHolder(file);
      if (current !== 'missing' && current !== 'unreadable' && current.pid === process.pid) unlinkIfPresent(file);
    },
  };
}

/** Creates the lock file with its content in one step: link() fails if the name exists. */
function createExclusively(file: string, holder: LockHolder): boolean {
  const draft = `${file}.${process.pid}`;
  writeFileSync(draft, describe(holder));
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw new StartupError(`cannot create the lock file ${file} (${errorCode(error) ?? String(error)}). Check that People may write to DATA_DIR.`);
  } finally {
    unlinkIfPresent(draft);
  }
}

/**
 * Moves a dead holder's lock aside. If another server starting at the same moment replaced it
 * in between, what was moved is that server's live lock: it is put back and this one refuses.
 */
function removeStaleLock(file: string, dataDir: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = readHolder(aside);
  if (moved !== 'missing' && moved !== 'unreadable' && moved.pid !== process.pid && isRunning(moved.pid)) {
    try {
      linkSync(aside, file);
    } finally {
      unlinkIfPresent(aside);
    }
    throw new StartupError(heldBy(moved, dataDir, file));
  }
  unlinkIfPresent(aside);
}

function heldBy(holder: LockHolder, dataDir: string, file: string): string {
  return (
    `the embedded database in ${dataDir} is in use by another People (PID ${holder.pid}, port ${holder.port}, ` +
    `started ${holder.startedAt}). Two servers on one DATA_DIR would overwrite each other's data. ` +
    'Stop that one, or give this one its own DATA_DIR (or share a PostgreSQL server through DATABASE_URL). ' +
    `If no such process is People (its PID was reused), delete ${file}.`
  );
}

function describe(holder: LockHolder): string {
  return `${JSON.stringify(holder, null, 2)}\n`;
}

export function readHolder(file: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isLockHolder(parsed) ? parsed : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function isLockHolder(value: unknown): value is LockHolder {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.pid === 'number' &&
    Number.isInteger(record.pid) &&
    // 0 and negative numbers address process groups in kill(), never one process.
    record.pid > 0 &&
    typeof record.host === 'string' &&
    Number.isInteger(record.port) &&
    typeof record.startedAt === 'string'
  );
}

/** Whether a process with this PID exists. Our own PID in a lock is a leftover: in a container, each start is often PID 1. */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

function unlinkIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}
