import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { createBackoff, positive } from '../shared/durable/backoff.js';
import { createPostgresListener as listenOn, type NotificationListen } from '../shared/durable/notifications.js';
import { createWorkerLoop } from '../shared/durable/worker-loop.js';
import { BusPublishError, type BusClient } from './bus-client.js';
import { toEnvelope } from './envelope.js';
import {
  claimDueEvents,
  countBacklog,
  markDelivered,
  markFailed,
  msUntilNextDue,
  outboxChannel,
  type ClaimedEvent,
  type FailureOutcome,
  type OutboxBacklog,
} from './outbox.js';

/*
 * The outbox dispatcher: moves recorded events to Bus.
 *
 * Semantics: AT LEAST ONCE. Each event is claimed by one dispatcher at a time (a lease, see
 * `claimDueEvents`), published outside any transaction, then marked delivered. If a dispatcher
 * dies between the Bus accepting an event and marking it delivered, or a publish outlasts the
 * lease, the event is sent again later with the same id (and the same Idempotency-Key), so
 * consumers de-duplicate by `id`. Under normal operation (no crash, publishes within the lease)
 * no event is sent twice, however many replicas run.
 *
 * Order: per subject, in recording order. Only the earliest pending (and due) event of a subject
 * is eligible, so a failing event holds back later events of its subject until it is delivered or
 * dead. A DEAD event does not block: the rest of the subject goes on (one poisoned event must
 * not stop, say, a termination reaching Hub), and a re-driven event is delivered late, out of
 * order, which consumers tolerate by reading `occurredAt`/asking People. Events of different
 * subjects go out concurrently and in no particular relative order.
 *
 * Failures: retryable ones back off exponentially with full jitter
 * (`random(0, min(maxDelayMs, baseDelayMs * 2^(attempts-1)))`, at least any `Retry-After`) up to
 * `maxAttempts`, then the event is dead (logged at error level, listed by `listEvents`, re-driven
 * by `redriveEvent`). Permanent refusals are dead at once. Configuration refusals (401/403/404…)
 * keep the event pending without using up attempts and retry after `maxDelayMs`.
 *
 * Timeouts: a Bus that does not answer in time may still have taken the event ("in doubt"), so
 * the retry is probably a copy, which the Bus answers 409 (delivered). Waiting no longer than
 * before would make every attempt of a Bus slower than the timeout a copy, then the event dead.
 * So the timeout backs off too: attempt n waits up to `bus.timeoutMs * 2^(n-1)`, at most
 * `longestTimeoutMs`, and never less than what this dispatcher has learnt the Bus needs (twice
 * the last wait that ran out, lowered again to twice what a delivery took once the Bus is fast).
 * A slow Bus costs each event a few copies at most, and later events none.
 *
 * The loop (wake-ups, polling, graceful stop) and the back-off are the durable-queue machinery
 * of `src/jobs/`, shared with the system-task runner.
 */

/** Subscribes to outbox notifications; resolves to an unsubscribe function. */
export type OutboxListen = NotificationListen;

export interface OutboxDispatcherOptions {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Null when BUS_API_URL is not configured: nothing is delivered, events stay pending. */
  bus: BusClient | null;
  logger: Logger;
  /** Attempts before an event is dead; default 10. */
  maxAttempts?: number;
  /** First retry delay ceiling; default 1 s. */
  baseDelayMs?: number;
  /** Largest retry delay; default 5 min. */
  maxDelayMs?: number;
  /** Events claimed (and published concurrently) per round; default 20. */
  batchSize?: number;
  /**
   * Longest wait between polls: default 500 ms without `listen` (PGlite), 10 s with it (a
   * fallback for lost notifications). Scheduled retries wake the dispatcher when due regardless.
   */
  pollIntervalMs?: number;
  /** Longest wait for one answer from Bus, however many timeouts came before; default 60 s (never below the Bus timeout). */
  longestTimeoutMs?: number;
  /** How long a claim holds an event; must outlast a publish. Default max(60 s, 2 × longestTimeoutMs). */
  leaseMs?: number;
  /** NOTIFY subscription (PostgreSQL): see `createPostgresListener`. */
  listen?: OutboxListen;
  /** Source of jitter, [0, 1); tests pin it. */
  random?: () => number;
}

