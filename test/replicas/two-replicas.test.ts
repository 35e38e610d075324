import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentAdmin, signHubStyleToken } from '../../src/auth/tokens.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
import { replicaTestsSkippedNotice, runReplicaTests } from '../support/replica-availability.js';
import { cleanUpProcesses, hubAudience, hubIssuer, oneStart, ssoSecret, startServer, withTimeout, type RunningServer } from '../support/process.js';

// Two People processes (`node --import tsx src/main.ts`, as in production) on one PostgreSQL
// database and one Bus, as replicas behind the gateway run. Requests go to both, alternately; the
// test checks what must hold however a load balancer spreads them: sign-in limits counted across
// replicas, every event delivered once by id, every scheduled change emitted once, and the same
// answer from either replica. Skipped on PGlite (see replica-availability.ts), where the run
// ends with a line saying so.

const serverUrl = process.env.TEST_DATABASE_URL;
const failuresAllowed = 4;

let admin: postgres.Sql | undefined;
let databaseName: string | undefined;
let databaseUrl: string;
let bus: BusSimulator | undefined;
let replicas: RunningServer[] = [];
let token: string;

/** Today as People reckons it (BUSINESS_TIMEZONE is UTC here). */
const today = () => new Date().toISOString().slice(0, 10);
function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function gql<T>(replica: RunningServer, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string }[] }> {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: { message: string }[] };
}

/** The replica for the n-th request: alternately one and the other, as a round-robin balancer. */
const at = (n: number): RunningServer => replicas[n % 2]!;

beforeAll(async () => {
  if (!runReplicaTests || !serverUrl) return;
  // A database of its own on TEST_DATABASE_URL's server, shared by the two processes.
  databaseName = `people_replicas_${randomBytes(6).toString('hex')}`;
  admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${databaseName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
  bus = await startBusSimulator();
  const environment = {
    DATABASE_URL: databaseUrl,
    BUS_API_URL: bus.url,
    BUS_INTEGRATION_KEY: bus.integrationKey,
    LIFECYCLE_CHECK_INTERVAL_MS: '1000',
    LOGIN_FAILURES_PER_15_MINUTES: String(failuresAllowed),
    LOG_LEVEL: 'warn',
  };
  // Both at once on the fresh database, as a deployment starts them: they migrate one after the
  // other (an advisory lock); the first loads the demo organisation.
  replicas = await Promise.all([startServer({ ...environment, DEMO_DATA: 'true' }), startServer({ ...environment, DEMO_DATA: 'false' })]);
  token = await signHubStyleToken(ssoSecret, { ...developmentAdmin, issuer: hubIssuer, audience: hubAudience, ttlSeconds: 3600 });
}, 2 * oneStart);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop().catch(() => undefined)));
  await cleanUpProcesses();
  await bus?.close();
  if (admin && databaseName) {
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  }
}, oneStart);

describe('without a PostgreSQL server', () => {
  it('says why the two-replica test does not run here', () => {
    // The reporter prints this line at the end of the run when the test is skipped.
    expect(replicaTestsSkippedNotice).toMatch(/TEST_DATABASE_URL is not set/);
    expect(runReplicaTests).toBe(Boolean(serverUrl));
  });
});

