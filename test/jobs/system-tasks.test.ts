import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findEvent, listEvents, recordEvent } from '../../src/events/outbox.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { createBackoff } from '../../src/shared/durable/backoff.js';
import {
  createSystemTaskRunner,
  type RunningSystemTask,
  type SystemTaskFailure,
  type SystemTaskHandler,
  type SystemTaskOutcome,
  type SystemTaskRunner,
  type SystemTaskRunnerOptions,
} from '../../src/jobs/runner.js';
import {
  cancelSystemTask,
  claimDueSystemTasks,
  enqueueSystemTask,
  findSystemTask,
  listSystemTasks,
  redriveSystemTask,
  settleSystemTask,
  summarizeSystemTasks,
  systemTaskProgress,
} from '../../src/jobs/system-tasks.js';
import { systemTasks } from '../../src/jobs/system-tasks.tables.js';
import { systemTaskCatalog, systemTaskKinds } from '../../src/jobs/task-catalog.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger, sleep } from '../events/helpers.js';

// The SYSTEM task machinery on its own: enqueueing, the runner's outcomes, leases and re-drive,
// with handlers written here (the Hub handlers are tested with the Hub simulator elsewhere).
// On PGlite and, with TEST_DATABASE_URL, PostgreSQL.

let database: TestDatabase;
const runners: SystemTaskRunner[] = [];
const db = () => database.handle.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  if (database) await database.drop();
});
beforeEach(async () => {
  await db().delete(systemTasks);
  await db().delete(outboxEvents);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});

type Revoke = 'hub.revoke_access';

function revocation(overrides: { workflowId?: string; runAfter?: Date; idempotencyKey?: string; maxAttempts?: number } = {}) {
  const employeeId = randomUUID();
  return {
    kind: 'hub.revoke_access' as const,
    subject: `employee:${employeeId}` as const,
    payload: { employeeId, workflowId: overrides.workflowId ?? randomUUID(), reason: 'OFFBOARDING' },
    ...(overrides.runAfter ? { runAfter: overrides.runAfter } : {}),
    ...(overrides.idempotencyKey ? { idempotencyKey: overrides.idempotencyKey } : {}),
    ...(overrides.maxAttempts ? { maxAttempts: overrides.maxAttempts } : {}),
  };
}

async function enqueueCommitted(task = revocation()): Promise<string> {
  const { id } = await db().transaction((tx) => enqueueSystemTask(tx, task));
  return id;
}

/** A handler that answers the given outcomes in turn (the last one from then on) and remembers its runs. */
function scripted(outcomes: SystemTaskOutcome[], hooks: Partial<Pick<SystemTaskHandler<Revoke>, 'onSucceeded' | 'onFailed'>> = {}) {
  const runs: RunningSystemTask<Revoke>[] = [];
  const failures: SystemTaskFailure[] = [];
  const handler: SystemTaskHandler<Revoke> = {
    async run(task) {
      runs.push(task);
      const outcome = outcomes[Math.min(runs.length - 1, outcomes.length - 1)];
      if (!outcome) throw new Error('no outcome scripted');
      return outcome;
    },
    onSucceeded: hooks.onSucceeded,
    async onFailed(tx, task, failure) {
      failures.push(failure);
      await hooks.onFailed?.(tx, task, failure);
    },
  };
  return { handler, runs, failures };
}

function runner(handler: SystemTaskHandler<Revoke>, options: Partial<SystemTaskRunnerOptions> = {}): SystemTaskRunner {
  const created = createSystemTaskRunner({
    db: db(),
    kind: database.handle.kind,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    handlers: { 'hub.revoke_access': handler },
    baseDelayMs: 1,
    maxDelayMs: 5,
    // Jitter pinned to 0: a retried task is due again at once.
    random: () => 0,
    ...options,
  });
  runners.push(created);
  return created;
}

describe('the task catalog', () => {
  it('gives every kind a description, subject kinds, a payload of ids and codes, attempts and a key made of its fields', () => {
    expect(systemTaskKinds).toEqual(['hub.revoke_access', 'hub.restore_access', 'timeoff.cancel_after_last_day', 'legal.submit_acknowledgement']);
    for (const kind of systemTaskKinds) {
      const definition = systemTaskCatalog[kind];
      expect(definition.description.length, kind).toBeGreaterThan(10);
      expect(definition.maxAttempts, kind).toBeGreaterThan(0);
      for (const field of definition.idempotencyKey.fields) expect(Object.keys(definition.payload.shape), kind).toContain(field);
    }
  });
});

