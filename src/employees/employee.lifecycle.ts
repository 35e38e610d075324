import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events/events.service.js';
import type { CalendarDate, Clock } from '../shared/dates.js';
import { startPeriodicCheck, type PeriodicCheck } from '../shared/periodic.js';
import { employedStatuses, terminalStatuses } from './employee.model.js';
import { claimDueStatusChanges, markLifecycleProcessed, rollCurrentJobs, type DueStatusChange } from './employee.store.js';

// Lifecycle events go out when a status change takes effect, not when it is keyed in: a
// termination dated next Friday is announced next Friday. Mutations emit what is already in
// effect inside their own transaction; the scheduler below emits the rest as their day comes.

export const lifecycleEvents = {
  hired: 'employee.hired',
  terminated: 'employee.terminated',
} as const;

type LifecycleEventType = (typeof lifecycleEvents)[keyof typeof lifecycleEvents];

function eventTypeOf(change: DueStatusChange): LifecycleEventType | null {
  // Becoming ACTIVE from anything but employment (no status, PRE_HIRE, a departure) is a hire;
  // from leave it is a return.
  const wasEmployed = change.previousStatus !== null && employedStatuses.includes(change.previousStatus);
  if (change.status === 'ACTIVE' && !wasEmployed) return lifecycleEvents.hired;
  if (terminalStatuses.includes(change.status)) return lifecycleEvents.terminated;
  return null;
}

/**
 * Emits the events of status changes in effect by `today` (optionally of one employee) and
 * marks them processed, in the caller's transaction. Returns how many changes were processed
 * and how many of them were events.
 */
export async function emitDueLifecycleEvents(
  tx: Database,
  today: CalendarDate,
  options: { employeeId?: string; limit?: number } = {},
): Promise<{ processed: number; emitted: number }> {
  const due = await claimDueStatusChanges(tx, today, options.limit ?? 200, options.employeeId);
  let emitted = 0;
  for (const change of due) {
    const type = eventTypeOf(change);
    if (!type) continue;
    // Thin: ids and what changed. Consumers read the rest through the gateway, as their rights allow.
    await recordEvent(tx, {
      type,
      subject: `employee:${change.employeeId}`,
      data: {
        employeeId: change.employeeId,
        hubUserId: change.hubUserId,
        status: change.status,
        previousStatus: change.previousStatus,
        effectiveDate: change.effectiveFrom,
        changedFields: ['status'],
      },
    });
    emitted += 1;
  }
  await markLifecycleProcessed(
    tx,
    due.map((change) => change.id),
  );
  return { processed: due.length, emitted };
}

/** Emits every lifecycle event due today, in batches; returns how many were emitted. */
export async function runLifecycleCheck(options: { db: Database; clock: Clock; logger: Logger }): Promise<number> {
  // Future-dated job changes that fall due today show in the current jobs from now on.
  const today = options.clock.today();
  const refolded = await options.db.transaction((tx) => rollCurrentJobs(tx, today));
  if (refolded !== null) options.logger.info({ day: today, employees: refolded }, 'current jobs rolled to today');
  let total = 0;
  // Batches, so a backlog (e.g. after downtime) does not wait a tick per batch.
  for (;;) {
    const batch = await options.db.transaction((tx) => emitDueLifecycleEvents(tx, options.clock.today()));
    total += batch.emitted;
    if (batch.processed === 0) break;
  }
  if (total > 0) options.logger.info({ events: total }, 'lifecycle events emitted for changes now in effect');
  return total;
}

export type LifecycleScheduler = PeriodicCheck;

/**
 * Runs the lifecycle check now and every `intervalMs`. Safe with several replicas: rows are
 * claimed with SKIP LOCKED, so each change is announced once.
 */
export function startLifecycleScheduler(options: {
  db: Database;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
}): LifecycleScheduler {
  return startPeriodicCheck({
    intervalMs: options.intervalMs,
    logger: options.logger,
    failureMessage: 'lifecycle check failed; retrying at the next tick',
    run: () => runLifecycleCheck(options),
  });
}
