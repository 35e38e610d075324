import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The real server process, started as an operator starts it, with its environment, its stdout
// and its signals. Always the embedded PGlite in a temporary DATA_DIR unless a test says otherwise.

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
// A fresh PGlite data directory runs initdb first: seconds on a quiet machine, far more on a busy CI runner.
export const startTimeoutMs = 90_000;
export const exitTimeoutMs = 30_000;
export const oneStart = startTimeoutMs + exitTimeoutMs;

/** How the server is started when a test does not say: what `npm start` runs, without npm. */
export const directCommand: readonly string[] = [process.execPath, '--import', 'tsx', 'src/main.ts'];

// Production requires both secrets; with them set, no development secrets are written either.
export const ssoSecret = 'process-test-portal-sso-secret-0123456789';
export const sessionSecret = 'process-test-session-secret-0123456789';
export const hubIssuer = 'hub';
export const hubAudience = 'people';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedServer {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

export interface RunningServer extends SpawnedServer {
  /** Base URL, without /graphql. */
  url: string;
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const children = new Set<ChildProcess>();
const temporaryDirectories: string[] = [];

/** For afterAll: kills what is still running and removes the temporary folders. */
export async function cleanUpProcesses(): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  await Promise.all(temporaryDirectories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
}

export async function temporaryDataDir(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'people-process-test-'));
  temporaryDirectories.push(directory);
  return directory;
}

export function serverEnvironment(overrides: Record<string, string>, unset: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The process tests are about the embedded database; never let an outer setting redirect them.
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  delete env.NODE_OPTIONS;
  const result: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'info',
    PORTAL_SSO_SECRET: ssoSecret,
    SESSION_SECRET: sessionSecret,
    HUB_TOKEN_ISSUER: hubIssuer,
    HUB_TOKEN_AUDIENCE: hubAudience,
    ...overrides,
  };
  for (const name of unset) delete result[name];
  return result;
}

/** Spawns the server; stdout and stderr are collected as they come. */
export function spawnServer(
  overrides: Record<string, string>,
  options: { command?: readonly string[]; cwd?: string; unset?: readonly string[] } = {},
): SpawnedServer {
  const [command = process.execPath, ...args] = options.command ?? directCommand;
  const child = spawn(command, args, {
    cwd: options.cwd ?? repositoryRoot,
    env: serverEnvironment(overrides, options.unset),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => {
    // 'close', not 'exit': it comes after stdout and stderr are fully read.
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitFor<T>(
  description: string,
  probe: () => T | undefined,
  timeoutMs: number,
  stillAlive?: () => string | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    const death = stillAlive?.();
    if (death) throw new Error(`${description}: ${death}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${description}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the server and waits for the URL it prints. */
export async function startServer(
  overrides: Record<string, string>,
  options: { command?: readonly string[]; cwd?: string } = {},
): Promise<RunningServer> {
  const spawned = spawnServer(overrides, options);
  let exit: Exit | undefined;
  void spawned.exited.then((value) => (exit = value));
  const url = await waitFor(
    'the GraphQL URL on stdout',
    () => /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(spawned.stdout())?.[1],
    startTimeoutMs,
    () =>
      exit
        ? `server exited early (code ${exit.code}, signal ${exit.signal})\nstdout:\n${spawned.stdout()}\nstderr:\n${spawned.stderr()}`
        : undefined,
  );
  return {
    ...spawned,
    url,
    async stop(signal = 'SIGTERM') {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill(signal);
      return withTimeout(spawned.exited, exitTimeoutMs, `server exit after ${signal}`);
    },
  };
}

/** stderr without Node's own runtime warnings (a dependency's deprecation is not the server's failure). */
export function unexpectedStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^\(node:\d+\) \[?\w*\]? ?\w*Warning: /.test(line))
    .filter((line) => !/^\(Use `node --trace-(warnings|deprecation) \.\.\.` to show where the warning was created\)$/.test(line))
    .join('\n')
    .trim();
}

export interface LogLine {
  level: number;
  msg: string;
  service?: string;
  time?: string;
  req?: { id?: string; method?: string; path?: string };
  [key: string]: unknown;
}

/** Every stdout line that is a JSON object; the startup banner is the only other text allowed. */
export function jsonLines(stdout: string): { logs: LogLine[]; other: string[] } {
  const logs: LogLine[] = [];
  const other: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
    else other.push(line);
  }
  return { logs, other };
}