describe('enqueueSystemTask', () => {
  it('writes a PENDING task in the caller’s transaction, keyed by the catalog, with the catalog’s attempts', async () => {
    const task = revocation();
    const id = await enqueueCommitted(task);
    const stored = await findSystemTask(db(), id);
    expect(stored).toMatchObject({
      kind: 'hub.revoke_access',
      subject: task.subject,
      payload: task.payload,
      idempotencyKey: `revoke-access:${task.payload.workflowId}`,
      state: 'PENDING',
      attempts: 0,
      maxAttempts: 30,
      lastError: null,
      waitingReason: null,
      result: null,
      startedAt: null,
      finishedAt: null,
    });
  });

  it('writes nothing when the transaction rolls back', async () => {
    const failure = new Error('the change failed');
    await expect(
      db().transaction(async (tx) => {
        await enqueueSystemTask(tx, revocation());
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await listSystemTasks(db(), { first: 10 })).tasks).toEqual([]);
  });

  it('gives back the task already there for the same idempotency key, whatever its state', async () => {
    const workflowId = randomUUID();
    const first = await db().transaction((tx) => enqueueSystemTask(tx, revocation({ workflowId })));
    const again = await db().transaction((tx) => enqueueSystemTask(tx, revocation({ workflowId })));
    expect(first).toMatchObject({ created: true, state: 'PENDING' });
    expect(again).toEqual({ id: first.id, created: false, state: 'PENDING' });
    expect((await listSystemTasks(db(), { first: 10 })).tasks).toHaveLength(1);
  });

  it('refuses a key another kind already uses', async () => {
    const workflowId = randomUUID();
    await enqueueCommitted(revocation({ workflowId, idempotencyKey: 'shared-key' }));
    const employeeId = randomUUID();
    await expect(
      db().transaction((tx) =>
        enqueueSystemTask(tx, {
          kind: 'hub.restore_access',
          subject: `employee:${employeeId}`,
          payload: { employeeId, workflowId, reason: 'OFFBOARDING_REVERSED' },
          idempotencyKey: 'shared-key',
        }),
      ),
    ).rejects.toThrow('already used by a hub.revoke_access task');
  });

  it('refuses a payload with a field the catalog does not list (personal data stays out), a free-text reason or a wrong subject', async () => {
    const task = revocation();
    const withEmail = { ...task.payload, email: 'leaver@example.com' };
    await expect(db().transaction((tx) => enqueueSystemTask(tx, { ...task, payload: withEmail }))).rejects.toThrow(/does not match the task catalog/);
    await expect(
      db().transaction((tx) => enqueueSystemTask(tx, { ...task, payload: { ...task.payload, reason: 'Left after the incident with Bob' } })),
    ).rejects.toThrow(/reason: must be a code in capitals/);
    await expect(db().transaction((tx) => enqueueSystemTask(tx, { ...task, subject: `employee:` }))).rejects.toThrow(RangeError);
    expect((await listSystemTasks(db(), { first: 10 })).tasks).toEqual([]);
  });

  it('does not run a task before its runAfter', async () => {
    const id = await enqueueCommitted(revocation({ runAfter: new Date(Date.now() + 60_000) }));
    const { handler, runs } = scripted([{ outcome: 'succeeded' }]);
    expect(await runner(handler).runDue()).toBe(0);
    expect(runs).toEqual([]);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'PENDING', attempts: 0 });
  });
});

