import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runWorkflowCheck } from '../../src/workflows/workflow.service.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import {
  completeTask,
  createTemplate,
  mutate,
  mutations,
  startOffboarding,
  succeed,
  taskTitled,
  workflowsOf,
  type WorkflowResult,
} from './fixtures.js';

// Offboarding end to end: HR starts it with the last day, which schedules the leaving status;
// tasks get done; it completes once they are and the last day has come (a task completion or the
// scheduler, whichever comes last). A status change made another way starts one too, and
// cancelling an offboarding takes its scheduled status back.

let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
const silent = pino({ level: 'silent' });
const today = '2026-06-15';
// Friday 26 June 2026.
const lastDay = '2026-06-26';

const statusMutation = `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { employee { id } userErrors { field code message } } }`;

function runScheduler(): Promise<number> {
  return runWorkflowCheck({ db: app.database.db, clock: app.clock, logger: silent });
}

async function employment(id: string, asOf: string) {
  const response = await app.gql<{ employee: { status: string | null; terminationDate: string | null; history: { kind: string; effectiveFrom: string; reason: string | null; changes: { field: string; before: string | null; after: string | null }[] }[] } }>(
    `query($id: ID!, $asOf: Date) { employee(id: $id, asOf: $asOf) { status terminationDate history { kind effectiveFrom reason changes { field before after } } } }`,
    { id, asOf },
  );
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no employee');
  return response.data.employee;
}

async function offboardingOf(id: string): Promise<WorkflowResult | null> {
  const response = await app.gql<{ employee: { offboarding: WorkflowResult | null } }>(
    `query($id: ID!) { employee(id: $id) { offboarding { id state anchorDay kind } } }`,
    { id },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.employee.offboarding ?? null;
}

async function leaver(): Promise<CreatedEmployee> {
  return hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id, hireDate: '2024-03-04' });
}

