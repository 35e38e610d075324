import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/database.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { completeTask, createTemplate, mutate, mutations, taskTitled, workflowById, workflowsOf, type TaskResult, type WorkflowResult } from './fixtures.js';

// Working tasks: complete, skip (optional ones, with a reason), reopen, reassign; what each caller
// may do (`availableActions`); overdue computed for the day; concurrent completions all land.

let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let colleague: CreatedEmployee;
const today = '2026-06-15';
const startDate = '2026-06-22';

async function newOnboarding(): Promise<{ person: CreatedEmployee; workflow: WorkflowResult }> {
  const person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id, hireDate: startDate });
  const [workflow] = await workflowsOf(app, person.id);
  if (!workflow) throw new Error('no onboarding');
  return { person, workflow };
}

beforeAll(async () => {
  app = await startTestApp({ today });
  org = await createOrgBasics(app);
  lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2020-01-06' });
  colleague = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id, hireDate: '2021-01-04' });
  await createTemplate(app, {
    kind: 'ONBOARDING',
    name: 'Onboarding',
    tasks: [
      { title: 'Welcome meeting', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
      { title: 'Create accounts', assigneeKind: 'IT', dueOffsetDays: -2 },
      { title: 'Acknowledge policies', assigneeKind: 'EMPLOYEE', dueOffsetDays: 2 },
      { title: 'Team lunch', assigneeKind: 'MANAGER', dueOffsetDays: 3, required: false },
      { title: 'Buddy chat', assigneeKind: 'HR', dueOffsetDays: 4, required: false },
      { title: 'Laptop order', assigneeKind: 'IT', dueOffsetDays: -5 },
      { title: 'Desk', assigneeKind: 'HR', dueOffsetDays: -4 },
      { title: 'Parking', assigneeKind: 'HR', dueOffsetDays: -3 },
    ],
  });
});
beforeEach(() => {
  app.clock.set(today);
});
afterAll(() => app?.close());

