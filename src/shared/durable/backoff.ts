// Retry timing shared by every durable queue (the outbox dispatcher, the system-task runner).

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseDelayMs: number;
  /** Largest delay, however many attempts came before. */
  maxDelayMs: number;
  /** Source of jitter, [0, 1); tests pin it. */
  random?: () => number;
}

/**
 * Exponential back-off with full jitter: after attempt n (1-based) the delay is
 * `random(0, min(maxDelayMs, baseDelayMs · 2^(n−1)))`, and never less than a `retryAfterMs`
 * the other side asked for (itself capped at `maxDelayMs`). Full jitter spreads the retries of
 * many items failing together (a peer down for everyone) instead of sending them in waves.
 */
export function createBackoff(policy: BackoffPolicy): (attempts: number, retryAfterMs?: number | null) => number {
  const baseDelayMs = positive('baseDelayMs', policy.baseDelayMs);
  const maxDelayMs = positive('maxDelayMs', policy.maxDelayMs);
  const random = policy.random ?? Math.random;
  return (attempts, retryAfterMs = null) => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(Math.max(attempts, 1) - 1, 40));
    const jittered = Math.floor(random() * ceiling);
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, maxDelayMs));
  };
}

/** `value` when it is a finite number above 0; a RangeError naming the option otherwise. */
export function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}
