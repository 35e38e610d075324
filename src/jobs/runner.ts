import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { createBackoff, positive } from '../shared/durable/backoff.js';
import type { NotificationListen } from '../shared/durable/notifications.js';
import {
  claimDueSystemTasks,
  msUntilNextSystemTaskDue,
  settleSystemTask,
  summarizeSystemTasks,
  systemTaskChannel,
  wakeWaitingSystemTasks,
  type ClaimedSystemTask,
  type SystemTaskSettlement,
  type SystemTaskSummary,
} from './system-tasks.js';
import { isSystemTaskKind, payloadShapes, systemTaskKinds, type SystemTaskKind, type SystemTaskPayload } from './task-catalog.js';
import { createWorkerLoop } from '../shared/durable/worker-loop.js';

/*
 * The system-task runner: runs the SYSTEM tasks written by `enqueueSystemTask`, durably.
 *
 * - Each task is claimed by one runner at a time (`FOR UPDATE SKIP LOCKED` and a lease, see
 *   `claimDueSystemTasks`), run outside any transaction, then settled in one transaction with
 *   whatever its handler records about the outcome (`onSucceeded`/`onFailed`, e.g. an event),
 *   fenced on the claim. Several replicas on one database never run one task at the same time,
 *   as long as a run ends within its lease: handlers get an AbortSignal that fires at half of it.
 * - A runner that dies mid-run leaves its task RUNNING until the lease ends; another runner then
 *   runs it again (the attempt counts). Handlers calling other services therefore send the task's
 *   idempotency key, which is the same on every attempt, so the service acts once.
 * - Outcomes: `succeeded`; `failed` (FAILED at once, a person must look: re-drive once fixed);
 *   `retry` (back-off with full jitter; FAILED once `maxAttempts` runs have been tried);
 *   `waiting` (something outside the task is missing, such as HUB_API_URL: stays PENDING with the
 *   reason visible, the attempt given back, tried again after `waitingDelayMs`, and at once when
 *   a runner starts, since configuration changes with a restart). A handler that throws is a
 *   `retry` (logged at error level).
 * - The loop (wake-ups by LISTEN/NOTIFY on PostgreSQL, polling, graceful stop) and the back-off
 *   are the ones the outbox dispatcher uses (worker-loop.ts, backoff.ts).
 */

/** What a handler answers about one run. */
export type SystemTaskOutcome =
  /** Done. `result` (ids, codes, statuses: no personal data) is kept on the task for Admins. */
  | { outcome: 'succeeded'; result?: Record<string, unknown> }
  /** Worth trying again (a peer down, a time-out): after a back-off, at least `retryAfterMs`. */
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  /** Trying again cannot help until a person fixes something: FAILED, visible, re-drivable. */
  | { outcome: 'failed'; error: string; result?: Record<string, unknown> }
  /**
   * Cannot run yet for a reason outside the task (configuration missing, another task to settle
   * first): stays PENDING with `reason` visible, the attempt is not counted; tried again after
   * `retryAfterMs` (default: the runner's `waitingDelayMs`).
   */
  | { outcome: 'waiting'; reason: string; retryAfterMs?: number };

/** The task a handler runs, its payload typed by the catalog. */
export interface RunningSystemTask<K extends SystemTaskKind> {
  id: string;
  kind: K;
  subject: string;
  payload: SystemTaskPayload<K>;
  /** The same on every attempt: send it to peers as `Idempotency-Key`. */
  idempotencyKey: string;
  /** This run's number, from 1 (a re-drive starts again at 1). */
  attempt: number;
  maxAttempts: number;
  createdAt: Date;
}

export interface SystemTaskRunContext {
  db: Database;
  /** Carries the task's id, kind and attempt. */
  logger: Logger;
  /** Fires when the run has taken half its lease: stop then, or another runner may start it again. */
  signal: AbortSignal;
}

export interface SystemTaskFailure {
  error: string;
  result: Record<string, unknown> | null;
  /** True when the task failed because its retries ran out (its last run answered `retry`). */
  retriesExhausted: boolean;
}

export interface SystemTaskHandler<K extends SystemTaskKind> {
  /** Does the work (an HTTP call, a transaction of its own…) and says how it went. */
  run(task: RunningSystemTask<K>, context: SystemTaskRunContext): Promise<SystemTaskOutcome>;
  /** Written in the transaction that marks the task SUCCEEDED (e.g. `recordEvent`). */
  onSucceeded?(tx: Database, task: RunningSystemTask<K>, result: Record<string, unknown> | null): Promise<void>;
  /** Written in the transaction that marks the task FAILED, whether by its handler or after its last retry. */
  onFailed?(tx: Database, task: RunningSystemTask<K>, failure: SystemTaskFailure): Promise<void>;
}

/** A handler for every kind of the catalog: what main.ts gives the runner (a kind without one does not compile). */
export type SystemTaskHandlers = { [K in SystemTaskKind]: SystemTaskHandler<K> };