describe.skipIf(!runReplicaTests)('two People replicas on one PostgreSQL', () => {
  // Before the failure-limit test below, which leaves 127.0.0.1 refused for 15 minutes.
  it('end a session on both at once: signed out at one, refused at the other', async () => {
    const signIn = async (replica: RunningServer) => {
      const response = await fetch(`${replica.url}/auth/sso`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { token: string }).token;
    };
    const asSession = (replica: RunningServer, session: string) =>
      fetch(`${replica.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
        body: JSON.stringify({ query: '{ me { hubUserId sessions { id current } } }' }),
      });
    const [a, b] = replicas as [RunningServer, RunningServer];

    // Signed in at one, the session works at the other; signed out at the other, both refuse it.
    const session = await signIn(a);
    expect((await asSession(b, session)).status).toBe(200);
    expect((await fetch(`${b.url}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${session}` } })).status).toBe(204);
    for (const replica of [a, b]) {
      const refused = await asSession(replica, session);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]?.extensions.reason).toBe('session_ended');
    }

    // Ended from a second session at one replica (endSession), refused at the other.
    const laptop = await signIn(b);
    const phone = await signIn(a);
    const listed = (await (await asSession(a, phone)).json()) as { data: { me: { sessions: { id: string; current: boolean }[] } } };
    const laptopId = listed.data.me.sessions.find((listedSession) => !listedSession.current)?.id;
    expect(laptopId).toBeTruthy();
    const ended = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${phone}` },
      body: JSON.stringify({ query: 'mutation($id: ID!) { endSession(id: $id) { ended { id } } }', variables: { id: laptopId } }),
    });
    expect(((await ended.json()) as { data: { endSession: { ended: { id: string }[] } } }).data.endSession.ended).toEqual([{ id: laptopId }]);
    expect((await asSession(b, laptop)).status).toBe(401);
    expect((await asSession(b, phone)).status).toBe(200);
  });

  it('share the sign-in failure limit: failures at one count at the other', async () => {
    const signIn = (replica: RunningServer) =>
      fetch(`${replica.url}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-a-hub-token' }) });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < failuresAllowed; attempt += 1) statuses.push((await signIn(at(attempt))).status);
    // Each replica saw only half of the allowed failures, yet both now refuse the address.
    expect(statuses).toEqual(Array(failuresAllowed).fill(401));
    const [first, second] = await Promise.all([signIn(replicas[0]!), signIn(replicas[1]!)]);
    expect([first.status, second.status]).toEqual([429, 429]);
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('deliver every event once by id and emit every scheduled change once, whichever replica took the request', async () => {
    const organisation = await gql<{ departments: { id: string }[]; locations: { id: string }[] }>(replicas[0]!, '{ departments { id } locations { id } }');
    const departmentId = organisation.data?.departments[0]?.id;
    const locationId = organisation.data?.locations[0]?.id;
    expect(departmentId && locationId).toBeTruthy();

    // Hires, half at each replica, all at once.
    const hires = await Promise.all(
      Array.from({ length: 6 }, async (_, n) => {
        const answer = await gql<{ createEmployee: { employee: { id: string } | null; userErrors: unknown[] } }>(
          at(n),
          'mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id } userErrors { code message } } }',
          {
            input: {
              email: `replica.hire${n}.${randomBytes(3).toString('hex')}@example.com`,
              firstName: `Replica${n}`,
              lastName: 'Hire',
              jobTitle: 'Engineer',
              employmentType: 'FULL_TIME',
              hireDate: '2024-01-08',
              departmentId,
              locationId,
            },
          },
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.createEmployee.userErrors).toEqual([]);
        return answer.data!.createEmployee.employee!.id;
      }),
    );

    // Terminations: two in effect today (emitted by the mutation), four dated next month (emitted
    // by the lifecycle schedulers of both replicas, which run every second, when their day comes).
    const terminate = (n: number, id: string, effectiveDate: string) =>
      gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(
        at(n),
        'mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }',
        { input: { id, status: 'TERMINATED', effectiveDate, reason: 'replica test' } },
      );
    const now = hires.slice(0, 2);
    const later = hires.slice(2);
    for (const answer of await Promise.all([...now.map((id, n) => terminate(n, id, today())), ...later.map((id, n) => terminate(n + 1, id, daysFromToday(30)))])) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.changeEmployeeStatus.userErrors).toEqual([]);
    }
    const terminatedEvents = (ids: readonly string[]) =>
      bus!.received.filter((event) => event.envelope.type === 'employee.terminated' && ids.includes(String(event.envelope.data.employeeId)));
    // Dated next month: nothing goes out yet, however often the schedulers look.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(terminatedEvents(later)).toEqual([]);

    // Time passes: the four terminations' day comes (their date moved to today in the database,
    // as the calendar would). Both schedulers find them due at their next beat.
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      const moved = await sql`update employee_job_changes set effective_from = ${today()}
        where employee_id in ${sql(later)} and status = 'TERMINATED' returning id`;
      expect(moved).toHaveLength(later.length);
    } finally {
      await sql.end();
    }
    const deadline = Date.now() + 30_000;
    while (terminatedEvents(hires).length < hires.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    // Two more beats of both schedulers: a second emission would show now.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    // Each termination and each hire announced exactly once.
    const perEmployee = (type: string) =>
      hires.map((id) => bus!.received.filter((event) => event.envelope.type === type && event.envelope.data.employeeId === id).length);
    expect(perEmployee('employee.terminated')).toEqual(hires.map(() => 1));
    expect(perEmployee('employee.hired')).toEqual(hires.map(() => 1));
    // Every event the two replicas recorded reached Bus once: no id twice, and no duplicate refused.
    const ids = bus!.receivedIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(bus!.requests.filter((request) => request.status === 409)).toEqual([]);
    const outbox = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      const [counts] = await outbox`select count(*)::int as total, count(*) filter (where delivered_at is not null)::int as delivered from outbox_events`;
      expect(counts?.total).toBeGreaterThan(0);
      // Delivered or not yet: never more deliveries than events.
      expect(ids.length).toBeLessThanOrEqual(Number(counts?.total));
    } finally {
      await outbox.end();
    }
  });

  it('answer the same, whichever replica is asked, time-off requests included', async () => {
    const policies = await gql<{ timeOffPolicies: { id: string }[] }>(replicas[0]!, '{ timeOffPolicies { id } }');
    const people = await gql<{ employees: { nodes: { id: string }[] } }>(replicas[1]!, '{ employees(first: 8) { nodes { id } } }');
    const policyIds = policies.data?.timeOffPolicies.map((policy) => policy.id) ?? [];
    const employeeIds = people.data?.employees.nodes.map((node) => node.id) ?? [];
    expect(policyIds.length).toBeGreaterThan(0);
    // A one-day request, eight weeks ahead on a Wednesday, for each of eight demo employees, at both replicas.
    const day = new Date(Date.now() + 56 * 86_400_000);
    day.setUTCDate(day.getUTCDate() + ((3 - day.getUTCDay() + 7) % 7));
    const date = day.toISOString().slice(0, 10);
    const requested = await Promise.all(
      employeeIds.map(async (employeeId, n) => {
        for (const policyId of policyIds) {
          const answer = await gql<{ requestTimeOff: { request: { id: string } | null } }>(
            at(n),
            'mutation($input: RequestTimeOffInput!) { requestTimeOff(input: $input) { request { id } userErrors { code } } }',
            { input: { employeeId, policyId, startDate: date, endDate: date } },
          );
          const id = answer.data?.requestTimeOff.request?.id;
          if (id) return id;
        }
        return null;
      }),
    );
    const requestIds = requested.filter((id): id is string => id !== null);
    expect(requestIds.length).toBeGreaterThanOrEqual(2);

    const questions: { query: string; variables?: Record<string, unknown> }[] = [
      { query: '{ employees(first: 100) { totalCount nodes { id email status jobTitle department { id } manager { id } } } }' },
      { query: '{ departments { id name } locations { id name } timeOffPolicies { id name } }' },
      ...requestIds.map((id) => ({ query: 'query($id: ID!) { timeOffRequest(id: $id) { id status startDate endDate amount employee { id } } }', variables: { id } })),
      { query: '{ integrations { name state } }' },
    ];
    for (const question of questions) {
      const [first, second] = await Promise.all(replicas.map((replica) => gql(replica, question.query, question.variables)));
      expect(first?.errors, question.query).toBeUndefined();
      expect(second, question.query).toEqual(first);
    }
  });

  it('stop cleanly on SIGTERM', async () => {
    const exits = await Promise.all(replicas.map((replica) => withTimeout(replica.stop('SIGTERM'), 30_000, 'a replica stopping')));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    replicas = [];
  });
});
