import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflows } from '../../src/workflows/workflow.tables.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp } from '../support/server.js';
import { completeTask, createTemplate, mutate, mutations, startOffboarding, taskTitled, type WorkflowResult } from './fixtures.js';

// The workflow cells of the README's permission matrix, through HTTP, for each kind of caller:
// HR sees and runs all; the line above the employee sees their workflows without HR's notes and
// works the tasks assigned to them; an assignee sees their tasks; the employee their onboarding,
// and of an offboarding only their own tasks; Defend the offboarding's summary; nobody else anything.

let app: TestApp;
let org: OrgBasics;
let hrPerson: CreatedEmployee;
let lead: CreatedEmployee;
let leaver: CreatedEmployee;
let newcomer: CreatedEmployee;
let colleague: CreatedEmployee;
let outsider: CreatedEmployee;
let offboarding: WorkflowResult;
let onboardingId: string;
const headers: Record<string, Record<string, string>> = {};

const fullQuery = /* GraphQL */ `query($id: ID!) {
  workflow(id: $id) {
    id kind state reason startedBy leavingStatus cancelReason template { id } history { kind }
    tasks { title note availableActions }
    progress { total }
  }
}`;

interface FullWorkflow {
  id: string;
  reason: string | null;
  tasks: { title: string; note: string | null; availableActions: string[] }[] | null;
  history: { kind: string }[] | null;
  progress: { total: number };
}

async function read(id: string, as: Record<string, string>): Promise<GraphQLResponse<{ workflow: FullWorkflow | null }>> {
  return app.gql(fullQuery, { id }, as);
}

const forbiddenPaths = (response: GraphQLResponse) =>
  (response.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => error.path?.join('.'));

