import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHubStyleToken } from '../../src/auth/tokens.js';
import { createBusClient } from '../../src/events/bus-client.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/events/dispatcher.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
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
