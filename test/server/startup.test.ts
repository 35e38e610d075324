import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockFileName, readHolder } from '../../src/startup/data-dir-lock.js';
import { refusingPostgres } from '../simulators/postgres-refusals.js';
import {
  cleanUpProcesses,
  exitTimeoutMs,
  jsonLines,
  oneStart,
  spawnServer,
  startServer,
  startTimeoutMs,
  temporaryDataDir,
  withTimeout,
  type SpawnedServer,
} from '../support/process.js';

// Starting People where it cannot run: each failure names its cause and its fix, all of them at
// once, before any data is touched; and stopping it as a process manager does.

afterAll(cleanUpProcesses);

const password = 'hunter2-do-not-print';

async function failedStart(spawned: SpawnedServer): Promise<{ stderr: string; stdout: string }> {
  const exit = await withTimeout(spawned.exited, startTimeoutMs, 'the failed start to exit');
  expect(exit, spawned.stderr()).toEqual({ code: 1, signal: null });
  const stderr = spawned.stderr();
  // The cause, not a stack trace.
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('People failed to start');
  expect(spawned.stdout()).not.toContain('database opened');
  return { stderr, stdout: spawned.stdout() };
}

/** A port nobody listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** A port another program listens on, until release(). */
async function occupiedPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { port: address.port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a configuration with several mistakes', () => {
  it('lists every one, missing production secrets included, and touches nothing', async () => {
    const dataDir = await temporaryDataDir();
    const { stderr } = await failedStart(
      spawnServer(
        { DATA_DIR: dataDir, NODE_ENV: 'production', PORT: 'abc', BUS_API_URL: 'http://bus.example' },
        { unset: ['PORTAL_SSO_SECRET', 'SESSION_SECRET'] },
      ),
    );
    for (const variable of ['PORT', 'BUS_INTEGRATION_KEY', 'PORTAL_SSO_SECRET', 'SESSION_SECRET']) {
      expect(stderr).toMatch(new RegExp(`^  ${variable}: `, 'm'));
    }
    expect(readdirSync(dataDir)).toEqual([]);
  }, startTimeoutMs + 5_000);
});

