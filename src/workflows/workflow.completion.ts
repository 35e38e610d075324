import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { findEmployeesByIds } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import { enqueueSystemTask } from '../jobs/jobs.service.js';
import type { CalendarDate, Clock } from '../shared/dates.js';
import { startPeriodicCheck, type PeriodicCheck } from '../shared/periodic.js';
import { isDue } from './workflow.model.js';
import * as store from './workflow.store.js';
import type { WorkflowRow, WorkflowTaskRow } from './workflow.tables.js';

// When a workflow completes: an onboarding as soon as its required tasks are done; an offboarding
// when they are done and its last day has come. A task change checks at once (in its transaction,
// under the workflow's lock); the scheduler below completes offboardings whose last day comes
// after their tasks were done.

/** Who a change is recorded for, and when it happens (the business day, and the instant). */
export interface Actor {
  recordedBy: string;
  today: CalendarDate;
  now: Date;
}

/** The scheduler's name in history rows and task completions. */
export const schedulerActor = 'system:workflows';

/** The idempotency key of an offboarding's Hub revocation: one per workflow, whoever asks first (completion or Defend). */
export function revocationKey(workflowId: string): string {
  return `revoke-access:${workflowId}`;
}

/**
 * Asks Hub to revoke the leaver's access, as a SYSTEM task written in the caller's transaction
 * (`hub.revoke_access`, run by the task runner with retries; src/jobs/README.md). The workflow's
 * id is the idempotency key, so completing an offboarding whose emergency already asked finds the
 * task already there and sends Hub nothing more.
 */
export async function enqueueRevocation(tx: Database, workflow: Pick<WorkflowRow, 'id' | 'employeeId'>, reason: 'OFFBOARDING' | 'EMERGENCY_OFFBOARDING') {
  return enqueueSystemTask(tx, {
    kind: 'hub.revoke_access',
    subject: `workflow:${workflow.id}`,
    payload: { employeeId: workflow.employeeId, workflowId: workflow.id, reason },
  });
}

/**
 * Cancels the leaver's time off after the last day, as a SYSTEM task (`timeoff.cancel_after_last_day`,
 * key `cancel-time-off:<workflowId>`) due on the last day: written when the offboarding starts and
 * again at completion (the same task: nothing more is written). Its handler waits for the day.
 */
export async function enqueueTimeOffCancellation(tx: Database, workflow: Pick<WorkflowRow, 'id' | 'employeeId' | 'anchorDay'>) {
  return enqueueSystemTask(tx, {
    kind: 'timeoff.cancel_after_last_day',
    subject: `workflow:${workflow.id}`,
    payload: { employeeId: workflow.employeeId, workflowId: workflow.id },
    runAfter: new Date(`${workflow.anchorDay}T00:00:00.000Z`),
  });
}

/**
 * What an offboarding's completion sets off beyond the workflow itself, in the same transaction
 * (the workflow's row is locked): the Hub revocation. People already refuses a leaver's sign-in
 * from the day their status takes effect. The offboarding's SYSTEM tasks ("revoke access") stay
 * open until Hub confirms (`markSystemTasksDone`, called when the revocation succeeds).
 */
async function completeOffboarding(tx: Database, workflow: WorkflowRow): Promise<void> {
  await enqueueTimeOffCancellation(tx, workflow);
  await enqueueRevocation(tx, workflow, workflow.urgency === 'EMERGENCY' ? 'EMERGENCY_OFFBOARDING' : 'OFFBOARDING');
}

/**
 * Marks the SYSTEM tasks of an offboarding done once Hub has revoked the leaver's access (the
 * `hub.revoke_access` task's success, in the transaction that records it). A cancelled workflow
 * keeps its tasks as they were.
 */
export async function markSystemTasksDone(tx: Database, workflowId: string, recordedBy: string, now: Date): Promise<void> {
  const workflow = await store.lockWorkflow(tx, workflowId);
  if (!workflow || workflow.state === 'CANCELLED') return;
  const tasks = await store.completeSystemTasks(tx, workflow.id, recordedBy, now);
  await store.insertHistory(tx, tasks.map((task) => systemTaskDone(workflow.id, task.id, recordedBy, 'Done by People: Hub confirmed the access revocation.')));
}

