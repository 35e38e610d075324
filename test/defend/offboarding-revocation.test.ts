import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubAccessHandlers, hubNotConfiguredReason } from '../../src/access/hub-access.tasks.js';
import { listEvents } from '../../src/events/outbox.js';
import { createSystemTaskRunner, type SystemTaskRunner } from '../../src/jobs/runner.js';
import { setAccessSuspended } from '../../src/employees/employee.store.js';
import { createHubClient } from '../../src/peers/hub-client.js';
import { runWorkflowCheck } from '../../src/workflows/workflow.service.js';
import { startHubSimulator, type HubSimulator } from '../simulators/hub.js';
import { createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { completeTask, createTemplate, startOffboarding, taskTitled, workflowsOf } from '../workflows/fixtures.js';

// An offboarding end to end with Hub: tasks done, last day reached, the workflow completes and
// asks Hub (through a SYSTEM task) to revoke the leaver's access, exactly once whatever the
// retries; the workflow shows where that stands, its SYSTEM task closes only on Hub's
// confirmation, and the leaver's token and session are refused.

const silent = pino({ level: 'silent' });
const today = '2026-06-15';
const lastDay = '2026-06-19';

const revocationQuery = /* GraphQL */ `
  query($id: ID!) { workflow(id: $id) { id state accessRevocation { taskId state attempts maxAttempts lastError waitingReason nextAttemptAt requestedAt finishedAt } tasks { id title state assigneeGroup required } } }
`;

interface Revocation {
  taskId: string;
  state: string;
  attempts: number;
  lastError: string | null;
  waitingReason: string | null;
  nextAttemptAt: string | null;
}

async function revocationOf(app: TestApp, workflowId: string, headers?: Record<string, string>) {
  const response = await app.gql<{ workflow: { state: string; accessRevocation: Revocation | null; tasks: { title: string; state: string }[] } | null }>(revocationQuery, { id: workflowId }, headers);
  expect(response.errors).toBeUndefined();
  if (!response.data?.workflow) throw new Error('no workflow');
  return response.data.workflow;
}

async function setUp(app: TestApp): Promise<OrgBasics> {
  const org = await createOrgBasics(app);
  await createTemplate(app, {
    kind: 'OFFBOARDING',
    name: 'Company offboarding',
    tasks: [
      { title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -1 },
      { title: 'Revoke access', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
    ],
  });
  return org;
}

async function offboardToCompletion(app: TestApp, org: OrgBasics, hubUserId: string | null) {
  const person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2024-03-04', ...(hubUserId ? { hubUserId } : {}) });
  const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay });
  const before = await revocationOf(app, offboarding.id);
  expect(before.accessRevocation).toBeNull();
  await completeTask(app, taskTitled(offboarding, 'Exit interview').id);
  app.clock.set(lastDay);
  expect(await runWorkflowCheck({ db: app.database.db, clock: app.clock, logger: silent })).toBe(1);
  return { person, offboarding };
}

