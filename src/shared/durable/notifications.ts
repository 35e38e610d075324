import postgres from 'postgres';

/**
 * Subscribes to a wake-up signal; resolves to an unsubscribe function. A durable queue's loop
 * calls `onNotify` to look for due work at once instead of at its next poll.
 */
export type NotificationListen = (onNotify: () => void) => Promise<() => Promise<void>>;

/**
 * LISTEN on `channel` over a dedicated postgres.js connection (the pool's connections are
 * shared, a listener needs its own). postgres.js reconnects and re-listens by itself; each
 * (re)subscription also calls `onNotify`, to catch notifications lost while disconnected.
 * Writers `pg_notify(channel, '')` in the transaction that creates the work; PostgreSQL delivers
 * the notification when it commits and drops it on rollback.
 */
export function createPostgresListener(url: string, channel: string): NotificationListen {
  return async (onNotify) => {
    const client = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      await client.listen(channel, () => onNotify(), () => onNotify());
    } catch (error) {
      await client.end({ timeout: 1 });
      throw error;
    }
    return () => client.end({ timeout: 5 });
  };
}
