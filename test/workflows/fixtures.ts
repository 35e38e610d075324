import { expect } from 'vitest';
import type { GraphQLResponse, TestApp } from '../support/server.js';
import { adminMutations, administer } from '../timeoff/fixtures.js';

// Templates, workflows and tasks through the public API, as HR and the portal use them.

export interface UserErrorResult {
  field: string[] | null;
  code: string;
  message: string;
}

export interface TaskTemplateInput {
  title: string;
  description?: string | null;
  assigneeKind: 'MANAGER' | 'HR' | 'IT' | 'EMPLOYEE' | 'NAMED' | 'SYSTEM';
  assigneeId?: string | null;
  dueOffsetDays: number;
  required?: boolean;
  conditions?: { departmentIds?: string[]; locationIds?: string[]; employmentTypes?: string[] } | null;
  kind?: 'MANUAL' | 'ACKNOWLEDGE_POLICIES';
}

export const taskFields = /* GraphQL */ `
  id title description assigneeKind assignee { id } assigneeGroup dueOffsetDays dueDate required state overdue
  completedAt completedBy { id } note availableActions
`;

export const workflowFields = /* GraphQL */ `
  id kind urgency anchorDay state startedVia startedAt completedAt cancelledAt
  employee { id }
  progress { total done skipped open required requiredDone overdue }
`;

export const mutations = {
  createTemplate: /* GraphQL */ `mutation($input: CreateWorkflowTemplateInput!) {
    createWorkflowTemplate(input: $input) {
      template { id kind name description active conditions { departments { id } locations { id } employmentTypes }
        tasks { title description assigneeKind assignee { id } dueOffsetDays required conditions { departments { id } locations { id } employmentTypes } }
        updatedBy }
      userErrors { field code message }
    }
  }`,
  updateTemplate: /* GraphQL */ `mutation($input: UpdateWorkflowTemplateInput!) {
    updateWorkflowTemplate(input: $input) { template { id name description active tasks { title } } userErrors { field code message } }
  }`,
  startOnboarding: /* GraphQL */ `mutation($input: StartOnboardingInput!) {
    startOnboarding(input: $input) { workflow { ${workflowFields} tasks { ${taskFields} } } userErrors { field code message } }
  }`,
  startOffboarding: /* GraphQL */ `mutation($input: StartOffboardingInput!) {
    startOffboarding(input: $input) { workflow { ${workflowFields} reason leavingStatus tasks { ${taskFields} } } userErrors { field code message } }
  }`,
  cancel: /* GraphQL */ `mutation($input: CancelWorkflowInput!) {
    cancelWorkflow(input: $input) { workflow { ${workflowFields} cancelReason } userErrors { field code message } }
  }`,
  complete: /* GraphQL */ `mutation($input: CompleteWorkflowTaskInput!) {
    completeWorkflowTask(input: $input) { task { ${taskFields} } workflow { ${workflowFields} } userErrors { field code message } }
  }`,
  skip: /* GraphQL */ `mutation($input: SkipWorkflowTaskInput!) {
    skipWorkflowTask(input: $input) { task { ${taskFields} } workflow { ${workflowFields} } userErrors { field code message } }
  }`,
  reopen: /* GraphQL */ `mutation($input: ReopenWorkflowTaskInput!) {
    reopenWorkflowTask(input: $input) { task { ${taskFields} } workflow { ${workflowFields} } userErrors { field code message } }
  }`,
  reassign: /* GraphQL */ `mutation($input: ReassignWorkflowTaskInput!) {
    reassignWorkflowTask(input: $input) { task { ${taskFields} } workflow { ${workflowFields} } userErrors { field code message } }
  }`,
} as const;

export interface TaskResult {
  id: string;
  title: string;
  assigneeKind: string;
  assignee: { id: string } | null;
  assigneeGroup: string | null;
  dueOffsetDays: number;
  dueDate: string;
  required: boolean;
  state: string;
  overdue: boolean;
  completedAt: string | null;
  completedBy: { id: string } | null;
  note: string | null;
  availableActions: string[];
}

export interface WorkflowResult {
  id: string;
  kind: string;
  urgency: string;
  anchorDay: string;
  state: string;
  startedVia: string;
  completedAt: string | null;
  cancelledAt: string | null;
  employee: { id: string } | null;
  progress: { total: number; done: number; skipped: number; open: number; required: number; requiredDone: number; overdue: number };
  tasks?: TaskResult[] | null;
  reason?: string | null;
  leavingStatus?: string | null;
  cancelReason?: string | null;
}

