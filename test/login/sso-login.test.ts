import { and, asc, eq, sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAttempts, type LoginAttemptRow } from '../../src/auth/login.tables.js';
import { signHubStyleToken } from '../../src/auth/tokens.js';
import { createBusClient } from '../../src/events/bus-client.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/events/dispatcher.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
import { createTestDatabase } from '../support/database.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, testEnvironment, type TestApp } from '../support/server.js';

// POST /auth/sso over real HTTP, with the login events delivered to a Bus simulator.

let app: TestApp;
let bus: BusSimulator;
let dispatcher: OutboxDispatcher;
let employee: CreatedEmployee;

interface LoginBody {
  token?: string;
  expiresAt?: string;
  user?: { hubUserId: string; employeeId: string | null; roles: string[] };
  errors?: { message: string; extensions: { code: string; reason: string } }[];
}

async function login(
  token: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: LoginBody; cookie: string | null; retryAfter: string | null }> {
  const response = await fetch(`${app.url}/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'people-tests/1.0', ...headers },
    body: JSON.stringify(token === null ? {} : { token }),
  });
  return {
    status: response.status,
    body: (await response.json()) as LoginBody,
    cookie: response.headers.get('set-cookie'),
    retryAfter: response.headers.get('retry-after'),
  };
}

async function deliveredLoginEvents(): Promise<{ type: string; data: Record<string, unknown> }[]> {
  while ((await dispatcher.drainOnce()) > 0) {
    // deliver everything due
  }
  return bus.received
    .map((received) => received.envelope)
    .filter((envelope) => envelope.type.startsWith('login_'))
    .map((envelope) => ({ type: envelope.type, data: envelope.data }));
}

function hubToken(claims: { hubUserId: string; email: string; roles: string[] }, secret: string = testEnvironment.PORTAL_SSO_SECRET) {
  return signHubStyleToken(secret, { ...claims, issuer: 'hub', audience: 'people' });
}

beforeAll(async () => {
  app = await startTestApp({ env: { LOGIN_FAILURES_PER_15_MINUTES: '3' } });
  bus = await startBusSimulator();
  dispatcher = createOutboxDispatcher({
    db: app.database.db,
    kind: app.database.kind,
    bus: createBusClient({ url: bus.url, integrationKey: bus.integrationKey }),
    logger: pino({ level: 'silent' }),
  });
  const org = await createOrgBasics(app);
  employee = await hire(app, {
    departmentId: org.departments.engineering,
    locationId: org.locations.berlin,
    email: 'signin.person@example.com',
    hubUserId: 'hub-signin-person',
  });
});
afterAll(async () => {
  await dispatcher.stop();
  await bus.close();
  await app.close();
});

describe('POST /auth/sso', () => {
  it('starts a session: a bearer token and an HttpOnly SameSite cookie that both work', async () => {
    const hub = await hubToken({ hubUserId: 'hub-signin-person', email: 'signin.person@example.com', roles: ['Viewer'] });
    const result = await login(hub);
    expect(result.status).toBe(200);
    expect(result.body.user).toEqual({
      hubUserId: 'hub-signin-person',
      email: 'signin.person@example.com',
      roles: ['VIEWER'],
      employeeId: employee.id,
    });
    expect(result.cookie).toMatch(/^people_session=[^;]+;/);
    expect(result.cookie).toMatch(/HttpOnly/i);
    expect(result.cookie).toMatch(/SameSite=Lax/i);
    const me = `{ employeeByEmail(email: "signin.person@example.com") { id personalEmail } }`;
    const byBearer = await app.gql(me, undefined, { authorization: `Bearer ${result.body.token}` });
    expect(byBearer.errors).toBeUndefined();
    const cookie = result.cookie?.split(';')[0] ?? '';
    const byCookie = await app.gql<{ employeeByEmail: { id: string } }>(me, undefined, { cookie });
    expect(byCookie.data?.employeeByEmail.id).toBe(employee.id);

    const events = await deliveredLoginEvents();
    const success = events.find((event) => event.type === 'login_success');
    expect(success?.data).toMatchObject({
      hubUserId: 'hub-signin-person',
      employeeId: employee.id,
      method: 'hub_sso',
      userAgent: 'people-tests/1.0',
    });
    expect(typeof success?.data.ip).toBe('string');
    const everything = JSON.stringify(bus.received);
    expect(everything).not.toContain(hub);
    expect(everything).not.toContain(result.body.token ?? 'no token');
  });

  it('records a failure with the claimed login and the reason, never the token', async () => {
    const forged = await hubToken({ hubUserId: 'hub-mallory', email: 'mallory@example.com', roles: ['Admin'] }, 'some-other-secret-0123456789');
    const result = await login(forged, { 'x-forwarded-for': '203.0.113.9' });
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'bad_signature' });
    expect(result.cookie).toBeNull();
    const failed = (await deliveredLoginEvents()).filter((event) => event.type === 'login_failed');
    expect(failed.at(-1)?.data).toMatchObject({ hubUserId: 'hub-mallory', reason: 'bad_signature', method: 'hub_sso' });
    expect(JSON.stringify(bus.received)).not.toContain(forged);
  });

  it("refuses a leaver's token and records why", async () => {
    const org = await app.gql<{ departments: { id: string }[]; locations: { id: string }[] }>(`{ departments { id } locations { id } }`);
    const leaver = await hire(app, {
      departmentId: org.data?.departments[0]?.id ?? '',
      locationId: org.data?.locations[0]?.id ?? '',
      email: 'leaver@example.com',
    });
    const terminated = await app.gql(
      `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code } } }`,
      { input: { id: leaver.id, status: 'TERMINATED', effectiveDate: '2026-06-01' } },
    );
    expect(terminated.data).toEqual({ changeEmployeeStatus: { userErrors: [] } });
    const result = await login(await hubToken({ hubUserId: 'hub-leaver', email: 'leaver@example.com', roles: ['HR Staff'] }));
    expect(result.status).toBe(403);
    expect(result.body.errors?.[0]?.extensions.reason).toBe('employment_ended');
    const failed = (await deliveredLoginEvents()).filter((event) => event.type === 'login_failed');
    expect(failed.at(-1)?.data).toMatchObject({ hubUserId: 'hub-leaver', reason: 'employment_ended' });
  });

  it('asks for a token when none is sent', async () => {
    const result = await login(null);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions.reason).toBe('missing_token');
  });

  it('refuses a source after repeated failures, even with a valid token, and says when to retry', async () => {
    // A fresh server, so the earlier tests' failures do not count.
    const limited = await startTestApp({ env: { LOGIN_FAILURES_PER_15_MINUTES: '3' } });
    try {
      const post = async (token: string) =>
        fetch(`${limited.url}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      for (let attempt = 0; attempt < 3; attempt += 1) expect((await post('not-a-jwt')).status).toBe(401);
      const blocked = await post(await hubToken({ hubUserId: 'hub-ok', email: 'ok@example.com', roles: ['Admin'] }));
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('shares the limit between replicas: failures on one server count on another using the same database', async () => {
    const database = await createTestDatabase();
    const first = await startTestApp({ database, env: { LOGIN_FAILURES_PER_15_MINUTES: '3' } });
    const second = await startTestApp({ database, env: { LOGIN_FAILURES_PER_15_MINUTES: '3' } });
    try {
      const post = async (server: TestApp, token: string) =>
        fetch(`${server.url}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      expect((await post(first, 'not-a-jwt')).status).toBe(401);
      expect((await post(second, 'not-a-jwt')).status).toBe(401);
      expect((await post(first, 'not-a-jwt')).status).toBe(401);
      const valid = await hubToken({ hubUserId: 'hub-ok', email: 'ok@example.com', roles: ['Admin'] });
      for (const server of [second, first]) {
        const blocked = await post(server, valid);
        expect(blocked.status).toBe(429);
        // The oldest of the three failures leaves the 15-minute window first.
        expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
      }
    } finally {
      // One database under both: the second server's close drops it, after the first has stopped.
      await first.server.stop();
      await second.close();
    }
  });

  it('behind a trusted proxy, counts failures per client address, not per proxy', async () => {
    const proxied = await startTestApp({ env: { LOGIN_FAILURES_PER_15_MINUTES: '2', TRUST_PROXY: 'loopback' } });
    try {
      const post = async (token: string, client: string) =>
        fetch(`${proxied.url}/auth/sso`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
          body: JSON.stringify({ token }),
        });
      for (let attempt = 0; attempt < 2; attempt += 1) expect((await post('not-a-jwt', '198.51.100.1')).status).toBe(401);
      const valid = await hubToken({ hubUserId: 'hub-ok', email: 'ok@example.com', roles: ['Admin'] });
      expect((await post(valid, '198.51.100.1')).status).toBe(429);
      expect((await post(valid, '198.51.100.2')).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});

// ---- Whatever a token claims, a refused sign-in is answered 4xx, recorded and counted.

/** A token with exactly these claims (iss, aud, iat, exp filled in unless given), as Hub would sign it, or forged. */
function tokenWithClaims(claims: Record<string, unknown>, secret: string = testEnvironment.PORTAL_SSO_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: 'hub', aud: 'people', iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

const forgerySecret = 'not-the-hub-secret-0123456789abcdef';

async function postToken(server: TestApp, token: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token }),
  });
}

/** The audit rows of the attempts sent with this user agent, oldest first. */
async function attemptsFrom(server: TestApp, userAgent: string): Promise<LoginAttemptRow[]> {
  return server.database.db.select().from(loginAttempts).where(eq(loginAttempts.userAgent, userAgent)).orderBy(asc(loginAttempts.occurredAt));
}

/** The login_failed events recorded in the outbox for attempts sent with this user agent, oldest first. */
async function failedEventsFrom(server: TestApp, userAgent: string): Promise<{ subject: string; data: Record<string, unknown> }[]> {
  return server.database.db
    .select({ subject: outboxEvents.subject, data: outboxEvents.data })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.type, 'login_failed'), sql`${outboxEvents.data}->>'userAgent' = ${userAgent}`))
    .orderBy(asc(outboxEvents.sequence));
}

describe('POST /auth/sso with hostile claims', () => {
  let hostile: TestApp;
  beforeAll(async () => {
    // Behind a trusted proxy, so each test is its own client (X-Forwarded-For) for the rate limit.
    hostile = await startTestApp({ env: { LOGIN_FAILURES_PER_15_MINUTES: '3', TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await hostile.close();
  });

  it('refuses a validly signed token whose sub holds a NUL byte as an invalid claim, and records it', async () => {
    const userAgent = 'people-tests/nul-sub';
    const token = await tokenWithClaims({ sub: 'hub-\u0000-admin', email: 'nul@example.com', roles: ['Admin'] });
    const response = await postToken(hostile, token, { 'user-agent': userAgent, 'x-forwarded-for': '198.51.100.10' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const body = (await response.json()) as LoginBody;
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'invalid_claim' });
    expect(body.errors?.[0]?.message).toContain('"sub"');

    expect(await attemptsFrom(hostile, userAgent)).toEqual([
      expect.objectContaining({ outcome: 'failure', reason: 'invalid_claim', hubUserId: 'hub-\uFFFD-admin', email: 'nul@example.com', ip: '198.51.100.10' }),
    ]);
    // Not `user:<claimed id>`: a cleaned id must not pass for a real user's event subject.
    expect(await failedEventsFrom(hostile, userAgent)).toEqual([
      { subject: 'login:198.51.100.10', data: expect.objectContaining({ reason: 'invalid_claim', hubUserId: 'hub-\uFFFD-admin', method: 'hub_sso' }) },
    ]);
  });

  it('records a forged token whose e-mail claim holds a lone surrogate, with the character replaced', async () => {
    const userAgent = 'people-tests/lone-surrogate';
    const token = await tokenWithClaims({ sub: 42, email: 'ada\uD800@example.com', roles: [] }, forgerySecret);
    const response = await postToken(hostile, token, { 'user-agent': userAgent, 'x-forwarded-for': '198.51.100.11' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as LoginBody).errors?.[0]?.extensions.reason).toBe('bad_signature');

    expect(await attemptsFrom(hostile, userAgent)).toEqual([
      expect.objectContaining({ outcome: 'failure', reason: 'bad_signature', hubUserId: null, email: 'ada\uFFFD@example.com' }),
    ]);
    expect(await failedEventsFrom(hostile, userAgent)).toEqual([
      { subject: 'login:198.51.100.11', data: expect.objectContaining({ hubUserId: null, email: 'ada\uFFFD@example.com' }) },
    ]);
  });

  it('records claimed ids that cannot name an event subject (spaces, thousands of characters), the long one cut', async () => {
    const userAgent = 'people-tests/odd-subjects';
    for (const sub of ['hub user with spaces', 'h'.repeat(5_000)]) {
      const token = await tokenWithClaims({ sub, email: 'odd@example.com', roles: [] }, forgerySecret);
      const response = await postToken(hostile, token, { 'user-agent': userAgent, 'x-forwarded-for': '198.51.100.12' });
      expect(response.status, sub.slice(0, 30)).toBe(401);
    }
    const rows = await attemptsFrom(hostile, userAgent);
    expect(rows.map((row) => row.hubUserId)).toEqual(['hub user with spaces', expect.stringMatching(/^h+…$/)]);
    expect(rows[1]?.hubUserId?.length).toBeLessThanOrEqual(200);
    const events = await failedEventsFrom(hostile, userAgent);
    expect(events.map((event) => event.subject)).toEqual(['login:198.51.100.12', 'login:198.51.100.12']);
  });

  it('records an attempt whose forwarded client address is not an address, without one', async () => {
    const userAgent = 'people-tests/not-an-address';
    const response = await postToken(hostile, 'not-a-jwt', { 'user-agent': userAgent, 'x-forwarded-for': 'not-an-address' });
    expect(response.status).toBe(401);
    expect(await attemptsFrom(hostile, userAgent)).toEqual([expect.objectContaining({ reason: 'malformed', ip: null })]);
    expect(await failedEventsFrom(hostile, userAgent)).toEqual([{ subject: 'login:unknown', data: expect.objectContaining({ ip: null }) }]);
  });

  it('counts refusals of tokens with NUL bytes toward the limit, then answers 429 and records that too', async () => {
    const userAgent = 'people-tests/nul-flood';
    const headers = { 'user-agent': userAgent, 'x-forwarded-for': '198.51.100.13' };
    const forged = await tokenWithClaims({ sub: 'hub-\u0000', email: 'a\u0000@example.com', roles: ['Admin'] }, forgerySecret);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await postToken(hostile, forged, headers)).status).toBe(401);
    const blocked = await postToken(hostile, forged, headers);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);

    const rows = await attemptsFrom(hostile, userAgent);
    expect(rows.map((row) => row.reason)).toEqual(['bad_signature', 'bad_signature', 'bad_signature', 'rate_limited']);
    expect(rows.every((row) => row.hubUserId === 'hub-\uFFFD' && row.email === 'a\uFFFD@example.com')).toBe(true);
    expect((await failedEventsFrom(hostile, userAgent)).map((event) => event.data.reason)).toEqual([
      'bad_signature',
      'bad_signature',
      'bad_signature',
      'rate_limited',
    ]);
  });

  it('counts a refusal first: when the audit cannot be written, the answer is still the refusal, and the limit holds', async () => {
    const broken = await startTestApp({ env: { LOGIN_FAILURES_PER_15_MINUTES: '2' } });
    try {
      // A real database failure on every insert into the audit table.
      await broken.database.db.execute(sql`alter table login_attempts rename to login_attempts_gone`);
      const headers = { 'user-agent': 'people-tests/no-audit' };
      for (let attempt = 0; attempt < 2; attempt += 1) expect((await postToken(broken, 'not-a-jwt', headers)).status).toBe(401);
      const valid = await hubToken({ hubUserId: 'hub-ok', email: 'ok@example.com', roles: ['Admin'] });
      expect((await postToken(broken, valid, headers)).status).toBe(429);
    } finally {
      await broken.close();
    }
  });

  it('names its own 16 KiB body limit when refusing a larger body, not the GraphQL limit', async () => {
    const response = await postToken(hostile, 'x'.repeat(20_000), { 'x-forwarded-for': '198.51.100.14' });
    expect(response.status).toBe(413);
    const body = (await response.json()) as LoginBody;
    expect(body.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors?.[0]?.message).toBe('Request body is larger than 16384 bytes.');
    expect(body.errors?.[0]?.message).not.toContain(String(hostile.config.maxBodyBytes));
  });
});
