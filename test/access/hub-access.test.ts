import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubAccessHandlers, hubNotConfiguredReason } from '../../src/access/hub-access.tasks.js';
import { listEvents } from '../../src/events/outbox.js';
import { createSystemTaskRunner, type SystemTaskRunner } from '../../src/jobs/runner.js';
import { enqueueSystemTask, findSystemTask } from '../../src/jobs/system-tasks.js';
import { systemTasks } from '../../src/jobs/system-tasks.tables.js';
import { createHubClient } from '../../src/peers/hub-client.js';
import { createLogger } from '../../src/server/logger.js';
import { captureLogger } from '../events/helpers.js';
import { startHubSimulator, type HubSimulator } from '../simulators/hub.js';
import { createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

// Revoking and restoring Hub access as SYSTEM tasks, through the real server (Admin query,
// re-drive mutation, /ready) and a real HTTP Hub simulator that can be down, slow or failing.
// Tasks are enqueued directly, as the workflow that will enqueue them does not exist yet.

const systemTasksQuery = /* GraphQL */ `
  query Tasks($state: SystemTaskState, $unfinished: Boolean, $kind: String) {
    systemTasks(state: $state, unfinished: $unfinished, kind: $kind, first: 20) {
      nodes { id kind subject payload idempotencyKey state attempts maxAttempts nextAttemptAt lastError waitingReason result finishedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const redriveMutation = /* GraphQL */ `
  mutation Redrive($id: ID!) { redriveSystemTask(id: $id) { task { id state attempts lastError } userErrors { code field message } } }
`;

interface TaskNode {
  id: string;
  kind: string;
  subject: string;
  payload: string;
  idempotencyKey: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  waitingReason: string | null;
  result: string | null;
  finishedAt: string | null;
}

interface ReadyBody {
  status: string;
  checks: {
    systemTasks: {
      runnerRunning: boolean;
      pending: number;
      failed: number;
      waiting: { kind: string; reason: string; count: number }[];
      oldestPendingAt: string | null;
      unfinished: { taskId: string; kind: string; subject: string; state: string; attempts: number; lastError: string | null; waitingReason: string | null }[];
      unfinishedCount: number;
    };
  };
}

async function readiness(app: TestApp): Promise<ReadyBody> {
  const response = await fetch(`${app.url}/ready`);
  expect(response.status).toBe(200);
  return (await response.json()) as ReadyBody;
}

async function listTasks(app: TestApp, variables: Record<string, unknown>): Promise<TaskNode[]> {
  const response = await app.gql<{ systemTasks: { nodes: TaskNode[] } }>(systemTasksQuery, variables);
  expect(response.errors).toBeUndefined();
  return response.data?.systemTasks.nodes ?? [];
}

async function enqueue(app: TestApp, kind: 'hub.revoke_access' | 'hub.restore_access', employeeId: string, workflowId = randomUUID()) {
  return app.database.db.transaction((tx) =>
    enqueueSystemTask(tx, {
      kind,
      subject: `employee:${employeeId}`,
      payload: { employeeId, workflowId, reason: kind === 'hub.revoke_access' ? 'OFFBOARDING' : 'OFFBOARDING_REVERSED' },
    }),
  );
}

async function eventsOf(app: TestApp, type: string): Promise<Record<string, unknown>[]> {
  return (await listEvents(app.database.db, { first: 50, type })).events.map((event) => event.data);
}

describe('with Hub configured', () => {
  let hub: HubSimulator;
  let app: TestApp;
  let runner: SystemTaskRunner;
  let org: OrgBasics;

  beforeAll(async () => {
    hub = await startHubSimulator();
    app = await startTestApp({
      systemTasks: (database) => {
        runner = createSystemTaskRunner({
          db: database.db,
          kind: database.kind,
          logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
          handlers: createHubAccessHandlers(createHubClient({ url: hub.url, integrationKey: hub.integrationKey, timeoutMs: 250 })),
          baseDelayMs: 1,
          maxDelayMs: 5,
          // Jitter pinned to 0: a retried task is due again at once, so tests step through attempts.
          random: () => 0,
        });
        return runner;
      },
    });
    org = await createOrgBasics(app);
  });
  afterAll(async () => {
    await runner.stop();
    await app.close();
    await hub.close();
  });
  beforeEach(async () => {
    await app.database.db.delete(systemTasks);
    hub.requests.splice(0);
    hub.setLatency(0);
    await hub.up();
  });

  async function leaver(hubUserId: string | null, knownToHub = true) {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, ...(hubUserId ? { hubUserId } : {}) });
    if (hubUserId && knownToHub) hub.addUser(hubUserId);
    return employee;
  }

  it('rides out Hub being down: pending with the last error in /ready and the Admin query, then revoked once', async () => {
    const employee = await leaver(`hub-${randomUUID()}`);
    const workflowId = randomUUID();
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id, workflowId);
    await hub.down();
    for (let attempt = 1; attempt <= 3; attempt += 1) expect(await runner.runDue()).toBe(1);

    const [listed] = await listTasks(app, { unfinished: true, kind: 'hub.revoke_access' });
    expect(listed).toMatchObject({
      id,
      kind: 'hub.revoke_access',
      subject: `employee:${employee.id}`,
      idempotencyKey: `revoke-access:${workflowId}`,
      state: 'PENDING',
      attempts: 3,
      maxAttempts: 30,
      lastError: 'Hub unreachable (ECONNREFUSED)',
      waitingReason: null,
      finishedAt: null,
    });
    expect(typeof listed?.nextAttemptAt).toBe('string');
    expect(JSON.parse(listed?.payload ?? '{}')).toEqual({ employeeId: employee.id, workflowId, reason: 'OFFBOARDING' });
    const ready = await readiness(app);
    expect(ready.status).toBe('ready');
    expect(ready.checks.systemTasks).toMatchObject({ runnerRunning: false, pending: 1, failed: 0, waiting: [], unfinishedCount: 1 });
    expect(ready.checks.systemTasks.unfinished).toEqual([
      expect.objectContaining({ taskId: id, subject: `employee:${employee.id}`, state: 'PENDING', attempts: 3, lastError: 'Hub unreachable (ECONNREFUSED)' }),
    ]);

    await hub.up();
    expect(await runner.runDue()).toBe(1);
    expect(await findSystemTask(app.database.db, id)).toMatchObject({ state: 'SUCCEEDED', attempts: 4, lastError: null, result: { hubStatus: 200 } });
    expect(hub.performed('revoke-access').map((request) => request.hubUserId)).toEqual([expect.stringMatching(/^hub-/)]);
    expect(await eventsOf(app, 'access.revoked')).toContainEqual({ employeeId: employee.id, workflowId, taskId: id, reason: 'OFFBOARDING', attempts: 4 });
    expect((await readiness(app)).checks.systemTasks).toMatchObject({ pending: 0, unfinishedCount: 0, unfinished: [] });
  });

  it('sends Hub one revocation, the same Idempotency-Key on every attempt, through 5xx answers and a slow Hub', async () => {
    const employee = await leaver(`hub-${randomUUID()}`);
    const workflowId = randomUUID();
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id, workflowId);
    hub.failNext(2, 503);
    await runner.runDue();
    await runner.runDue();
    // Then Hub acts but answers after People stopped waiting (in doubt).
    hub.setLatency(1_000);
    await runner.runDue();
    expect(await findSystemTask(app.database.db, id)).toMatchObject({ state: 'PENDING', attempts: 3, lastError: 'Hub did not answer within 250 ms' });
    hub.setLatency(0);
    await runner.runDue();
    for (let waited = 0; hub.inFlight() > 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));

    expect(await findSystemTask(app.database.db, id)).toMatchObject({ state: 'SUCCEEDED', attempts: 4 });
    expect(hub.requests.map((request) => request.headers.idempotencyKey)).toEqual(Array(4).fill(`revoke-access:${workflowId}`));
    expect(hub.performed('revoke-access')).toHaveLength(1);
    expect(hub.requests.filter((request) => request.replayed)).toHaveLength(1);
    // The same body every time: requestedAt is when the task was written, not when it ran.
    expect(new Set(hub.requests.map((request) => JSON.stringify(request.body))).size).toBe(1);
    expect(hub.requests[0]?.body).toMatchObject({ employeeId: employee.id, email: employee.email, workflowId, reason: 'OFFBOARDING' });

    // The workflow asking again (a retried step) finds the same task: nothing more reaches Hub.
    expect(await enqueue(app, 'hub.revoke_access', employee.id, workflowId)).toEqual({ id, created: false, state: 'SUCCEEDED' });
    expect(await runner.runDue()).toBe(0);
    expect(hub.requests).toHaveLength(4);
  });

  it('fails visibly when Hub does not know the user (404), and succeeds once Hub knows them and an Admin re-drives it', async () => {
    const hubUserId = `hub-${randomUUID()}`;
    const employee = await leaver(hubUserId, false);
    const workflowId = randomUUID();
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id, workflowId);
    expect(await runner.runDue()).toBe(1);

    const [failed] = await listTasks(app, { state: 'FAILED' });
    expect(failed).toMatchObject({ id, state: 'FAILED', attempts: 1, nextAttemptAt: null });
    expect(failed?.lastError).toMatch(/^Hub does not know the employee's Hub user id \(HTTP 404\)/);
    expect(JSON.parse(failed?.result ?? '{}')).toEqual({ failure: 'HUB_USER_NOT_FOUND', hubStatus: 404 });
    expect(await eventsOf(app, 'access.revocation_failed')).toContainEqual({
      employeeId: employee.id,
      workflowId,
      taskId: id,
      reason: 'OFFBOARDING',
      attempts: 1,
      failure: 'HUB_USER_NOT_FOUND',
      hubStatus: 404,
    });
    const ready = await readiness(app);
    expect(ready.checks.systemTasks).toMatchObject({ failed: 1, unfinishedCount: 1 });
    expect(ready.checks.systemTasks.unfinished).toEqual([expect.objectContaining({ taskId: id, state: 'FAILED' })]);
    expect(await runner.runDue()).toBe(0);

    hub.addUser(hubUserId);
    const redriven = await app.gql<{ redriveSystemTask: { task: { id: string; state: string; attempts: number } | null; userErrors: unknown[] } }>(
      redriveMutation,
      { id },
    );
    expect(redriven.data?.redriveSystemTask).toEqual({ task: { id, state: 'PENDING', attempts: 0, lastError: failed?.lastError }, userErrors: [] });
    expect(await runner.runDue()).toBe(1);
    expect(await findSystemTask(app.database.db, id)).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
    expect(hub.revoked.has(hubUserId)).toBe(true);
    expect(hub.requests.map((request) => [request.status, request.headers.idempotencyKey])).toEqual([
      [404, `revoke-access:${workflowId}`],
      [200, `revoke-access:${workflowId}`],
    ]);
  });

  it('fails an employee with no Hub user id without calling Hub, and revokes once an Admin links one and re-drives', async () => {
    const employee = await leaver(null);
    const workflowId = randomUUID();
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id, workflowId);
    await runner.runDue();
    expect(await findSystemTask(app.database.db, id)).toMatchObject({
      state: 'FAILED',
      lastError: 'The employee has no Hub user id: link one and re-drive',
      result: { failure: 'NO_HUB_USER_ID', hubStatus: null },
    });
    expect(hub.requests).toEqual([]);
    expect(await eventsOf(app, 'access.revocation_failed')).toContainEqual(expect.objectContaining({ taskId: id, failure: 'NO_HUB_USER_ID' }));

    const hubUserId = `hub-${randomUUID()}`;
    hub.addUser(hubUserId);
    const linked = await app.gql<{ updateEmployee: { userErrors: unknown[] } }>(
      `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code message } } }`,
      { input: { id: employee.id, hubUserId } },
    );
    expect(linked.data?.updateEmployee.userErrors).toEqual([]);
    expect((await app.gql(redriveMutation, { id })).errors).toBeUndefined();
    await runner.runDue();
    expect(await findSystemTask(app.database.db, id)).toMatchObject({ state: 'SUCCEEDED' });
    expect(hub.performed('revoke-access').map((request) => request.hubUserId)).toEqual([hubUserId]);
  });

  it('fails when Hub refuses People’s key, naming the fix; neither key nor e-mail reaches the logs', async () => {
    const employee = await leaver(`hub-${randomUUID()}`);
    const log = captureLogger();
    const wrongKeyRunner = createSystemTaskRunner({
      db: app.database.db,
      kind: app.database.kind,
      logger: log.logger,
      handlers: createHubAccessHandlers(createHubClient({ url: hub.url, integrationKey: 'a-wrong-hub-key-0123456789' })),
    });
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id);
    await wrongKeyRunner.runDue();
    await wrongKeyRunner.stop();
    const task = await findSystemTask(app.database.db, id);
    expect(task).toMatchObject({ state: 'FAILED', result: { failure: 'HUB_REFUSED', hubStatus: 401 } });
    expect(task?.lastError).toBe('Hub refused the revocation (HTTP 401, invalid_integration_key): check HUB_INTEGRATION_KEY; re-drive once fixed');
    expect(log.entries.some((entry) => entry.level === 50 && entry.taskId === id)).toBe(true);
    for (const secret of ['a-wrong-hub-key-0123456789', hub.integrationKey, employee.email]) expect(log.text()).not.toContain(secret);
  });

  it('restores access only after the workflow’s revocation has settled, so the restore lands last', async () => {
    const hubUserId = `hub-${randomUUID()}`;
    const employee = await leaver(hubUserId);
    const workflowId = randomUUID();
    const revoke = await enqueue(app, 'hub.revoke_access', employee.id, workflowId);
    const restore = await enqueue(app, 'hub.restore_access', employee.id, workflowId);
    hub.failNext(1, 503);
    expect(await runner.runDue()).toBe(2);
    const waiting = await findSystemTask(app.database.db, restore.id);
    expect(waiting).toMatchObject({ state: 'PENDING', attempts: 0 });
    expect(waiting?.waitingReason).toContain(`Waiting for the access revocation of this workflow (task ${revoke.id}`);

    expect(await runner.runDue()).toBe(1);
    expect(await findSystemTask(app.database.db, revoke.id)).toMatchObject({ state: 'SUCCEEDED' });
    // Its next look is 30 s away; an Admin's re-drive runs it now.
    expect((await app.gql(redriveMutation, { id: restore.id })).errors).toBeUndefined();
    expect(await runner.runDue()).toBe(1);
    expect(await findSystemTask(app.database.db, restore.id)).toMatchObject({ state: 'SUCCEEDED', result: { hubStatus: 200 } });
    expect(hub.performed('revoke-access').map((request) => request.hubUserId)).toEqual([hubUserId]);
    expect(hub.performed('restore-access').map((request) => request.headers.idempotencyKey)).toEqual([`restore-access:${workflowId}`]);
    expect(hub.revoked.has(hubUserId)).toBe(false);
    expect(await eventsOf(app, 'access.restored')).toContainEqual(expect.objectContaining({ employeeId: employee.id, workflowId, taskId: restore.id }));
  });

  it('answers user errors for a task that cannot be re-driven, and a clear error for a bad cursor or page size', async () => {
    const employee = await leaver(`hub-${randomUUID()}`);
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id);
    await runner.runDue();
    const done = await app.gql<{ redriveSystemTask: unknown }>(redriveMutation, { id });
    expect(done.data?.redriveSystemTask).toEqual({
      task: null,
      userErrors: [{ code: 'CONFLICT', field: ['id'], message: expect.stringContaining('The task is SUCCEEDED') }],
    });
    const missing = await app.gql<{ redriveSystemTask: unknown }>(redriveMutation, { id: randomUUID() });
    expect(missing.data?.redriveSystemTask).toMatchObject({ task: null, userErrors: [{ code: 'SYSTEM_TASK_NOT_FOUND', field: ['id'] }] });
    const badCursor = await app.gql(`{ systemTasks(after: "nope") { nodes { id } } }`);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await app.gql(`{ systemTasks(first: 501) { nodes { id } } }`);
    expect(tooMany.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it('is for Admins only', async () => {
    for (const roles of [['HR Manager'], ['HR Staff'], ['Viewer']]) {
      const headers = await app.as({ roles, email: `${roles[0]?.replace(' ', '.')}@people.test` });
      const listed = await app.gql(`{ systemTasks { nodes { id } } }`, undefined, headers);
      expect(listed.errors?.[0]?.extensions?.code, roles[0]).toBe('FORBIDDEN');
      const redriven = await app.gql(redriveMutation, { id: randomUUID() }, headers);
      expect(redriven.errors?.[0]?.extensions?.code, roles[0]).toBe('FORBIDDEN');
    }
    const anonymous = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ systemTasks { nodes { id } } }' }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('without HUB_API_URL', () => {
  let app: TestApp;
  let runner: SystemTaskRunner;

  beforeAll(async () => {
    app = await startTestApp({
      systemTasks: (database) => {
        runner = createSystemTaskRunner({
          db: database.db,
          kind: database.kind,
          logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
          handlers: createHubAccessHandlers(null),
        });
        return runner;
      },
    });
  });
  afterAll(async () => {
    await runner.stop();
    await app.close();
  });

  it('keeps the revocation waiting, attempts unspent, and says why in the Admin query and /ready; never a silent success', async () => {
    const org = await createOrgBasics(app);
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hubUserId: 'hub-waiting-leaver' });
    const { id } = await enqueue(app, 'hub.revoke_access', employee.id);
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);

    const [listed] = await listTasks(app, { kind: 'hub.revoke_access' });
    expect(listed).toMatchObject({ id, state: 'PENDING', attempts: 0, lastError: null, waitingReason: hubNotConfiguredReason });
    expect(hubNotConfiguredReason).toContain('HUB_API_URL is not set');
    const ready = await readiness(app);
    expect(ready.status).toBe('ready');
    expect(ready.checks.systemTasks).toMatchObject({
      pending: 1,
      failed: 0,
      waiting: [{ kind: 'hub.revoke_access', reason: hubNotConfiguredReason, count: 1 }],
      unfinishedCount: 1,
    });
    expect(ready.checks.systemTasks.unfinished).toEqual([
      expect.objectContaining({ taskId: id, subject: `employee:${employee.id}`, state: 'PENDING', waitingReason: hubNotConfiguredReason }),
    ]);
    expect(typeof ready.checks.systemTasks.oldestPendingAt).toBe('string');
    expect(await eventsOf(app, 'access.revoked')).toEqual([]);
    expect(await eventsOf(app, 'access.revocation_failed')).toEqual([]);
  });
});