async function employeeWorkflows(employeeId: string, as: Record<string, string>) {
  return app.gql<{ employee: { workflows: { id: string }[] | null; offboarding: { id: string; state: string } | null } | null }>(
    `query($id: ID!) { employee(id: $id) { workflows { id } offboarding { id state } } }`,
    { id: employeeId },
    as,
  );
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const placed = { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2024-01-08' };
  hrPerson = await hire(app, { ...placed, departmentId: org.departments.people });
  lead = await hire(app, placed);
  leaver = await hire(app, { ...placed, managerId: lead.id });
  colleague = await hire(app, { ...placed, managerId: lead.id });
  outsider = await hire(app, { ...placed, departmentId: org.departments.sales });
  await createTemplate(app, {
    kind: 'OFFBOARDING',
    name: 'Offboarding',
    tasks: [
      { title: 'Knowledge transfer', assigneeKind: 'MANAGER', dueOffsetDays: -3 },
      { title: 'Handover', assigneeKind: 'NAMED', assigneeId: colleague.id, dueOffsetDays: -2 },
      { title: 'Return laptop', assigneeKind: 'EMPLOYEE', dueOffsetDays: -1 },
      { title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -1 },
      { title: 'Disable accounts', assigneeKind: 'IT', dueOffsetDays: 0 },
    ],
  });
  await createTemplate(app, {
    kind: 'ONBOARDING',
    name: 'Onboarding',
    tasks: [
      { title: 'Welcome meeting', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
      { title: 'Acknowledge policies', assigneeKind: 'EMPLOYEE', dueOffsetDays: 1 },
    ],
  });
  newcomer = await hire(app, { ...placed, managerId: lead.id, hireDate: '2026-07-01' });
  offboarding = await startOffboarding(app, { employeeId: leaver.id, lastDay: '2026-06-30', status: 'TERMINATED', reason: 'Repeated policy breaches' });
  await completeTask(app, taskTitled(offboarding, 'Exit interview').id, undefined, 'Booked with HR');
  await completeTask(app, taskTitled(offboarding, 'Knowledge transfer').id, await app.as({ roles: ['Manager'], email: lead.email }), 'Wiki updated');
  const onboarding = await app.gql<{ employee: { workflows: { id: string }[] } }>(`query($id: ID!) { employee(id: $id) { workflows { id } } }`, { id: newcomer.id });
  onboardingId = onboarding.data?.employee.workflows[0]?.id ?? '';

  headers.hr = await app.as({ roles: ['HR Staff'], email: hrPerson.email });
  headers.lead = await app.as({ roles: ['Manager'], email: lead.email });
  headers.leaver = await app.as({ roles: [], email: leaver.email });
  headers.newcomer = await app.as({ roles: [], email: newcomer.email });
  headers.colleague = await app.as({ roles: [], email: colleague.email });
  headers.outsider = await app.as({ roles: [], email: outsider.email });
  headers.viewer = await app.as({ roles: ['Viewer'], email: outsider.email });
}, 120_000);
afterAll(() => app?.close());

describe('HR', () => {
  it('sees everything: HR notes, every task with its note, the history', async () => {
    const response = await read(offboarding.id, headers.hr!);
    expect(response.errors).toBeUndefined();
    expect(response.data?.workflow).toMatchObject({ reason: 'Repeated policy breaches', progress: { total: 5 } });
    expect(response.data?.workflow?.tasks?.map((task) => [task.title, task.note])).toEqual([
      ['Knowledge transfer', 'Wiki updated'],
      ['Handover', null],
      ['Return laptop', null],
      ['Exit interview', 'Booked with HR'],
      ['Disable accounts', null],
    ]);
    expect(response.data?.workflow?.history?.map((change) => change.kind)).toEqual(['STARTED', 'TASK_COMPLETED', 'TASK_COMPLETED']);
  });

  it('has the HR and IT groups\' tasks in the inbox', async () => {
    const inbox = await app.gql<{ myWorkflowTasks: { title: string; assigneeGroup: string | null }[] }>('{ myWorkflowTasks { title assigneeGroup } }', undefined, headers.hr);
    expect(inbox.data?.myWorkflowTasks.map((task) => task.title)).toEqual(['Disable accounts']);
  });

  it('never runs their own workflow, nor reads HR\'s notes about themself or works its HR tasks', async () => {
    const own = await app.gql(mutations.startOffboarding, { input: { employeeId: hrPerson.id, lastDay: '2026-07-31', status: 'RESIGNED', reason: 'Leaving' } }, headers.hr);
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const theirs = await startOffboarding(app, { employeeId: hrPerson.id, lastDay: '2026-07-31', reason: 'Performance concerns' });
    const response = await read(theirs.id, headers.hr!);
    expect(forbiddenPaths(response)).toEqual(expect.arrayContaining(['workflow.reason', 'workflow.history']));
    expect(response.data?.workflow?.tasks?.map((task) => task.title)).toEqual(['Return laptop']);
    const cancel = await app.gql(mutations.cancel, { input: { id: theirs.id, reason: 'Not me' } }, headers.hr);
    expect(cancel.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const exit = await mutate(app, mutations.complete, 'completeWorkflowTask', { id: taskTitled(theirs, 'Exit interview').id }, headers.hr);
    expect(exit.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_TASK_NOT_FOUND' })]);
    const inbox = await app.gql<{ myWorkflowTasks: { title: string; workflow: { id: string } }[] }>('{ myWorkflowTasks { title workflow { id } } }', undefined, headers.hr);
    expect(inbox.data?.myWorkflowTasks.filter((task) => task.workflow.id === theirs.id).map((task) => task.title)).toEqual(['Return laptop']);
  });
});

describe('the line above the employee', () => {
  it('sees the workflow and its tasks, not HR\'s notes nor others\' task notes', async () => {
    const response = await read(offboarding.id, headers.lead!);
    expect(forbiddenPaths(response).sort()).toEqual([
      'workflow.cancelReason',
      'workflow.history',
      'workflow.leavingStatus',
      'workflow.reason',
      'workflow.startedBy',
      'workflow.template',
    ]);
    expect(response.data?.workflow?.tasks?.map((task) => [task.title, task.note])).toEqual([
      ['Knowledge transfer', 'Wiki updated'],
      ['Handover', null],
      ['Return laptop', null],
      ['Exit interview', null],
      ['Disable accounts', null],
    ]);
    expect((await employeeWorkflows(leaver.id, headers.lead!)).data?.employee?.offboarding).toMatchObject({ id: offboarding.id });
  });

  it('works only the tasks assigned to them', async () => {
    const response = await read(offboarding.id, headers.lead!);
    expect(response.data?.workflow?.tasks?.map((task) => task.availableActions)).toEqual([['REOPEN'], [], [], [], []]);
    const refused = await app.gql(mutations.complete, { input: { id: taskTitled(offboarding, 'Disable accounts').id } }, headers.lead);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the employee', () => {
  it('sees their own onboarding and all its tasks, without HR\'s notes', async () => {
    const response = await read(onboardingId, headers.newcomer!);
    expect(response.data?.workflow?.tasks?.map((task) => [task.title, task.availableActions])).toEqual([
      ['Welcome meeting', []],
      ['Acknowledge policies', ['COMPLETE']],
    ]);
    expect(forbiddenPaths(response)).toContain('workflow.reason');
  });

  it('sees of their offboarding only the tasks assigned to them, never HR\'s notes', async () => {
    const response = await read(offboarding.id, headers.leaver!);
    expect(response.data?.workflow?.tasks?.map((task) => task.title)).toEqual(['Return laptop']);
    expect(forbiddenPaths(response)).toEqual(expect.arrayContaining(['workflow.reason', 'workflow.history', 'workflow.leavingStatus']));
    const own = await employeeWorkflows(leaver.id, headers.leaver!);
    expect(own.errors).toBeUndefined();
    expect(own.data?.employee?.offboarding).toMatchObject({ id: offboarding.id });
    const refused = await app.gql(mutations.complete, { input: { id: taskTitled(offboarding, 'Handover').id } }, headers.leaver);
    expect(refused.data).toMatchObject({ completeWorkflowTask: { userErrors: [{ code: 'WORKFLOW_TASK_NOT_FOUND' }] } });
    await completeTask(app, taskTitled(offboarding, 'Return laptop').id, headers.leaver);
  });

  it('never sees an emergency offboarding', async () => {
    const emergency = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, hireDate: '2024-01-08' });
    const started = await startOffboarding(app, { employeeId: emergency.id, lastDay: '2026-06-16', status: 'TERMINATED', reason: 'Insider threat' });
    await app.database.db.update(workflows).set({ urgency: 'EMERGENCY' }).where(eq(workflows.id, started.id));
    const asThem = await app.as({ roles: [], email: emergency.email });
    expect((await read(started.id, asThem)).data?.workflow).toBeNull();
    const theirs = await employeeWorkflows(emergency.id, asThem);
    expect(theirs.data?.employee?.offboarding).toBeNull();
    // Their onboarding (cancelled by the offboarding) is theirs to see; the offboarding is not.
    expect(theirs.data?.employee?.workflows?.map((workflow) => workflow.id)).not.toContain(started.id);
    const inbox = await app.gql<{ myWorkflowTasks: unknown[] }>('{ myWorkflowTasks { id } }', undefined, asThem);
    expect(inbox.data?.myWorkflowTasks).toEqual([]);
  });
});

describe('an assignee', () => {
  it('sees the workflow with their tasks only, in their inbox, and works them', async () => {
    const response = await read(offboarding.id, headers.colleague!);
    expect(response.data?.workflow?.tasks?.map((task) => [task.title, task.availableActions])).toEqual([['Handover', ['COMPLETE']]]);
    const inbox = await app.gql<{ myWorkflowTasks: { title: string; workflow: { id: string; employee: { id: string } } }[] }>(
      '{ myWorkflowTasks { title workflow { id employee { id } } } }',
      undefined,
      headers.colleague,
    );
    expect(inbox.data?.myWorkflowTasks.filter((task) => task.workflow.employee.id === leaver.id)).toEqual([
      { title: 'Handover', workflow: { id: offboarding.id, employee: { id: leaver.id } } },
    ]);
    // Not the employee's other workflows.
    const list = await employeeWorkflows(leaver.id, headers.colleague!);
    expect(forbiddenPaths(list).sort()).toEqual(['employee.offboarding', 'employee.workflows']);
    const { task } = await completeTask(app, taskTitled(offboarding, 'Handover').id, headers.colleague, 'Repos handed over');
    expect(task).toMatchObject({ state: 'DONE', completedBy: { id: colleague.id }, note: 'Repos handed over' });
  });
});

describe('everyone else', () => {
  it('a Viewer or another employee sees nothing', async () => {
    for (const as of [headers.viewer!, headers.outsider!]) {
      expect((await read(offboarding.id, as)).data?.workflow).toBeNull();
      expect(forbiddenPaths(await employeeWorkflows(leaver.id, as)).sort()).toEqual(['employee.offboarding', 'employee.workflows']);
      const list = await app.gql<{ workflows: { totalCount: number } }>('{ workflows { totalCount } }', undefined, as);
      expect(list.data?.workflows.totalCount).toBe(0);
    }
  });

  it('PSA and Legal are refused', async () => {
    for (const as of [serviceHeaders.psa, serviceHeaders.legal]) {
      const response = await read(offboarding.id, as);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const viaEntity = await app.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { offboarding { id } } } }`, {
      r: [{ __typename: 'Employee', id: leaver.id }],
    }, serviceHeaders.psa);
    expect(forbiddenPaths(viaEntity)).toEqual(['_entities.0.offboarding']);
  });

  it('Defend sees Employee.offboarding: state, urgency and dates, no tasks or notes; nothing else', async () => {
    const response = await app.gql<{ employeeByEmail: { offboarding: { id: string; state: string; urgency: string; anchorDay: string; tasks: unknown; reason: unknown } | null; workflows: unknown } }>(
      `query($email: String!) { employeeByEmail(email: $email) { offboarding { id state urgency anchorDay tasks { id } reason } workflows { id } } }`,
      { email: leaver.email },
      serviceHeaders.defend,
    );
    expect(response.data?.employeeByEmail.offboarding).toMatchObject({ id: offboarding.id, state: 'ACTIVE', urgency: 'STANDARD', anchorDay: '2026-06-30', tasks: null, reason: null });
    expect(forbiddenPaths(response).sort()).toEqual(['employeeByEmail.offboarding.reason', 'employeeByEmail.offboarding.tasks', 'employeeByEmail.workflows']);
    // An onboarding is none of Defend's business, and neither are the lists.
    expect((await read(onboardingId, serviceHeaders.defend)).data?.workflow).toBeNull();
    const list = await app.gql('{ workflows { totalCount } }', undefined, serviceHeaders.defend);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
