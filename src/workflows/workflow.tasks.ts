import { describeCaller, isOwnRecord } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { findEmployeesByIds, terminalStatuses } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type {
  CompleteWorkflowTaskInput,
  ReassignWorkflowTaskInput,
  ReopenWorkflowTaskInput,
  SkipWorkflowTaskInput,
} from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeLeft, employeeNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { checkText, fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { assertPerson, assertTaskPermission, taskPermissions, type TaskPermissions } from './workflow.access.js';
import { completeIfDue } from './workflow.completion.js';
import { visibleWorkflowOfTask } from './workflow.queries.js';
import * as store from './workflow.store.js';
import type { WorkflowAssigneeGroupValue, WorkflowRow, WorkflowTaskRow } from './workflow.tables.js';
import { limits } from './workflow.validation.js';

// Working a workflow's tasks: complete, skip (optional ones), reopen, reassign. Each change locks
// the workflow's row first, so concurrent changes to its tasks run one after the other: none is
// lost, and the one that finishes the tasks completes the workflow (once).

export interface TaskChangeResult {
  task: WorkflowTaskRow;
  workflow: WorkflowRow;
}

const taskNotFound = () => userError('WORKFLOW_TASK_NOT_FOUND', ['input', 'id'], 'No workflow task has this id.');
const conflict = (message: string) => userError('CONFLICT', ['input', 'id'], message);

type Change = (
  tx: Database,
  context: { workflow: WorkflowRow; task: WorkflowTaskRow; allowed: TaskPermissions; recordedBy: string },
) => Promise<void>;

/**
 * The frame of every task change: the caller must see the task (else WORKFLOW_TASK_NOT_FOUND, as
 * for an id that names nothing); under the workflow's lock, the task as it is now, the caller's
 * permission, the workflow under way; then `change`, and completion when the tasks are finished.
 */
async function changeTask(ctx: RequestContext, rawId: string, what: string, change: Change): Promise<Outcome<TaskChangeResult>> {
  assertPerson(ctx, what);
  const id = normaliseId(rawId);
  if (!isUuid(id)) return fail(taskNotFound());
  const seen = await visibleWorkflowOfTask(ctx, id);
  if (!seen) return fail(taskNotFound());
  const own = await isOwnRecord(ctx, seen.workflow.employeeId);
  const recordedBy = describeCaller(ctx.caller);

  return writeTransaction(
    ctx,
    async (tx) => {
      const workflow = await store.lockWorkflow(tx, seen.workflow.id);
      const [task] = await store.findTasksByIds(tx, [id]);
      if (!workflow || !task) abort(taskNotFound());
      const allowed = taskPermissions(ctx, task, own);
      assertTaskPermission(ctx, allowed.work || allowed.reassign, what);
      if (workflow.state !== 'ACTIVE') abort(conflict(`The workflow is ${workflow.state.toLowerCase()}: its tasks no longer change.`));
      await change(tx, { workflow, task, allowed, recordedBy });
      await completeIfDue(tx, workflow, await store.findTasksOfWorkflows(tx, [workflow.id]), { recordedBy, today: ctx.today, now: ctx.clock.now() });
      return task.id;
    },
    {
      reload: async (reloadCtx, taskId) => {
        const task = await reloadCtx.loaders.workflows.taskById.load(taskId);
        const workflow = task && (await reloadCtx.loaders.workflows.byId.load(task.workflowId));
        return task && workflow ? { task, workflow } : null;
      },
    },
  );
}

function noteOf(path: string[], value: string | null | undefined, required: boolean): { note: string | null; errors: UserError[] } {
  const errors: UserError[] = [];
  return { note: checkText(path, value, { required, max: limits.note }, errors), errors };
}

export async function completeTask(ctx: RequestContext, input: CompleteWorkflowTaskInput): Promise<Outcome<TaskChangeResult>> {
  const { note, errors } = noteOf(['input', 'note'], input.note, false);
  if (errors.length > 0) return fail(...errors);
  return changeTask(ctx, input.id, 'complete this task', async (tx, { task, allowed, recordedBy }) => {
    assertTaskPermission(ctx, allowed.work, 'complete this task');
    if (task.state !== 'OPEN') abort(conflict(`The task is ${task.state.toLowerCase()} already.`));
    await store.updateTask(tx, task.id, {
      state: 'DONE',
      completedAt: ctx.clock.now(),
      completedBy: recordedBy,
      completedByEmployeeId: ctx.caller.kind === 'user' ? ctx.caller.employeeId : null,
      note,
    });
    await store.insertHistory(tx, [
      { workflowId: task.workflowId, kind: 'TASK_COMPLETED', taskId: task.id, recordedBy, note, changes: [{ field: 'state', before: 'OPEN', after: 'DONE' }] },
    ]);
  });
}

export async function skipTask(ctx: RequestContext, input: SkipWorkflowTaskInput): Promise<Outcome<TaskChangeResult>> {
  const { note, errors } = noteOf(['input', 'reason'], input.reason, true);
  if (errors.length > 0) return fail(...errors);
  return changeTask(ctx, input.id, 'skip this task', async (tx, { task, allowed, recordedBy }) => {
    assertTaskPermission(ctx, allowed.work, 'skip this task');
    if (task.state !== 'OPEN') abort(conflict(`The task is ${task.state.toLowerCase()} already.`));
    if (task.required) abort(userError('TASK_REQUIRED', ['input', 'id'], 'The task is required: complete it (only optional tasks are skipped).'));
    await store.updateTask(tx, task.id, {
      state: 'SKIPPED',
      completedAt: ctx.clock.now(),
      completedBy: recordedBy,
      completedByEmployeeId: ctx.caller.kind === 'user' ? ctx.caller.employeeId : null,
      note,
    });
    await store.insertHistory(tx, [
      { workflowId: task.workflowId, kind: 'TASK_SKIPPED', taskId: task.id, recordedBy, note, changes: [{ field: 'state', before: 'OPEN', after: 'SKIPPED' }] },
    ]);
  });
}

export async function reopenTask(ctx: RequestContext, input: ReopenWorkflowTaskInput): Promise<Outcome<TaskChangeResult>> {
  const { note, errors } = noteOf(['input', 'reason'], input.reason, false);
  if (errors.length > 0) return fail(...errors);
  return changeTask(ctx, input.id, 'reopen this task', async (tx, { task, allowed, recordedBy }) => {
    assertTaskPermission(ctx, allowed.work, 'reopen this task');
    if (task.state === 'OPEN') abort(conflict('The task is open already.'));
    await store.updateTask(tx, task.id, { state: 'OPEN', completedAt: null, completedBy: null, completedByEmployeeId: null, note: null });
    await store.insertHistory(tx, [
      { workflowId: task.workflowId, kind: 'TASK_REOPENED', taskId: task.id, recordedBy, note, changes: [{ field: 'state', before: task.state, after: 'OPEN' }] },
    ]);
  });
}

/** How an assignee is written in history rows: the employee id, or the group. */
function assigneeText(task: { assigneeId: string | null; assigneeGroup: WorkflowAssigneeGroupValue | null }): string | null {
  return task.assigneeId ?? task.assigneeGroup;
}

export async function reassignTask(ctx: RequestContext, input: ReassignWorkflowTaskInput): Promise<Outcome<TaskChangeResult>> {
  const { note, errors } = noteOf(['input', 'reason'], input.reason, false);
  const assigneeId = input.assigneeId ? normaliseId(input.assigneeId) : null;
  const group = input.group ?? null;
  if ((assigneeId === null) === (group === null)) {
    errors.push(userError('INVALID_VALUE', ['input', 'assigneeId'], 'Give either assigneeId (a person) or group (HR or IT).'));
  } else if (group === 'SYSTEM') {
    errors.push(userError('INVALID_VALUE', ['input', 'group'], 'Only People does SYSTEM tasks: give a task to HR, IT or a person.'));
  } else if (assigneeId !== null && !isUuid(assigneeId)) {
    errors.push(employeeNotFound(['input', 'assigneeId']));
  }
  if (errors.length > 0) return fail(...errors);
  return changeTask(ctx, input.id, 'reassign this task', async (tx, { workflow, task, allowed, recordedBy }) => {
    assertTaskPermission(ctx, allowed.reassign, 'reassign this task');
    if (task.state !== 'OPEN') abort(conflict(`The task is ${task.state.toLowerCase()}: reopen it first.`));
    if (assigneeId !== null) {
      const [person] = await findEmployeesByIds(tx, [assigneeId], ctx.today);
      if (!person) abort(employeeNotFound(['input', 'assigneeId']));
      const status = person.job?.status;
      if (status && terminalStatuses.includes(status)) abort(employeeLeft(['input', 'assigneeId']));
    }
    const next = { assigneeId, assigneeGroup: group };
    if (assigneeText(next) === assigneeText(task)) return;
    await store.updateTask(tx, task.id, next);
    await store.insertHistory(tx, [
      {
        workflowId: task.workflowId,
        kind: 'TASK_REASSIGNED',
        taskId: task.id,
        recordedBy,
        note,
        changes: [{ field: 'assignee', before: assigneeText(task), after: assigneeText(next) }],
      },
    ]);
    await recordEvent(tx, {
      type: 'workflow.task.assigned',
      subject: `workflow:${workflow.id}`,
      data: {
        workflowId: workflow.id,
        taskId: task.id,
        employeeId: workflow.employeeId,
        kind: workflow.kind,
        assigneeId,
        assigneeGroup: group,
        previousAssigneeId: task.assigneeId,
        previousAssigneeGroup: task.assigneeGroup,
        dueDate: task.dueDate,
      },
    });
  });
}
