import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHubStyleToken } from '../../src/auth/tokens.js';
import { createBusClient } from '../../src/events/bus-client.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/events/dispatcher.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { describeConfiguration, integrationSettings } from '../../src/integrations/integrations.service.js';
import { enqueueSystemTask } from '../../src/jobs/jobs.service.js';
import { systemTasks } from '../../src/jobs/system-tasks.tables.js';
import { loadConfig } from '../../src/config.js';
import { employeeEvent, recordCommitted } from '../events/helpers.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
import { createTestDatabase } from '../support/database.js';
import { serviceHeaders, startTestApp, testEnvironment, type TestApp } from '../support/server.js';

// Each integration's diagnostics (Admin `integrations`, and /ready's summary) turning unhealthy,
// with the consequence the integration guide names and the fix, and back. Over real HTTP, with
// the records every replica shares. On PGlite and (TEST_DATABASE_URL) PostgreSQL.

interface Problem {
  code: string;
  consequence: string;
  fix: string;
}

interface Integration {
  name: string;
  configured: boolean;
  state: 'OK' | 'NOT_CONFIGURED' | 'UNHEALTHY';
  problems: Problem[];
  hubSso: {
    secretConfigured: boolean;
    jwksConfigured: boolean;
    jwksReachable: boolean | null;
    lastSuccessfulSignInAt: string | null;
    refusedSignInsLastHour: { reason: string; count: number }[];
  } | null;
  inboundCalls: {
    header: string;
    keyVariable: string;
    keyConfigured: boolean;
    lastAcceptedCallAt: string | null;
    refusedCallsLastHour: { reason: string; header: string; count: number }[];
  } | null;
  hubApi: { revocationsPending: number; revocationsFailed: number; waitingReason: string | null } | null;
  bus: { pending: number; dead: number; delivering: boolean | null; lastFailure: string | null } | null;
}

const integrationsQuery = /* GraphQL */ `
  {
    integrations {
      name configured state problems { code consequence fix }
      hubSso { secretConfigured jwksConfigured jwksReachable lastSuccessfulSignInAt refusedSignInsLastHour { reason count } }
      inboundCalls { header keyVariable keyConfigured lastAcceptedCallAt refusedCallsLastHour { reason header count } }
      hubApi { revocationsPending revocationsFailed waitingReason }
      bus { pending dead delivering lastFailure }
    }
  }
`;

async function integration(app: TestApp, name: string): Promise<Integration> {
  const response = await app.gql<{ integrations: Integration[] }>(integrationsQuery);
  expect(response.errors).toBeUndefined();
  const found = response.data?.integrations.find((entry) => entry.name === name);
  if (!found) throw new Error(`no ${name} in integrations`);
  return found;
}

