import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { describeLegalFailure, type LegalClient, type LegalFailure } from '../peers/legal-client.js';
import type { Clock } from '../shared/dates.js';
import { errorCodeOf, notConfiguredMessage, type LegalIntegration } from './legal.integration.js';
import { completeWaitingPolicyTasks } from './legal.onboarding.js';
import { applyLegalStatus } from './legal.statuses.js';
import * as store from './legal.store.js';

/*
 * The sync: People's copy of Legal's active policies and acknowledgement statuses, refreshed every
 * LEGAL_SYNC_INTERVAL_MS. It is what the dashboards read, so Legal being down or misconfigured
 * shows as a stale copy with the cause, never as an empty dashboard, and a callback Legal lost is
 * healed at the next sync (the same `applyLegalStatus` as the callback).
 *
 * - One replica at a time: the sync's row is claimed with a lease (`claimSync`); a replica that
 *   finds it claimed, or not yet due, does nothing. Settling is fenced on the claim.
 * - Policies are replaced as a whole; acknowledgements are read page by page from where the last
 *   sync left off (`updatedSince`, Legal's newest `updatedAt` seen), each page applied in its
 *   own transaction with the watermark, so progress is kept if a later page fails.
 * - After a failure it tries again sooner, backing off: 5 s, 10 s, 20 s… up to the interval.
 * - Logs: one warning when Legal's state changes (a new kind of failure), one line when it
 *   recovers; nothing while it stays the same, so a Legal down all night is one line, not a storm.
 *   Not configured: one line at start, then nothing (the dashboards carry the message).
 */

export type SyncResult =
  /** `not_due_or_claimed`: the next sync is not due yet, or another replica is syncing. */
  | { ran: false; reason: 'not_configured' | 'not_due_or_claimed' }
  | { ran: true; ok: true; policies: number; acknowledgements: number }
  | { ran: true; ok: false; errorCode: string; error: string };

export interface LegalSync {
  /** Starts the background loop (nothing to do when Legal is not configured but say so once). Idempotent. */
  start(): void;
  /** Stops the loop and waits for a sync in progress to finish. */
  stop(): Promise<void>;
  /**
   * Syncs now if it is due (or `force`) and no other replica is syncing; resolves to what
   * happened. The loop calls it; so do tests.
   */
  syncNow(options?: { force?: boolean }): Promise<SyncResult>;
}

export interface LegalSyncOptions {
  db: Database;
  legal: LegalIntegration;
  clock: Clock;
  logger: Logger;
  /** How long a claim holds the sync; default 5 minutes (a sync is over in seconds). */
  leaseMs?: number;
  /** First delay after a failure, doubled per failure up to the interval; default 5 s. */
  retryBaseMs?: number;
  /** Most pages read in one sync (a guard against a cursor that never ends); default 1000. */
  maxPages?: number;
}

