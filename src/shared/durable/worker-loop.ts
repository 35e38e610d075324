import type { Logger } from 'pino';
import { positive } from './backoff.js';
import type { NotificationListen } from './notifications.js';

/*
 * The background loop of a durable queue, shared by the outbox dispatcher and the system-task
 * runner: drain what is due, then sleep until the next item is due, a notification arrives
 * (LISTEN/NOTIFY on PostgreSQL) or the poll interval passes; stop gracefully. What "due" means
 * and how an item is claimed and settled is the queue's own business (`drain`, `msUntilNextDue`).
 */

export interface WorkerLoopOptions {
  /** Prefix of the loop's log lines, e.g. `outbox` or `system tasks`. */
  name: string;
  logger: Logger;
  /**
   * Does the work that is due now, claiming items so that other replicas skip them; resolves to
   * how many were done. Should return early once `stopping()` is true.
   */
  drain: (stopping: () => boolean) => Promise<number>;
  /** Milliseconds until the next item is due (negative: already due), or null when there is none. */
  msUntilNextDue: () => Promise<number | null>;
  /** Longest sleep between rounds (a fallback for lost notifications when listening). */
  pollIntervalMs: number;
  /** Wake-ups on new work (PostgreSQL LISTEN): see `createPostgresListener`. */
  listen?: NotificationListen;
  /** The channel `listen` subscribes to, for the log line when it cannot. */
  channel: string;
  /** The database kind: on PostgreSQL, running without `listen` is worth a log line. */
  kind?: 'postgres' | 'pglite';
}

export interface WorkerLoop {
  /**
   * Subscribes to notifications (when `listen` is given), then starts the loop. Idempotent;
   * resolves to true once the loop runs, false when `stop()` came first.
   */
  start(): Promise<boolean>;
  /**
   * Stops the loop, waits for the round in flight (and any `drainOnce`) to finish, then closes
   * the subscription. Final: a stopped loop stays so.
   */
  stop(): Promise<void>;
  /** One drain now, beside the loop (tests, "run now"); 0 once stopping. */
  drainOnce(): Promise<number>;
  /** Cuts the current sleep short (new work was created in this process). */
  wake(): void;
  running(): boolean;
  listening(): boolean;
}

/** Never sleep less than this between rounds, even when an item is overdue. */
const minimumWaitMs = 20;

export function createWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const { name, logger, listen } = options;
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs);
  let stopping = false;
  let isRunning = false;
  let isListening = false;
  let loop: Promise<void> | null = null;
  let startup: Promise<boolean> | null = null;
  let unlisten: (() => Promise<void>) | null = null;
  const inFlight = new Set<Promise<number>>();
  const waker = createWaker();
  const isStopping = () => stopping;

  function track(work: Promise<number>): Promise<number> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let waitMs = pollIntervalMs;
      try {
        await track(options.drain(isStopping));
        const untilDue = await options.msUntilNextDue();
        if (untilDue !== null) waitMs = Math.min(pollIntervalMs, Math.max(minimumWaitMs, Math.ceil(untilDue)));
      } catch (error) {
        logger.warn({ err: error }, `${name}: round failed; retrying`);
      }
      if (!stopping) await waker.wait(waitMs);
    }
  }

  async function startUp(): Promise<boolean> {
    if (listen) {
      try {
        const close = await listen(() => waker.wake());
        if (stopping) {
          await close();
          return false;
        }
        unlisten = close;
        isListening = true;
      } catch (error) {
        logger.warn({ err: error }, `${name}: could not LISTEN ${options.channel}; polling every ${pollIntervalMs} ms`);
      }
    } else if (options.kind === 'postgres') {
      logger.info(`${name}: no LISTEN subscription; polling every ${pollIntervalMs} ms`);
    }
    if (stopping) return false;
    isRunning = true;
    loop = run();
    return true;
  }

  return {
    start() {
      startup ??= startUp();
      return startup;
    },

    async stop() {
      stopping = true;
      waker.wake();
      await startup;
      await loop;
      await Promise.allSettled([...inFlight]);
      isRunning = false;
      if (unlisten) {
        const close = unlisten;
        unlisten = null;
        isListening = false;
        await close().catch((error: unknown) => logger.warn({ err: error }, `${name}: closing the LISTEN connection failed`));
      }
    },

    async drainOnce() {
      if (stopping) return 0;
      return track(options.drain(isStopping));
    },

    wake: () => waker.wake(),
    running: () => isRunning,
    listening: () => isListening,
  };
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
        // Unref'd: a loop nobody stopped must not keep a finished process alive.
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
