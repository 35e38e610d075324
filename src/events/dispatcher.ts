import type { Logger } from 'pino';
import postgres from 'postgres';
import type { Database } from '../db/database.js';
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
 */

/** Subscribes to outbox notifications; resolves to an unsubscribe function. */
export type OutboxListen = (onNotify: () => void) => Promise<() => Promise<void>>;

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

const minimumWaitMs = 20;

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { db, bus, listen } = options;
  const logger = options.logger.child({ component: 'outbox-dispatcher' });
  const maxAttempts = positive('maxAttempts', options.maxAttempts ?? 10);
  const baseDelayMs = positive('baseDelayMs', options.baseDelayMs ?? 1_000);
  const maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 300_000);
  const batchSize = positive('batchSize', options.batchSize ?? 20);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? (listen ? 10_000 : 500));
  const longestTimeoutMs = Math.max(positive('longestTimeoutMs', options.longestTimeoutMs ?? 60_000), bus?.timeoutMs ?? 0);
  const leaseMs = positive('leaseMs', options.leaseMs ?? Math.max(60_000, 2 * longestTimeoutMs));
  if (bus && leaseMs <= longestTimeoutMs) {
    throw new RangeError('leaseMs must be longer than the longest Bus timeout, or events would be sent twice');
  }
  const random = options.random ?? Math.random;

  const state: OutboxDispatcherStatus = {
    busConfigured: bus !== null,
    running: false,
    listening: false,
    lastDeliveredAt: null,
    lastFailureAt: null,
    lastFailure: null,
    consecutiveFailures: 0,
    busTimeoutMs: bus?.timeoutMs ?? null,
  };
  let stopping = false;
  let loop: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;
  const inFlight = new Set<Promise<number>>();
  const wakeUp = createWaker();

  function backoff(attempts: number, retryAfterMs: number | null): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempts - 1, 40));
    const jittered = Math.floor(random() * ceiling);
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, maxDelayMs));
  }

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

  async function drain(client: BusClient): Promise<number> {
    let delivered = 0;
    let dueBy: string | null = null;
    while (!stopping) {
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

  function track(work: Promise<number>): Promise<number> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  async function run(client: BusClient): Promise<void> {
    while (!stopping) {
      let waitMs = pollIntervalMs;
      try {
        await track(drain(client));
        const untilDue = await msUntilNextDue(db);
        if (untilDue !== null) waitMs = Math.min(pollIntervalMs, Math.max(minimumWaitMs, Math.ceil(untilDue)));
      } catch (error) {
        logger.warn({ err: error }, 'outbox: dispatcher round failed; retrying');
      }
      if (!stopping) await wakeUp.wait(waitMs);
    }
  }

  async function startUp(client: BusClient): Promise<void> {
    if (listen) {
      try {
        const close = await listen(() => wakeUp.wake());
        if (stopping) {
          await close();
          return;
        }
        unlisten = close;
        state.listening = true;
      } catch (error) {
        logger.warn({ err: error }, `outbox: could not LISTEN ${outboxChannel}; polling every ${pollIntervalMs} ms`);
      }
    } else if (options.kind === 'postgres') {
      logger.info(`outbox: no LISTEN subscription; polling every ${pollIntervalMs} ms`);
    }
    if (stopping) return;
    state.running = true;
    loop = run(client);
    logger.info({ endpoint: client.endpoint }, 'outbox: dispatcher started');
  }

  let startup: Promise<void> | null = null;

  return {
    start() {
      if (startup) return startup;
      if (!bus) {
        logger.warn('outbox: BUS_API_URL is not configured; events are recorded but not delivered');
        startup = Promise.resolve();
      } else {
        startup = startUp(bus);
      }
      return startup;
    },

    async stop() {
      stopping = true;
      wakeUp.wake();
      await startup;
      await loop;
      await Promise.allSettled([...inFlight]);
      state.running = false;
      if (unlisten) {
        const close = unlisten;
        unlisten = null;
        state.listening = false;
        await close().catch((error: unknown) => logger.warn({ err: error }, 'outbox: closing the LISTEN connection failed'));
      }
    },

    async drainOnce() {
      if (!bus || stopping) return 0;
      return track(drain(bus));
    },

    status: () => ({ ...state }),

    backlog: () => countBacklog(db),
  };
}

/**
 * LISTEN on `people_outbox` over a dedicated postgres.js connection (the pool's connections are
 * shared, a listener needs its own). postgres.js reconnects and re-listens by itself; each
 * (re)subscription also wakes the dispatcher, to catch notifications lost while disconnected.
 */
export function createPostgresListener(url: string): OutboxListen {
  return async (onNotify) => {
    const client = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      await client.listen(outboxChannel, () => onNotify(), () => onNotify());
    } catch (error) {
      await client.end({ timeout: 1 });
      throw error;
    }
    return () => client.end({ timeout: 5 });
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

/** A sleep that `wake()` cuts short; a wake while awake makes the next sleep return at once. */
function createWaker() {
  let pending = false;
  let release: (() => void) | null = null;
  return {
    wake() {
      pending = true;
      release?.();
    },
    wait(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        // Unref'd: a dispatcher nobody stopped must not keep a finished process alive.
        const timer = setTimeout(done, ms);
        timer.unref();
        function done() {
          clearTimeout(timer);
          release = null;
          pending = false;
          resolve();
        }
        release = done;
      });
    },
  };
}