export interface OutboxDispatcherStatus {
  /** False when there is no Bus client (BUS_API_URL unset): events accumulate as pending. */
  busConfigured: boolean;
  running: boolean;
  /** Subscribed to NOTIFY (else it polls every pollIntervalMs). */
  listening: boolean;
  lastDeliveredAt: Date | null;
  lastFailureAt: Date | null;
  /** Short reason of the last failed attempt (HTTP status or network error code). */
  lastFailure: string | null;
  /** Failed attempts since the last delivery; a growing number means Bus is unwell. */
  consecutiveFailures: number;
  /** How long a first attempt waits for Bus now: BUS_TIMEOUT_MS, or more once Bus was slower. */
  busTimeoutMs: number | null;
}

export interface OutboxDispatcher {
  /**
   * Starts the background loop: subscribes to NOTIFY (when `listen` is given), then drains and
   * sleeps until the next event is due, a notification arrives or `pollIntervalMs` passes.
   * Without a Bus it only logs a warning. Idempotent; resolves once the loop runs.
   */
  start(): Promise<void>;
  /**
   * Stops the loop and closes the LISTEN connection; waits for the batch in flight to be
   * published and settled (at most its attempts' timeout: BUS_TIMEOUT_MS, longer while Bus is
   * slow, up to `longestTimeoutMs`). Final: a stopped dispatcher stays so.
   */
  stop(): Promise<void>;
  /**
   * Delivers what is due now, round after round (a delivered event can unblock the next of its
   * subject), attempting each event at most once. Resolves to the number delivered. For tests and
   * admin "deliver now"; safe to run beside the loop and other dispatchers.
   */
  drainOnce(): Promise<number>;
  status(): OutboxDispatcherStatus;
  /** Pending and dead counts from the database (for /ready and metrics). */
  backlog(): Promise<OutboxBacklog>;
}

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { db, bus } = options;
  const logger = options.logger.child({ component: 'outbox-dispatcher' });
  const maxAttempts = positive('maxAttempts', options.maxAttempts ?? 10);
  const maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 300_000);
  const backoff = createBackoff({ baseDelayMs: options.baseDelayMs ?? 1_000, maxDelayMs, ...(options.random ? { random: options.random } : {}) });
  const batchSize = positive('batchSize', options.batchSize ?? 20);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? (options.listen ? 10_000 : 500));
  const longestTimeoutMs = Math.max(positive('longestTimeoutMs', options.longestTimeoutMs ?? 60_000), bus?.timeoutMs ?? 0);
  const leaseMs = positive('leaseMs', options.leaseMs ?? Math.max(60_000, 2 * longestTimeoutMs));
  if (bus && leaseMs <= longestTimeoutMs) {
    throw new RangeError('leaseMs must be longer than the longest Bus timeout, or events would be sent twice');
  }

  const state: Omit<OutboxDispatcherStatus, 'running' | 'listening'> = {
    busConfigured: bus !== null,
    lastDeliveredAt: null,
    lastFailureAt: null,
    lastFailure: null,
    consecutiveFailures: 0,
    busTimeoutMs: bus?.timeoutMs ?? null,
  };

  function attemptTimeoutMs(client: BusClient, event: ClaimedEvent): number {
    const backedOff = client.timeoutMs * 2 ** Math.min(Math.max(event.attempts - 1, 0), 20);
    return Math.min(longestTimeoutMs, Math.max(backedOff, state.busTimeoutMs ?? client.timeoutMs));
  }

  /** After a wait ran out: later first attempts wait twice as long (the Bus may keep being slow). */
  function learnTimedOut(client: BusClient, waitedMs: number): void {
    const learnt = Math.min(longestTimeoutMs, 2 * waitedMs);
    if (learnt <= (state.busTimeoutMs ?? client.timeoutMs)) return;
    state.busTimeoutMs = learnt;
    logger.warn(
      { busTimeoutMs: learnt, configuredTimeoutMs: client.timeoutMs },
      'outbox: Bus is slower than its timeout; waiting longer for it (check Bus, or raise BUS_TIMEOUT_MS)',
    );
  }

  /** After a delivery: back towards BUS_TIMEOUT_MS as the Bus gets fast again. */
  function learnDelivered(client: BusClient, tookMs: number): void {
    const current = state.busTimeoutMs ?? client.timeoutMs;
    state.busTimeoutMs = Math.min(current, Math.max(client.timeoutMs, Math.ceil(2 * tookMs)));
  }

  function failureOutcome(event: ClaimedEvent, error: unknown): FailureOutcome {
    const failure =
      error instanceof BusPublishError
        ? error
        : new BusPublishError(`unexpected ${error instanceof Error ? error.name : 'error'} while publishing`, 'retryable', null);
    if (failure.kind === 'configuration') return { kind: 'postpone', delayMs: maxDelayMs, error: failure.message };
    if (failure.kind === 'permanent' || event.attempts >= maxAttempts) return { kind: 'dead', error: failure.message };
    return { kind: 'retry', delayMs: backoff(event.attempts, failure.retryAfterMs), error: failure.message };
  }

  async function deliver(client: BusClient, event: ClaimedEvent): Promise<boolean> {
    const timeoutMs = attemptTimeoutMs(client, event);
    const fields = { eventId: event.id, type: event.type, subject: event.subject, attempt: event.attempts, timeoutMs };
    const started = performance.now();
    try {
      await client.publish(toEnvelope(event), { timeoutMs });
    } catch (error) {
      const inDoubt = error instanceof BusPublishError && error.inDoubt;
      if (inDoubt) learnTimedOut(client, timeoutMs);
      const outcome = failureOutcome(event, error);
      state.lastFailureAt = new Date();
      state.lastFailure = outcome.error;
      state.consecutiveFailures += 1;
      if (!(await markFailed(db, event, outcome))) {
        // Another dispatcher re-claimed it after our lease ran out; its attempt decides.
        logger.warn({ ...fields, error: outcome.error }, 'outbox: lease lost before the failure was recorded');
      } else if (outcome.kind === 'dead') {
        logger.error(
          { ...fields, error: outcome.error, inDoubt },
          inDoubt
            ? 'outbox: event is dead (Bus never answered in time, it may have it); re-drive it once Bus is well (a copy is answered 409)'
            : 'outbox: event is dead (not delivered); re-drive it once fixed',
        );
      } else if (outcome.kind === 'postpone') {
        logger.error({ ...fields, error: outcome.error }, 'outbox: Bus refused People (check BUS_API_URL and BUS_INTEGRATION_KEY)');
      } else {
        logger.warn({ ...fields, error: outcome.error, retryInMs: outcome.delayMs }, 'outbox: delivery failed; will retry');
      }
      return false;
    }
    learnDelivered(client, performance.now() - started);
    state.lastDeliveredAt = new Date();
    state.consecutiveFailures = 0;
    if (await markDelivered(db, event)) {
      logger.debug(fields, 'outbox: event delivered');
      return true;
    }
    // Our lease ran out and another dispatcher took the event: it will be sent again (same id).
    logger.warn(fields, 'outbox: lease lost while publishing; the event may be delivered twice');
    return false;
  }

  async function drain(client: BusClient, stopping: () => boolean): Promise<number> {
    let delivered = 0;
    let dueBy: string | null = null;
    while (!stopping()) {
      const claimed = await claimDueEvents(db, { limit: batchSize, leaseMs, dueBy });
      const first = claimed[0];
      if (!first) break;
      dueBy ??= first.claimedAt;
      // allSettled: a database error settling one event must not leave the others unawaited.
      const results = await Promise.allSettled(claimed.map((event) => deliver(client, event)));
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        if (result.value) delivered += 1;
      }
    }
    return delivered;
  }

  const loop = createWorkerLoop({
    name: 'outbox',
    logger,
    // Without a Bus the loop never starts (below) and drainOnce answers 0 before reaching it.
    drain: (stopping) => (bus ? drain(bus, stopping) : Promise.resolve(0)),
    msUntilNextDue: () => msUntilNextDue(db),
    pollIntervalMs,
    channel: outboxChannel,
    kind: options.kind,
    ...(options.listen ? { listen: options.listen } : {}),
  });

  let startup: Promise<void> | null = null;

  return {
    start() {
      if (startup) return startup;
      if (!bus) {
        logger.warn('outbox: BUS_API_URL is not configured; events are recorded but not delivered');
        startup = Promise.resolve();
      } else {
        startup = loop.start().then((started) => {
          if (started) logger.info({ endpoint: bus.endpoint }, 'outbox: dispatcher started');
        });
      }
      return startup;
    },

    stop: () => loop.stop(),

    async drainOnce() {
      if (!bus) return 0;
      return loop.drainOnce();
    },

    status: () => ({ ...state, running: loop.running(), listening: loop.listening() }),

    backlog: () => countBacklog(db),
  };
}

/**
 * LISTEN on `people_outbox` over a dedicated postgres.js connection (the pool's connections are
 * shared, a listener needs its own). postgres.js reconnects and re-listens by itself; each
 * (re)subscription also wakes the dispatcher, to catch notifications lost while disconnected.
 */
export function createPostgresListener(url: string): OutboxListen {
  return listenOn(url, outboxChannel);
}