describe('with Hub configured', () => {
  let hub: HubSimulator;
  let app: TestApp;
  let runner: SystemTaskRunner;
  let org: OrgBasics;

  beforeAll(async () => {
    hub = await startHubSimulator();
    app = await startTestApp({
      today,
      systemTasks: (database) => {
        runner = createSystemTaskRunner({
          db: database.db,
          kind: database.kind,
          logger: silent,
          handlers: createHubAccessHandlers(createHubClient({ url: hub.url, integrationKey: hub.integrationKey, timeoutMs: 500 })),
          baseDelayMs: 1,
          maxDelayMs: 5,
          random: () => 0,
        });
        return runner;
      },
    });
    org = await setUp(app);
  });
  afterAll(async () => {
    await runner.stop();
    await app.close();
    await hub.close();
  });

  it('completes, asks Hub once with a stable key across retries, says so on the workflow, then closes the SYSTEM task and emits access.revoked', async () => {
    app.clock.set(today);
    const hubUserId = `hub-${randomUUID()}`;
    hub.addUser(hubUserId);
    const leaverHeaders = await app.as({ roles: [], email: 'leaver@people.test', hubUserId });
    const { person, offboarding } = await offboardToCompletion(app, org, hubUserId);

    const pending = await revocationOf(app, offboarding.id);
    expect(pending.state).toBe('COMPLETED');
    expect(pending.accessRevocation).toMatchObject({ state: 'PENDING', attempts: 0, lastError: null });
    expect(pending.tasks.find((task) => task.title === 'Revoke access')?.state).toBe('OPEN');

    hub.failNext(1, 503);
    expect(await runner.runDue()).toBe(1);
    const retrying = await revocationOf(app, offboarding.id);
    expect(retrying.accessRevocation).toMatchObject({ state: 'PENDING', attempts: 1, lastError: expect.stringContaining('503') });
    expect(typeof retrying.accessRevocation?.nextAttemptAt).toBe('string');

    expect(await runner.runDue()).toBe(1);
    const done = await revocationOf(app, offboarding.id);
    expect(done.accessRevocation).toMatchObject({ state: 'SUCCEEDED', attempts: 2, lastError: null, nextAttemptAt: null });
    expect(done.tasks.find((task) => task.title === 'Revoke access')?.state).toBe('DONE');
    expect(hub.performed('revoke-access').map((request) => request.hubUserId)).toEqual([hubUserId]);
    expect(new Set(hub.requests.map((request) => request.headers.idempotencyKey))).toEqual(new Set([`revoke-access:${offboarding.id}`]));
    const events = (await listEvents(app.database.db, { first: 50, type: 'access.revoked' })).events.map((event) => event.data);
    expect(events).toEqual([expect.objectContaining({ employeeId: person.id, workflowId: offboarding.id, reason: 'OFFBOARDING', attempts: 2 })]);

    // The scheduler again, or anything else: nothing more reaches Hub.
    expect(await runWorkflowCheck({ db: app.database.db, clock: app.clock, logger: silent })).toBe(0);
    expect(await runner.runDue()).toBe(0);
    expect(hub.performed('revoke-access')).toHaveLength(1);

    // The leaver is refused by People, token and session alike.
    const refused = await app.gql(`{ departments { id } }`, {}, leaverHeaders);
    expect(refused.status).toBe(403);
    const [completed] = await workflowsOf(app, person.id);
    expect(completed?.state).toBe('COMPLETED');
  });

  it('fails the revocation visibly for an employee with no Hub user id', async () => {
    app.clock.set(today);
    const { offboarding } = await offboardToCompletion(app, org, null);
    await runner.runDue();
    expect((await revocationOf(app, offboarding.id)).accessRevocation).toMatchObject({ state: 'FAILED', lastError: expect.stringContaining('no Hub user id') });
    const failed = (await listEvents(app.database.db, { first: 50, type: 'access.revocation_failed' })).events.map((event) => event.data);
    expect(failed).toContainEqual(expect.objectContaining({ workflowId: offboarding.id, failure: 'NO_HUB_USER_ID' }));
  });
});

describe('who sees it, and a suspended account', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ today });
  });
  afterAll(() => app.close());

  it('shows accessRevocation to HR and Defend only; refuses the token of an employee whose access is suspended', async () => {
    const org = await setUp(app);
    const lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2020-01-06' });
    const hubUserId = `hub-${randomUUID()}`;
    const person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id, hireDate: '2024-03-04', hubUserId });
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay });
    const query = `query($id: ID!) { workflow(id: $id) { accessRevocation { state } } }`;
    const asLead = await app.gql<{ workflow: unknown }>(query, { id: offboarding.id }, await app.as({ roles: ['Manager'], email: lead.email }));
    expect(asLead.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asDefend = await app.gql<{ workflow: { accessRevocation: unknown } | null }>(query, { id: offboarding.id }, serviceHeaders.defend);
    expect(asDefend.errors).toBeUndefined();
    expect(asDefend.data?.workflow).toEqual({ accessRevocation: null });

    const own = await app.as({ roles: [], email: person.email, hubUserId });
    expect((await app.gql(`{ departments { id } }`, {}, own)).status).toBe(200);
    await setAccessSuspended(app.database.db, person.id, new Date());
    const refused = await app.gql(`{ departments { id } }`, {}, own);
    expect(refused.status).toBe(403);
    expect(refused.errors?.[0]?.extensions?.reason).toBe('access_suspended');
    await setAccessSuspended(app.database.db, person.id, null);
    expect((await app.gql(`{ departments { id } }`, {}, own)).status).toBe(200);
  });
});

describe('without HUB_API_URL', () => {
  let app: TestApp;
  let runner: SystemTaskRunner;

  beforeAll(async () => {
    app = await startTestApp({
      today,
      systemTasks: (database) => {
        runner = createSystemTaskRunner({ db: database.db, kind: database.kind, logger: silent, handlers: createHubAccessHandlers(null) });
        return runner;
      },
    });
  });
  afterAll(async () => {
    await runner.stop();
    await app.close();
  });

  it('waits and says why on the workflow: never a silent success', async () => {
    const org = await setUp(app);
    const { offboarding } = await offboardToCompletion(app, org, `hub-${randomUUID()}`);
    await runner.runDue();
    expect((await revocationOf(app, offboarding.id)).accessRevocation).toMatchObject({ state: 'PENDING', attempts: 0, waitingReason: hubNotConfiguredReason });
  });
});
