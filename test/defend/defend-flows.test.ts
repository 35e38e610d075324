import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubAccessHandlers } from '../../src/access/hub-access.tasks.js';
import { createBusClient } from '../../src/events/bus-client.js';
import { createOutboxDispatcher } from '../../src/events/dispatcher.js';
import { listEvents } from '../../src/events/outbox.js';
import { findSystemTaskByIdempotencyKey } from '../../src/jobs/jobs.service.js';
import { createSystemTaskRunner, type SystemTaskRunner } from '../../src/jobs/runner.js';
import { createHubClient } from '../../src/peers/hub-client.js';
import { createWorkflowTaskHandlers } from '../../src/workflows/workflow.service.js';
import { startDefendSubgraph, type DefendSubgraph } from '../../examples/subgraphs/defend.js';
import { peopleSubgraph, startGateway, type RunningGateway } from '../federation/supergraph.js';
import { startBusSimulator } from '../simulators/bus.js';
import { startHubSimulator, type HubSimulator } from '../simulators/hub.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createTimeOffBasics, decide, requestTimeOff, type TimeOffBasics } from '../timeoff/fixtures.js';
import { createTemplate, startOffboarding, workflowsOf } from '../workflows/fixtures.js';

// Defend's three flows through a real Apollo Gateway with X-Defend-Service-Key (People and a
// Defend subgraph composed), a Hub simulator behind the SYSTEM tasks, on both databases: lookup
// by e-mail with the offboarding, insider-threat signals (once per alert, for Admins and HR
// Managers only), emergency offboardings (once per alert, suspended at once, one revocation, the
// circuit breaker, HR's reversal), and the time off a leaver had after the last day.

const silent = pino({ level: 'silent' });
const monday = '2026-06-15';
const defend = serviceHeaders.defend;

const triggerMutation = /* GraphQL */ `
  mutation($input: TriggerEmergencyOffboardingInput!) {
    triggerEmergencyOffboarding(input: $input) {
      requestId state held duplicate
      workflow { id state urgency anchorDay startedAt }
      userErrors { code field message }
    }
  }
`;
const signalMutation = /* GraphQL */ `
  mutation($input: ReportInsiderThreatSignalInput!) {
    reportInsiderThreatSignal(input: $input) { signalId duplicate reviewTaskAdded userErrors { code field message } }
  }
`;
const signalsQuery = /* GraphQL */ `query($id: ID!) { employee(id: $id) { id insiderThreatSignals { id alertId severity score summary detailsUrl workflow { id } reviewTask { id title required assigneeGroup } } } }`;

interface Trigger {
  requestId: string | null;
  state: string | null;
  held: boolean;
  duplicate: boolean;
  workflow: { id: string; state: string; urgency: string; anchorDay: string; startedAt: string } | null;
  userErrors: { code: string; field: string[] | null; message: string }[];
}

let app: TestApp;
let hub: HubSimulator;
let runner: SystemTaskRunner;
let defendGraph: DefendSubgraph;
let gateway: RunningGateway;
let org: OrgBasics;
let timeOff: TimeOffBasics;
let lead: CreatedEmployee;

beforeAll(async () => {
  hub = await startHubSimulator();
  app = await startTestApp({
    today: monday,
    systemTasks: (database) => {
      runner = createSystemTaskRunner({
        db: database.db,
        kind: database.kind,
        logger: silent,
        handlers: {
          ...createHubAccessHandlers(createHubClient({ url: hub.url, integrationKey: hub.integrationKey, timeoutMs: 2_000 })),
          // The test's clock, read when the task runs (app is assigned by then).
          ...createWorkflowTaskHandlers({ clock: { today: () => app.clock.today(), now: () => app.clock.now() } }),
        },
        baseDelayMs: 1,
        maxDelayMs: 5,
        random: () => 0,
      });
      return runner;
    },
  });
  org = await createOrgBasics(app);
  timeOff = await createTimeOffBasics(app, org);
  await createTemplate(app, {
    kind: 'OFFBOARDING',
    name: 'Company offboarding',
    tasks: [
      { title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -1 },
      { title: 'Revoke access', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
    ],
  });
  lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2019-01-07' });
  defendGraph = await startDefendSubgraph();
  gateway = await startGateway([peopleSubgraph(app.url), { name: defendGraph.name, typeDefs: defendGraph.typeDefs, url: defendGraph.url }]);
});

afterAll(async () => {
  await gateway?.close();
  await defendGraph?.close();
  await runner?.stop();
  await app?.close();
  await hub?.close();
});

/** A Berlin engineer reporting to `lead`, linked to a Hub user Hub knows. */
async function engineer(): Promise<CreatedEmployee & { hubUserId: string }> {
  const hubUserId = `hub-${randomUUID()}`;
  hub.addUser(hubUserId);
  const person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id, hireDate: '2024-03-04', hubUserId });
  return { ...person, hubUserId };
}

