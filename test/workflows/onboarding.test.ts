import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import {
  completeTask,
  createTemplate,
  holidays,
  mutate,
  mutations,
  succeed,
  taskTitled,
  workflowsOf,
  type TaskTemplateInput,
  type WorkflowResult,
} from './fixtures.js';

// Templates are data; createEmployee starts onboarding from the one that matches, with the tasks
// whose conditions the new employee meets, each assigned and due on a working day of their location.

let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let buddy: CreatedEmployee;
let companyTemplate: { id: string };

// Monday 6 July 2026; Berlin is off on Friday 3 and Tuesday 7 July, New York on neither.
const startDate = '2026-07-06';

function companyTasks(): TaskTemplateInput[] {
  return [
    { title: 'Create accounts', assigneeKind: 'IT', dueOffsetDays: -3 },
    { title: 'Prepare laptop', assigneeKind: 'IT', dueOffsetDays: -1, conditions: { employmentTypes: ['FULL_TIME', 'PART_TIME', 'INTERN', 'TEMPORARY'] } },
    { title: 'Welcome meeting', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
    { title: 'Office badge', assigneeKind: 'HR', dueOffsetDays: 1, conditions: { locationIds: [org.locations.berlin] } },
    { title: 'Engineering setup', assigneeKind: 'NAMED', assigneeId: buddy.id, dueOffsetDays: 2, conditions: { departmentIds: [org.departments.engineering] } },
    { title: 'Acknowledge policies', assigneeKind: 'EMPLOYEE', dueOffsetDays: 3 },
    { title: 'Directory groups', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
    { title: 'First-week check-in', assigneeKind: 'MANAGER', dueOffsetDays: 5, required: false },
  ];
}

function tasksByTitle(workflow: WorkflowResult) {
  return Object.fromEntries(
    (workflow.tasks ?? []).map((task) => [task.title, { assignee: task.assignee?.id ?? task.assigneeGroup, dueDate: task.dueDate, required: task.required }]),
  );
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
  buddy = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id });
  await holidays(app, org.locations.berlin, 2026, ['2026-07-03', '2026-07-07']);
});
afterAll(() => app?.close());

describe('without a template', () => {
  it('hiring starts nothing, and startOnboarding says no template applies', async () => {
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: startDate });
    expect(await workflowsOf(app, person.id)).toEqual([]);
    const refused = await mutate(app, mutations.startOnboarding, 'startOnboarding', { employeeId: person.id });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_TEMPLATE_NOT_FOUND', field: ['input', 'employeeId'] })]);
  });
});