export function createLegalSync(options: LegalSyncOptions): LegalSync {
  const { db, legal, clock } = options;
  const logger = options.logger.child({ component: 'legal-sync' });
  const leaseMs = options.leaseMs ?? 300_000;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const maxPages = options.maxPages ?? 1_000;
  const intervalMs = legal.syncIntervalMs;

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  let started = false;

  async function pull(client: LegalClient, claim: store.SyncClaim): Promise<{ policies: number; acknowledgements: number } | LegalFailure> {
    const policies = await client.activePolicies();
    if (!policies.ok) return policies.failure;
    await db.transaction((tx) =>
      store.replaceActivePolicies(
        tx,
        policies.value.map((policy) => ({
          id: policy.id,
          title: policy.title,
          version: policy.version,
          category: policy.category,
          effectiveDate: policy.effectiveDate,
          audience: {
            all: policy.audience.all,
            departments: policy.audience.departments,
            locations: policy.audience.locations,
            employmentTypes: policy.audience.employmentTypes,
          },
          daysToAcknowledge: policy.daysToAcknowledge,
        })),
      ),
    );

    let cursor: string | null = null;
    let watermark = claim.updatedSince;
    let applied = 0;
    const seenCursors = new Set<string>();
    for (let page = 0; page < maxPages; page += 1) {
      const answer = await client.acknowledgements({ updatedSince: claim.updatedSince, cursor });
      if (!answer.ok) return answer.failure;
      const when = { today: clock.today(), now: clock.now() };
      const pageWatermark = answer.value.acknowledgements.reduce<Date | null>(
        (latest, record) => (latest === null || record.updatedAt > latest ? record.updatedAt : latest),
        watermark,
      );
      await db.transaction(async (tx) => {
        for (const record of answer.value.acknowledgements) {
          const outcome = await applyLegalStatus(
            tx,
            {
              legalAcknowledgementId: record.acknowledgementId,
              policyId: record.policyId,
              policyVersion: record.policyVersion,
              signer: record.signer,
              status: record.status,
              at: record.updatedAt,
              vaultDocumentId: record.vaultDocumentId,
            },
            'SYNC',
            when,
          );
          if (outcome.applied && outcome.changed) applied += 1;
        }
        if (pageWatermark) await store.advanceWatermark(tx, claim.token, pageWatermark);
      });
      watermark = pageWatermark;
      const next = answer.value.nextCursor;
      if (next === null) return { policies: policies.value.length, acknowledgements: applied };
      if (seenCursors.has(next)) return { kind: 'badAnswer', detail: 'nextCursor repeats a cursor already read' };
      seenCursors.add(next);
      cursor = next;
    }
    return { kind: 'badAnswer', detail: `more than ${maxPages} pages of acknowledgements` };
  }

  function backoffMs(consecutiveFailures: number): number {
    return Math.min(intervalMs, retryBaseMs * 2 ** Math.max(0, consecutiveFailures - 1));
  }

  async function syncNow(call: { force?: boolean } = {}): Promise<SyncResult> {
    const client = legal.client;
    if (!client) return { ran: false, reason: 'not_configured' };
    const claim = await store.claimSync(db, { leaseMs, force: call.force ?? false });
    if (!claim) return { ran: false, reason: 'not_due_or_claimed' };
    let outcome: { policies: number; acknowledgements: number } | LegalFailure;
    try {
      outcome = await pull(client, claim);
    } catch (error) {
      // A database error while applying: recorded like a failure so the state shows it, then retried.
      logger.error({ err: error }, 'legal sync: applying Legal\'s data failed');
      outcome = { kind: 'badAnswer', detail: 'People could not store what Legal sent (see People\'s logs)' };
    }
    if ('kind' in outcome) {
      const errorCode = errorCodeOf(outcome);
      const error = describeLegalFailure(outcome);
      await store.settleSync(db, claim.token, { ok: false, errorCode, error, nextInMs: backoffMs });
      // One line per change of state: the same failure again says nothing new.
      if (claim.previousErrorCode !== errorCode) logger.warn({ errorCode, error }, 'legal sync: Legal is not answering as it should; showing the last known statuses');
      return { ran: true, ok: false, errorCode, error };
    }
    await store.settleSync(db, claim.token, { ok: true, nextInMs: intervalMs });
    try {
      // Tasks waiting on policies that are now all acknowledged: a policy Legal withdrew, a status that came before the task.
      const completed = await completeWaitingPolicyTasks(db, { today: clock.today(), now: clock.now() });
      if (completed > 0) logger.info({ tasks: completed }, 'legal sync: onboarding tasks completed, every policy acknowledged');
    } catch (error) {
      logger.error({ err: error }, 'legal sync: completing onboarding tasks failed; tried again at the next sync');
    }
    if (claim.previousErrorCode !== null) logger.info({ previousErrorCode: claim.previousErrorCode }, 'legal sync: Legal answers again');
    return { ran: true, ok: true, ...outcome };
  }

  async function tick(): Promise<void> {
    timer = null;
    if (stopped) return;
    let waitMs = intervalMs;
    try {
      const syncing = syncNow();
      running = syncing;
      await syncing;
      const dueIn = await store.msUntilNextSync(db);
      waitMs = dueIn === null ? intervalMs : Math.min(intervalMs, Math.max(1_000, dueIn));
    } catch (error) {
      // The database itself failing (People's, not Legal's): logged by the error, tried again later.
      logger.error({ err: error }, 'legal sync: could not run');
    } finally {
      running = null;
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), waitMs);
      timer.unref();
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      if (!legal.client) {
        logger.info(notConfiguredMessage);
        return;
      }
      timer = setTimeout(() => void tick(), 0);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    syncNow,
  };
}

/** How the sync is doing, for the integration diagnostics (Admin `integrations`, /ready): the sync's row, the same on every replica. */
export async function legalOutboundStatus(
  db: Database,
  legal: LegalIntegration,
): Promise<{ configured: boolean; lastSyncAt: Date | null; lastAttemptAt: Date | null; lastError: string | null }> {
  const state = await store.findSyncState(db);
  return {
    configured: legal.client !== null,
    lastSyncAt: state?.syncedAt ?? null,
    lastAttemptAt: state?.lastAttemptAt ?? null,
    lastError: state?.lastError ?? null,
  };
}