export interface SystemTaskRunnerOptions {
  db: Database;
  kind: 'postgres' | 'pglite';
  logger: Logger;
  /** The handlers this runner runs; tasks of other kinds are left for runners that have one. */
  handlers: Partial<SystemTaskHandlers>;
  /** NOTIFY subscription (PostgreSQL): `createPostgresListener(url, systemTaskChannel)`. */
  listen?: NotificationListen;
  /** Longest wait between polls: default 10 s with `listen`, 1 s without. Due retries wake the runner regardless. */
  pollIntervalMs?: number;
  /** How long a claim holds a task; a run should end within half of it. Default 5 minutes. */
  leaseMs?: number;
  /** First retry delay ceiling; default 2 s. */
  baseDelayMs?: number;
  /** Largest retry delay; default 10 minutes. */
  maxDelayMs?: number;
  /** How long a `waiting` task waits before it is tried again; default 10 minutes. */
  waitingDelayMs?: number;
  /** Tasks claimed (and run concurrently) per round; default 10. */
  batchSize?: number;
  /** Source of jitter, [0, 1); tests pin it. */
  random?: () => number;
}

export interface SystemTaskRunnerStatus {
  running: boolean;
  /** Subscribed to NOTIFY (else it polls every pollIntervalMs). */
  listening: boolean;
  /** The kinds this runner has handlers for. */
  kinds: string[];
  lastSucceededAt: Date | null;
  lastFailureAt: Date | null;
  /** The last error of a run that did not succeed (retry or failure). */
  lastFailure: string | null;
}

export interface SystemTaskRunner {
  /** Wakes tasks waiting for configuration, then starts the background loop. Idempotent. */
  start(): Promise<void>;
  /** Stops the loop; waits for the runs in flight to finish and be recorded. Final. */
  stop(): Promise<void>;
  /**
   * Runs what is due now, each task at most once, and resolves to the number of runs recorded.
   * For tests and "run now"; safe beside the loop and other runners.
   */
  runDue(): Promise<number>;
  status(): SystemTaskRunnerStatus;
  /** Unfinished tasks from the database (for /ready). */
  summary(): Promise<SystemTaskSummary>;
}

