import type { Database } from '../db/database.js';
import { completeIfDue, type Actor } from './workflow.completion.js';
import * as store from './workflow.store.js';
import type { WorkflowTaskKindValue } from './workflow.tables.js';

// Tasks People completes itself when what they wait for has happened (a task's `kind`): another
// domain that tracks it calls `completeTasksOfKind` in the transaction that records it (Legal,
// when an employee's last required policy is acknowledged). Each workflow is locked first, as a
// task change by a person locks it, and completes when its tasks are then finished.

/** Kinds of task People completes itself (every kind but MANUAL). */
export type AutomatedTaskKind = Exclude<WorkflowTaskKindValue, 'MANUAL'>;

/**
 * Completes the employee's open tasks of `kind` in their workflows under way, with a history row
 * each saying why, and the workflows whose tasks are then finished. Answers how many tasks.
 */
export async function completeTasksOfKind(
  tx: Database,
  employeeId: string,
  kind: AutomatedTaskKind,
  actor: Actor & { note: string },
): Promise<number> {
  let completed = 0;
  for (const workflow of await store.lockWorkflowsWithOpenTasks(tx, employeeId, kind)) {
    const tasks = await store.completeTasksOfKind(tx, workflow.id, kind, { completedBy: actor.recordedBy, completedAt: actor.now, note: actor.note });
    await store.insertHistory(
      tx,
      tasks.map((task) => ({
        workflowId: workflow.id,
        kind: 'TASK_COMPLETED' as const,
        taskId: task.id,
        recordedBy: actor.recordedBy,
        note: actor.note,
        changes: [{ field: 'state', before: 'OPEN', after: 'DONE' }],
      })),
    );
    completed += tasks.length;
    await completeIfDue(tx, workflow, await store.findTasksOfWorkflows(tx, [workflow.id]), actor);
  }
  return completed;
}

/** Employees with an open task of `kind` in a workflow under way: whom to look at again (Legal's sync). */
export function employeesWaitingOn(db: Database, kind: AutomatedTaskKind): Promise<string[]> {
  return store.findEmployeesWithOpenTasks(db, kind);
}