describe('the runner', () => {
  it('retries with back-off, then succeeds: the task shows its attempts, the handler sees the same key each time', async () => {
    const id = await enqueueCommitted();
    const { handler, runs } = scripted([
      { outcome: 'retry', error: 'Hub answered HTTP 503' },
      { outcome: 'retry', error: 'Hub unreachable (ECONNREFUSED)' },
      { outcome: 'succeeded', result: { hubStatus: 200 } },
    ]);
    const tasks = runner(handler);

    expect(await tasks.runDue()).toBe(1);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'PENDING', attempts: 1, lastError: 'Hub answered HTTP 503' });
    expect(await tasks.runDue()).toBe(1);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'PENDING', attempts: 2, lastError: 'Hub unreachable (ECONNREFUSED)' });
    expect(await tasks.runDue()).toBe(1);
    const done = await findSystemTask(db(), id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', attempts: 3, lastError: null, result: { hubStatus: 200 }, claimToken: null });
    expect(done?.finishedAt).toBeInstanceOf(Date);
    expect(runs.map((run) => [run.attempt, run.idempotencyKey])).toEqual([1, 2, 3].map((attempt) => [attempt, done?.idempotencyKey]));
    expect(await tasks.runDue()).toBe(0);
    expect(tasks.status()).toMatchObject({ kinds: ['hub.revoke_access'], lastFailure: 'Hub unreachable (ECONNREFUSED)' });
  });

  it('waits out the back-off before trying again, at least as long as a Retry-After asked', async () => {
    const id = await enqueueCommitted();
    const { handler } = scripted([{ outcome: 'retry', error: 'Hub answered HTTP 429', retryAfterMs: 60_000 }]);
    const tasks = runner(handler, { maxDelayMs: 120_000 });
    const before = Date.now();
    expect(await tasks.runDue()).toBe(1);
    const stored = await findSystemTask(db(), id);
    expect(stored?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    expect(await tasks.runDue()).toBe(0);
    expect(systemTaskProgress(stored ?? never())).toMatchObject({ state: 'PENDING', attempts: 1, nextAttemptAt: stored?.nextAttemptAt });
  });

  it('fails the task after its last attempt, saying so, and tells the handler the retries ran out', async () => {
    const id = await enqueueCommitted(revocation({ maxAttempts: 2 }));
    const { handler, failures } = scripted([{ outcome: 'retry', error: 'Hub answered HTTP 502' }]);
    const log = captureLogger();
    const tasks = runner(handler, { logger: log.logger });
    await tasks.runDue();
    await tasks.runDue();
    expect(await findSystemTask(db(), id)).toMatchObject({
      state: 'FAILED',
      attempts: 2,
      lastError: 'Hub answered HTTP 502 (gave up after 2 attempts; re-drive to try again)',
    });
    expect(failures).toEqual([{ error: 'Hub answered HTTP 502 (gave up after 2 attempts; re-drive to try again)', result: null, retriesExhausted: true }]);
    expect(log.entries.filter((entry) => entry.level === 50).map((entry) => entry.taskId)).toEqual([id]);
    expect(await tasks.runDue()).toBe(0);
  });

  it('fails at once on a `failed` outcome, keeps its result, and runs it again from attempt 1 once re-driven', async () => {
    const id = await enqueueCommitted();
    const { handler, runs, failures } = scripted([
      { outcome: 'failed', error: 'The employee has no Hub user id: link one and re-drive', result: { failure: 'NO_HUB_USER_ID' } },
      { outcome: 'succeeded' },
    ]);
    const tasks = runner(handler);
    await tasks.runDue();
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'FAILED', attempts: 1, result: { failure: 'NO_HUB_USER_ID' } });
    expect(failures).toEqual([{ error: 'The employee has no Hub user id: link one and re-drive', result: { failure: 'NO_HUB_USER_ID' }, retriesExhausted: false }]);
    expect(await tasks.runDue()).toBe(0);

    const redriven = await redriveSystemTask(db(), id);
    expect(redriven).toMatchObject({ ok: true, task: { state: 'PENDING', attempts: 0, finishedAt: null } });
    await tasks.runDue();
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
    expect(runs.map((run) => run.attempt)).toEqual([1, 1]);
  });

  it('keeps a waiting task PENDING with its reason, its attempt given back, until re-driven or a runner starts', async () => {
    const id = await enqueueCommitted();
    const reason = 'HUB_API_URL is not set: People cannot reach Hub';
    const { handler, runs } = scripted([{ outcome: 'waiting', reason }]);
    const tasks = runner(handler, { waitingDelayMs: 600_000 });
    expect(await tasks.runDue()).toBe(1);
    const waiting = await findSystemTask(db(), id);
    expect(waiting).toMatchObject({ state: 'PENDING', attempts: 0, waitingReason: reason, lastError: null });
    expect((waiting?.nextAttemptAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(300_000);
    expect(await tasks.runDue()).toBe(0);

    const summary = await summarizeSystemTasks(db());
    expect(summary).toMatchObject({ pending: 1, running: 0, failed: 0, waiting: [{ kind: 'hub.revoke_access', reason, count: 1 }], unfinishedCount: 1 });
    expect(summary.unfinished).toEqual([expect.objectContaining({ taskId: id, state: 'PENDING', waitingReason: reason, subject: waiting?.subject })]);

    // A runner starting (after a restart with new configuration) tries waiting tasks at once.
    const restarted = runner(handler, { pollIntervalMs: 60_000 });
    await restarted.start();
    for (const deadline = Date.now() + 10_000; runs.length < 2 && Date.now() < deadline; ) await sleep(10);
    expect(runs).toHaveLength(2);
    await restarted.stop();

    expect(await redriveSystemTask(db(), id)).toMatchObject({ ok: true });
    expect(await tasks.runDue()).toBe(1);
    expect(runs).toHaveLength(3);
  });

  it('turns a handler that throws into a retry, logged at error level', async () => {
    const id = await enqueueCommitted();
    const log = captureLogger();
    const tasks = runner(
      {
        async run() {
          throw new TypeError('boom');
        },
      },
      { logger: log.logger, random: () => 0.999, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    );
    expect(await tasks.runDue()).toBe(1);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'PENDING', attempts: 1, lastError: 'unexpected TypeError while running' });
    expect(log.entries.some((entry) => entry.level === 50 && entry.msg.includes('handler threw'))).toBe(true);
    expect(await tasks.runDue()).toBe(0);
  });

  it('records the handler’s events with the outcome, in one transaction: all or nothing', async () => {
    const okId = await enqueueCommitted();
    const recordRevoked = async (tx: Parameters<NonNullable<SystemTaskHandler<Revoke>['onSucceeded']>>[0], task: RunningSystemTask<Revoke>) => {
      await recordEvent(tx, {
        type: 'access.revoked',
        subject: `employee:${task.payload.employeeId}`,
        data: { employeeId: task.payload.employeeId, workflowId: task.payload.workflowId, taskId: task.id, reason: task.payload.reason, attempts: task.attempt },
      });
    };
    const { handler } = scripted([{ outcome: 'succeeded' }], { onSucceeded: recordRevoked });
    await runner(handler).runDue();
    expect(await findSystemTask(db(), okId)).toMatchObject({ state: 'SUCCEEDED' });
    expect((await listEvents(db(), { first: 10, type: 'access.revoked' })).events.map((event) => event.data.taskId)).toEqual([okId]);

    // A hook that fails after writing: its event rolls back, the task shows FAILED instead of going round.
    await db().delete(systemTasks);
    const brokenId = await enqueueCommitted();
    const broken = scripted([{ outcome: 'succeeded' }], {
      onSucceeded: async (tx, task) => {
        await recordRevoked(tx, task);
        throw new RangeError('the hook is broken');
      },
    });
    await runner(broken.handler).runDue();
    expect(await findSystemTask(db(), brokenId)).toMatchObject({
      state: 'FAILED',
      lastError: 'recording the outcome (SUCCEEDED) failed: RangeError; re-drive once fixed',
    });
    expect((await listEvents(db(), { first: 10, type: 'access.revoked' })).events.map((event) => event.data.taskId)).toEqual([okId]);
  });

  it('leaves tasks of kinds it has no handler for to the runners that have one', async () => {
    const employeeId = randomUUID();
    const { id } = await db().transaction((tx) =>
      enqueueSystemTask(tx, {
        kind: 'hub.restore_access',
        subject: `employee:${employeeId}`,
        payload: { employeeId, workflowId: randomUUID(), reason: 'OFFBOARDING_REVERSED' },
      }),
    );
    const { handler } = scripted([{ outcome: 'succeeded' }]);
    expect(await runner(handler).runDue()).toBe(0);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'PENDING', attempts: 0 });
  });
});