async function trigger(input: { email: string; alertId: string; severity?: string; reason?: string }, headers: Record<string, string> = defend) {
  const response = await gateway.gql<{ triggerEmergencyOffboarding: Trigger }>(triggerMutation, {
    input: { severity: 'CRITICAL', reason: 'Mass download of customer data', ...input },
  }, headers);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = response.data?.triggerEmergencyOffboarding;
  if (!payload) throw new Error('no payload');
  return payload;
}

async function signal(email: string, alertId: string) {
  const response = await gateway.gql<{ reportInsiderThreatSignal: { signalId: string | null; duplicate: boolean; reviewTaskAdded: boolean; userErrors: unknown[] } }>(
    signalMutation,
    {
      input: {
        email: email.toUpperCase(),
        alertId,
        severity: 'HIGH',
        score: 87.5,
        summary: 'Copied the design archive to a personal drive',
        detectedAt: '2026-06-14T22:10:00.000Z',
        detailsUrl: `https://defend.example.com/alerts/${alertId}`,
      },
    },
    defend,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = response.data?.reportInsiderThreatSignal;
  if (!payload) throw new Error('no payload');
  return payload;
}

/** Signs in at /auth/sso with a Hub token, as the portal does: a People session token when allowed. */
async function signIn(person: { email: string; hubUserId: string }): Promise<{ status: number; token: string | null }> {
  const response = await fetch(`${app.url}/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: await app.tokenFor({ roles: [], email: person.email, hubUserId: person.hubUserId }) }),
  });
  const body = (await response.json()) as { token?: string };
  return { status: response.status, token: body.token ?? null };
}

async function eventsOf(type: Parameters<typeof listEvents>[1]['type']) {
  return (await listEvents(app.database.db, { first: 200, type })).events.map((event) => event.data);
}

describe('lookup by e-mail and insider-threat signals', () => {
  it("joins Defend's alert to the employee's offboarding by e-mail, whatever its letter case", async () => {
    app.clock.set(monday);
    const person = await engineer();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-06-26' });
    const bystander = await engineer();
    defendGraph.setAlerts([
      { id: 'look-1', login: person.email.toUpperCase(), severity: 'HIGH' },
      { id: 'look-2', login: bystander.email, severity: 'LOW' },
    ]);
    const response = await gateway.gql<{ alerts: { id: string; employee: { id: string; offboarding: { id: string; state: string; urgency: string; anchorDay: string; startedAt: string } | null } | null }[] }>(
      `{ alerts { id employee { id offboarding { id state urgency anchorDay startedAt } } } }`,
      {},
      defend,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.alerts).toEqual([
      { id: 'look-1', employee: { id: person.id, offboarding: { id: offboarding.id, state: 'ACTIVE', urgency: 'STANDARD', anchorDay: '2026-06-26', startedAt: expect.any(String) } } },
      { id: 'look-2', employee: { id: bystander.id, offboarding: null } },
    ]);
    // Defend sees the summary only: no tasks, no HR notes.
    const tasks = await gateway.gql(`query($id: ID!) { workflow(id: $id) { tasks { id } reason } }`, { id: offboarding.id }, defend);
    expect(tasks.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('stores a signal once per alert, adds one review task to the offboarding under way, and emits insider_threat.flagged once, thin', async () => {
    app.clock.set(monday);
    const person = await engineer();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-06-26' });
    const alertId = `sig-${randomUUID()}`;
    const first = await signal(person.email, alertId);
    expect(first).toMatchObject({ duplicate: false, reviewTaskAdded: true, userErrors: [] });
    const again = await signal(person.email, alertId);
    expect(again).toEqual({ signalId: first.signalId, duplicate: true, reviewTaskAdded: false, userErrors: [] });

    const read = await app.gql<{ employee: { insiderThreatSignals: { id: string; alertId: string; summary: string; workflow: { id: string } | null; reviewTask: { title: string; required: boolean; assigneeGroup: string } | null }[] } }>(signalsQuery, { id: person.id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.employee.insiderThreatSignals).toEqual([
      expect.objectContaining({
        id: first.signalId,
        alertId,
        summary: 'Copied the design archive to a personal drive',
        workflow: { id: offboarding.id },
        reviewTask: expect.objectContaining({ title: 'Review insider-threat signal', required: true, assigneeGroup: 'HR' }),
      }),
    ]);
    const [workflow] = await workflowsOf(app, person.id);
    expect(workflow?.tasks?.filter((task) => task.title === 'Review insider-threat signal')).toHaveLength(1);

    const flagged = (await eventsOf('insider_threat.flagged')).filter((data) => data.alertId === alertId);
    expect(flagged).toEqual([
      { signalId: first.signalId, employeeId: person.id, alertId, severity: 'HIGH', workflowId: offboarding.id, reviewTaskId: expect.any(String) },
    ]);
    expect(JSON.stringify(flagged)).not.toContain('design archive');
  });

  it('records a signal about someone not offboarding, without a task', async () => {
    app.clock.set(monday);
    const person = await engineer();
    const reported = await signal(person.email, `sig-${randomUUID()}`);
    expect(reported).toMatchObject({ duplicate: false, reviewTaskAdded: false });
    expect(await workflowsOf(app, person.id)).toEqual([]);
    const unknown = await signal('nobody@example.com', `sig-${randomUUID()}`);
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'EMPLOYEE_NOT_FOUND' })]);
  });

  it('shows signals to Admins and HR Managers only; everyone else, Defend included, gets FORBIDDEN, and the review task stays out of their view', async () => {
    app.clock.set(monday);
    const person = await engineer();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-06-26' });
    await signal(person.email, `sig-${randomUUID()}`);
    const read = (headers?: Record<string, string>) => app.gql<{ employee: { insiderThreatSignals: unknown[] | null } | null }>(signalsQuery, { id: person.id }, headers);

    for (const role of ['Admin', 'HR Manager']) {
      const allowed = await read(await app.as({ roles: [role], email: `${randomUUID()}@people.test` }));
      expect(allowed.errors, role).toBeUndefined();
      expect(allowed.data?.employee?.insiderThreatSignals, role).toHaveLength(1);
    }
    const refused: [string, Record<string, string>][] = [
      ['HR Staff', await app.as({ roles: ['HR Staff'], email: `${randomUUID()}@people.test` })],
      ['Manager (their line)', await app.as({ roles: ['Manager'], email: lead.email })],
      ['Viewer', await app.as({ roles: ['Viewer'], email: `${randomUUID()}@people.test` })],
      ['the employee', await app.as({ roles: [], email: person.email, hubUserId: person.hubUserId })],
      ['the employee, even as HR Manager', await app.as({ roles: ['HR Manager'], email: person.email, hubUserId: person.hubUserId })],
      ['PSA', serviceHeaders.psa],
      ['Defend', defend],
    ];
    for (const [who, headers] of refused) {
      const response = await read(headers);
      expect(response.data?.employee?.insiderThreatSignals ?? null, who).toBeNull();
      expect(response.errors?.map((error) => error.extensions?.code), who).toEqual(['FORBIDDEN']);
    }
    // The manager sees the offboarding's tasks, but not the review (it says a signal exists).
    // Nor does its progress count it; HR's does.
    type Progressed = { workflow: { tasks: { title: string }[]; progress: { required: number } } | null };
    const progressQuery = `query($id: ID!) { workflow(id: $id) { tasks { title } progress { required } } }`;
    const asLead = await app.gql<Progressed>(progressQuery, { id: offboarding.id }, await app.as({ roles: ['Manager'], email: lead.email }));
    expect(asLead.errors).toBeUndefined();
    expect(asLead.data?.workflow?.tasks.map((task) => task.title)).toEqual(['Exit interview', 'Revoke access']);
    const asHr = await app.gql<Progressed>(progressQuery, { id: offboarding.id }, await app.as({ roles: ['HR Staff'], email: `${randomUUID()}@people.test` }));
    expect(asHr.data?.workflow?.tasks).toHaveLength(3);
    expect(asLead.data?.workflow?.progress.required).toBe((asHr.data?.workflow?.progress.required ?? 0) - 1);
    // Only Defend reports.
    const notDefend = await app.gql(signalMutation, { input: { email: person.email, alertId: 'x-1', severity: 'LOW', score: 1, summary: 's', detectedAt: '2026-06-14T00:00:00Z' } });
    expect(notDefend.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('emergency offboarding', () => {
  it('acts once per alert: one EMERGENCY workflow from the next working day, access suspended at once, one revocation Hub receives, HR told', async () => {
    app.clock.set('2026-06-16');
    const person = await engineer();
    const own = await app.as({ roles: [], email: person.email, hubUserId: person.hubUserId });
    expect((await app.gql(`{ departments { id } }`, {}, own)).status).toBe(200);
    // A People session, signed in before the emergency.
    const session = await signIn(person);
    expect(session.status).toBe(200);
    const sessionHeaders = { authorization: `Bearer ${session.token ?? ''}` };
    expect((await app.gql(`{ departments { id } }`, {}, sessionHeaders)).status).toBe(200);
    const alertId = `em-${randomUUID()}`;

    const first = await trigger({ email: person.email.toUpperCase(), alertId });
    expect(first).toMatchObject({ state: 'ACTED', held: false, duplicate: false, userErrors: [] });
    expect(first.workflow).toMatchObject({ state: 'ACTIVE', urgency: 'EMERGENCY', anchorDay: '2026-06-17' });
    const again = await trigger({ email: person.email, alertId });
    expect(again).toMatchObject({ requestId: first.requestId, state: 'ACTED', held: false, duplicate: true, workflow: { id: first.workflow?.id } });

    const workflows = await workflowsOf(app, person.id);
    expect(workflows.map((workflow) => [workflow.kind, workflow.urgency, workflow.state])).toEqual([['OFFBOARDING', 'EMERGENCY', 'ACTIVE']]);

    // People refuses them at once, token and session alike.
    const refused = await app.gql(`{ departments { id } }`, {}, own);
    expect(refused.status).toBe(403);
    expect(refused.errors?.[0]?.extensions?.reason).toBe('access_suspended');
    // Their People session is ended with the suspension (401, session_ended), not only refused.
    const sessionRefused = await app.gql(`{ departments { id } }`, {}, sessionHeaders);
    expect(sessionRefused.status).toBe(401);
    expect(sessionRefused.errors?.[0]?.extensions?.reason).toBe('session_ended');
    expect((await signIn(person)).status).toBe(403);

    expect(await runner.runDue()).toBeGreaterThanOrEqual(1);
    await runner.runDue();
    const revocations = hub.performed('revoke-access').filter((request) => request.hubUserId === person.hubUserId);
    expect(revocations).toHaveLength(1);
    expect(revocations[0]?.body).toMatchObject({ employeeId: person.id, workflowId: first.workflow?.id, reason: 'EMERGENCY_OFFBOARDING' });
    expect(revocations[0]?.headers.idempotencyKey).toBe(`revoke-access:${first.workflow?.id}`);

    const requested = (await eventsOf('emergency_offboarding.requested')).filter((data) => data.alertId === alertId);
    expect(requested).toEqual([expect.objectContaining({ employeeId: person.id, outcome: 'STARTED', workflowId: first.workflow?.id })]);
    const started = (await eventsOf('offboarding.started')).filter((data) => data.workflowId === first.workflow?.id);
    expect(started).toEqual([expect.objectContaining({ urgency: 'EMERGENCY', startedVia: 'DEFEND', hubUserId: person.hubUserId })]);

    // Reversal: HR Staff may not; an HR Manager may, which restores access in People and in Hub.
    const cancel = `mutation($input: CancelWorkflowInput!) { cancelWorkflow(input: $input) { workflow { id state } userErrors { code message } } }`;
    const asStaff = await app.gql(cancel, { input: { id: first.workflow?.id, reason: 'False positive' } }, await app.as({ roles: ['HR Staff'], email: `${randomUUID()}@people.test` }));
    expect(asStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asManager = await app.gql<{ cancelWorkflow: { workflow: { state: string } | null; userErrors: unknown[] } }>(
      cancel,
      { input: { id: first.workflow?.id, reason: 'False positive: the download was approved' } },
      await app.as({ roles: ['HR Manager'], email: `${randomUUID()}@people.test` }),
    );
    expect(asManager.errors).toBeUndefined();
    expect(asManager.data?.cancelWorkflow).toEqual({ workflow: { id: first.workflow?.id, state: 'CANCELLED' }, userErrors: [] });
    expect((await app.gql(`{ departments { id } }`, {}, own)).status).toBe(200);
    // The session from before the emergency was ended with the suspension, not only refused:
    // lifting the suspension does not revive it. They sign in again.
    const oldSession = await app.gql(`{ departments { id } }`, {}, sessionHeaders);
    expect(oldSession.status).toBe(401);
    expect(oldSession.errors?.[0]?.extensions?.reason).toBe('session_ended');
    expect(oldSession.errors?.[0]?.message).toMatch(/suspended/);
    const endedSessions = (await eventsOf('session_ended')).filter((data) => data.hubUserId === person.hubUserId);
    expect(endedSessions).toEqual([expect.objectContaining({ reason: 'access_suspended', endedBy: 'service:defend' })]);
    const signedInAgain = await signIn(person);
    expect(signedInAgain.status).toBe(200);
    expect((await app.gql(`{ departments { id } }`, {}, { authorization: `Bearer ${signedInAgain.token ?? ''}` })).status).toBe(200);
    await runner.runDue();
    const restorations = hub.performed('restore-access').filter((request) => request.hubUserId === person.hubUserId);
    expect(restorations).toHaveLength(1);
    expect(restorations[0]?.headers.idempotencyKey).toBe(`restore-access:${first.workflow?.id}`);
    expect(hub.revoked.has(person.hubUserId)).toBe(false);
  });

  it('answers racing repeats of one alert with one workflow and one stored signal', async () => {
    app.clock.set('2026-06-26');
    const person = await engineer();
    const alertId = `em-${randomUUID()}`;
    const answers = await Promise.all([0, 1, 2].map(() => trigger({ email: person.email, alertId })));
    expect(answers.filter((answer) => !answer.duplicate)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.workflow?.id)).size).toBe(1);
    expect(await workflowsOf(app, person.id)).toHaveLength(1);
    const signalId = `sig-${randomUUID()}`;
    const signals = await Promise.all([0, 1, 2].map(() => signal(person.email, signalId)));
    expect(signals.filter((answer) => !answer.duplicate)).toEqual([expect.objectContaining({ reviewTaskAdded: true })]);
    expect(new Set(signals.map((answer) => answer.signalId)).size).toBe(1);
    const [workflow] = await workflowsOf(app, person.id);
    expect(workflow?.tasks?.filter((task) => task.title === 'Review insider-threat signal')).toHaveLength(1);
  });

  it('escalates an offboarding under way instead of starting another', async () => {
    app.clock.set('2026-06-22');
    const person = await engineer();
    const standard = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-07-03' });
    const escalated = await trigger({ email: person.email, alertId: `em-${randomUUID()}` });
    expect(escalated.workflow).toMatchObject({ id: standard.id, urgency: 'EMERGENCY', anchorDay: '2026-07-03' });
    const key = `revoke-access:${standard.id}`;
    expect((await findSystemTaskByIdempotencyKey(app.database.db, key))?.state).toBe('PENDING');
    const history = await app.gql<{ workflow: { history: { kind: string }[] } }>(`query($id: ID!) { workflow(id: $id) { history { kind } } }`, { id: standard.id });
    expect(history.data?.workflow.history.map((change) => change.kind)).toEqual(['STARTED', 'ESCALATED']);
  });

  it('holds the fourth within the hour for HR, visibly; an HR Manager confirms one and declines another', async () => {
    // A day of its own: the breaker counts the last hour (this test clock's noon).
    app.clock.set('2026-06-23');
    const people = await Promise.all([engineer(), engineer(), engineer(), engineer(), engineer()]);
    const alerts = people.map(() => `em-${randomUUID()}`);
    for (const index of [0, 1, 2]) {
      expect(await trigger({ email: people[index]?.email ?? '', alertId: alerts[index] ?? '' })).toMatchObject({ state: 'ACTED', held: false });
    }
    const fourth = await trigger({ email: people[3]?.email ?? '', alertId: alerts[3] ?? '' });
    expect(fourth).toMatchObject({ state: 'HELD', held: true, duplicate: false, workflow: null, userErrors: [] });
    expect(await workflowsOf(app, people[3]?.id ?? '')).toEqual([]);
    const fifth = await trigger({ email: people[4]?.email ?? '', alertId: alerts[4] ?? '' });
    expect(fifth.held).toBe(true);
    // Held means not acted: the employee still signs in.
    const fourthOwn = await app.as({ roles: [], email: people[3]?.email ?? '', hubUserId: people[3]?.hubUserId ?? '' });
    expect((await app.gql(`{ departments { id } }`, {}, fourthOwn)).status).toBe(200);

    const hrManager = await app.as({ roles: ['HR Manager'], email: `${randomUUID()}@people.test` });
    const list = `query { emergencyOffboardingRequests(states: [HELD]) { id alertId state employee { id } } }`;
    const held = await app.gql<{ emergencyOffboardingRequests: { id: string; alertId: string }[] }>(list, {}, hrManager);
    expect(held.errors).toBeUndefined();
    expect(held.data?.emergencyOffboardingRequests.map((request) => request.alertId).sort()).toEqual([alerts[3], alerts[4]].sort());
    for (const headers of [await app.as({ roles: ['HR Staff'], email: `${randomUUID()}@people.test` }), defend]) {
      expect((await app.gql(list, {}, headers)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }

    const confirm = `mutation($input: DecideEmergencyOffboardingInput!) { confirmEmergencyOffboarding(input: $input) { request { id state action decidedBy workflow { id urgency } } userErrors { code } } }`;
    const decline = `mutation($input: DecideEmergencyOffboardingInput!) { declineEmergencyOffboarding(input: $input) { request { id state decisionNote workflow { id } } userErrors { code } } }`;
    const confirmed = await app.gql<{ confirmEmergencyOffboarding: { request: { state: string; action: string; workflow: { id: string; urgency: string } | null } | null } }>(
      confirm,
      { input: { id: fourth.requestId } },
      hrManager,
    );
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data?.confirmEmergencyOffboarding.request).toMatchObject({ state: 'ACTED', action: 'STARTED', workflow: { urgency: 'EMERGENCY' } });
    expect((await app.gql(`{ departments { id } }`, {}, fourthOwn)).status).toBe(403);
    const declined = await app.gql<{ declineEmergencyOffboarding: { request: { state: string; workflow: unknown } | null; userErrors: unknown[] } }>(
      decline,
      { input: { id: fifth.requestId, reason: 'Defend confirmed a test alert' } },
      hrManager,
    );
    expect(declined.data?.declineEmergencyOffboarding).toMatchObject({ request: { state: 'DECLINED', workflow: null }, userErrors: [] });
    expect(await workflowsOf(app, people[4]?.id ?? '')).toEqual([]);
    // Defend asking again learns what HR decided.
    expect(await trigger({ email: people[3]?.email ?? '', alertId: alerts[3] ?? '' })).toMatchObject({ duplicate: true, state: 'ACTED', held: false });
    expect(await trigger({ email: people[4]?.email ?? '', alertId: alerts[4] ?? '' })).toMatchObject({ duplicate: true, state: 'DECLINED', workflow: null });
    // Deciding twice is a conflict.
    const twice = await app.gql<{ declineEmergencyOffboarding: { userErrors: { code: string }[] } }>(decline, { input: { id: fourth.requestId, reason: 'late' } }, hrManager);
    expect(twice.data?.declineEmergencyOffboarding.userErrors).toEqual([{ code: 'CONFLICT' }]);
  });

  it('acts for a manager with reports too, scheduling no leaving status (HR reassigns the reports first), and says so', async () => {
    app.clock.set('2026-06-25');
    const manager = await engineer();
    await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: manager.id, hireDate: '2025-01-06' });
    const acted = await trigger({ email: manager.email, alertId: `em-${randomUUID()}` });
    expect(acted).toMatchObject({ state: 'ACTED', held: false, workflow: { urgency: 'EMERGENCY', anchorDay: '2026-06-26' }, userErrors: [] });
    const own = await app.as({ roles: ['Manager'], email: manager.email, hubUserId: manager.hubUserId });
    expect((await app.gql(`{ departments { id } }`, {}, own)).status).toBe(403);
    const read = await app.gql<{ workflow: { leavingStatus: string | null; history: { kind: string; note: string | null }[] } }>(
      `query($id: ID!) { workflow(id: $id) { leavingStatus history { kind note } } }`,
      { id: acted.workflow?.id },
    );
    expect(read.data?.workflow.history[0]?.note).toContain('still has reports');
    const status = await app.gql<{ employee: { status: string; terminationDate: string | null } }>(`query($id: ID!) { employee(id: $id, asOf: "2026-06-29") { status terminationDate } }`, { id: manager.id });
    expect(status.data?.employee.status).toBe('ACTIVE');
  });

  it('is for Defend only', async () => {
    app.clock.set('2026-06-24');
    const person = await engineer();
    for (const headers of [serviceHeaders.psa, await app.as({ roles: ['Admin'], email: `${randomUUID()}@people.test` })]) {
      const response = await gateway.gql(triggerMutation, { input: { email: person.email, alertId: `em-${randomUUID()}`, severity: 'LOW', reason: 'x' } }, headers);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await workflowsOf(app, person.id)).toEqual([]);
  });
});

describe("the leaver's time off after the last day", () => {
  it('waits for the last day, then cancels pending and approved time off after it through the cancel path, and records which', async () => {
    app.clock.set('2026-07-01');
    const person = await engineer();
    const request = async (startDate: string, endDate: string) => {
      const payload = await requestTimeOff(app, { employeeId: person.id, policyId: timeOff.vacation, startDate, endDate });
      expect(payload.userErrors).toEqual([]);
      return payload.request?.id ?? '';
    };
    const before = await request('2026-07-06', '2026-07-07');
    const approvedAfter = await request('2026-07-20', '2026-07-21');
    const pendingAfter = await request('2026-07-27', '2026-07-27');
    const straddling = await request('2026-07-09', '2026-07-13');
    for (const id of [before, approvedAfter]) expect((await decide(app, 'approve', { id })).payload?.userErrors).toEqual([]);
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-07-10' });

    await runner.runDue();
    const key = `cancel-time-off:${offboarding.id}`;
    const waiting = await findSystemTaskByIdempotencyKey(app.database.db, key);
    expect(waiting).toMatchObject({ state: 'PENDING', attempts: 0, waitingReason: expect.stringContaining('2026-07-10') });

    app.clock.set('2026-07-10');
    await app.database.db.execute(`update system_tasks set next_attempt_at = now() where idempotency_key = '${key}'`);
    await runner.runDue();
    const done = await findSystemTaskByIdempotencyKey(app.database.db, key);
    expect(done).toMatchObject({ state: 'SUCCEEDED', result: { cancelledRequestIds: [approvedAfter, pendingAfter].sort(), straddlingRequestIds: [straddling] } });

    const statuses = await app.gql<{ employee: { timeOffRequests: { id: string; status: string; decisions: { decision: string; actingAs: string }[] }[] } }>(
      `query($id: ID!) { employee(id: $id) { timeOffRequests { id status decisions { decision actingAs } } } }`,
      { id: person.id },
    );
    expect(statuses.errors).toBeUndefined();
    const byId = new Map(statuses.data?.employee.timeOffRequests.map((row) => [row.id, row]));
    expect(byId.get(approvedAfter)?.status).toBe('CANCELLED');
    expect(byId.get(approvedAfter)?.decisions.at(-1)).toEqual({ decision: 'CANCELLED', actingAs: 'HR' });
    expect(byId.get(pendingAfter)?.status).toBe('CANCELLED');
    expect(byId.get(before)?.status).toBe('APPROVED');
    expect(byId.get(straddling)?.status).toBe('PENDING');
    const history = await app.gql<{ workflow: { history: { kind: string; note: string | null }[] } }>(`query($id: ID!) { workflow(id: $id) { history { kind note } } }`, { id: offboarding.id });
    const record = history.data?.workflow.history.find((change) => change.kind === 'TIME_OFF_CANCELLED');
    expect(record?.note).toContain(approvedAfter);
    expect(record?.note).toContain(straddling);
  });

  it('cancels nothing for an offboarding cancelled before its last day', async () => {
    app.clock.set('2026-07-01');
    const person = await engineer();
    const payload = await requestTimeOff(app, { employeeId: person.id, policyId: timeOff.vacation, startDate: '2026-08-03', endDate: '2026-08-04' });
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-07-17' });
    const cancelled = await app.gql<{ cancelWorkflow: { userErrors: unknown[] } }>(
      `mutation($input: CancelWorkflowInput!) { cancelWorkflow(input: $input) { userErrors { code } } }`,
      { input: { id: offboarding.id, reason: 'Stays after all' } },
    );
    expect(cancelled.data?.cancelWorkflow.userErrors).toEqual([]);
    expect((await findSystemTaskByIdempotencyKey(app.database.db, `cancel-time-off:${offboarding.id}`))?.state).toBe('CANCELLED');
    const status = await app.gql<{ timeOffRequest: { status: string } }>(`query($id: ID!) { timeOffRequest(id: $id) { status } }`, { id: payload.request?.id });
    expect(status.data?.timeOffRequest.status).toBe('PENDING');
  });
});

describe('to Bus', () => {
  it("delivers Defend's events to the Bus simulator, thin: no summary, no reason", async () => {
    const bus = await startBusSimulator();
    const dispatcher = createOutboxDispatcher({
      db: app.database.db,
      kind: app.database.kind,
      bus: createBusClient({ url: bus.url, integrationKey: bus.integrationKey }),
      logger: silent,
    });
    try {
      while ((await dispatcher.drainOnce()) > 0) {
        // deliver everything this file recorded
      }
      const envelopes = bus.received.map((received) => received.envelope);
      const types = new Set(envelopes.map((envelope) => envelope.type));
      for (const type of [
        'insider_threat.flagged',
        'emergency_offboarding.requested',
        'emergency_offboarding.decided',
        'offboarding.started',
        'workflow.task.assigned',
        'workflow.cancelled',
        'access.revoked',
        'access.restored',
      ]) {
        expect(types.has(type), type).toBe(true);
      }
      const text = JSON.stringify(envelopes);
      expect(text).not.toContain('design archive');
      expect(text).not.toContain('Mass download');
    } finally {
      await dispatcher.stop();
      await bus.close();
    }
  });
});