/** The same integration as /ready summarises it. */
async function readiness(app: TestApp, name: string): Promise<{ name: string; state: string; problems: Problem[] }> {
  const response = await fetch(`${app.url}/ready`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { checks: { integrations: { name: string; state: string; problems: Problem[] }[] } };
  const found = body.checks.integrations.find((entry) => entry.name === name);
  if (!found) throw new Error(`no ${name} in /ready`);
  return found;
}

/** Unhealthy in both views, with exactly these problem codes. */
async function expectProblems(app: TestApp, name: string, state: Integration['state'], codes: string[]): Promise<Problem[]> {
  const seen = await integration(app, name);
  expect(seen.state, name).toBe(state);
  expect(seen.problems.map((problem) => problem.code)).toEqual(codes);
  const ready = await readiness(app, name);
  expect(ready).toEqual({ name, state, problems: seen.problems });
  return seen.problems;
}

async function call(app: TestApp, headers: Record<string, string>): Promise<number> {
  return (await app.gql('{ __typename }', {}, headers)).status;
}

/** Legal calls People at its callback only (its key is refused on /graphql): a status for a signer People does not know. */
async function legalCallback(app: TestApp, headers: Record<string, string>): Promise<number> {
  const body = {
    acknowledgementId: 'ack-diagnostics',
    policyId: 'pol-diagnostics',
    policyVersion: '1',
    signer: { hubUserId: 'hub-nobody', email: null },
    status: 'ACKNOWLEDGED',
    occurredAt: new Date().toISOString(),
    vaultDocumentId: null,
  };
  const response = await fetch(`${app.url}/integrations/legal/acknowledgements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return response.status;
}

const secrets = [
  testEnvironment.PORTAL_SSO_SECRET,
  testEnvironment.SESSION_SECRET,
  testEnvironment.INTEGRATION_KEY,
  testEnvironment.DEFEND_SERVICE_KEY,
  testEnvironment.LEGAL_INTEGRATION_KEY,
];

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  if (app) await app.close();
});

describe.each([
  {
    name: 'PSA',
    header: 'x-integration-key',
    good: serviceHeaders.psa,
    send: call,
    consequence: 'PSA shows every technician as available even when they have approved time off',
    fix: 'Make INTEGRATION_KEY the same on People and PSA.',
  },
  {
    name: 'DEFEND',
    header: 'x-defend-service-key',
    good: serviceHeaders.defend,
    send: call,
    consequence: 'Defend cannot look up employee context for its behavioural alerts',
    fix: 'Make DEFEND_SERVICE_KEY the same on People and Defend.',
  },
  {
    name: 'LEGAL_INBOUND',
    // The key says who calls: on Legal's callback, a key no service has is counted as Legal's.
    header: 'x-integration-key',
    good: serviceHeaders.legal,
    send: legalCallback,
    consequence: 'Policy acknowledgements recorded in Legal do not show in People',
    fix: 'Make LEGAL_INTEGRATION_KEY the same on People and Legal.',
  },
])('$name calling People', ({ name, header, good, send, consequence, fix }) => {
  it('is unhealthy while its calls are refused with a bad key, saying what breaks and the fix, and OK once a call gets through', async () => {
    expect((await integration(app, name)).state).toBe('OK');

    expect(await send(app, { [header]: 'a-wrong-key-0123456789abcdef' })).toBe(401);
    const [problem] = await expectProblems(app, name, 'UNHEALTHY', ['BAD_KEY']);
    expect(problem?.consequence).toMatch(/calls are refused with a bad key \(1 call in the last hour, in X-[A-Za-z-]+-Key\)/);
    expect(problem?.consequence).toContain(consequence);
    expect(problem?.fix).toBe(fix);
    expect((await integration(app, name)).inboundCalls?.refusedCallsLastHour).toEqual([{ reason: 'BAD_KEY', header, count: 1 }]);

    expect(await send(app, good)).toBe(200);
    const healthy = await integration(app, name);
    expect(healthy.state).toBe('OK');
    expect(healthy.problems).toEqual([]);
    expect(healthy.inboundCalls?.lastAcceptedCallAt).not.toBeNull();
    // The refusal is still counted; it is just no longer the latest word.
    expect(healthy.inboundCalls?.refusedCallsLastHour).toEqual([{ reason: 'BAD_KEY', header, count: 1 }]);
    expect((await readiness(app, name)).state).toBe('OK');
  });
});

describe('a key in the wrong header', () => {
  it("names the header PSA used and the one it must use, for an unknown header and for another service's", async () => {
    const psaKey = testEnvironment.INTEGRATION_KEY;
    expect(await call(app, { 'x-api-key': psaKey })).toBe(401);
    let [problem] = await expectProblems(app, 'PSA', 'UNHEALTHY', ['WRONG_HEADER']);
    expect(problem?.consequence).toContain("PSA's key arrives in X-Api-Key");
    expect(problem?.consequence).toContain('PSA shows every technician as available');
    expect(problem?.fix).toBe('Make PSA send its key in X-Integration-Key.');

    expect(await call(app, { authorization: `Bearer ${psaKey}` })).toBe(401);
    expect(await call(app, { 'x-defend-service-key': psaKey })).toBe(401);
    const problems = await expectProblems(app, 'PSA', 'UNHEALTHY', ['WRONG_HEADER', 'WRONG_HEADER', 'WRONG_HEADER']);
    problem = problems.find((entry) => entry.consequence.includes('X-Defend-Service-Key'));
    expect(problem?.consequence).toContain("(it is Defend's header)");
    expect(problem?.fix).toContain('give it its own key, DEFEND_SERVICE_KEY');
    // Defend itself did nothing wrong.
    expect((await integration(app, 'DEFEND')).state).toBe('OK');

    expect(await call(app, serviceHeaders.psa)).toBe(200);
    expect((await integration(app, 'PSA')).state).toBe('OK');
  });
});

describe('a service People has no key for', () => {
  it('is NOT_CONFIGURED with what breaks and the variable to set, counts its calls, and is OK once started with the key', async () => {
    const database = await createTestDatabase();
    const withoutKey = await startTestApp({ database, unsetEnv: ['INTEGRATION_KEY'] });
    let withKey: TestApp | null = null;
    try {
      let [problem] = await expectProblems(withoutKey, 'PSA', 'NOT_CONFIGURED', ['NOT_CONFIGURED']);
      expect(problem?.consequence).toContain('People refuses every PSA call (INTEGRATION_KEY is not set)');
      expect(problem?.consequence).toContain('skill-based ticket routing ignores certifications');
      expect(problem?.fix).toBe('Set INTEGRATION_KEY on People to the key PSA sends in X-Integration-Key.');

      expect(await call(withoutKey, serviceHeaders.psa)).toBe(401);
      [problem] = await expectProblems(withoutKey, 'PSA', 'NOT_CONFIGURED', ['NOT_CONFIGURED']);
      expect(problem?.consequence).toContain('PSA is calling: 1 call refused in the last hour');
      await withoutKey.server.stop();

      // Restarted with the key, on the same database.
      withKey = await startTestApp({ database });
      expect(await call(withKey, serviceHeaders.psa)).toBe(200);
      expect(await expectProblems(withKey, 'PSA', 'OK', [])).toEqual([]);
    } finally {
      await withKey?.server.stop();
      await database.drop();
    }
  });
});

describe('Hub SSO', () => {
  const signIn = async (token: string) =>
    (await fetch(`${app.url}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })).status;
  const claims = { hubUserId: 'hub-diagnostics-admin', email: 'diagnostics.admin@example.com', roles: ['Admin'], issuer: 'hub', audience: 'people' };

  it('is unhealthy while sign-ins are refused for a setting Hub and People disagree on, and OK after a sign-in works', async () => {
    expect((await integration(app, 'HUB_SSO')).state).toBe('OK');
    // One user's expired token is not a configuration problem.
    expect(await signIn(await signHubStyleToken(testEnvironment.PORTAL_SSO_SECRET, { ...claims, ttlSeconds: -120 }))).toBe(401);
    expect((await integration(app, 'HUB_SSO')).state).toBe('OK');

    expect(await signIn(await signHubStyleToken('hub-has-another-secret-0123456789', claims))).toBe(401);
    const [problem] = await expectProblems(app, 'HUB_SSO', 'UNHEALTHY', ['SIGN_INS_REFUSED_BAD_SIGNATURE']);
    expect(problem?.consequence).toContain("Sign-ins are refused because Hub's tokens are not signed with a key People has");
    expect(problem?.consequence).toContain('users cannot sign in to People, and the employee portal fails.');
    expect(problem?.fix).toContain('Make PORTAL_SSO_SECRET the same on People and Hub');

    expect(await signIn(await signHubStyleToken(testEnvironment.PORTAL_SSO_SECRET, { ...claims, audience: 'portal' }))).toBe(401);
    const problems = await expectProblems(app, 'HUB_SSO', 'UNHEALTHY', ['SIGN_INS_REFUSED_WRONG_AUDIENCE', 'SIGN_INS_REFUSED_BAD_SIGNATURE']);
    expect(problems[0]?.fix).toContain('HUB_TOKEN_AUDIENCE');

    expect(await signIn(await signHubStyleToken(testEnvironment.PORTAL_SSO_SECRET, claims))).toBe(200);
    const healthy = await integration(app, 'HUB_SSO');
    expect(healthy.state).toBe('OK');
    expect(healthy.hubSso).toMatchObject({ secretConfigured: true, jwksConfigured: false, jwksReachable: null });
    expect(healthy.hubSso?.lastSuccessfulSignInAt).not.toBeNull();
    expect(healthy.hubSso?.refusedSignInsLastHour.map((entry) => entry.reason).sort()).toEqual(['bad_signature', 'expired', 'wrong_audience']);
  });

  it("is unhealthy while Hub's key set (HUB_JWKS_URL) does not answer, and OK when it does again", async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const keySet = { keys: [{ ...(await exportJWK(publicKey)), kid: 'hub-1', alg: 'RS256', use: 'sig' }] };
    let answering = true;
    const jwks: Server = createServer((_req, res) => {
      res.writeHead(answering ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answering ? keySet : { error: 'maintenance' }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    const withJwks = await startTestApp({ env: { HUB_JWKS_URL: jwksUrl } });
    try {
      const healthy = await integration(withJwks, 'HUB_SSO');
      expect(healthy.state).toBe('OK');
      expect(healthy.hubSso).toMatchObject({ jwksConfigured: true, jwksReachable: true });

      answering = false;
      const [problem] = await expectProblems(withJwks, 'HUB_SSO', 'UNHEALTHY', ['JWKS_UNREACHABLE']);
      expect(problem?.consequence).toContain('(HTTP 503)');
      expect(problem?.consequence).toContain('users cannot sign in to People, and the employee portal fails.');
      expect(problem?.fix).toContain('HUB_JWKS_URL');

      answering = true;
      expect((await integration(withJwks, 'HUB_SSO')).state).toBe('OK');
    } finally {
      await withJwks.close();
      jwks.closeAllConnections();
      await new Promise((resolve) => jwks.close(resolve));
    }
  });
});

