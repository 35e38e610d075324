import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { insertDepartment, insertLocation } from '../../src/organisation/organisation.store.js';

// The real process, as it runs in production: `node --import tsx src/main.ts` with its
// environment, its stdout and its signals. Always the embedded PGlite in a temporary DATA_DIR.

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
// A fresh PGlite data directory runs initdb first: seconds on a quiet machine, far more on a busy CI runner.
const startTimeoutMs = 90_000;
const exitTimeoutMs = 30_000;
const oneStart = startTimeoutMs + exitTimeoutMs;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface RunningServer {
  child: ChildProcess;
  /** Base URL, without /graphql. */
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

// Production requires both secrets; with them set, no development secrets are written either.
const ssoSecret = 'process-test-portal-sso-secret-0123456789';
const sessionSecret = 'process-test-session-secret-0123456789';
const hubIssuer = 'hub';
const hubAudience = 'people';

/** A Hub SSO token for an HR manager, signed as Hub signs them (HS256 with PORTAL_SSO_SECRET). */
async function hubToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: 'hr.manager@example.com', roles: ['HR Manager'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(hubIssuer)
    .setAudience(hubAudience)
    .setSubject('hub-user-process-test')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(ssoSecret));
}

let hrAuthorization = '';
beforeAll(async () => {
  hrAuthorization = `Bearer ${await hubToken()}`;
});

const children = new Set<ChildProcess>();
const temporaryDirectories: string[] = [];

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  await Promise.all(temporaryDirectories.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function temporaryDataDir(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'people-process-test-'));
  temporaryDirectories.push(directory);
  return directory;
}

function serverEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The process tests are about the embedded database; never let an outer setting redirect them.
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  delete env.NODE_OPTIONS;
  return {
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
}

/** Spawns the server; stdout and stderr are collected as they come. */
function spawnServer(overrides: Record<string, string>): {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repositoryRoot,
    env: serverEnvironment(overrides),
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

async function waitFor<T>(description: string, probe: () => T | undefined, timeoutMs: number, stillAlive?: () => string | undefined): Promise<T> {
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

async function withTimeout<T>(promise: Promise<T>, ms: number, description: string): Promise<T> {
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
async function startServer(overrides: Record<string, string>): Promise<RunningServer> {
  const spawned = spawnServer(overrides);
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
function unexpectedStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^\(node:\d+\) \[?\w*\]? ?\w*Warning: /.test(line))
    .filter((line) => !/^\(Use `node --trace-(warnings|deprecation) \.\.\.` to show where the warning was created\)$/.test(line))
    .join('\n')
    .trim();
}

interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql<T>(
  server: RunningServer,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLResult<T> }> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    // As an HR manager unless the caller says otherwise.
    headers: { 'content-type': 'application/json', authorization: hrAuthorization, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResult<T> };
}

interface LogLine {
  level: number;
  msg: string;
  service?: string;
  time?: string;
  req?: { id?: string; method?: string; path?: string };
  [key: string]: unknown;
}

/** Every stdout line that is a JSON object; the startup banner is the only other text allowed. */
function jsonLines(stdout: string): { logs: LogLine[]; other: string[] } {
  const logs: LogLine[] = [];
  const other: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
    else other.push(line);
  }
  return { logs, other };
}