describe('a port already in use', () => {
  it('is named, with the fix, before the database is opened', async () => {
    const dataDir = await temporaryDataDir();
    const other = await occupiedPort();
    try {
      const { stderr } = await failedStart(spawnServer({ DATA_DIR: dataDir, PORT: String(other.port) }));
      expect(stderr).toContain(`port ${other.port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain('set PORT to a free port');
      // No database was created or migrated, and the folder's lock was given back.
      expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
      expect(existsSync(path.join(dataDir, lockFileName))).toBe(false);
    } finally {
      await other.release();
    }
  }, startTimeoutMs + 5_000);
});

describe('two servers on one DATA_DIR', () => {
  it('the second refuses, naming the first one PID and port; the first keeps serving and frees the folder when it stops', async () => {
    const dataDir = await temporaryDataDir();
    const first = await startServer({ DATA_DIR: dataDir });
    const firstPort = new URL(first.url).port;
    try {
      expect(readHolder(path.join(dataDir, lockFileName))).toMatchObject({ pid: first.child.pid, port: Number(firstPort) });

      const { stderr } = await failedStart(spawnServer({ DATA_DIR: dataDir }));
      expect(stderr).toContain(`in use by another People (PID ${first.child.pid}, port ${firstPort},`);
      expect(stderr).toContain('give this one its own DATA_DIR');

      expect((await fetch(`${first.url}/ready`)).status).toBe(200);
      expect(readHolder(path.join(dataDir, lockFileName))).toMatchObject({ pid: first.child.pid });
    } finally {
      expect(await first.stop()).toMatchObject({ code: 0 });
    }
    expect(existsSync(path.join(dataDir, lockFileName))).toBe(false);
  }, 2 * oneStart);

  it('a lock left by a process that is gone is taken over, and the log says so', async () => {
    const dataDir = await temporaryDataDir();
    // A PID that surely belonged to a process and surely is free now: one that has just exited.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    expect(isRunning(gone)).toBe(false);
    writeFileSync(
      path.join(dataDir, lockFileName),
      JSON.stringify({ pid: gone, host: '127.0.0.1', port: 4001, startedAt: '2026-01-01T00:00:00.000Z' }),
    );

    const server = await startServer({ DATA_DIR: dataDir });
    try {
      expect(readHolder(path.join(dataDir, lockFileName))).toMatchObject({ pid: server.child.pid });
      const warning = jsonLines(server.stdout()).logs.find((line) => line.msg.startsWith('took over the lock'));
      expect(warning).toMatchObject({ level: 40, previousPid: gone, file: path.join(dataDir, lockFileName) });
    } finally {
      expect(await server.stop()).toMatchObject({ code: 0 });
    }
  }, oneStart);
});

describe('DATABASE_URL that cannot be used', () => {
  it('an unreachable server: "connection refused" with host and port, never the password, and every other problem with it', async () => {
    const databasePort = await closedPort();
    const other = await occupiedPort();
    try {
      const { stderr } = await failedStart(
        spawnServer({
          DATABASE_URL: `postgres://people:${password}@127.0.0.1:${databasePort}/people`,
          PORT: String(other.port),
        }),
      );
      expect(stderr).toContain(`cannot reach PostgreSQL at 127.0.0.1:${databasePort} (DATABASE_URL): connection refused`);
      expect(stderr).toContain(`port ${other.port} on 127.0.0.1 is already in use`);
      expect(stderr).not.toContain(password);
    } finally {
      await other.release();
    }
  }, startTimeoutMs + 5_000);

  it('a database that does not exist: its name and how to create it', async () => {
    const postgres = await refusingPostgres();
    const database = `people_missing_${process.pid}`;
    try {
      const url = new URL(postgres.serverUrl());
      url.password = password;
      url.pathname = `/${database}`;
      const { stderr } = await failedStart(spawnServer({ DATABASE_URL: url.toString() }));
      expect(stderr).toContain(`database "${database}" does not exist on PostgreSQL at ${url.host}`);
      expect(stderr).toContain(`createdb -h ${url.hostname} -p ${url.port} -U ${decodeURIComponent(url.username)} ${database}`);
      expect(stderr).not.toContain(password);
    } finally {
      await postgres.close();
    }
  }, startTimeoutMs + 5_000);

  it('a role that does not exist: the user, and what to do', async () => {
    const postgres = await refusingPostgres();
    try {
      const url = new URL(postgres.serverUrl(postgres.missingRole));
      url.password = password;
      url.pathname = '/people';
      const { stderr } = await failedStart(spawnServer({ DATABASE_URL: url.toString() }));
      expect(stderr).toContain(`refused user "${postgres.missingRole}": role "${postgres.missingRole}" does not exist`);
      expect(stderr).toContain('fix the user in DATABASE_URL');
      expect(stderr).not.toContain(password);
    } finally {
      await postgres.close();
    }
  }, startTimeoutMs + 5_000);
});

describe('`npm start` under a process manager', () => {
  it('SIGTERM to the npm process stops the server it started, which shuts down cleanly', async () => {
    const dataDir = await temporaryDataDir();
    const npm = await startServer({ DATA_DIR: dataDir }, { command: ['npm', 'start'] });
    // The server writes its PID into the folder's lock: that is the process that must go.
    const holder = readHolder(path.join(dataDir, lockFileName));
    if (typeof holder === 'string') throw new Error(`no lock in ${dataDir}: ${holder}`);
    const serverPid = holder.pid;
    expect(serverPid).not.toBe(npm.child.pid);
    try {
      // Docker and systemd signal the PID they started: npm's.
      expect(await npm.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(isRunning(serverPid)).toBe(false);
      expect(jsonLines(npm.stdout()).logs.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped']),
      );
      await expect(fetch(`${npm.url}/health`)).rejects.toThrow();
      expect(existsSync(path.join(dataDir, lockFileName))).toBe(false);
    } finally {
      // Only if the server outlived npm (the failure this test is about): do not leave it running.
      if (isRunning(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  }, oneStart + exitTimeoutMs);
});
