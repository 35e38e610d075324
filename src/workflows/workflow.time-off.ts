import type { Database } from '../db/database.js';
import type { SystemTaskHandler, SystemTaskHandlers } from '../jobs/jobs.service.js';
import type { Clock } from '../shared/dates.js';
import { cancelTimeOffAfterLastDay } from '../timeoff/timeoff.service.js';
import { schedulerActor } from './workflow.completion.js';
import * as store from './workflow.store.js';

// The SYSTEM task `timeoff.cancel_after_last_day`: when an offboarding's last day has come (it is
// written at the start, due that day, and again at completion: one task per workflow), the
// leaver's pending and approved time off that starts after the last day is cancelled through time
// off's own cancel path, and the workflow's history records which requests. A cancelled
// offboarding cancels nothing. Requests that straddle the last day are left for HR, and named.

/** How long to wait before looking again whether the last day has come (at most). */
const lastDayPollMs = 60 * 60_000;

type Kind = 'timeoff.cancel_after_last_day';

async function cancelAfterLastDay(db: Database, workflowId: string, today: string) {
  return db.transaction(async (tx) => {
    const workflow = await store.lockWorkflow(tx, workflowId);
    if (!workflow) return { skipped: 'WORKFLOW_NOT_FOUND' as const };
    if (workflow.state === 'CANCELLED') return { skipped: 'WORKFLOW_CANCELLED' as const };
    if (workflow.anchorDay > today) return { waitUntil: workflow.anchorDay };
    const done = await cancelTimeOffAfterLastDay(tx, {
      employeeId: workflow.employeeId,
      lastDay: workflow.anchorDay,
      decidedBy: schedulerActor,
      comment: `Cancelled by People: the employee's last day is ${workflow.anchorDay}.`,
    });
    if (done.cancelled.length > 0 || done.straddling.length > 0) {
      const parts = [`Cancelled ${done.cancelled.length} time-off request(s) after the last day${done.cancelled.length > 0 ? `: ${done.cancelled.join(', ')}` : ''}.`];
      if (done.straddling.length > 0) parts.push(`Left for HR, as they start on or before the last day and end after it: ${done.straddling.join(', ')}.`);
      await store.insertHistory(tx, [
        {
          workflowId: workflow.id,
          kind: 'TIME_OFF_CANCELLED',
          taskId: null,
          recordedBy: schedulerActor,
          note: parts.join(' '),
          changes: done.cancelled.map((id) => ({ field: 'timeOffRequest', before: id, after: 'CANCELLED' })),
        },
      ]);
    }
    return { lastDay: workflow.anchorDay, ...done };
  });
}

/** The handler of `timeoff.cancel_after_last_day`, for the runner (main.ts); `clock` says when the last day has come. */
export function createWorkflowTaskHandlers(options: { clock: Pick<Clock, 'today' | 'now'> }): Pick<SystemTaskHandlers, Kind> {
  const handler: SystemTaskHandler<Kind> = {
    async run(task, { db }) {
      const today = options.clock.today();
      const outcome = await cancelAfterLastDay(db, task.payload.workflowId, today);
      if ('waitUntil' in outcome) {
        const dueAt = Date.parse(`${outcome.waitUntil}T00:00:00.000Z`) - options.clock.now().getTime();
        return {
          outcome: 'waiting',
          reason: `Waiting for the employee's last day (${outcome.waitUntil})`,
          retryAfterMs: Math.min(lastDayPollMs, Math.max(60_000, dueAt)),
        };
      }
      if ('skipped' in outcome) return { outcome: 'succeeded', result: { skipped: outcome.skipped, cancelledRequestIds: [] } };
      return {
        outcome: 'succeeded',
        result: { lastDay: outcome.lastDay, cancelledRequestIds: outcome.cancelled, straddlingRequestIds: outcome.straddling },
      };
    },
  };
  return { 'timeoff.cancel_after_last_day': handler };
}