beforeAll(async () => {
  app = await startTestApp({ today });
  org = await createOrgBasics(app);
  lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2020-01-06' });
  await createTemplate(app, {
    kind: 'OFFBOARDING',
    name: 'Company offboarding',
    tasks: [
      { title: 'Knowledge transfer', assigneeKind: 'MANAGER', dueOffsetDays: -5 },
      { title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -2 },
      { title: 'Return laptop', assigneeKind: 'EMPLOYEE', dueOffsetDays: -1 },
      { title: 'Farewell lunch', assigneeKind: 'MANAGER', dueOffsetDays: -1, required: false },
      { title: 'Final pay', assigneeKind: 'HR', dueOffsetDays: 0 },
      { title: 'Revoke access', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
    ],
  });
  await createTemplate(app, { kind: 'ONBOARDING', name: 'Company onboarding', tasks: [{ title: 'Welcome', assigneeKind: 'MANAGER', dueOffsetDays: 0 }] });
});
beforeEach(() => {
  app.clock.set(today);
});
afterAll(() => app?.close());

describe('startOffboarding', () => {
  it('schedules the leaving status for the last day and starts the offboarding with its tasks due before it', async () => {
    const person = await leaver();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay, status: 'RESIGNED', reason: 'Moving abroad' });
    expect(offboarding).toMatchObject({ kind: 'OFFBOARDING', state: 'ACTIVE', anchorDay: lastDay, startedVia: 'HR', leavingStatus: 'RESIGNED', reason: 'Moving abroad' });
    expect(Object.fromEntries((offboarding.tasks ?? []).map((task) => [task.title, [task.assignee?.id ?? task.assigneeGroup, task.dueDate]]))).toEqual({
      'Knowledge transfer': [lead.id, '2026-06-19'],
      'Exit interview': ['HR', '2026-06-24'],
      'Return laptop': [person.id, '2026-06-25'],
      'Farewell lunch': [lead.id, '2026-06-25'],
      'Final pay': ['HR', lastDay],
      'Revoke access': ['SYSTEM', lastDay],
    });
    expect(await employment(person.id, today)).toMatchObject({ status: 'ACTIVE', terminationDate: null });
    expect(await employment(person.id, lastDay)).toMatchObject({ status: 'RESIGNED', terminationDate: lastDay });
    expect(await offboardingOf(person.id)).toMatchObject({ id: offboarding.id, state: 'ACTIVE' });
  });

  it('cancels an onboarding under way', async () => {
    const newcomer = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, managerId: lead.id, hireDate: '2026-06-01' });
    await startOffboarding(app, { employeeId: newcomer.id, lastDay, status: 'TERMINATED', reason: 'Did not pass probation' });
    const [offboarding, onboarding] = await workflowsOf(app, newcomer.id);
    expect(offboarding).toMatchObject({ kind: 'OFFBOARDING', state: 'ACTIVE', leavingStatus: 'TERMINATED' });
    expect(onboarding).toMatchObject({ kind: 'ONBOARDING', state: 'CANCELLED' });
  });

  it('refuses with typed errors: a reason is required, the status rules apply, one at a time', async () => {
    const person = await leaver();
    const noReason = await mutate(app, mutations.startOffboarding, 'startOffboarding', { employeeId: person.id, lastDay, status: 'RESIGNED', reason: ' ' });
    expect(noReason.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'reason'] })]);
    const recent = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, hireDate: '2026-03-02' });
    const beforeHire = await mutate(app, mutations.startOffboarding, 'startOffboarding', { employeeId: recent.id, lastDay: '2026-02-27', status: 'RESIGNED', reason: 'Typo' });
    expect(beforeHire.userErrors).toEqual([expect.objectContaining({ code: 'TERMINATION_BEFORE_HIRE', field: ['input', 'lastDay'] })]);
    const tooFar = await mutate(app, mutations.startOffboarding, 'startOffboarding', { employeeId: person.id, lastDay: '2029-01-05', status: 'RESIGNED', reason: 'Typo' });
    expect(tooFar.userErrors).toEqual([expect.objectContaining({ code: 'DATE_TOO_FAR', field: ['input', 'lastDay'] })]);
    // A manager leaves only once their reports have another manager.
    const withReports = await mutate(app, mutations.startOffboarding, 'startOffboarding', { employeeId: lead.id, lastDay, status: 'RESIGNED', reason: 'Leaving' });
    expect(withReports.userErrors).toEqual([expect.objectContaining({ code: 'HAS_DIRECT_REPORTS', field: ['input', 'status'] })]);
    await startOffboarding(app, { employeeId: person.id, lastDay });
    const twice = await mutate(app, mutations.startOffboarding, 'startOffboarding', { employeeId: person.id, lastDay: '2026-06-30', status: 'TERMINATED', reason: 'Again' });
    expect(twice.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_ALREADY_ACTIVE', field: ['input', 'employeeId'] })]);
  });
});

describe('completing an offboarding', () => {
  it('waits for the last day when the tasks are done before it; the scheduler completes it then', async () => {
    const person = await leaver();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay });
    app.clock.set('2026-06-22');
    let latest: WorkflowResult = offboarding;
    for (const task of offboarding.tasks ?? []) {
      if (task.required && task.assigneeGroup !== 'SYSTEM') latest = (await completeTask(app, task.id)).workflow;
    }
    expect(latest).toMatchObject({ state: 'ACTIVE', progress: { required: 4, requiredDone: 4 } });
    app.clock.set('2026-06-25');
    expect(await runScheduler()).toBe(0);
    app.clock.set(lastDay);
    expect(await runScheduler()).toBe(1);
    expect(await runScheduler()).toBe(0);
    const [completed] = await workflowsOf(app, person.id);
    expect(completed).toMatchObject({ state: 'COMPLETED' });
    // People's SYSTEM task waits for Hub's confirmation of the revocation (no Hub runner here).
    expect(taskTitled(completed ?? {}, 'Revoke access').state).toBe('OPEN');
    // The leaver's completed offboarding stays theirs while they are gone.
    expect(await offboardingOf(person.id)).toMatchObject({ id: offboarding.id, state: 'COMPLETED' });
  });

  it('completes with the last task when the last day has come already', async () => {
    const person = await leaver();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: today, status: 'TERMINATED' });
    const required = (offboarding.tasks ?? []).filter((task) => task.required && task.assigneeGroup !== 'SYSTEM');
    const results: WorkflowResult[] = [];
    for (const task of required) results.push((await completeTask(app, task.id)).workflow);
    expect(results.map((result) => result.state)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'COMPLETED']);
    expect(await runScheduler()).toBe(0);
  });
});