describe('leases', () => {
  it('runs again a task whose runner died mid-run once its lease ends; the dead runner can no longer record an outcome', async () => {
    const id = await enqueueCommitted();
    // A runner claims it and dies before recording anything.
    const [abandoned] = await claimDueSystemTasks(db(), { kinds: ['hub.revoke_access'], limit: 10, leaseMs: 300 });
    expect(abandoned).toMatchObject({ id, state: 'RUNNING', attempts: 1 });
    const { handler, runs } = scripted([{ outcome: 'succeeded' }]);
    const survivor = runner(handler);
    expect(await survivor.runDue()).toBe(0);
    expect(runs).toEqual([]);

    await sleep(400);
    expect(await survivor.runDue()).toBe(1);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'SUCCEEDED', attempts: 2 });
    if (!abandoned) throw new Error('nothing claimed');
    expect(await settleSystemTask(db(), abandoned, { state: 'FAILED', error: 'late', result: null })).toBe(false);
    expect(await findSystemTask(db(), id)).toMatchObject({ state: 'SUCCEEDED' });
  });

  it('claims a task once: a second claim while the lease holds finds nothing', async () => {
    await enqueueCommitted();
    const first = await claimDueSystemTasks(db(), { kinds: ['hub.revoke_access'], limit: 10, leaseMs: 60_000 });
    const second = await claimDueSystemTasks(db(), { kinds: ['hub.revoke_access'], limit: 10, leaseMs: 60_000 });
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });
});

