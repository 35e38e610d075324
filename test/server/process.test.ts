import http from 'node:http';
import path from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { insertDepartment, insertLocation } from '../../src/organisation/organisation.store.js';
import {
  cleanUpProcesses,
  exitTimeoutMs,
  hubAudience,
  hubIssuer,
  jsonLines,
  oneStart,
  sessionSecret,
  spawnServer,
  ssoSecret,
  startServer,
  startTimeoutMs,
  temporaryDataDir,
  unexpectedStderr,
  waitFor,
  withTimeout,
  type RunningServer,
} from '../support/process.js';

// The real process, as it runs in production: `node --import tsx src/main.ts` with its
// environment, its stdout and its signals. Always the embedded PGlite in a temporary DATA_DIR.

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

afterAll(cleanUpProcesses);

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
      expect(line).toMatch(/^(People is running\.|\s+(GraphQL|Explorer|Health|Ready|Metrics):\s+http:\/\/\S+)$/);
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