describe('completing, skipping and reopening', () => {
  it('records who did it, when and with what note; reopening takes it back', async () => {
    const { workflow } = await newOnboarding();
    const welcome = taskTitled(workflow, 'Welcome meeting');
    const asLead = await app.as({ roles: ['Manager'], email: lead.email });
    const { task } = await completeTask(app, welcome.id, asLead, 'Booked for 10:00');
    expect(task).toMatchObject({ state: 'DONE', completedBy: { id: lead.id }, note: 'Booked for 10:00', availableActions: ['REOPEN'] });
    expect(task.completedAt).not.toBeNull();
    const twice = await mutate(app, mutations.complete, 'completeWorkflowTask', { id: welcome.id }, asLead);
    expect(twice.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'id'] })]);
    const reopened = await mutate<'task', TaskResult>(app, mutations.reopen, 'reopenWorkflowTask', { id: welcome.id, reason: 'Meeting moved' }, asLead);
    expect(reopened.task).toMatchObject({ state: 'OPEN', completedBy: null, completedAt: null, note: null });
    const history = await app.gql<{ workflow: { history: { kind: string; recordedBy: string; note: string | null; task: { id: string } | null; changes: { field: string; before: string | null; after: string | null }[] }[] } }>(
      `query($id: ID!) { workflow(id: $id) { history { kind recordedBy note task { id } changes { field before after } } } }`,
      { id: workflow.id },
    );
    expect(history.data?.workflow.history.slice(1)).toEqual([
      { kind: 'TASK_COMPLETED', recordedBy: `user:hub-${lead.email}`, note: 'Booked for 10:00', task: { id: welcome.id }, changes: [{ field: 'state', before: 'OPEN', after: 'DONE' }] },
      { kind: 'TASK_REOPENED', recordedBy: `user:hub-${lead.email}`, note: 'Meeting moved', task: { id: welcome.id }, changes: [{ field: 'state', before: 'DONE', after: 'OPEN' }] },
    ]);
  });

  it('skips optional tasks with a reason, never required ones', async () => {
    const { workflow } = await newOnboarding();
    const noReason = await mutate(app, mutations.skip, 'skipWorkflowTask', { id: taskTitled(workflow, 'Team lunch').id, reason: '' });
    expect(noReason.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'reason'] })]);
    const skipped = await mutate<'task', TaskResult>(app, mutations.skip, 'skipWorkflowTask', { id: taskTitled(workflow, 'Team lunch').id, reason: 'Remote hire' });
    expect(skipped.task).toMatchObject({ state: 'SKIPPED', note: 'Remote hire' });
    expect(skipped.workflow).toMatchObject({ progress: { skipped: 1 } });
    const required = await mutate(app, mutations.skip, 'skipWorkflowTask', { id: taskTitled(workflow, 'Welcome meeting').id, reason: 'Busy' });
    expect(required.userErrors).toEqual([expect.objectContaining({ code: 'TASK_REQUIRED', field: ['input', 'id'] })]);
  });

  it('refuses unknown ids and overlong notes as user errors', async () => {
    const missing = await mutate(app, mutations.complete, 'completeWorkflowTask', { id: '00000000-0000-4000-8000-000000000003' });
    expect(missing.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_TASK_NOT_FOUND', field: ['input', 'id'] })]);
    const garbled = await mutate(app, mutations.complete, 'completeWorkflowTask', { id: 'not-an-id' });
    expect(garbled.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_TASK_NOT_FOUND' })]);
    const { workflow } = await newOnboarding();
    const long = await mutate(app, mutations.complete, 'completeWorkflowTask', { id: taskTitled(workflow, 'Desk').id, note: 'x'.repeat(2001) });
    expect(long.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', field: ['input', 'note'] })]);
  });
});

describe('overdue', () => {
  it('is computed for the day: open tasks past their due date', async () => {
    const { workflow } = await newOnboarding();
    expect(workflow.progress.overdue).toBe(0);
    // Thursday 18 June: "Laptop order" (due Monday 15), "Desk" (16) and "Parking" (17) are late.
    app.clock.set('2026-06-18');
    const response = await workflowById(app, workflow.id);
    const later = response.data?.workflow;
    expect(later?.progress.overdue).toBe(3);
    expect(later?.tasks?.filter((task) => task.overdue).map((task) => task.title)).toEqual(['Laptop order', 'Desk', 'Parking']);
    await completeTask(app, taskTitled(workflow, 'Desk').id);
    expect((await workflowById(app, workflow.id)).data?.workflow?.progress.overdue).toBe(2);
    // A workflow no longer under way has nothing overdue.
    await mutate(app, mutations.cancel, 'cancelWorkflow', { id: workflow.id, reason: 'Offer withdrawn' });
    const cancelled = (await workflowById(app, workflow.id)).data?.workflow;
    expect(cancelled?.progress.overdue).toBe(0);
    expect(cancelled?.tasks?.some((task) => task.overdue)).toBe(false);
  });
});

describe('reassigning', () => {
  it('gives an open task to a person or a group (HR only), and says so in the history', async () => {
    const { workflow } = await newOnboarding();
    const accounts = taskTitled(workflow, 'Create accounts');
    const toPerson = await mutate<'task', TaskResult>(app, mutations.reassign, 'reassignWorkflowTask', { id: accounts.id, assigneeId: colleague.id, reason: 'Knows the systems' });
    expect(toPerson.userErrors).toEqual([]);
    expect(toPerson.task).toMatchObject({ assignee: { id: colleague.id }, assigneeGroup: null, assigneeKind: 'IT' });
    const asColleague = await app.as({ roles: [], email: colleague.email });
    const inbox = await app.gql<{ myWorkflowTasks: { id: string; availableActions: string[] }[] }>('{ myWorkflowTasks { id availableActions } }', undefined, asColleague);
    expect(inbox.data?.myWorkflowTasks).toEqual([{ id: accounts.id, availableActions: ['COMPLETE'] }]);
    const back = await mutate<'task', TaskResult>(app, mutations.reassign, 'reassignWorkflowTask', { id: accounts.id, group: 'HR' });
    expect(back.task).toMatchObject({ assignee: null, assigneeGroup: 'HR' });

    const both = await mutate(app, mutations.reassign, 'reassignWorkflowTask', { id: accounts.id, assigneeId: colleague.id, group: 'IT' });
    expect(both.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_VALUE' })]);
    const system = await mutate(app, mutations.reassign, 'reassignWorkflowTask', { id: accounts.id, group: 'SYSTEM' });
    expect(system.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', field: ['input', 'group'] })]);
    const nobody = await mutate(app, mutations.reassign, 'reassignWorkflowTask', { id: accounts.id, assigneeId: '00000000-0000-4000-8000-000000000004' });
    expect(nobody.userErrors).toEqual([expect.objectContaining({ code: 'EMPLOYEE_NOT_FOUND', field: ['input', 'assigneeId'] })]);
    const asLead = await app.as({ roles: ['Manager'], email: lead.email });
    const byManager = await app.gql(mutations.reassign, { input: { id: taskTitled(workflow, 'Welcome meeting').id, assigneeId: colleague.id } }, asLead);
    expect(byManager.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('availableActions', () => {
  it('tell each caller what they may do with each task', async () => {
    const { person, workflow } = await newOnboarding();
    const welcome = taskTitled(workflow, 'Welcome meeting');
    const lunch = taskTitled(workflow, 'Team lunch');
    const policies = taskTitled(workflow, 'Acknowledge policies');
    const asAdmin = await app.as({ roles: ['Admin'], email: 'admin@people.test' });
    const asLead = await app.as({ roles: ['Manager'], email: lead.email });
    const asNewcomer = await app.as({ roles: [], email: person.email });
    const actions = async (headers: Record<string, string>) => {
      const response = await workflowById(app, workflow.id, headers);
      return Object.fromEntries((response.data?.workflow?.tasks ?? []).map((task) => [task.title, task.availableActions]));
    };
    const admin = await actions(asAdmin);
    expect(admin[welcome.title]).toEqual(['COMPLETE', 'REASSIGN']);
    expect(admin[lunch.title]).toEqual(['COMPLETE', 'SKIP', 'REASSIGN']);
    const manager = await actions(asLead);
    expect(manager[welcome.title]).toEqual(['COMPLETE']);
    expect(manager[lunch.title]).toEqual(['COMPLETE', 'SKIP']);
    expect(manager[policies.title]).toEqual([]);
    const newcomer = await actions(asNewcomer);
    expect(newcomer[policies.title]).toEqual(['COMPLETE']);
    expect(newcomer[welcome.title]).toEqual([]);
  });
});

describe('concurrent completions', () => {
  it('all land, and the workflow completes once', async () => {
    const { workflow } = await newOnboarding();
    const required = (workflow.tasks ?? []).filter((task) => task.required);
    const results = await Promise.all(required.map((task) => completeTask(app, task.id)));
    expect(results.every((result) => result.task.state === 'DONE')).toBe(true);
    const after = (await workflowById(app, workflow.id)).data?.workflow;
    expect(after).toMatchObject({ state: 'COMPLETED', progress: { requiredDone: required.length } });
    const history = await app.gql<{ workflow: { history: { kind: string }[] } }>(`query($id: ID!) { workflow(id: $id) { history { kind } } }`, { id: workflow.id });
    const kinds = history.data?.workflow.history.map((change) => change.kind) ?? [];
    expect(kinds.filter((kind) => kind === 'TASK_COMPLETED')).toHaveLength(required.length);
    expect(kinds.filter((kind) => kind === 'COMPLETED')).toHaveLength(1);
    const events = await queryRows<{ count: number }>(
      app.database.db,
      sql`select count(*)::int as count from outbox_events where type = 'workflow.completed' and subject = ${`workflow:${workflow.id}`}`,
    );
    expect(events).toEqual([{ count: 1 }]);
  });

  it('of the same task: one wins, the other hears CONFLICT', async () => {
    const { workflow } = await newOnboarding();
    const desk = taskTitled(workflow, 'Desk');
    const answers = await Promise.all([1, 2].map(() => mutate(app, mutations.complete, 'completeWorkflowTask', { id: desk.id })));
    expect(answers.map((answer) => answer.userErrors.map((error) => error.code)).sort()).toEqual([[], ['CONFLICT']]);
  });
});
