import type { Database } from '../db/database.js';
import { findEmployeeIdentities } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import {
  defaultIdempotencyKey,
  findSystemTaskByIdempotencyKey,
  type RunningSystemTask,
  type SystemTaskFailure,
  type SystemTaskHandler,
  type SystemTaskHandlers,
  type SystemTaskOutcome,
} from '../jobs/jobs.service.js';
import type { HubAccessOutcome, HubClient } from '../peers/hub-client.js';
import { markSystemTasksDone } from '../workflows/workflow.service.js';

// The SYSTEM tasks that change a person's access in Hub: `hub.revoke_access` and
// `hub.restore_access` (payload `{ employeeId, workflowId, reason }`, see task-catalog.ts). Any
// workflow enqueues them; these handlers run them through the Hub client and record
// `access.revoked` / `access.revocation_failed` (and the restore pair) with the outcome.
//
// Never silent: without HUB_API_URL the task waits and says why; an employee with no Hub user id,
// a Hub that does not know the user (404) or refuses (4xx) fails the task, visibly, for a person
// to fix and re-drive; a Hub that is down or slow (5xx, time-out) is retried with back-off.

/** Who the workflow history names for what these tasks settle. */
const hubAccessActor = 'system:hub-access';

export const hubNotConfiguredReason =
  'HUB_API_URL is not set: People cannot reach Hub to change access. Set HUB_API_URL and HUB_INTEGRATION_KEY, then restart People.';

/** Why a Hub access task failed, as the `failure` code of its event and result. */
export const accessFailures = ['NO_HUB_USER_ID', 'EMPLOYEE_NOT_FOUND', 'HUB_USER_NOT_FOUND', 'HUB_REFUSED', 'RETRIES_EXHAUSTED'] as const;
export type AccessFailure = (typeof accessFailures)[number];

/** How long a restore waits before looking again whether its workflow's revocation has settled. */
export const restoreOrderingDelayMs = 30_000;

type AccessKind = 'hub.revoke_access' | 'hub.restore_access';
type AccessTask = RunningSystemTask<AccessKind>;

const words = {
  'hub.revoke_access': { action: 'revoke', noun: 'revocation', succeeded: 'access.revoked', failed: 'access.revocation_failed' },
  'hub.restore_access': { action: 'restore', noun: 'restoration', succeeded: 'access.restored', failed: 'access.restoration_failed' },
} as const;

function failed(failure: AccessFailure, error: string, hubStatus: number | null = null): SystemTaskOutcome {
  return { outcome: 'failed', error, result: { failure, hubStatus } };
}

/** What Hub's answer means for the task. */
function outcomeOf(kind: AccessKind, answer: HubAccessOutcome): SystemTaskOutcome {
  const { noun } = words[kind];
  switch (answer.outcome) {
    case 'done':
      return { outcome: 'succeeded', result: { hubStatus: answer.status } };
    case 'notFound':
      return failed(
        'HUB_USER_NOT_FOUND',
        `Hub does not know the employee's Hub user id (HTTP 404): correct the employee's hubUserId, then re-drive`,
        404,
      );
    case 'refused':
      return failed(
        'HUB_REFUSED',
        `Hub refused the ${noun} (HTTP ${answer.status}${answer.code ? `, ${answer.code}` : ''})${
          answer.status === 401 || answer.status === 403 ? ': check HUB_INTEGRATION_KEY' : answer.status < 400 ? ': check HUB_API_URL' : ''
        }; re-drive once fixed`,
        answer.status,
      );
    case 'retryable':
      return { outcome: 'retry', error: answer.error, ...(answer.retryAfterMs !== null ? { retryAfterMs: answer.retryAfterMs } : {}) };
  }
}

async function identityOf(db: Database, employeeId: string) {
  const [identity] = await findEmployeeIdentities(db, [employeeId]);
  return identity ?? null;
}

function failureOf(failure: SystemTaskFailure): { failure: AccessFailure; hubStatus: number | null } {
  if (failure.retriesExhausted) return { failure: 'RETRIES_EXHAUSTED', hubStatus: null };
  const code = failure.result?.failure;
  const status = failure.result?.hubStatus;
  return {
    failure: accessFailures.find((known) => known === code) ?? 'HUB_REFUSED',
    hubStatus: typeof status === 'number' ? status : null,
  };
}