describe('templates', () => {
  it('are created by HR Managers and Admins with their tasks and conditions', async () => {
    const asHrManager = await app.as({ roles: ['HR Manager'], email: 'hr.manager@people.test' });
    type CreatedTemplate = {
      id: string;
      tasks: { title: string; assignee: { id: string } | null; conditions: { locations: { id: string }[]; employmentTypes: string[] } }[];
    };
    const created = await succeed<CreatedTemplate>(
      app,
      mutations.createTemplate,
      'createWorkflowTemplate',
      'template',
      { kind: 'ONBOARDING', name: 'Company onboarding', tasks: companyTasks() },
      asHrManager,
    );
    companyTemplate = created;
    expect(created.tasks.map((task) => task.title)).toEqual(companyTasks().map((task) => task.title));
    expect(created.tasks.find((task) => task.title === 'Engineering setup')?.assignee).toEqual({ id: buddy.id });
    expect(created.tasks.find((task) => task.title === 'Office badge')?.conditions.locations).toEqual([{ id: org.locations.berlin }]);
  });

  it('refuse bad input with typed errors at its path', async () => {
    const payload = await mutate(app, mutations.createTemplate, 'createWorkflowTemplate', {
      kind: 'ONBOARDING',
      name: '  ',
      tasks: [
        { title: 'Named without anyone', assigneeKind: 'NAMED', dueOffsetDays: 0 },
        { title: 'Manager with an id', assigneeKind: 'MANAGER', assigneeId: buddy.id, dueOffsetDays: 0 },
        { title: 'Too far', assigneeKind: 'HR', dueOffsetDays: 400 },
        { title: '', assigneeKind: 'HR', dueOffsetDays: 0, conditions: { departmentIds: ['00000000-0000-4000-8000-000000000000'] } },
      ],
    });
    expect(payload.userErrors.map((error) => [error.code, error.field?.join('.')])).toEqual([
      ['REQUIRED', 'input.name'],
      ['REQUIRED', 'input.tasks.0.assigneeId'],
      ['INVALID_VALUE', 'input.tasks.1.assigneeId'],
      ['INVALID_VALUE', 'input.tasks.2.dueOffsetDays'],
      ['REQUIRED', 'input.tasks.3.title'],
    ]);
    const unknown = await mutate(app, mutations.createTemplate, 'createWorkflowTemplate', {
      kind: 'ONBOARDING',
      name: 'Unknown references',
      tasks: [{ title: 'Somewhere', assigneeKind: 'HR', dueOffsetDays: 0, conditions: { departmentIds: ['00000000-0000-4000-8000-000000000000'] } }],
    });
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'DEPARTMENT_NOT_FOUND', field: ['input', 'tasks', '0', 'conditions', 'departmentIds', '0'] })]);
  });

  it('have unique names within a kind, case-insensitively', async () => {
    const duplicate = await mutate(app, mutations.createTemplate, 'createWorkflowTemplate', { kind: 'ONBOARDING', name: 'COMPANY onboarding', tasks: [] });
    expect(duplicate.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_WORKFLOW_TEMPLATE', field: ['input', 'name'] })]);
    // The same name for the other kind is another template.
    const offboarding = await createTemplate(app, { kind: 'OFFBOARDING', name: 'Company onboarding', active: false, tasks: [] });
    const renamed = await succeed<{ name: string; active: boolean }>(app, mutations.updateTemplate, 'updateWorkflowTemplate', 'template', {
      id: offboarding.id,
      name: 'Misnamed offboarding',
    });
    expect(renamed).toMatchObject({ name: 'Misnamed offboarding', active: false });
  });

  it('are changed by HR Managers and Admins only; HR Staff read them', async () => {
    const asStaff = await app.as({ roles: ['HR Staff'], email: 'hr.staff@people.test' });
    const refused = await app.gql(mutations.updateTemplate, { input: { id: companyTemplate.id, name: 'Mine now' } }, asStaff);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await app.gql<{ workflowTemplates: { name: string }[] }>('{ workflowTemplates(kind: ONBOARDING) { name } }', undefined, asStaff);
    expect(read.data?.workflowTemplates.map((template) => template.name)).toEqual(['Company onboarding']);
    const asManager = await app.as({ roles: ['Manager'], email: lead.email });
    const hidden = await app.gql('{ workflowTemplates { name } }', undefined, asManager);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('createEmployee', () => {
  it('starts onboarding with the tasks that apply, their assignees and due dates on Berlin working days', async () => {
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      managerId: lead.id,
      hireDate: startDate,
    });
    const [onboarding] = await workflowsOf(app, person.id);
    if (!onboarding) throw new Error('no onboarding');
    expect(onboarding).toMatchObject({ kind: 'ONBOARDING', urgency: 'STANDARD', state: 'ACTIVE', anchorDay: startDate, startedVia: 'HIRE' });
    expect(tasksByTitle(onboarding)).toEqual({
      // Three working days before Monday 6 July: Thursday 2, Wednesday 1, Tuesday 30 June (Friday 3 is a holiday).
      'Create accounts': { assignee: 'IT', dueDate: '2026-06-30', required: true },
      'Prepare laptop': { assignee: 'IT', dueDate: '2026-07-02', required: true },
      'Welcome meeting': { assignee: lead.id, dueDate: '2026-07-06', required: true },
      // Tuesday 7 July is a holiday.
      'Office badge': { assignee: 'HR', dueDate: '2026-07-08', required: true },
      'Engineering setup': { assignee: buddy.id, dueDate: '2026-07-09', required: true },
      'Acknowledge policies': { assignee: person.id, dueDate: '2026-07-10', required: true },
      'Directory groups': { assignee: 'SYSTEM', dueDate: '2026-07-06', required: true },
      'First-week check-in': { assignee: lead.id, dueDate: '2026-07-14', required: false },
    });
    // SYSTEM tasks are People's: not counted among the required tasks people do.
    expect(onboarding.progress).toEqual({ total: 8, done: 0, skipped: 0, open: 8, required: 6, requiredDone: 0, overdue: 0 });
  });

  it('leaves out the tasks whose conditions the employee does not meet, and counts New York working days', async () => {
    const contractor = await hire(app, {
      departmentId: org.departments.sales,
      locationId: org.locations.newYork,
      employmentType: 'CONTRACTOR',
      managerId: lead.id,
      hireDate: startDate,
    });
    const [onboarding] = await workflowsOf(app, contractor.id);
    expect(onboarding && tasksByTitle(onboarding)).toEqual({
      'Create accounts': { assignee: 'IT', dueDate: '2026-07-01', required: true },
      'Welcome meeting': { assignee: lead.id, dueDate: '2026-07-06', required: true },
      'Acknowledge policies': { assignee: contractor.id, dueDate: '2026-07-09', required: true },
      'Directory groups': { assignee: 'SYSTEM', dueDate: '2026-07-06', required: true },
      'First-week check-in': { assignee: lead.id, dueDate: '2026-07-13', required: false },
    });
  });

  it('gives a manager task to HR when there is no manager, and says so in the history', async () => {
    const person = await hire(app, { departmentId: org.departments.people, locationId: org.locations.newYork, hireDate: startDate });
    const response = await app.gql<{ employee: { workflows: { tasks: { title: string; assigneeGroup: string | null }[]; history: { kind: string; note: string | null }[] }[] } }>(
      `query($id: ID!) { employee(id: $id) { workflows { tasks { title assigneeGroup } history { kind note } } } }`,
      { id: person.id },
    );
    const [onboarding] = response.data?.employee.workflows ?? [];
    expect(onboarding?.tasks.find((task) => task.title === 'Welcome meeting')?.assigneeGroup).toBe('HR');
    expect(onboarding?.history[0]).toMatchObject({ kind: 'STARTED' });
    expect(onboarding?.history[0]?.note).toContain('"Welcome meeting" went to HR: the employee has no manager.');
  });

  it('uses the most specific matching template', async () => {
    await createTemplate(app, {
      kind: 'ONBOARDING',
      name: 'Contractor onboarding',
      conditions: { employmentTypes: ['CONTRACTOR'] },
      tasks: [{ title: 'Contractor agreement', assigneeKind: 'HR', dueOffsetDays: -1 }],
    });
    const contractor = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, employmentType: 'CONTRACTOR', hireDate: startDate });
    const employee = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: startDate });
    expect((await workflowsOf(app, contractor.id))[0]?.tasks?.map((task) => task.title)).toEqual(['Contractor agreement']);
    expect((await workflowsOf(app, employee.id))[0]?.tasks?.map((task) => task.title)).toContain('Welcome meeting');
  });
});