describe('the server process', () => {
  it('starts, prints its GraphQL URL and answers /ready, then stops cleanly on SIGTERM', async () => {
    const server = await startServer({ DATA_DIR: await temporaryDataDir() });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout()).toContain(`GraphQL:  ${server.url}/graphql`);

    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: true } });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    // Production keeps the explorer off unless EXPLORER_ENABLED says otherwise.
    expect(server.stdout()).not.toContain('Explorer:');
    expect((await fetch(`${server.url}/explorer`)).status).toBe(404);

    const exit = await server.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(unexpectedStderr(server.stderr())).toBe('');
    // Exit 0 alone is not enough: the process must have gone through its own shutdown (database closed).
    const messages = jsonLines(server.stdout()).logs.map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped']));
  }, oneStart);

  it('in development, prints an explorer URL that signs the browser in through its fragment, and the plain token', async () => {
    // A maximum token age under the dev token's usual 8 hours: the printed token keeps within it.
    const server = await startServer({ DATA_DIR: await temporaryDataDir(), NODE_ENV: 'development', HUB_TOKEN_MAX_AGE: '1h' });
    try {
      const stdout = server.stdout();
      const explorer = /^ {2}Explorer: (http:\/\/\S+)\/explorer#token=([\w-]+\.[\w-]+\.[\w-]+)$/m.exec(stdout);
      expect(explorer, stdout).not.toBeNull();
      const [, base, token] = explorer ?? [];
      expect(base).toBe(server.url);
      // The same token is printed on its own too, for curl and other clients.
      expect(stdout.split('\n')).toContain(`  ${token}`);
      expect(stdout).toContain('Dev token (Admin, 1h;');
      const lifetime = decodeJwt(token ?? '');
      expect((lifetime.exp ?? 0) - (lifetime.iat ?? 0)).toBe(3600);

      const page = await fetch(`${server.url}/explorer`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect((await fetch(`${server.url}/explorer/assets/graphiql.min.js`)).status).toBe(200);

      // What the explorer sends once the bootstrap has moved the token into its headers editor.
      const signedIn = await gql<{ __typename: string }>(server, '{ __typename }', undefined, { authorization: `Bearer ${token}` });
      expect(signedIn).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    } finally {
      expect(await server.stop()).toMatchObject({ code: 0 });
    }
  }, oneStart);

  it('keeps data in DATA_DIR across restarts', async () => {
    const dataDir = await temporaryDataDir();

    // First start creates and migrates the database.
    const first = await startServer({ DATA_DIR: dataDir });
    const empty = await gql<{ departments: { name: string }[] }>(first, '{ departments { name } }');
    expect(empty.body).toEqual({ data: { departments: [] } });
    expect(await first.stop()).toMatchObject({ code: 0 });

    // No department mutations exist: add one straight into the stopped server's files.
    const direct = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    let departmentId: string;
    let locationId: string;
    try {
      departmentId = (await insertDepartment(direct.db, { name: 'Restart Engineering', code: 'RST' })).id;
      locationId = (
        await insertLocation(direct.db, {
          name: 'Restart Office',
          city: 'Berlin',
          countryCode: 'DE',
          timezone: 'Europe/Berlin',
        })
      ).id;
    } finally {
      await direct.close();
    }

    const second = await startServer({ DATA_DIR: dataDir });
    const departments = await gql<{ departments: { name: string }[] }>(second, '{ departments { name } }');
    expect(departments.body).toEqual({ data: { departments: [{ name: 'Restart Engineering' }] } });

    const created = await gql<{
      createEmployee: { employee: { id: string; email: string } | null; userErrors: { code: string }[] };
    }>(
      second,
      `mutation Create($input: CreateEmployeeInput!) {
        createEmployee(input: $input) { employee { id email } userErrors { field code message } }
      }`,
      {
        input: {
          email: 'ada.restart@example.com',
          firstName: 'Ada',
          lastName: 'Restart',
          jobTitle: 'Engineer',
          departmentId,
          locationId,
          employmentType: 'FULL_TIME',
          hireDate: '2020-01-06',
        },
      },
    );
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createEmployee.userErrors).toEqual([]);
    const employeeId = created.body.data?.createEmployee.employee?.id;
    expect(employeeId).toBeTruthy();
    expect(await second.stop()).toMatchObject({ code: 0 });

    const third = await startServer({ DATA_DIR: dataDir });
    try {
      const readBack = await gql<{ employee: { id: string; email: string; department: { name: string } } | null }>(
        third,
        'query($id: ID!) { employee(id: $id) { id email department { name } } }',
        { id: employeeId },
      );
      expect(readBack.body.errors).toBeUndefined();
      expect(readBack.body.data?.employee).toEqual({
        id: employeeId,
        email: 'ada.restart@example.com',
        department: { name: 'Restart Engineering' },
      });
    } finally {
      expect(await third.stop()).toMatchObject({ code: 0 });
    }
  }, 3 * oneStart);

  it('finishes an in-flight request on SIGTERM and exits with code 0', async () => {
    const server = await startServer({ DATA_DIR: await temporaryDataDir() });
    const target = new URL(`${server.url}/graphql`);
    const body = JSON.stringify({ query: '{ departments { name } __typename }' });
    expect(hrAuthorization).not.toBe('');
    const half = Math.floor(body.length / 2);
    // A keep-alive client, as a gateway would be: the connection must not hold shutdown open.
    const agent = new http.Agent({ keepAlive: true });
    try {
      // Deterministically in flight: `Expect: 100-continue` makes the server answer "100 Continue"
      // once it has parsed the headers and taken the request on. Only then is half the body sent,
      // SIGTERM delivered, and the rest of the body sent after the server reports it is shutting down.
      const responded = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: hrAuthorization,
              expect: '100-continue',
            },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.once('continue', () => {
          request.write(body.slice(0, half));
          server.child.kill('SIGTERM');
          waitFor('the shutdown log line', () => (server.stdout().includes('shutting down') ? true : undefined), 20_000).then(
            () => request.end(body.slice(half)),
            (error: unknown) => {
              request.destroy();
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        });
        request.flushHeaders();
      });

      const response = await withTimeout(responded, 30_000, 'in-flight response');
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ data: { departments: [], __typename: 'Query' } });

      const exit = await withTimeout(server.exited, exitTimeoutMs, 'exit after SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(unexpectedStderr(server.stderr())).toBe('');
      const { logs } = jsonLines(server.stdout());
      expect(logs.some((line) => line.msg === 'stopped')).toBe(true);
      expect(logs.filter((line) => line.level >= 50)).toEqual([]);

      // Nobody is listening any more.
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  }, oneStart);

  it('exits with code 1 and names the variable on invalid configuration', async () => {
    const spawned = spawnServer({ DATA_DIR: await temporaryDataDir(), PORT: 'abc' });
    const exit = await withTimeout(spawned.exited, startTimeoutMs, 'exit on bad PORT');
    expect(exit).toEqual({ code: 1, signal: null });
    expect(spawned.stderr()).toContain('PORT');
    expect(spawned.stdout()).not.toContain('GraphQL:');
  }, startTimeoutMs + 5_000);

  it('exits with code 1 when the time zone is not a real one', async () => {
    const spawned = spawnServer({ DATA_DIR: await temporaryDataDir(), BUSINESS_TIMEZONE: 'Mars/Olympus_Mons' });
    const exit = await withTimeout(spawned.exited, startTimeoutMs, 'exit on bad BUSINESS_TIMEZONE');
    expect(exit).toEqual({ code: 1, signal: null });
    expect(spawned.stderr()).toContain('BUSINESS_TIMEZONE');
  }, startTimeoutMs + 5_000);

  it('logs JSON lines with a request id and never the authorization header', async () => {
    const server = await startServer({ DATA_DIR: await temporaryDataDir() });
    const secret = 'secret-token-123';
    const requestId = 'process-test-request-1';
    const rejectedRequestId = 'process-test-request-2';
    try {
      // A signed-in request: the real token must not be logged either.
      const result = await gql<{ __typename: string }>(server, 'query Probe { __typename }', undefined, {
        cookie: `session=${secret}`,
        'x-request-id': requestId,
      });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ data: { __typename: 'Query' } });
      // A bearer value that is no token: answered (refused, or served as anonymous), logged, never echoed.
      const rejected = await gql(server, '{ __typename }', undefined, {
        authorization: `Bearer ${secret}`,
        'x-request-id': rejectedRequestId,
      });
      expect([200, 401]).toContain(rejected.status);
      expect(JSON.stringify(rejected.body)).not.toContain(secret);
      // A request whose failure is logged too.
      const bad = await gql(server, '{ nope');
      expect(bad.status).toBe(400);

      // pino writes asynchronously: a line may trail its response by a moment.
      await waitFor(
        'the request log lines',
        () => {
          const completed = jsonLines(server.stdout()).logs.filter((line) => line.msg === 'request completed');
          return completed.some((line) => line.req?.id === requestId) &&
            completed.some((line) => line.req?.id === rejectedRequestId)
            ? true
            : undefined;
        },
        10_000,
      );
    } finally {
      expect(await server.stop()).toMatchObject({ code: 0 });
    }

    const stdout = server.stdout();
    const { logs, other } = jsonLines(stdout);
    // Besides JSON logs, only the human-readable startup banner.
    for (const line of other) {
      expect(line).toMatch(/^(People is running\.|\s+(GraphQL|Explorer|Health|Ready):\s+http:\/\/\S+)$/);
    }
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(typeof line.level).toBe('number');
      expect(typeof line.msg).toBe('string');
      expect(line.service).toBe('people');
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }

    const ourLines = logs.filter((line) => line.req?.id === requestId);
    expect(ourLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['request completed', 'graphql operation']));
    const completed = ourLines.find((line) => line.msg === 'request completed');
    expect(completed?.req).toEqual({ id: requestId, method: 'POST', path: '/graphql' });
    expect(ourLines.find((line) => line.msg === 'graphql operation')).toMatchObject({ operationName: 'Probe' });

    // Requests without an incoming id still get one in the log.
    const others = logs.filter((line) => line.msg === 'request completed' && line.req?.id !== requestId);
    expect(others.length).toBeGreaterThan(0);
    for (const line of others) expect(line.req?.id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);

    expect(logs.find((line) => line.msg === 'request completed' && line.req?.id === rejectedRequestId)?.req).toEqual({
      id: rejectedRequestId,
      method: 'POST',
      path: '/graphql',
    });

    const token = hrAuthorization.replace(/^Bearer /, '');
    for (const leak of [secret, token, ssoSecret, sessionSecret]) {
      expect(stdout).not.toContain(leak);
      expect(server.stderr()).not.toContain(leak);
    }
  }, oneStart);
});
