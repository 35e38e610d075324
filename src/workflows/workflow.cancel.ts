import { assertCallerAllowed, describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { cancelScheduledStatusChange, lockEmployee, setAccessSuspended } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { CancelWorkflowInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { checkText, fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { cancelSystemTask, defaultIdempotencyKey, enqueueSystemTask, findSystemTaskByIdempotencyKey } from '../jobs/jobs.service.js';
import { assertMayRun, assertMayRunWorkflows, workflowRules } from './workflow.access.js';
import { revocationKey } from './workflow.completion.js';
import * as store from './workflow.store.js';
import type { WorkflowKindValue, WorkflowRow } from './workflow.tables.js';
import { limits } from './workflow.validation.js';

// Cancelling a workflow under way: HR with a reason, or an offboarding replacing an onboarding.
// Cancelling an offboarding takes back its scheduled leaving status; once that has taken effect
// it cannot be cancelled (the leaver has left: finish the tasks, or rehire).

export const workflowNotFound = (field: readonly string[]) => userError('WORKFLOW_NOT_FOUND', [...field], 'No workflow has this id.');

/** Marks a workflow (its row locked) cancelled, with its history row and `workflow.cancelled`. */
async function markCancelled(
  tx: Database,
  ctx: RequestContext,
  workflow: WorkflowRow,
  reason: string,
  statusChangeCancelled: boolean,
): Promise<void> {
  await store.updateWorkflow(tx, workflow.id, { state: 'CANCELLED', cancelledAt: ctx.clock.now(), cancelReason: reason });
  const changes: { field: string; before: string | null; after: string | null }[] = [{ field: 'state', before: 'ACTIVE', after: 'CANCELLED' }];
  if (statusChangeCancelled) changes.push({ field: 'leavingStatus', before: workflow.leavingStatus, after: null });
  await store.insertHistory(tx, [
    { workflowId: workflow.id, kind: 'CANCELLED', taskId: null, recordedBy: describeCaller(ctx.caller), note: reason, changes },
  ]);
  await recordEvent(tx, {
    type: 'workflow.cancelled',
    subject: `workflow:${workflow.id}`,
    data: {
      workflowId: workflow.id,
      employeeId: workflow.employeeId,
      kind: workflow.kind,
      urgency: workflow.urgency,
      anchorDay: workflow.anchorDay,
      statusChangeCancelled,
    },
  });
}

/**
 * What cancelling an offboarding undoes beyond the workflow: its time-off cancellation (not due
 * yet) is called off; for an EMERGENCY one, the employee's People access is given back and Hub is
 * asked to restore theirs. A revocation that never reached Hub is simply called off; one that ran
 * (or may have: a time-out is in doubt) is answered by `hub.restore_access`, which waits for it
 * to settle so it always lands last.
 */
async function undoOffboarding(tx: Database, workflow: WorkflowRow): Promise<void> {
  const timeOffKey = defaultIdempotencyKey('timeoff.cancel_after_last_day', { workflowId: workflow.id });
  const timeOff = timeOffKey === null ? null : await findSystemTaskByIdempotencyKey(tx, timeOffKey);
  if (timeOff) await cancelSystemTask(tx, timeOff.id, 'OFFBOARDING_CANCELLED');
  if (workflow.urgency !== 'EMERGENCY') return;
  await setAccessSuspended(tx, workflow.employeeId, null);
  const revocation = await findSystemTaskByIdempotencyKey(tx, revocationKey(workflow.id));
  if (!revocation) return;
  const { cancelled } = await cancelSystemTask(tx, revocation.id, 'OFFBOARDING_REVERSED');
  if (cancelled && revocation.attempts === 0) return;
  await enqueueSystemTask(tx, {
    kind: 'hub.restore_access',
    subject: `workflow:${workflow.id}`,
    payload: { employeeId: workflow.employeeId, workflowId: workflow.id, reason: 'EMERGENCY_OFFBOARDING_REVERSED' },
  });
}

/** Cancels the employee's workflow of `kind` under way, if there is one (the employee's row is locked by the caller). */
export async function cancelActiveWorkflow(tx: Database, ctx: RequestContext, employeeId: string, kind: WorkflowKindValue, reason: string): Promise<void> {
  const active = await store.lockActiveWorkflow(tx, employeeId, kind);
  if (active) await markCancelled(tx, ctx, active, reason, false);
}

export async function cancelWorkflow(ctx: RequestContext, input: CancelWorkflowInput): Promise<Outcome<WorkflowRow>> {
  assertMayRunWorkflows(ctx, 'cancel workflows');
  const id = normaliseId(input.id);
  const errors: UserError[] = [];
  const reason = checkText(['input', 'reason'], input.reason, { required: true, max: limits.note }, errors);
  if (!isUuid(id)) errors.unshift(workflowNotFound(['input', 'id']));
  if (errors.length > 0 || reason === null) return fail(...errors);

  return writeTransaction(
    ctx,
    async (tx) => {
      const [found] = await store.findWorkflowsByIds(tx, [id]);
      if (!found) abort(workflowNotFound(['input', 'id']));
      await assertMayRun(ctx, found.employeeId, 'cancel workflows', tx);
      // The employee first, as every change to them: an offboarding's cancellation changes their status timeline.
      await lockEmployee(tx, found.employeeId);
      const workflow = await store.lockWorkflow(tx, id);
      if (!workflow) abort(workflowNotFound(['input', 'id']));
      if (workflow.state !== 'ACTIVE') abort(userError('CONFLICT', ['input', 'id'], `The workflow is ${workflow.state.toLowerCase()}: only one under way can be cancelled.`));
      // Reversing an emergency gives access back: for those who see Defend's signals.
      if (workflow.urgency === 'EMERGENCY') {
        assertCallerAllowed(ctx, workflowRules.emergency, 'Only an HR Manager or Admin may reverse an emergency offboarding.');
      }
      let statusChangeCancelled = false;
      if (workflow.kind === 'OFFBOARDING' && workflow.statusChangeId) {
        const cancellation = await cancelScheduledStatusChange(tx, ctx, {
          employeeId: workflow.employeeId,
          changeId: workflow.statusChangeId,
          reason: `Offboarding cancelled: ${reason}`,
          field: ['input', 'id'],
        });
        if (cancellation.outcome === 'IN_EFFECT') {
          abort(
            userError(
              'CONFLICT',
              ['input', 'id'],
              `The leaving status took effect on ${workflow.anchorDay}: the offboarding can no longer be cancelled. Finish its tasks, or rehire with changeEmployeeStatus.`,
            ),
          );
        }
        statusChangeCancelled = cancellation.outcome === 'CANCELLED';
      }
      await markCancelled(tx, ctx, workflow, reason, statusChangeCancelled);
      if (workflow.kind === 'OFFBOARDING') await undoOffboarding(tx, workflow);
      return workflow.id;
    },
    { reload: (reloadCtx, workflowId) => reloadCtx.loaders.workflows.byId.load(workflowId) },
  );
}