describe('completing an onboarding', () => {
  it('completes once every required task is done; People does its SYSTEM tasks then; an optional one may stay open', async () => {
    const person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id, hireDate: startDate });
    const [onboarding] = await workflowsOf(app, person.id);
    if (!onboarding?.tasks) throw new Error('no onboarding');
    const required = onboarding.tasks.filter((task) => task.required && task.assigneeGroup !== 'SYSTEM');
    let last: WorkflowResult | undefined;
    for (const task of required) {
      expect(last?.state ?? 'ACTIVE').toBe('ACTIVE');
      last = (await completeTask(app, task.id)).workflow;
    }
    expect(last).toMatchObject({ state: 'COMPLETED', progress: { required: 6, requiredDone: 6, open: 1 } });
    const [completed] = await workflowsOf(app, person.id);
    if (!completed) throw new Error('gone');
    expect(taskTitled(completed, 'Directory groups')).toMatchObject({ state: 'DONE' });
    expect(taskTitled(completed, 'First-week check-in')).toMatchObject({ state: 'OPEN', availableActions: [] });
    const late = await mutate(app, mutations.complete, 'completeWorkflowTask', { id: taskTitled(completed, 'First-week check-in').id });
    expect(late.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
  });
});

describe('startOnboarding', () => {
  it('starts one for someone hired before the template existed (a rehire names its start date), once', async () => {
    const earlier = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, hireDate: '2026-06-01' });
    // Hired after the template: already onboarding.
    const again = await mutate(app, mutations.startOnboarding, 'startOnboarding', { employeeId: earlier.id });
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'WORKFLOW_ALREADY_ACTIVE', field: ['input', 'employeeId'] })]);

    const [first] = await workflowsOf(app, earlier.id);
    if (!first) throw new Error('no onboarding');
    await succeed(app, mutations.cancel, 'cancelWorkflow', 'workflow', { id: first.id, reason: 'Started over' });
    const restarted = await succeed<WorkflowResult>(app, mutations.startOnboarding, 'startOnboarding', 'workflow', {
      employeeId: earlier.id,
      startDate: startDate,
      reason: 'Returning from a career break',
    });
    expect(restarted).toMatchObject({ kind: 'ONBOARDING', state: 'ACTIVE', anchorDay: startDate, startedVia: 'HR' });
    expect((await workflowsOf(app, earlier.id)).map((workflow) => workflow.state)).toEqual(['ACTIVE', 'CANCELLED']);
  });

  it('refuses a template of the other kind, an unknown employee, and a start date when the employee has left', async () => {
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, hireDate: '2025-01-06' });
    const offboardingTemplate = await createTemplate(app, { kind: 'OFFBOARDING', name: 'Wrong kind', tasks: [] });
    const wrongKind = await mutate(app, mutations.startOnboarding, 'startOnboarding', { employeeId: person.id, templateId: offboardingTemplate.id });
    expect(wrongKind.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', field: ['input', 'templateId'] })]);
    const unknown = await mutate(app, mutations.startOnboarding, 'startOnboarding', { employeeId: '00000000-0000-4000-8000-000000000001' });
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'EMPLOYEE_NOT_FOUND', field: ['input', 'employeeId'] })]);
    const left = await app.gql(`mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code } } }`, {
      input: { id: person.id, status: 'TERMINATED', effectiveDate: '2026-06-01' },
    });
    expect(left.errors).toBeUndefined();
    const afterLeaving = await mutate(app, mutations.startOnboarding, 'startOnboarding', { employeeId: person.id, startDate: '2026-06-10' });
    expect(afterLeaving.userErrors).toEqual([expect.objectContaining({ code: 'EMPLOYEE_NOT_ACTIVE', field: ['input', 'startDate'] })]);
  });

  it('keeps the tasks it was started with when the template changes later', async () => {
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, managerId: lead.id, hireDate: startDate });
    await succeed(app, mutations.updateTemplate, 'updateWorkflowTemplate', 'template', {
      id: companyTemplate.id,
      tasks: [{ title: 'Only this now', assigneeKind: 'HR', dueOffsetDays: 0 }],
    });
    const [onboarding] = await workflowsOf(app, person.id);
    expect(onboarding?.tasks?.map((task) => task.title)).toContain('Welcome meeting');
    const later = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin, hireDate: startDate });
    expect((await workflowsOf(app, later.id))[0]?.tasks?.map((task) => task.title)).toEqual(['Only this now']);
    await succeed(app, mutations.updateTemplate, 'updateWorkflowTemplate', 'template', { id: companyTemplate.id, tasks: companyTasks() });
  });
});