describe('Hub API', () => {
  it('is NOT_CONFIGURED without HUB_API_URL: leavers keep their access, with the waiting revocations counted', async () => {
    const [problem] = await expectProblems(app, 'HUB_API', 'NOT_CONFIGURED', ['NOT_CONFIGURED']);
    expect(problem?.consequence).toContain("offboarding cannot revoke a departing employee's access: they keep their Hub access");
    expect(problem?.fix).toContain('Set HUB_API_URL and HUB_INTEGRATION_KEY');
  });

  it('is unhealthy while a revocation has FAILED, and OK once it is re-driven', async () => {
    const withHub = await startTestApp({ env: { HUB_API_URL: 'http://127.0.0.1:9/hub', HUB_INTEGRATION_KEY: 'hub-integration-key-0123456789' } });
    try {
      expect(await expectProblems(withHub, 'HUB_API', 'OK', [])).toEqual([]);
      const employeeId = randomUUID();
      const task = await enqueueSystemTask(withHub.database.db, {
        kind: 'hub.revoke_access',
        subject: `employee:${employeeId}`,
        payload: { employeeId, workflowId: randomUUID(), reason: 'OFFBOARDING' },
      });
      expect((await integration(withHub, 'HUB_API')).hubApi).toMatchObject({ revocationsPending: 1, revocationsFailed: 0 });
      // As the runner leaves a task Hub refused (404: no such Hub user).
      await withHub.database.db.update(systemTasks).set({ state: 'FAILED', lastError: 'HUB_USER_NOT_FOUND: Hub answered 404' }).where(eq(systemTasks.id, task.id));

      const [problem] = await expectProblems(withHub, 'HUB_API', 'UNHEALTHY', ['REVOCATIONS_FAILED']);
      expect(problem?.consequence).toContain('1 departing employee keeps their Hub access: revoking it failed.');
      expect(problem?.fix).toContain('redriveSystemTask');

      const redriven = await withHub.gql<{ redriveSystemTask: { userErrors: unknown[] } }>(
        'mutation ($id: ID!) { redriveSystemTask(id: $id) { userErrors { code } } }',
        { id: task.id },
      );
      expect(redriven.data?.redriveSystemTask.userErrors).toEqual([]);
      expect(await expectProblems(withHub, 'HUB_API', 'OK', [])).toEqual([]);
      expect((await integration(withHub, 'HUB_API')).hubApi).toMatchObject({ revocationsPending: 1, revocationsFailed: 0 });
    } finally {
      await withHub.close();
    }
  });
});

