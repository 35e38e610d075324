import type { Resolvers } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { Outcome } from '../shared/user-errors.js';
import { toPayload } from '../shared/user-errors.js';
import * as workflows from './workflow.service.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in the workflow service
// modules and workflow.access, so every path to a workflow obeys them.

function taskPayload(outcome: Outcome<workflows.TaskChangeResult>) {
  return outcome.ok ? { ...outcome.value, userErrors: [] } : { task: null, workflow: null, userErrors: outcome.errors };
}

const employeeOn = (ctx: RequestContext, id: string | null) => (id ? ctx.loaders.employees.byId.load({ key: id, asOf: ctx.today }) : null);

export const workflowResolvers: Resolvers = {
  Query: {
    workflow: (_root, { id }, ctx) => workflows.getWorkflow(ctx, id),
    workflows: (_root, args, ctx) => workflows.listWorkflows(ctx, args),
    myWorkflowTasks: (_root, args, ctx) => workflows.myTasks(ctx, args),
    workflowTemplates: (_root, args, ctx) => workflows.listTemplates(ctx, args),
    workflowTemplate: (_root, { id }, ctx) => workflows.getTemplate(ctx, id),
  },
  Mutation: {
    createWorkflowTemplate: async (_root, { input }, ctx) => toPayload('template', await workflows.createTemplate(ctx, input)),
    updateWorkflowTemplate: async (_root, { input }, ctx) => toPayload('template', await workflows.updateTemplate(ctx, input)),
    startOnboarding: async (_root, { input }, ctx) => toPayload('workflow', await workflows.startOnboarding(ctx, input)),
    startOffboarding: async (_root, { input }, ctx) => toPayload('workflow', await workflows.startOffboarding(ctx, input)),
    cancelWorkflow: async (_root, { input }, ctx) => toPayload('workflow', await workflows.cancelWorkflow(ctx, input)),
    completeWorkflowTask: async (_root, { input }, ctx) => taskPayload(await workflows.completeTask(ctx, input)),
    skipWorkflowTask: async (_root, { input }, ctx) => taskPayload(await workflows.skipTask(ctx, input)),
    reopenWorkflowTask: async (_root, { input }, ctx) => taskPayload(await workflows.reopenTask(ctx, input)),
    reassignWorkflowTask: async (_root, { input }, ctx) => taskPayload(await workflows.reassignTask(ctx, input)),
  },
  Employee: {
    workflows: (employee, args, ctx) => workflows.workflowsOfEmployee(ctx, employee, args),
    offboarding: (employee, _args, ctx) => workflows.offboardingOfEmployee(ctx, employee),
  },
  Workflow: {
    __resolveReference: (reference, ctx) => workflows.getWorkflow(ctx, String((reference as { id?: unknown }).id ?? '')),
    employee: (workflow, _args, ctx) => employeeOn(ctx, workflow.employeeId),
    startedBy: (workflow, _args, ctx) => workflows.hrNote(ctx, workflow, 'startedBy'),
    reason: (workflow, _args, ctx) => workflows.hrNote(ctx, workflow, 'reason'),
    leavingStatus: async (workflow, _args, ctx) => {
      const status = await workflows.hrNote(ctx, workflow, 'leavingStatus');
      return status === 'TERMINATED' || status === 'RESIGNED' ? status : null;
    },
    cancelReason: (workflow, _args, ctx) => workflows.hrNote(ctx, workflow, 'cancelReason'),
    template: (workflow, _args, ctx) => workflows.templateOf(ctx, workflow),
    tasks: (workflow, _args, ctx) => workflows.tasksOf(ctx, workflow),
    progress: (workflow, _args, ctx) => workflows.progressOfWorkflow(ctx, workflow),
    history: (workflow, _args, ctx) => workflows.historyOf(ctx, workflow),
    availableActions: (workflow, _args, ctx) => workflows.workflowActions(ctx, workflow),
    accessRevocation: (workflow, _args, ctx) => workflows.accessRevocationOf(ctx, workflow),
  },
  AccessRevocation: {
    requestedAt: (progress) => progress.createdAt,
  },
  WorkflowTask: {
    workflow: (task, _args, ctx) => workflows.workflowOfTask(ctx, task),
    assignee: (task, _args, ctx) => employeeOn(ctx, task.assigneeId),
    overdue: (task, _args, ctx) => workflows.taskOverdue(ctx, task),
    completedBy: (task, _args, ctx) => employeeOn(ctx, task.completedByEmployeeId),
    note: (task, _args, ctx) => workflows.taskNote(ctx, task),
    availableActions: (task, _args, ctx) => workflows.taskActions(ctx, task),
  },
  WorkflowChange: {
    task: (change, _args, ctx) => (change.taskId ? ctx.loaders.workflows.taskById.load(change.taskId) : null),
  },
  WorkflowConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
    totalCount: (connection) => connection.totalCount(),
  },
  WorkflowConditions: {
    departments: async (conditions, _args, ctx) =>
      present(await ctx.loaders.organisation.department.loadMany(conditions.departmentIds.map((key) => ({ key, asOf: ctx.today })))),
    locations: async (conditions, _args, ctx) => present(await ctx.loaders.organisation.location.loadMany(conditions.locationIds)),
    employmentTypes: (conditions) => conditions.employmentTypes.filter(isEmploymentType),
  },
  WorkflowTaskTemplate: {
    assignee: (task, _args, ctx) => employeeOn(ctx, task.assigneeId),
    kind: (task) => task.kind ?? 'MANUAL',
  },
};

const employmentTypes = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN', 'TEMPORARY'] as const;
type EmploymentTypeName = (typeof employmentTypes)[number];

function isEmploymentType(value: string): value is EmploymentTypeName {
  return (employmentTypes as readonly string[]).includes(value);
}

/** Rows a loader found (a department or location deleted since is left out). */
function present<T>(rows: readonly (T | null | Error)[]): T[] {
  return rows.flatMap((row) => {
    if (row instanceof Error) throw row;
    return row ? [row] : [];
  });
}
