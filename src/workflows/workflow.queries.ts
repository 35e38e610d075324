import { GraphQLError } from 'graphql';
import { callerAllowed, forbidden, isOwnRecord } from '../auth/auth.service.js';
import { terminalStatuses, type EmployeeRecord } from '../employees/employee.service.js';
import type { WorkflowAction, WorkflowFilter, WorkflowKind, WorkflowState, WorkflowTaskAction, WorkflowTaskState } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { findSystemTaskByIdempotencyKey, systemTaskProgress, type SystemTaskProgress } from '../jobs/jobs.service.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import {
  assertPerson,
  assertView,
  mayListEmployeeWorkflows,
  mayReadNote,
  taskPermissions,
  viewOf,
  tasksKnownTo,
  visibleTasks,
  workflowRules,
  type WorkflowView,
} from './workflow.access.js';
import { revocationKey } from './workflow.completion.js';
import type { WorkflowLoaders } from './workflow.loaders.js';
import { isOverdue, progressOf, type WorkflowConnectionModel, type WorkflowProgressModel } from './workflow.model.js';
import * as store from './workflow.store.js';
import type { WorkflowHistoryRow, WorkflowRow, WorkflowTaskRow, WorkflowTemplateRow } from './workflow.tables.js';
import { pageSize } from '../shared/paging.js';

// Reading workflows, each through the caller's view of it (workflow.access.ts), whichever way it
// is reached: `workflow(id)`, `workflows`, `Employee.workflows`/`offboarding`, the inbox, a task,
// or an entity reference from the gateway. Everything goes through the request's loaders.

export const maxWorkflowsPage = 100;
export const maxInboxTasks = 200;

function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

/** Views worked out in this request, by the request's workflow loaders (new after a write). */
const viewsByLoaders = new WeakMap<WorkflowLoaders, Map<string, Promise<WorkflowView | null>>>();

