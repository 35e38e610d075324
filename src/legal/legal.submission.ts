import type { Database } from '../db/database.js';
import { findEmployeesByIds } from '../employees/employee.service.js';
import {
  enqueueSystemTask,
  type RunningSystemTask,
  type SystemTaskFailure,
  type SystemTaskHandler,
  type SystemTaskHandlers,
  type SystemTaskOutcome,
} from '../jobs/jobs.service.js';
import { describeLegalFailure, isTransient, type LegalClient } from '../peers/legal-client.js';
import type { Clock } from '../shared/dates.js';
import { notConfiguredMessage } from './legal.integration.js';
import { recordAcknowledgementChange } from './legal.statuses.js';
import * as store from './legal.store.js';

// The proxy of a signature to Legal: a SYSTEM task of kind `legal.submit_acknowledgement`,
// written in the transaction that records the signature (so it exists if and only if the
// signature does), run by the system-task runner: retried with back-off while Legal is down or
// slow, waiting (attempts not counted) while Legal is not configured or refuses People's key,
// and sent with the same Idempotency-Key on every attempt, so Legal records it once.
//
// The payload holds ids; the handler reads the signature (typed name, time, IP, user agent) and
// the signer's e-mail and name when it runs.

type Kind = 'legal.submit_acknowledgement';

/** Enqueues the proxy of one signature of an acknowledgement; answers the task's id. */
export async function enqueueSubmission(tx: Database, submission: { employeeId: string; acknowledgementId: string; submission: number }): Promise<string> {
  const task = await enqueueSystemTask(tx, {
    kind: 'legal.submit_acknowledgement',
    subject: `employee:${submission.employeeId}`,
    payload: submission,
  });
  return task.id;
}

/** Why a task failed for good because Legal refused the acknowledgement (not for running out of retries). */
const refusedByLegal = 'REFUSED_BY_LEGAL';

async function run(client: LegalClient | null, task: RunningSystemTask<Kind>, db: Database, signal: AbortSignal): Promise<SystemTaskOutcome> {
  if (!client) return { outcome: 'waiting', reason: notConfiguredMessage };
  const { acknowledgementId, submission } = task.payload;
  const row = await store.findAcknowledgementById(db, acknowledgementId);
  if (!row) return { outcome: 'failed', error: 'The acknowledgement no longer exists (its employee was removed): nothing to send' };
  // A later signature of the same version took over; it has its own task.
  if (row.submissions !== submission) return { outcome: 'succeeded', result: { superseded: true } };
  // Legal has already told People about it (its callback can overtake the answer to this request).
  if (row.status !== 'SUBMITTED') return { outcome: 'succeeded', result: { alreadyRecordedAs: row.status } };
  if (!row.typedName || !row.signedAt) return { outcome: 'failed', error: 'The acknowledgement holds no signature to send' };
  const [employee] = await findEmployeesByIds(db, [row.employeeId], row.signedAt.toISOString().slice(0, 10));
  const hubUserId = row.signerHubUserId ?? employee?.hubUserId ?? null;
  if (!employee || !hubUserId) return { outcome: 'failed', error: 'The signer has no Hub user id: Legal cannot record whose signature it is' };

  const answer = await client.submitAcknowledgement(
    {
      policyId: row.policyId,
      policyVersion: row.policyVersion,
      signer: { hubUserId, email: employee.email, name: `${employee.firstName} ${employee.lastName}` },
      typedName: row.typedName,
      signedAt: row.signedAt,
      ipAddress: row.signerIp,
      userAgent: row.signerUserAgent,
      reference: row.id,
    },
    { idempotencyKey: task.idempotencyKey, signal },
  );
  if (answer.ok) return { outcome: 'succeeded', result: { legalAcknowledgementId: answer.value.acknowledgementId } };
  const failure = answer.failure;
  const error = describeLegalFailure(failure);
  // A wrong key is configuration, like a missing URL: wait for the fix without spending attempts.
  if (failure.kind === 'keyRefused') return { outcome: 'waiting', reason: error };
  // An answer People cannot read may still mean Legal recorded it: the same key makes a retry safe.
  if (isTransient(failure) || failure.kind === 'badAnswer') {
    return { outcome: 'retry', error, ...(failure.kind === 'unavailable' && failure.retryAfterMs !== null ? { retryAfterMs: failure.retryAfterMs } : {}) };
  }
  return { outcome: 'failed', error, result: { failure: refusedByLegal } };
}

/** The handler of `legal.submit_acknowledgement`, for the runner (main.ts); `client` is null when Legal is not configured. */
export function createLegalTaskHandlers(options: { client: LegalClient | null; clock: Clock }): Pick<SystemTaskHandlers, Kind> {
  const handler: SystemTaskHandler<Kind> = {
    run: (task, context) => run(options.client, task, context.db, context.signal),
    async onSucceeded(tx, task, result) {
      const legalAcknowledgementId = result?.legalAcknowledgementId;
      if (typeof legalAcknowledgementId !== 'string') return;
      await store.recordLegalAcknowledgementId(tx, task.payload.acknowledgementId, task.payload.submission, legalAcknowledgementId);
    },
    async onFailed(tx, task, failure: SystemTaskFailure) {
      // Only Legal refusing it makes the signature FAILED (the employee signs again). Running out
      // of retries leaves it SUBMITTED: the task shows FAILED, and an Admin re-drives it once Legal is back.
      if (failure.retriesExhausted || failure.result?.failure !== refusedByLegal) return;
      const row = await store.findAcknowledgementById(tx, task.payload.acknowledgementId);
      if (!row || row.submissions !== task.payload.submission || row.status !== 'SUBMITTED') return;
      await store.updateAcknowledgement(tx, row.id, { status: 'FAILED' });
      await recordAcknowledgementChange(tx, row, 'FAILED', 'SUBMITTED', 'PROXY', { today: options.clock.today(), now: options.clock.now() });
    },
  };
  return { 'legal.submit_acknowledgement': handler };
}