type Payload<K extends string, T> = { [F in K]: T | null } & { userErrors: UserErrorResult[] };

/** Runs a mutation and answers its payload (failing the test on a GraphQL error). */
export async function mutate<K extends string, T>(
  app: TestApp,
  mutation: string,
  field: string,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<Payload<K, T> & Record<string, unknown>> {
  const response: GraphQLResponse<Record<string, Payload<K, T>>> = await app.gql(mutation, { input }, headers);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = response.data?.[field];
  if (!payload) throw new Error(`${field} answered no payload`);
  return payload;
}

/** Runs a mutation that must succeed and answers the value under `key`. */
export async function succeed<T>(
  app: TestApp,
  mutation: string,
  field: string,
  key: string,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<T> {
  const payload = await mutate<string, T>(app, mutation, field, input, headers);
  expect(payload.userErrors, `${field}: ${JSON.stringify(payload.userErrors)}`).toEqual([]);
  const value = payload[key];
  if (value === null || value === undefined) throw new Error(`${field} answered no ${key}`);
  return value as T;
}

export async function createTemplate(
  app: TestApp,
  input: { kind: 'ONBOARDING' | 'OFFBOARDING'; name: string; tasks: TaskTemplateInput[]; conditions?: TaskTemplateInput['conditions']; active?: boolean },
): Promise<{ id: string }> {
  return succeed(app, mutations.createTemplate, 'createWorkflowTemplate', 'template', input);
}

export async function startOffboarding(
  app: TestApp,
  input: { employeeId: string; lastDay: string; status?: 'TERMINATED' | 'RESIGNED'; reason?: string; templateId?: string },
  headers?: Record<string, string>,
): Promise<WorkflowResult> {
  return succeed(app, mutations.startOffboarding, 'startOffboarding', 'workflow', { status: 'RESIGNED', reason: 'Moving abroad', ...input }, headers);
}

export async function completeTask(app: TestApp, id: string, headers?: Record<string, string>, note?: string): Promise<{ task: TaskResult; workflow: WorkflowResult }> {
  const payload = await mutate<'task', TaskResult>(app, mutations.complete, 'completeWorkflowTask', { id, ...(note ? { note } : {}) }, headers);
  expect(payload.userErrors, JSON.stringify(payload.userErrors)).toEqual([]);
  return { task: payload.task as TaskResult, workflow: payload.workflow as WorkflowResult };
}

/** The employee's workflows, as HR (the test Admin) sees them, newest first. */
export async function workflowsOf(app: TestApp, employeeId: string, headers?: Record<string, string>): Promise<WorkflowResult[]> {
  const response = await app.gql<{ employee: { workflows: WorkflowResult[] | null } | null }>(
    /* GraphQL */ `query($id: ID!) { employee(id: $id) { workflows { ${workflowFields} reason leavingStatus tasks { ${taskFields} } } } }`,
    { id: employeeId },
    headers,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data?.employee?.workflows ?? [];
}

export async function workflowById(app: TestApp, id: string, headers?: Record<string, string>): Promise<GraphQLResponse<{ workflow: WorkflowResult | null }>> {
  return app.gql(/* GraphQL */ `query($id: ID!) { workflow(id: $id) { ${workflowFields} tasks { ${taskFields} } } }`, { id }, headers);
}

/** A holiday calendar for a location with these holidays (full days) in one year. */
export async function holidays(app: TestApp, locationId: string, year: number, dates: string[]): Promise<void> {
  const created = await administer<{ calendar: { id: string }; userErrors: [] }>(app, adminMutations.createCalendar, 'createHolidayCalendar', {
    locationId,
    name: `Calendar ${locationId.slice(0, 8)}`,
  });
  await administer(app, adminMutations.setHolidays, 'setHolidays', {
    calendarId: created.calendar.id,
    year,
    holidays: dates.map((date, index) => ({ date, name: `Holiday ${index + 1}` })),
  });
}

export function taskTitled(workflow: { tasks?: TaskResult[] | null }, title: string): TaskResult {
  const task = workflow.tasks?.find((candidate) => candidate.title === title);
  if (!task) throw new Error(`no task "${title}" in ${JSON.stringify(workflow.tasks?.map((t) => t.title))}`);
  return task;
}