describe('Bus', () => {
  let bus: BusSimulator;
  let dispatcher: OutboxDispatcher | undefined;
  let withBus: TestApp;

  beforeAll(async () => {
    bus = await startBusSimulator();
    withBus = await startTestApp({
      env: { BUS_API_URL: bus.url, BUS_INTEGRATION_KEY: bus.integrationKey },
      outbox: (database) => {
        dispatcher = createOutboxDispatcher({
          db: database.db,
          kind: database.kind,
          bus: createBusClient({ url: bus.url, integrationKey: bus.integrationKey }),
          logger: pino({ level: 'silent' }),
        });
        return dispatcher;
      },
    });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await withBus?.close();
    await bus?.close();
  });

  it('is NOT_CONFIGURED without BUS_API_URL: events wait, and no product hears of them', async () => {
    const [problem] = await expectProblems(app, 'BUS', 'NOT_CONFIGURED', ['NOT_CONFIGURED']);
    expect(problem?.consequence).toContain("Events wait in People's outbox");
    expect(problem?.consequence).toContain('Hub does not deprovision leavers');
    expect(problem?.fix).toBe('Set BUS_API_URL and BUS_INTEGRATION_KEY; waiting events are then delivered in order.');
  });

  it('is unhealthy while Bus refuses People, naming the key to fix, and OK once an event gets through', async () => {
    expect((await integration(withBus, 'BUS')).state).toBe('OK');
    bus.failUntilRecovered({ status: 401 });
    await recordCommitted(withBus.database.db, [employeeEvent(randomUUID())]);
    await dispatcher?.drainOnce();
    const [problem] = await expectProblems(withBus, 'BUS', 'UNHEALTHY', ['DELIVERY_FAILING']);
    expect(problem?.consequence).toContain('Bus is not taking People\'s events (last failure: Bus answered HTTP 401');
    expect(problem?.consequence).toContain('the Hub audit log and SIEM miss sign-ins');
    expect(problem?.fix).toBe("Bus refuses People's key: make BUS_INTEGRATION_KEY the same on People and Bus.");

    bus.recover();
    await recordCommitted(withBus.database.db, [employeeEvent(randomUUID())]);
    expect(await dispatcher?.drainOnce()).toBe(1);
    const healthy = await integration(withBus, 'BUS');
    expect(healthy.state).toBe('OK');
    expect(healthy.bus).toMatchObject({ delivering: true, dead: 0 });
  });

  it('is unhealthy while events are dead, and OK once they are re-driven', async () => {
    const [id] = await recordCommitted(withBus.database.db, [employeeEvent(randomUUID())]);
    await withBus.database.db.update(outboxEvents).set({ state: 'dead' }).where(eq(outboxEvents.id, id ?? ''));
    const [problem] = await expectProblems(withBus, 'BUS', 'UNHEALTHY', ['DEAD_EVENTS']);
    expect(problem?.consequence).toBe('1 event was given up: their consumers never got it.');
    expect(problem?.fix).toContain('redriveDeadOutboxEvents');
    expect((await withBus.gql<{ redriveDeadOutboxEvents: number }>('mutation { redriveDeadOutboxEvents }')).data?.redriveDeadOutboxEvents).toBe(1);
    expect((await integration(withBus, 'BUS')).state).toBe('OK');
  });
});