describe('a status change made another way', () => {
  it('starts the offboarding from the matching template, anchored on its day', async () => {
    const person = await leaver();
    const changed = await app.gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(statusMutation, {
      input: { id: person.id, status: 'TERMINATED', effectiveDate: '2026-07-31', reason: 'Position eliminated' },
    });
    expect(changed.data?.changeEmployeeStatus.userErrors).toEqual([]);
    const [offboarding] = await workflowsOf(app, person.id);
    expect(offboarding).toMatchObject({
      kind: 'OFFBOARDING',
      state: 'ACTIVE',
      startedVia: 'STATUS_CHANGE',
      anchorDay: '2026-07-31',
      leavingStatus: 'TERMINATED',
      reason: 'Position eliminated',
    });
    expect(offboarding?.tasks).toHaveLength(6);
  });

  it('starts none while one is under way, and none for a leave or a return', async () => {
    const person = await leaver();
    await startOffboarding(app, { employeeId: person.id, lastDay });
    const leave = await app.gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(statusMutation, { input: { id: person.id, status: 'ON_LEAVE', effectiveDate: '2026-06-17' } });
    expect(leave.data?.changeEmployeeStatus.userErrors).toEqual([]);
    expect((await workflowsOf(app, person.id)).filter((workflow) => workflow.kind === 'OFFBOARDING')).toHaveLength(1);
  });
});

describe('cancelWorkflow', () => {
  it('cancels an offboarding and the leaving status it scheduled, with a history row on the employee', async () => {
    const person = await leaver();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay });
    const noReason = await mutate(app, mutations.cancel, 'cancelWorkflow', { id: offboarding.id, reason: '' });
    expect(noReason.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'reason'] })]);
    const cancelled = await succeed<WorkflowResult>(app, mutations.cancel, 'cancelWorkflow', 'workflow', { id: offboarding.id, reason: 'Counter-offer accepted' });
    expect(cancelled).toMatchObject({ state: 'CANCELLED', cancelReason: 'Counter-offer accepted' });
    const after = await employment(person.id, lastDay);
    expect(after).toMatchObject({ status: 'ACTIVE', terminationDate: null });
    expect(after.history[0]).toMatchObject({
      kind: 'STATUS_CHANGED',
      effectiveFrom: lastDay,
      reason: 'Offboarding cancelled: Counter-offer accepted',
      changes: [{ field: 'status', before: 'RESIGNED', after: 'ACTIVE' }],
    });
    expect(await offboardingOf(person.id)).toBeNull();
    const again = await mutate(app, mutations.cancel, 'cancelWorkflow', { id: offboarding.id, reason: 'Twice' });
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    // Nothing is left behind: the employee can be offboarded again.
    await startOffboarding(app, { employeeId: person.id, lastDay: '2026-07-10' });
  });

  it('refuses once the leaving status has taken effect', async () => {
    const person = await leaver();
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay });
    app.clock.set(lastDay);
    const refused = await mutate(app, mutations.cancel, 'cancelWorkflow', { id: offboarding.id, reason: 'Too late' });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'id'] })]);
    expect(refused.userErrors[0]?.message).toContain('no longer be cancelled');
  });

  it('answers WORKFLOW_NOT_FOUND for an id that names none', async () => {
    const missing = await mutate(app, mutations.cancel, 'cancelWorkflow', { id: '00000000-0000-4000-8000-000000000002', reason: 'Gone' });
    expect(missing.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_NOT_FOUND', field: ['input', 'id'] })]);
  });
});