function eventData(task: AccessTask) {
  return {
    employeeId: task.payload.employeeId,
    workflowId: task.payload.workflowId,
    taskId: task.id,
    reason: task.payload.reason,
    attempts: task.attempt,
  };
}

function handlerFor<K extends AccessKind>(
  kind: K,
  hub: HubClient | null,
  beforeCalling: (db: Database, task: RunningSystemTask<K>) => Promise<SystemTaskOutcome | null>,
  call: (client: HubClient, task: RunningSystemTask<K>, identity: { hubUserId: string; email: string }, signal: AbortSignal) => Promise<HubAccessOutcome>,
  afterSucceeded: (tx: Database, task: RunningSystemTask<K>) => Promise<void> = async () => {},
): SystemTaskHandler<K> {
  return {
    async run(task, { db, signal }) {
      if (!hub) return { outcome: 'waiting', reason: hubNotConfiguredReason };
      const early = await beforeCalling(db, task);
      if (early) return early;
      // Read now, not when the task was written: a link added after a failure counts at the re-drive.
      const identity = await identityOf(db, task.payload.employeeId);
      if (!identity) return failed('EMPLOYEE_NOT_FOUND', 'The employee does not exist: there is nobody to change in Hub');
      if (!identity.hubUserId) return failed('NO_HUB_USER_ID', 'The employee has no Hub user id: link one and re-drive');
      return outcomeOf(kind, await call(hub, task, { hubUserId: identity.hubUserId, email: identity.email }, signal));
    },
    async onSucceeded(tx, task) {
      await recordEvent(tx, { type: words[kind].succeeded, subject: `employee:${task.payload.employeeId}`, data: eventData(task) });
      await afterSucceeded(tx, task);
    },
    async onFailed(tx, task, failure) {
      await recordEvent(tx, {
        type: words[kind].failed,
        subject: `employee:${task.payload.employeeId}`,
        data: { ...eventData(task), ...failureOf(failure) },
      });
    },
  };
}

/**
 * The handlers of `hub.revoke_access` and `hub.restore_access`, for the runner (main.ts). `hub` is
 * null when HUB_API_URL is unset: the tasks then wait, with the reason shown.
 */
export function createHubAccessHandlers(hub: HubClient | null): Pick<SystemTaskHandlers, AccessKind> {
  return {
    'hub.revoke_access': handlerFor(
      'hub.revoke_access',
      hub,
      async () => null,
      (client, task, identity, signal) =>
        client.revokeAccess(
          { ...identity, employeeId: task.payload.employeeId, workflowId: task.payload.workflowId, reason: task.payload.reason, requestedAt: task.createdAt },
          { idempotencyKey: task.idempotencyKey, signal },
        ),
      // Hub confirmed: the offboarding's SYSTEM tasks ("revoke access") are done now, not before.
      (tx, task) => markSystemTasksDone(tx, task.payload.workflowId, hubAccessActor, new Date()),
    ),
    'hub.restore_access': handlerFor(
      'hub.restore_access',
      hub,
      // Restoring while the revocation of the same workflow may still run would let it land last.
      async (db, task) => {
        const revocationKey = defaultIdempotencyKey('hub.revoke_access', task.payload);
        const revocation = revocationKey === null ? null : await findSystemTaskByIdempotencyKey(db, revocationKey);
        if (revocation && (revocation.state === 'PENDING' || revocation.state === 'RUNNING')) {
          return {
            outcome: 'waiting',
            reason: `Waiting for the access revocation of this workflow (task ${revocation.id}, ${revocation.state}) to settle or be cancelled first`,
            retryAfterMs: restoreOrderingDelayMs,
          };
        }
        return null;
      },
      (client, task, identity, signal) =>
        client.restoreAccess(
          { hubUserId: identity.hubUserId, employeeId: task.payload.employeeId, workflowId: task.payload.workflowId, reason: task.payload.reason, requestedAt: task.createdAt },
          { idempotencyKey: task.idempotencyKey, signal },
        ),
    ),
  };
}
