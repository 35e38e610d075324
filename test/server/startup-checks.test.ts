import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { lockDataDir, lockFileName, readHolder } from '../../src/startup/data-dir-lock.js';
import { StartupError } from '../../src/startup/startup-error.js';

// The checks People makes before touching data, in this process: the lock on the embedded
// database's folder, and what an unusable DATABASE_URL is reported as. The same through the real
// server process (two servers on one folder, a taken port, a missing database): startup.test.ts.

const directories: string[] = [];
function dataDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'people-lock-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function writeLock(directory: string, content: string): string {
  const file = path.join(directory, lockFileName);
  writeFileSync(file, content);
  return file;
}

describe('the data folder lock', () => {
  it('records this process, its host and port, and the port it ends up listening on', () => {
    const directory = dataDir();
    const lock = lockDataDir(directory, { host: '127.0.0.1', port: 0 });
    expect(readHolder(lock.file)).toEqual({ pid: process.pid, host: '127.0.0.1', port: 0, startedAt: expect.any(String) });
    lock.recordPort(41234);
    expect(readHolder(lock.file)).toMatchObject({ pid: process.pid, port: 41234 });
    // Nothing but the lock is left in the folder (no drafts).
    expect(readdirSync(directory)).toEqual([lockFileName]);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it('refuses while a live process holds it, naming its PID and port', () => {
    const directory = dataDir();
    // The parent of this test process is alive for as long as the test runs.
    writeLock(directory, JSON.stringify({ pid: process.ppid, host: '0.0.0.0', port: 4001, startedAt: '2026-06-15T08:00:00.000Z' }));
    expect(() => lockDataDir(directory, { host: '0.0.0.0', port: 4001 })).toThrow(StartupError);
    expect(() => lockDataDir(directory, { host: '0.0.0.0', port: 4001 })).toThrow(`(PID ${process.ppid}, port 4001, started 2026-06-15T08:00:00.000Z)`);
    expect(readHolder(path.join(directory, lockFileName))).toMatchObject({ pid: process.ppid });
  });

  it.each([
    ['a process that has exited', () => JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '']).pid, host: 'h', port: 1, startedAt: 's' })],
    // In a container each start is often PID 1 again: a lock naming this very process is a leftover.
    ['this very PID (a restarted container)', () => JSON.stringify({ pid: process.pid, host: 'h', port: 1, startedAt: 's' })],
    ['no valid content', () => '{"pid": '],
  ])('takes over a lock left by %s, and says from whom', (_case, content) => {
    const directory = dataDir();
    writeLock(directory, content());
    const lock = lockDataDir(directory, { host: '127.0.0.1', port: 4001 });
    expect(lock.tookOverFrom).not.toBeNull();
    expect(readHolder(lock.file)).toMatchObject({ pid: process.pid, port: 4001 });
    expect(readdirSync(directory)).toEqual([lockFileName]);
    lock.release();
  });

  it('release leaves a lock that is no longer its own', () => {
    const directory = dataDir();
    const lock = lockDataDir(directory, { host: '127.0.0.1', port: 4001 });
    writeLock(directory, JSON.stringify({ pid: process.ppid, host: 'h', port: 2, startedAt: 's' }));
    lock.release();
    expect(readHolder(lock.file)).toMatchObject({ pid: process.ppid });
  });
});

describe('opening PostgreSQL', () => {
  it('a host name that does not resolve is said so, without the password', async () => {
    const opening = openDatabase({ kind: 'postgres', url: 'postgres://people:hunter2@no-such-host.invalid:5432/people' });
    await expect(opening).rejects.toThrow(StartupError);
    await expect(opening).rejects.toThrow(/^People cannot start: cannot reach PostgreSQL at no-such-host\.invalid:5432 \(DATABASE_URL\): the host name "no-such-host\.invalid" does not resolve/);
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });
});