/** The caller's view of a workflow, worked out once per request. */
export function workflowView(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowView | null> {
  const loaders = ctx.loaders.workflows;
  let views = viewsByLoaders.get(loaders);
  if (!views) {
    views = new Map();
    viewsByLoaders.set(loaders, views);
  }
  let view = views.get(workflow.id);
  if (!view) {
    view = viewOf(ctx, workflow);
    views.set(workflow.id, view);
  }
  return view;
}

async function loadWorkflow(ctx: RequestContext, id: string): Promise<WorkflowRow | null> {
  const normalised = normaliseId(id);
  return isUuid(normalised) ? ctx.loaders.workflows.byId.load(normalised) : null;
}

/** `workflow(id)` and entity references: null when there is none or the caller may not see it. */
export async function getWorkflow(ctx: RequestContext, id: string): Promise<WorkflowRow | null> {
  if (ctx.caller.kind === 'service' && !callerAllowed(ctx, workflowRules.offboardingSummary)) {
    throw forbidden(`The ${ctx.caller.service} service key does not read workflows.`);
  }
  const workflow = await loadWorkflow(ctx, id);
  return workflow && (await workflowView(ctx, workflow)) !== null ? workflow : null;
}

/** A task and its workflow, when the caller may see the task; null otherwise (as if it did not exist). */
export async function visibleWorkflowOfTask(ctx: RequestContext, taskId: string): Promise<{ task: WorkflowTaskRow; workflow: WorkflowRow } | null> {
  const task = await ctx.loaders.workflows.taskById.load(taskId);
  const workflow = task && (await ctx.loaders.workflows.byId.load(task.workflowId));
  if (!task || !workflow) return null;
  const view = await workflowView(ctx, workflow);
  if (view === null) return null;
  const tasks = await ctx.loaders.workflows.tasks.load(workflow.id);
  return visibleTasks(ctx, view, tasks).some((visible) => visible.id === task.id) ? { task, workflow } : null;
}

// ---------------------------------------------------------------- lists

interface Cursor {
  startedAt: Date;
  id: string;
}

function encodeCursor(workflow: WorkflowRow): string {
  return Buffer.from(JSON.stringify([workflow.startedAt.toISOString(), workflow.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && isUuid(parsed[1])) {
      const startedAt = new Date(parsed[0]);
      if (!Number.isNaN(startedAt.getTime())) return { startedAt, id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput('`after` is not a cursor of this list.', 'after');
}

/** `workflows`: HR sees every one; anyone else the line below them and their own onboarding. */
export async function listWorkflows(
  ctx: RequestContext,
  args: { filter?: WorkflowFilter | null; first?: number | null; after?: string | null },
): Promise<WorkflowConnectionModel> {
  assertPerson(ctx, 'list workflows');
  const { caller } = ctx;
  const first = pageSize(args.first, { fallback: 25, min: 0, max: maxWorkflowsPage });
  const after = args.after ? decodeCursor(args.after) : null;
  let scope: store.WorkflowListCriteria['scope'] = null;
  if (!callerAllowed(ctx, workflowRules.run)) {
    const employeeId = caller.kind === 'user' ? caller.employeeId : null;
    if (employeeId === null) throw forbidden('Only HR, and employees for their own and their reports\' workflows, list workflows.');
    const below = await ctx.loaders.employees.allReportIds.load({ key: employeeId, asOf: ctx.today });
    scope = { employeeIds: below, ownOnboardingsOf: employeeId };
  }
  const filter = args.filter;
  const employeeIds = filter?.employeeIds ? filter.employeeIds.map(normaliseId).filter(isUuid) : null;
  const criteria: store.WorkflowListCriteria = {
    kinds: filter?.kinds,
    states: filter?.states,
    urgencies: filter?.urgencies,
    employeeIds,
    anchorFrom: filter?.anchorFrom,
    anchorTo: filter?.anchorTo,
    scope,
  };
  const rows = first === 0 ? [] : await store.listWorkflows(ctx.db, criteria, after, first + 1);
  const page = rows.slice(0, first);
  for (const row of page) ctx.loaders.workflows.byId.prime(row.id, row);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: () => (total ??= store.countWorkflows(ctx.db, criteria)),
  };
}

/** `myWorkflowTasks`: the caller's tasks of workflows under way (HR: the HR and IT groups' too), those they may see. */
export async function myTasks(ctx: RequestContext, args: { states?: readonly WorkflowTaskState[] | null; first?: number | null }): Promise<WorkflowTaskRow[]> {
  assertPerson(ctx, 'have workflow tasks');
  const { caller } = ctx;
  const first = pageSize(args.first, { fallback: 100, min: 0, max: maxInboxTasks });
  const employeeId = caller.kind === 'user' ? caller.employeeId : null;
  const groups = callerAllowed(ctx, workflowRules.groupInbox) ? (['HR', 'IT'] as const) : [];
  const states = args.states ?? ['OPEN'];
  if (first === 0) return [];
  const tasks = await store.findInboxTasks(ctx.db, { employeeId, groups, states, limit: first });
  const visible = await Promise.all(tasks.map(async (task) => ((await visibleWorkflowOfTask(ctx, task.id)) ? task : null)));
  return visible.filter((task): task is WorkflowTaskRow => task !== null);
}

// ---------------------------------------------------------------- an employee's workflows

/**
 * `Employee.workflows`: HR sees all, the line above the employee all (without HR's notes), the
 * employee their own (onboardings; a standard offboarding's tasks for them). Anyone else: FORBIDDEN.
 */
export async function workflowsOfEmployee(
  ctx: RequestContext,
  employee: EmployeeRecord,
  args: { kinds?: readonly WorkflowKind[] | null; states?: readonly WorkflowState[] | null },
): Promise<WorkflowRow[]> {
  await assertMaySeeEmployeeWorkflows(ctx, employee.id, 'the workflows');
  const rows = (await ctx.loaders.workflows.ofEmployee.load(employee.id)).filter(
    (row) => (!args.kinds?.length || args.kinds.includes(row.kind)) && (!args.states?.length || args.states.includes(row.state)),
  );
  const views = await Promise.all(rows.map((row) => workflowView(ctx, row)));
  return rows.filter((_row, index) => views[index] !== null);
}

/** The employee's offboarding under way, else the completed one while they have not been employed again. */
export async function offboardingOfEmployee(ctx: RequestContext, employee: EmployeeRecord): Promise<WorkflowRow | null> {
  const { caller } = ctx;
  if (!(caller.kind === 'service' && callerAllowed(ctx, workflowRules.offboardingSummary))) {
    await assertMaySeeEmployeeWorkflows(ctx, employee.id, 'the offboarding');
  }
  const offboardings = (await ctx.loaders.workflows.ofEmployee.load(employee.id)).filter((row) => row.kind === 'OFFBOARDING');
  let current = offboardings.find((row) => row.state === 'ACTIVE') ?? null;
  if (!current) {
    const completed = offboardings.find((row) => row.state === 'COMPLETED');
    if (completed) {
      const status = (await ctx.loaders.employees.jobState.load({ key: employee.id, asOf: ctx.today }))?.status ?? null;
      if (status !== null && terminalStatuses.includes(status)) current = completed;
    }
  }
  return current && (await workflowView(ctx, current)) !== null ? current : null;
}

/** HR, the line above the employee, the employee themself; nobody else (services included). */
async function assertMaySeeEmployeeWorkflows(ctx: RequestContext, employeeId: string, what: string): Promise<void> {
  if (!(await mayListEmployeeWorkflows(ctx, employeeId))) {
    throw forbidden(`You may not see ${what} of this employee: HR, the line above them and the employee do.`);
  }
}

// ---------------------------------------------------------------- fields

type HrNote = 'startedBy' | 'reason' | 'leavingStatus' | 'cancelReason';

/** HR's notes about a workflow: FORBIDDEN to every other view. */
export async function hrNote<F extends HrNote>(ctx: RequestContext, workflow: WorkflowRow, field: F): Promise<WorkflowRow[F]> {
  assertView(await workflowView(ctx, workflow), ['full'], field);
  return workflow[field];
}

/** An offboarding's Hub revocation as its SYSTEM task stands now: HR and Defend; null before People asked for one. */
export async function accessRevocationOf(ctx: RequestContext, workflow: WorkflowRow): Promise<SystemTaskProgress | null> {
  assertView(await workflowView(ctx, workflow), ['full', 'summary'], 'the access revocation');
  if (workflow.kind !== 'OFFBOARDING') return null;
  const task = await findSystemTaskByIdempotencyKey(ctx.db, revocationKey(workflow.id));
  return task ? systemTaskProgress(task) : null;
}

export async function templateOf(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowTemplateRow | null> {
  assertView(await workflowView(ctx, workflow), ['full'], 'template');
  return workflow.templateId ? ctx.loaders.workflows.template.load(workflow.templateId) : null;
}

export async function historyOf(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowHistoryRow[]> {
  assertView(await workflowView(ctx, workflow), ['full'], 'history');
  return ctx.loaders.workflows.history.load(workflow.id);
}

export async function tasksOf(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowTaskRow[]> {
  const view = await workflowView(ctx, workflow);
  assertView(view, ['full', 'team', 'assignee'], 'tasks');
  return visibleTasks(ctx, view, await ctx.loaders.workflows.tasks.load(workflow.id));
}

/**
 * Counts over every task the caller may know exists, whether or not their view lists it: how far
 * it is, not what is in it. HR's insider-threat review is left out for everyone else, so a count
 * never gives away that Defend flagged the employee.
 */
export async function progressOfWorkflow(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowProgressModel> {
  const [view, tasks] = await Promise.all([workflowView(ctx, workflow), ctx.loaders.workflows.tasks.load(workflow.id)]);
  return progressOf(workflow, tasksKnownTo(view, tasks), ctx.today);
}

export async function workflowActions(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowAction[]> {
  if (workflow.state !== 'ACTIVE' || !callerAllowed(ctx, workflowRules.run) || ctx.caller.kind === 'service') return [];
  if (workflow.urgency === 'EMERGENCY' && !callerAllowed(ctx, workflowRules.emergency)) return [];
  return (await isOwnRecord(ctx, workflow.employeeId)) ? [] : ['CANCEL'];
}

export async function workflowOfTask(ctx: RequestContext, task: WorkflowTaskRow): Promise<WorkflowRow> {
  const workflow = await ctx.loaders.workflows.byId.load(task.workflowId);
  if (!workflow) throw new Error(`workflow ${task.workflowId} of task ${task.id} is missing`);
  return workflow;
}

export async function taskNote(ctx: RequestContext, task: WorkflowTaskRow): Promise<string | null> {
  const view = await workflowView(ctx, await workflowOfTask(ctx, task));
  return view !== null && mayReadNote(ctx, view, task) ? task.note : null;
}

export async function taskOverdue(ctx: RequestContext, task: WorkflowTaskRow): Promise<boolean> {
  return isOverdue(await workflowOfTask(ctx, task), task, ctx.today);
}

export async function taskActions(ctx: RequestContext, task: WorkflowTaskRow): Promise<WorkflowTaskAction[]> {
  const workflow = await workflowOfTask(ctx, task);
  if (workflow.state !== 'ACTIVE') return [];
  const allowed = taskPermissions(ctx, task, await isOwnRecord(ctx, workflow.employeeId));
  const actions: WorkflowTaskAction[] = [];
  if (allowed.work && task.state === 'OPEN') actions.push('COMPLETE');
  if (allowed.work && task.state === 'OPEN' && !task.required) actions.push('SKIP');
  if (allowed.work && task.state !== 'OPEN') actions.push('REOPEN');
  if (allowed.reassign && task.state === 'OPEN') actions.push('REASSIGN');
  return actions;
}