export function createSystemTaskRunner(options: SystemTaskRunnerOptions): SystemTaskRunner {
  const { db, handlers } = options;
  const logger = options.logger.child({ component: 'system-tasks' });
  const leaseMs = positive('leaseMs', options.leaseMs ?? 300_000);
  const maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 600_000);
  const backoff = createBackoff({ baseDelayMs: options.baseDelayMs ?? 2_000, maxDelayMs, ...(options.random ? { random: options.random } : {}) });
  const waitingDelayMs = positive('waitingDelayMs', options.waitingDelayMs ?? 600_000);
  const batchSize = positive('batchSize', options.batchSize ?? 10);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? (options.listen ? 10_000 : 1_000));
  const kinds = systemTaskKinds.filter((kind) => handlers[kind] !== undefined);

  const state: Omit<SystemTaskRunnerStatus, 'running' | 'listening'> = {
    kinds: [...kinds],
    lastSucceededAt: null,
    lastFailureAt: null,
    lastFailure: null,
  };

  function settlementOf(task: ClaimedSystemTask, outcome: SystemTaskOutcome): { settlement: SystemTaskSettlement; exhausted: boolean } {
    switch (outcome.outcome) {
      case 'succeeded':
        return { settlement: { state: 'SUCCEEDED', result: outcome.result ?? null }, exhausted: false };
      case 'failed':
        return { settlement: { state: 'FAILED', error: outcome.error, result: outcome.result ?? null }, exhausted: false };
      case 'waiting':
        return { settlement: { state: 'PENDING', waiting: { reason: outcome.reason, delayMs: outcome.retryAfterMs ?? waitingDelayMs } }, exhausted: false };
      case 'retry':
        if (task.attempts >= task.maxAttempts) {
          return {
            settlement: { state: 'FAILED', error: `${outcome.error} (gave up after ${task.attempts} attempts; re-drive to try again)`, result: null },
            exhausted: true,
          };
        }
        return { settlement: { state: 'PENDING', retry: { error: outcome.error, delayMs: backoff(task.attempts, outcome.retryAfterMs ?? null) } }, exhausted: false };
    }
  }

  /** Runs one claimed task with its kind's handler and records the outcome; true when recorded. */
  async function runTask<K extends SystemTaskKind>(kind: K, claimed: ClaimedSystemTask): Promise<boolean> {
    const taskLogger = logger.child({ taskId: claimed.id, kind, attempt: claimed.attempts });
    const handler = handlers[kind];
    const parsed = payloadShapes[kind].safeParse(claimed.payload);
    if (!handler || !parsed.success) {
      // A payload the catalog no longer accepts (a kind changed under stored tasks): a person must look.
      const error = handler ? `the stored payload does not match the task catalog of ${kind}` : `no handler for ${kind}`;
      taskLogger.error({ error }, 'system tasks: task cannot run');
      return settleSystemTask(db, claimed, { state: 'FAILED', error, result: null });
    }
    const task: RunningSystemTask<K> = {
      id: claimed.id,
      kind,
      subject: claimed.subject,
      payload: parsed.data,
      idempotencyKey: claimed.idempotencyKey,
      attempt: claimed.attempts,
      maxAttempts: claimed.maxAttempts,
      createdAt: claimed.createdAt,
    };
    let outcome: SystemTaskOutcome;
    try {
      outcome = await handler.run(task, { db, logger: taskLogger, signal: AbortSignal.timeout(Math.max(1, Math.floor(leaseMs / 2))) });
    } catch (error) {
      taskLogger.error({ err: error }, 'system tasks: handler threw; will retry');
      outcome = { outcome: 'retry', error: `unexpected ${error instanceof Error ? error.name : 'error'} while running` };
    }
    const { settlement, exhausted } = settlementOf(claimed, outcome);
    const record = async (tx: Database): Promise<void> => {
      if (settlement.state === 'SUCCEEDED') await handler.onSucceeded?.(tx, task, settlement.result);
      if (settlement.state === 'FAILED') {
        await handler.onFailed?.(tx, task, { error: settlement.error, result: settlement.result, retriesExhausted: exhausted });
      }
    };
    let recorded: boolean;
    try {
      recorded = await settleSystemTask(db, claimed, settlement, record);
    } catch (error) {
      // What the handler records about the outcome failed (the whole settlement rolled back):
      // record the task FAILED without it, so it shows instead of going round and round.
      taskLogger.error({ err: error }, 'system tasks: recording the outcome failed');
      const failure = `recording the outcome (${settlement.state}) failed: ${error instanceof Error ? error.name : 'error'}; re-drive once fixed`;
      return settleSystemTask(db, claimed, { state: 'FAILED', error: failure, result: null });
    }
    if (!recorded) {
      taskLogger.warn('system tasks: lease lost before the outcome was recorded; the runner that took the task over decides');
      return false;
    }
    report(taskLogger, settlement, exhausted);
    return true;
  }

  function report(taskLogger: Logger, settlement: SystemTaskSettlement, exhausted: boolean): void {
    if (settlement.state === 'SUCCEEDED') {
      state.lastSucceededAt = new Date();
      taskLogger.info('system tasks: task succeeded');
      return;
    }
    if (settlement.state === 'FAILED') {
      state.lastFailureAt = new Date();
      state.lastFailure = settlement.error;
      taskLogger.error(
        { error: settlement.error },
        exhausted ? 'system tasks: task FAILED after its last attempt; an Admin re-drives it' : 'system tasks: task FAILED; fix the cause, then an Admin re-drives it',
      );
      return;
    }
    if ('retry' in settlement) {
      state.lastFailureAt = new Date();
      state.lastFailure = settlement.retry.error;
      taskLogger.warn({ error: settlement.retry.error, retryInMs: settlement.retry.delayMs }, 'system tasks: attempt failed; will retry');
      return;
    }
    taskLogger.warn({ reason: settlement.waiting.reason, retryInMs: settlement.waiting.delayMs }, 'system tasks: task is waiting');
  }

  async function runClaimed(claimed: ClaimedSystemTask): Promise<boolean> {
    if (!isSystemTaskKind(claimed.kind)) {
      return settleSystemTask(db, claimed, { state: 'FAILED', error: `unknown task kind ${claimed.kind}`, result: null });
    }
    return runTask(claimed.kind, claimed);
  }

  async function drain(stopping: () => boolean): Promise<number> {
    let ran = 0;
    let dueBy: string | null = null;
    while (!stopping()) {
      const claimed = await claimDueSystemTasks(db, { kinds, limit: batchSize, leaseMs, dueBy });
      const first = claimed[0];
      if (!first) break;
      dueBy ??= first.claimedAt;
      // allSettled: a database error recording one task must not leave the others unawaited.
      const results = await Promise.allSettled(claimed.map(runClaimed));
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        if (result.value) ran += 1;
      }
    }
    return ran;
  }

  const loop = createWorkerLoop({
    name: 'system tasks',
    logger,
    drain,
    msUntilNextDue: () => msUntilNextSystemTaskDue(db, kinds),
    pollIntervalMs,
    channel: systemTaskChannel,
    kind: options.kind,
    ...(options.listen ? { listen: options.listen } : {}),
  });

  let startup: Promise<void> | null = null;

  return {
    start() {
      startup ??= (async () => {
        const woken = await wakeWaitingSystemTasks(db, kinds);
        if (await loop.start()) logger.info({ kinds, wokenWaitingTasks: woken }, 'system tasks: runner started');
      })();
      return startup;
    },
    async stop() {
      await startup?.catch(() => undefined);
      await loop.stop();
    },
    runDue: () => loop.drainOnce(),
    status: () => ({ ...state, kinds: [...state.kinds], running: loop.running(), listening: loop.listening() }),
    summary: () => summarizeSystemTasks(db),
  };
}