describe('shared by replicas', () => {
  it('reports on one server the refusals another one saw', async () => {
    const database = await createTestDatabase();
    const first = await startTestApp({ database });
    const second = await startTestApp({ database });
    try {
      expect(await call(first, { 'x-defend-service-key': 'a-wrong-key-0123456789abcdef' })).toBe(401);
      await expectProblems(second, 'DEFEND', 'UNHEALTHY', ['BAD_KEY']);
      expect(await call(first, serviceHeaders.defend)).toBe(200);
      // The first server's accepted call reaches the database when it is read there (or within ~10 s).
      expect((await integration(first, 'DEFEND')).state).toBe('OK');
      expect((await integration(second, 'DEFEND')).state).toBe('OK');
    } finally {
      await first.server.stop();
      await second.close();
    }
  });
});

describe('who sees it', () => {
  it('is for Admins only, and neither it nor /ready holds a secret', async () => {
    const viewer = await app.gql(integrationsQuery, {}, await app.as({ roles: ['Viewer', 'HR Manager'], email: 'someone@example.com' }));
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(integrationsQuery, {}, serviceHeaders.psa)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const everything = JSON.stringify(await app.gql(integrationsQuery)) + (await (await fetch(`${app.url}/ready`)).text());
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('the start-up summary', () => {
  it('names what is configured and, for what is not, the variables to set', () => {
    const config = loadConfig({ ...testEnvironment, BUS_API_URL: 'http://bus.example', BUS_INTEGRATION_KEY: 'bus-key-0123456789abcdef' });
    const { DEFEND_SERVICE_KEY: _defend, ...withoutDefend } = { ...testEnvironment };
    expect(describeConfiguration(integrationSettings(config, { ssoSecret: config.auth.ssoSecret, developmentSecretsFile: null })).message).toBe(
      'Integrations: configured Hub SSO, PSA, Defend, Legal (calls to People), Bus (events); not configured: Hub API (access revocation) (set HUB_API_URL, HUB_INTEGRATION_KEY). Query `integrations` (Admin) or GET /ready for what breaks and how to fix it.',
    );
    const partial = loadConfig(withoutDefend);
    const summary = describeConfiguration(integrationSettings(partial, { ssoSecret: 'generated-development-secret-0123', developmentSecretsFile: '/tmp/dev-secrets.json' }));
    expect(summary.notConfigured.map((entry) => entry.integration)).toEqual(['Hub API (access revocation)', 'Defend', 'Bus (events)']);
    expect(summary.configured).toContain('Hub SSO');
  });
});