function systemTaskDone(workflowId: string, taskId: string, recordedBy: string, note: string) {
  return {
    workflowId,
    kind: 'TASK_COMPLETED' as const,
    taskId,
    recordedBy,
    note,
    changes: [{ field: 'state', before: 'OPEN', after: 'DONE' }],
  };
}

/**
 * Completes a workflow under way (its row locked by the caller): SYSTEM tasks are done by People
 * now, the workflow is COMPLETED with a history row, `workflow.completed` is recorded, and an
 * offboarding sets off `completeOffboarding`.
 */
async function completeWorkflow(tx: Database, workflow: WorkflowRow, actor: Actor): Promise<void> {
  // An offboarding's SYSTEM tasks wait for Hub's confirmation (markSystemTasksDone).
  const systemTasks = workflow.kind === 'OFFBOARDING' ? [] : await store.completeSystemTasks(tx, workflow.id, actor.recordedBy, actor.now);
  await store.updateWorkflow(tx, workflow.id, { state: 'COMPLETED', completedAt: actor.now });
  await store.insertHistory(tx, [
    ...systemTasks.map((task) => systemTaskDone(workflow.id, task.id, actor.recordedBy, 'Done by People when the workflow completed.')),
    {
      workflowId: workflow.id,
      kind: 'COMPLETED',
      taskId: null,
      recordedBy: actor.recordedBy,
      note: null,
      changes: [{ field: 'state', before: 'ACTIVE', after: 'COMPLETED' }],
    },
  ]);
  const [employee] = await findEmployeesByIds(tx, [workflow.employeeId], actor.today);
  await recordEvent(tx, {
    type: 'workflow.completed',
    subject: `workflow:${workflow.id}`,
    data: {
      workflowId: workflow.id,
      employeeId: workflow.employeeId,
      hubUserId: employee?.hubUserId ?? null,
      kind: workflow.kind,
      urgency: workflow.urgency,
      anchorDay: workflow.anchorDay,
      completedOn: actor.today,
    },
  });
  if (workflow.kind === 'OFFBOARDING') await completeOffboarding(tx, workflow);
}

/**
 * Completes the workflow when it is due (see `isDue`); the caller holds its lock and passes its
 * tasks as they are now. Returns whether it completed.
 */
export async function completeIfDue(tx: Database, workflow: WorkflowRow, tasks: readonly WorkflowTaskRow[], actor: Actor): Promise<boolean> {
  if (workflow.state !== 'ACTIVE' || !isDue(workflow, tasks, actor.today)) return false;
  await completeWorkflow(tx, workflow, actor);
  return true;
}

/** Completes every offboarding whose last day has come by today and whose tasks are done, in batches; returns how many. */
export async function runWorkflowCheck(options: { db: Database; clock: Clock; logger: Logger; batchSize?: number }): Promise<number> {
  let total = 0;
  for (;;) {
    const today = options.clock.today();
    const completed = await options.db.transaction(async (tx) => {
      const due = await store.claimDueOffboardings(tx, today, options.batchSize ?? 100);
      for (const workflow of due) await completeWorkflow(tx, workflow, { recordedBy: schedulerActor, today, now: options.clock.now() });
      return due.length;
    });
    total += completed;
    if (completed === 0) break;
  }
  if (total > 0) options.logger.info({ workflows: total }, 'offboardings completed: last day reached and tasks done');
  return total;
}

/**
 * Completes due offboardings now and every `intervalMs` (LIFECYCLE_CHECK_INTERVAL_MS, beside the
 * lifecycle events). Safe with several replicas: workflows are claimed with SKIP LOCKED.
 */
export function startWorkflowScheduler(options: { db: Database; clock: Clock; logger: Logger; intervalMs: number }): PeriodicCheck {
  return startPeriodicCheck({
    intervalMs: options.intervalMs,
    logger: options.logger,
    failureMessage: 'workflow check failed; retrying at the next tick',
    run: () => runWorkflowCheck(options),
  });
}
