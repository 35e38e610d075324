import type { Logger } from 'pino';

// A check that runs now and then every interval, never two at once: the schedulers that act when a
// day comes (lifecycle events, offboardings whose last day has come) are built on it.

export interface PeriodicCheck {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Runs `run` now and every `intervalMs`; a failure is logged as `failureMessage` and retried at the next tick. */
export function startPeriodicCheck(options: { intervalMs: number; logger: Logger; failureMessage: string; run: () => Promise<unknown> }): PeriodicCheck {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .run()
      .catch((error: unknown) => {
        options.logger.error({ err: error }, options.failureMessage);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