describe('re-drive and cancel', () => {
  it('re-drives FAILED and PENDING tasks only, and says why not otherwise', async () => {
    const id = await enqueueCommitted();
    await runner(scripted([{ outcome: 'succeeded' }]).handler).runDue();
    expect(await redriveSystemTask(db(), id)).toEqual({ ok: false, reason: 'NOT_REDRIVABLE', state: 'SUCCEEDED' });
    expect(await redriveSystemTask(db(), randomUUID())).toEqual({ ok: false, reason: 'NOT_FOUND' });
    expect(await redriveSystemTask(db(), 'not-an-id')).toEqual({ ok: false, reason: 'NOT_FOUND' });
  });

  it('cancels a PENDING or FAILED task, never a RUNNING one', async () => {
    const pending = await enqueueCommitted();
    expect(await cancelSystemTask(db(), pending, 'OFFBOARDING_REVERSED')).toEqual({ cancelled: true });
    expect(await findSystemTask(db(), pending)).toMatchObject({ state: 'CANCELLED', result: { cancelledBecause: 'OFFBOARDING_REVERSED' } });
    expect(await redriveSystemTask(db(), pending)).toEqual({ ok: false, reason: 'NOT_REDRIVABLE', state: 'CANCELLED' });

    const running = await enqueueCommitted();
    await claimDueSystemTasks(db(), { kinds: ['hub.revoke_access'], limit: 10, leaseMs: 60_000 });
    expect(await cancelSystemTask(db(), running, 'OFFBOARDING_REVERSED')).toEqual({ cancelled: false, state: 'RUNNING' });
    await expect(cancelSystemTask(db(), running, 'because I said so')).rejects.toThrow(RangeError);
    // Cancelled tasks are done: not listed as unfinished.
    expect((await summarizeSystemTasks(db())).unfinished.map((task) => task.taskId)).toEqual([running]);
  });
});

describe('the back-off', () => {
  it('grows from the base, doubling, up to the largest delay, with full jitter, never under a Retry-After', () => {
    const highest = createBackoff({ baseDelayMs: 1_000, maxDelayMs: 10_000, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5, 6, 30].map((attempt) => highest(attempt))).toEqual([999, 1_999, 3_999, 7_999, 9_999, 9_999, 9_999]);
    const lowest = createBackoff({ baseDelayMs: 1_000, maxDelayMs: 10_000, random: () => 0 });
    expect(lowest(5)).toBe(0);
    expect(lowest(5, 4_000)).toBe(4_000);
    expect(lowest(5, 60_000)).toBe(10_000);
  });
});

describe('records of a failure', () => {
  it('are findable by the outbox: a FAILED task’s event is one row', async () => {
    const id = await enqueueCommitted();
    const { handler } = scripted([{ outcome: 'failed', error: 'Hub refused', result: { failure: 'HUB_REFUSED', hubStatus: 403 } }], {
      onFailed: async (tx, task, failure) => {
        await recordEvent(tx, {
          type: 'access.revocation_failed',
          subject: `employee:${task.payload.employeeId}`,
          data: {
            employeeId: task.payload.employeeId,
            workflowId: task.payload.workflowId,
            taskId: task.id,
            reason: task.payload.reason,
            attempts: task.attempt,
            failure: 'HUB_REFUSED',
            hubStatus: typeof failure.result?.hubStatus === 'number' ? failure.result.hubStatus : null,
          },
        });
      },
    });
    await runner(handler).runDue();
    const [event] = (await listEvents(db(), { first: 10, type: 'access.revocation_failed' })).events;
    expect(event?.data).toMatchObject({ taskId: id, failure: 'HUB_REFUSED', hubStatus: 403 });
    expect(await findEvent(db(), event?.id ?? '')).toMatchObject({ state: 'pending' });
  });
});

function never(): never {
  throw new Error('expected a value');
}
