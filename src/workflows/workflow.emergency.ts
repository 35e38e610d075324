import { describeCaller, endSessionsOfEmployeeIn } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { checkNoReportsLeft, findEmployeesByIds, lockEmployee, setAccessSuspended, terminalStatuses } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeNotFound } from '../shared/common-errors.js';
import { userError } from '../shared/user-errors.js';
import { abort } from '../shared/write-transaction.js';
import { workingDaysFrom } from '../timeoff/timeoff.service.js';
import { enqueueRevocation } from './workflow.completion.js';
import { startOffboardingIn } from './workflow.start.js';
import * as store from './workflow.store.js';
import type { WorkflowRow, WorkflowTaskRow } from './workflow.tables.js';

// Defend's flows, as the workflow domain carries them out inside the caller's transaction (the
// Defend domain, src/defend/, decides whether to act: idempotency on the alert, the circuit
// breaker): an EMERGENCY offboarding, and an insider-threat review task for HR.

export type EmergencyAction = 'STARTED' | 'ESCALATED';

/** The title of the review task an insider-threat signal adds to an offboarding under way. */
export const insiderThreatReviewTitle = 'Review insider-threat signal';

/**
 * Starts an EMERGENCY offboarding of the employee (or makes the one under way EMERGENCY), and at
 * once suspends their People access (sessions and tokens refused, see auth) and asks Hub to
 * revoke theirs (`hub.revoke_access`, key `revoke-access:<workflowId>`: the completion later finds
 * it there). A new one needs no template choice (the matching offboarding template, or no tasks),
 * ends employment (TERMINATED) on the next working day at the employee's location, and, should
 * the employee still have reports, schedules no leaving status (the history says so: HR
 * reassigns the reports and records it): a security response is never stopped by that rule.
 * Permission checks are the caller's.
 */
export async function startEmergencyOffboarding(
  tx: Database,
  ctx: RequestContext,
  input: { employeeId: string; reason: string; field: readonly string[] },
): Promise<{ workflow: WorkflowRow; action: EmergencyAction }> {
  const field = input.field;
  if (!(await lockEmployee(tx, input.employeeId))) abort(employeeNotFound(field));
  let workflow = await store.lockActiveWorkflow(tx, input.employeeId, 'OFFBOARDING');
  let action: EmergencyAction = 'ESCALATED';
  if (workflow) {
    if (workflow.urgency !== 'EMERGENCY') {
      await store.updateWorkflow(tx, workflow.id, { urgency: 'EMERGENCY' });
      await store.insertHistory(tx, [
        {
          workflowId: workflow.id,
          kind: 'ESCALATED',
          taskId: null,
          recordedBy: describeCaller(ctx.caller),
          note: input.reason,
          changes: [{ field: 'urgency', before: workflow.urgency, after: 'EMERGENCY' }],
        },
      ]);
      workflow = { ...workflow, urgency: 'EMERGENCY' };
    }
  } else {
    const [employee] = await findEmployeesByIds(tx, [input.employeeId], ctx.today);
    const status = employee?.job?.status ?? null;
    if (!employee || status === null || terminalStatuses.includes(status)) {
      abort(
        userError(
          'EMPLOYEE_NOT_ACTIVE',
          [...field],
          'The employee is not employed today: People access already ends with their leaving status, and their completed offboarding shows its Hub revocation.',
        ),
      );
    }
    const lastDay = (await workingDaysFrom(tx, employee.job?.locationId ?? null, ctx.today, [1])).get(1);
    if (!lastDay) throw new Error('no next working day worked out');
    const reportsLeft = await checkNoReportsLeft(tx, employee.id, lastDay, ctx.today);
    workflow = await startOffboardingIn(tx, ctx, {
      employeeId: employee.id,
      lastDay,
      status: 'TERMINATED',
      reason: input.reason,
      urgency: 'EMERGENCY',
      startedVia: 'DEFEND',
      templateOptional: true,
      ...(reportsLeft.length > 0
        ? {
            withoutStatusChange: {
              note: 'No leaving status was scheduled: the employee still has reports. Reassign them, then record the leaving status with changeEmployeeStatus.',
            },
          }
        : {}),
      fields: { employee: field, lastDay: field, status: field, template: field },
    });
    action = 'STARTED';
  }
  await setAccessSuspended(tx, input.employeeId, ctx.clock.now());
  // Refused already by the suspension; ended too, so lifting it does not revive a stolen session.
  await endSessionsOfEmployeeIn(tx, input.employeeId, 'access_suspended', describeCaller(ctx.caller));
  await enqueueRevocation(tx, workflow, 'EMERGENCY_OFFBOARDING');
  return { workflow, action };
}

/**
 * Adds a required "Review insider-threat signal" task for HR to the employee's offboarding under
 * way, with its history row and `workflow.task.assigned`; null when there is none. Only those who
 * see the signal see the task (workflow.access.ts); its description names no detail of it.
 */
export async function addInsiderThreatReview(
  tx: Database,
  ctx: RequestContext,
  input: { employeeId: string; severity: string },
): Promise<{ workflow: WorkflowRow; task: WorkflowTaskRow } | null> {
  const workflow = await store.lockActiveWorkflow(tx, input.employeeId, 'OFFBOARDING');
  if (!workflow) return null;
  const tasks = await store.findTasksOfWorkflows(tx, [workflow.id]);
  const recordedBy = describeCaller(ctx.caller);
  const [task] = await store.insertTasks(tx, [
    {
      workflowId: workflow.id,
      position: Math.max(-1, ...tasks.map((existing) => existing.position)) + 1,
      title: insiderThreatReviewTitle,
      description: `Defend reported an insider-threat signal (severity ${input.severity}). An HR Manager or Admin reviews it (the employee's insiderThreatSignals) before the offboarding completes.`,
      assigneeKind: 'HR',
      assigneeId: null,
      assigneeGroup: 'HR',
      // Due at once: it was not in the template, so it counts from the day it arrived.
      dueOffsetDays: 0,
      dueDate: ctx.today,
      required: true,
      kind: 'REVIEW_INSIDER_THREAT',
    },
  ]);
  if (!task) throw new Error('the review task was not written');
  await store.insertHistory(tx, [
    {
      workflowId: workflow.id,
      kind: 'TASK_ADDED',
      taskId: task.id,
      recordedBy,
      note: 'Defend reported an insider-threat signal.',
      changes: [{ field: 'assigneeGroup', before: null, after: 'HR' }],
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
      assigneeId: null,
      assigneeGroup: 'HR',
      previousAssigneeId: null,
      previousAssigneeGroup: null,
      dueDate: task.dueDate,
    },
  });
  return { workflow, task };
}
