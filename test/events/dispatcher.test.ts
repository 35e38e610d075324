import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBusClient, type BusClient } from '../../src/events/bus-client.js';
import {
  createOutboxDispatcher,
  createPostgresListener,
  type OutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../../src/events/dispatcher.js';
// The outbox machinery is exercised with types outside the catalog: the catalog-free insert.
import { claimDueEvents, findEvent, insertOutboxEvent as recordEvent, listEvents, redriveEvent } from '../../src/events/outbox.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger, employeeEvent, postgresUrlOf, recordCommitted, secondHandle, sleep } from './helpers.js';

// The dispatcher against a real HTTP Bus simulator, on PGlite and (TEST_DATABASE_URL) PostgreSQL.

let database: TestDatabase;
let bus: BusSimulator;
const dispatchers: OutboxDispatcher[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  if (database) await database.drop();
});
beforeEach(async () => {
  await database.handle.db.delete(outboxEvents);
  bus = await startBusSimulator();
});
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
  await bus.close();
});

const db = () => database.handle.db;

function busClient(overrides: { integrationKey?: string; timeoutMs?: number } = {}): BusClient {
  return createBusClient({
    url: bus.url,
    integrationKey: overrides.integrationKey ?? bus.integrationKey,
    timeoutMs: overrides.timeoutMs ?? 2_000,
  });
}

/** A dispatcher with test-sized delays; jitter pinned to 0 so a failed event is due again at once. */
function dispatcher(options: Partial<OutboxDispatcherOptions> = {}): OutboxDispatcher {
  const created = createOutboxDispatcher({
    db: db(),
    kind: database.handle.kind,
    bus: busClient(),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    baseDelayMs: 1,
    maxDelayMs: 5,
    random: () => 0,
    ...options,
  });
  dispatchers.push(created);
  return created;
}

function subjectOf(id: string): string {
  return `employee:${id}`;
}

/** Ids the simulator accepted for one subject, in arrival order. */
function receivedFor(subject: string): string[] {
  return bus.received.filter((event) => event.envelope.subject === subject).map((event) => event.envelope.id);
}

function expectNoDuplicates(): void {
  const ids = bus.receivedIds();
  expect(new Set(ids).size).toBe(ids.length);
  expect(bus.requests.filter((request) => request.status === 409)).toEqual([]);
}

describe('delivery', () => {
  it('sends the envelope with the integration key and the event id as Idempotency-Key, then marks it delivered', async () => {
    const employeeId = randomUUID();
    const occurredAt = new Date('2026-06-15T09:30:00.000Z');
    const [id] = await recordCommitted(db(), [
      {
        type: 'employee.hired',
        subject: subjectOf(employeeId),
        data: { employeeId, changedFields: ['status'] },
        occurredAt,
        schemaVersion: 2,
      },
    ]);

    expect(await dispatcher().drainOnce()).toBe(1);

    expect(bus.received).toEqual([
      {
        envelope: {
          id,
          type: 'employee.hired',
          occurredAt: '2026-06-15T09:30:00.000Z',
          source: 'people',
          subject: subjectOf(employeeId),
          schemaVersion: 2,
          data: { employeeId, changedFields: ['status'] },
        },
        headers: { integrationKey: bus.integrationKey, idempotencyKey: id, contentType: 'application/json' },
      },
    ]);
    const stored = await findEvent(db(), id ?? '');
    expect(stored).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    expect(stored?.deliveredAt).toBeInstanceOf(Date);
    expect(await dispatcher().drainOnce()).toBe(0);
    expect(bus.requests).toHaveLength(1);
  });

  it('never delivers an event recorded in a transaction that rolled back', async () => {
    const failure = new Error('the change failed');
    await expect(
      db().transaction(async (tx) => {
        await recordEvent(tx, employeeEvent(randomUUID()));
        throw failure;
      }),
    ).rejects.toBe(failure);
    const [committed] = await recordCommitted(db(), [employeeEvent(randomUUID())]);

    expect(await dispatcher().drainOnce()).toBe(1);
    expect(bus.receivedIds()).toEqual([committed]);
    expect(bus.requests).toHaveLength(1);
  });

  it('keeps order per subject: later events wait for an earlier one that is being retried', async () => {
    const x = subjectOf(randomUUID());
    const y = subjectOf(randomUUID());
    const [x1, x2, x3] = await recordCommitted(db(), [
      { ...employeeEvent('a'), subject: x },
      { ...employeeEvent('b'), subject: x },
      { ...employeeEvent('c'), subject: x },
    ]);
    const [y1] = await recordCommitted(db(), [{ ...employeeEvent('d'), subject: y }]);
    bus.failNext(2, { subject: x });
    const outbox = dispatcher();

    // Round 1: x1 fails, x2 and x3 are not even tried; y is not held up by x.
    expect(await outbox.drainOnce()).toBe(1);
    expect(bus.receivedIds()).toEqual([y1]);
    expect(bus.requests.filter((request) => request.subject === x).map((request) => request.idempotencyKey)).toEqual([x1]);
    // Round 2: x1 fails again.
    expect(await outbox.drainOnce()).toBe(0);
    expect(await findEvent(db(), x1 ?? '')).toMatchObject({ state: 'pending', attempts: 2, lastError: 'Bus answered HTTP 503' });
    // Round 3: x1 goes through, which unblocks x2, then x3, in the same drain.
    expect(await outbox.drainOnce()).toBe(3);
    expect(receivedFor(x)).toEqual([x1, x2, x3]);
    expectNoDuplicates();
  });

  it('survives Bus being down for a while: every event delivered, none twice, order kept per subject', async () => {
    await bus.down();
    const subjects = Array.from({ length: 4 }, () => subjectOf(randomUUID()));
    const expected = new Map<string, string[]>(subjects.map((subject) => [subject, []]));
    for (let round = 0; round < 5; round += 1) {
      for (const subject of subjects) {
        const [id] = await recordCommitted(db(), [{ ...employeeEvent(String(round)), subject }]);
        expected.get(subject)?.push(id ?? '');
      }
    }
    const outbox = dispatcher({ baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 1_000, random: Math.random, pollIntervalMs: 20 });
    await outbox.start();
    // Let it fail for a while: until some events have been tried more than once.
    let whileDown = await listEvents(db(), { first: 100, state: 'pending' });
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      if (whileDown.events.some((event) => event.attempts > 2)) break;
      await sleep(20);
      whileDown = await listEvents(db(), { first: 100, state: 'pending' });
    }
    expect(whileDown.events).toHaveLength(20);
    expect(Math.max(...whileDown.events.map((event) => event.attempts))).toBeGreaterThan(2);
    expect(whileDown.events.find((event) => event.attempts > 0)?.lastError).toBe('Bus unreachable (ECONNREFUSED)');
    expect(outbox.status()).toMatchObject({ busConfigured: true, running: true, lastFailure: 'Bus unreachable (ECONNREFUSED)' });

    await bus.up();
    await bus.waitForReceived(20);
    await outbox.stop();

    expectNoDuplicates();
    for (const subject of subjects) expect(receivedFor(subject)).toEqual(expected.get(subject));
    expect((await listEvents(db(), { first: 100, state: 'delivered' })).events).toHaveLength(20);
    expect(outbox.status()).toMatchObject({ running: false, consecutiveFailures: 0 });
  });

  it('wakes up for a new event without waiting for the slow poll (NOTIFY on PostgreSQL, polling on PGlite)', async () => {
    const url = await postgresUrlOf(database.handle);
    const outbox = url
      ? dispatcher({ listen: createPostgresListener(url), pollIntervalMs: 60_000 })
      : dispatcher({ pollIntervalMs: 25 });
    await outbox.start();
    expect(outbox.status().listening).toBe(url !== null);
    await sleep(50); // the loop's first pass finds nothing and goes to sleep
    const started = Date.now();
    const [id] = await recordCommitted(db(), [employeeEvent(randomUUID())]);
    await bus.waitForReceived(1, 5_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(bus.receivedIds()).toEqual([id]);
  });

  it('on stop, waits for the batch in flight to be published and settled', async () => {
    bus.setLatency(300);
    const outbox = dispatcher({ pollIntervalMs: 10 });
    await outbox.start();
    const [id] = await recordCommitted(db(), [employeeEvent(randomUUID())]);
    const deadline = Date.now() + 5_000;
    while (bus.inFlight() === 0 && Date.now() < deadline) await sleep(5);
    expect(bus.inFlight()).toBe(1);

    await outbox.stop();
    expect(await findEvent(db(), id ?? '')).toMatchObject({ state: 'delivered' });
    expect(outbox.status().running).toBe(false);
    expect(await outbox.drainOnce()).toBe(0);
  });
});

describe('a Bus slower than the timeout', () => {
  /** Copies of each event the Bus was sent (accepted or answered 409), once none is in flight. */
  async function copiesSent(ids: readonly string[]): Promise<number[]> {
    for (const deadline = Date.now() + 10_000; bus.inFlight() > 0 && Date.now() < deadline; ) await sleep(10);
    return ids.map((id) => bus.requests.filter((request) => request.idempotencyKey === id).length);
  }

  it('waits longer at each attempt, so every event is delivered, none dead, with few copies; later events go once', async () => {
    // The Bus takes each event but answers after 600 ms; People gives up after 250 ms at first.
    bus.setLatency(600);
    const log = captureLogger();
    const outbox = dispatcher({ bus: busClient({ timeoutMs: 250 }), maxAttempts: 5, logger: log.logger });
    const first = await recordCommitted(
      db(),
      Array.from({ length: 5 }, () => employeeEvent(randomUUID())),
    );

    expect(await outbox.drainOnce()).toBe(0);
    const inDoubt = await findEvent(db(), first[0] ?? '');
    expect(inDoubt).toMatchObject({ state: 'pending', attempts: 1 });
    expect(inDoubt?.lastError).toContain('in doubt');
    for (let round = 2; round <= 5; round += 1) {
      if ((await outbox.backlog()).pending === 0) break;
      await outbox.drainOnce();
    }

    for (const id of first) expect(await findEvent(db(), id)).toMatchObject({ state: 'delivered' });
    expect(await outbox.backlog()).toMatchObject({ pending: 0, dead: 0 });
    // Each timed-out attempt was a copy the Bus kept (it answers the next ones 409): a few at most.
    for (const copies of await copiesSent(first)) expect(copies).toBeLessThanOrEqual(3);
    expect(bus.received.map((event) => event.envelope.id).sort()).toEqual([...first].sort());

    // The dispatcher now knows the Bus is slow: new events go out once, at the first attempt.
    const later = await recordCommitted(
      db(),
      Array.from({ length: 5 }, () => employeeEvent(randomUUID())),
    );
    expect(await outbox.drainOnce()).toBe(5);
    expect(await copiesSent(later)).toEqual([1, 1, 1, 1, 1]);
    expect(log.entries.some((entry) => entry.level === 40 && entry.msg.includes('Bus is slower than'))).toBe(true);
  });
});

describe('dead letters', () => {
  it('marks an event dead after maxAttempts, logs it, lists it, and delivers it once re-driven', async () => {
    const log = captureLogger();
    const outbox = dispatcher({ maxAttempts: 3, logger: log.logger });
    const [id] = await recordCommitted(db(), [employeeEvent(randomUUID())]);
    bus.failUntilRecovered({ status: 503 });

    for (let attempt = 1; attempt <= 3; attempt += 1) expect(await outbox.drainOnce()).toBe(0);
    expect(await outbox.drainOnce()).toBe(0);
    expect(bus.requests).toHaveLength(3);

    const dead = await listEvents(db(), { first: 10, state: 'dead' });
    expect(dead.events.map((event) => event.id)).toEqual([id]);
    expect(dead.events[0]).toMatchObject({ attempts: 3, lastError: 'Bus answered HTTP 503', deliveredAt: null });
    const errors = log.entries.filter((entry) => entry.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ eventId: id, attempt: 3, error: 'Bus answered HTTP 503' });
    expect(log.entries.filter((entry) => entry.level === 40)).toHaveLength(2);
    expect(await outbox.backlog()).toMatchObject({ pending: 0, dead: 1 });

    bus.recover();
    expect(await redriveEvent(db(), id ?? '')).toBe(true);
    expect(await outbox.drainOnce()).toBe(1);
    expect(bus.receivedIds()).toEqual([id]);
    expect(await findEvent(db(), id ?? '')).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
  });

  it('does not let a dead event hold back the later events of its subject', async () => {
    const subject = subjectOf(randomUUID());
    const [first, second] = await recordCommitted(db(), [
      { ...employeeEvent('1'), subject },
      { ...employeeEvent('2'), subject },
    ]);
    bus.failNext(1, { subject });
    const outbox = dispatcher({ maxAttempts: 1 });

    expect(await outbox.drainOnce()).toBe(1);
    expect(bus.receivedIds()).toEqual([second]);
    expect(await findEvent(db(), first ?? '')).toMatchObject({ state: 'dead', attempts: 1 });
  });

  it('dead-letters an event the Bus refuses as such (422) at the first attempt', async () => {
    const [id] = await recordCommitted(db(), [employeeEvent(randomUUID())]);
    bus.failNext(1, { status: 422 });
    expect(await dispatcher({ maxAttempts: 5 }).drainOnce()).toBe(0);
    expect(await findEvent(db(), id ?? '')).toMatchObject({ state: 'dead', attempts: 1 });
  });

  it('keeps events pending, attempts unspent, when the Bus refuses People’s key (and never logs the key)', async () => {
    const log = captureLogger();
    const wrongKey = 'wrong-key-never-to-be-logged';
    const outbox = dispatcher({
      bus: busClient({ integrationKey: wrongKey }),
      logger: log.logger,
      maxAttempts: 2,
      maxDelayMs: 60_000,
    });
    const [id] = await recordCommitted(db(), [employeeEvent(randomUUID())]);

    expect(await outbox.drainOnce()).toBe(0);
    const event = await findEvent(db(), id ?? '');
    expect(event).toMatchObject({ state: 'pending', attempts: 0, lastError: 'Bus answered HTTP 401' });
    // Postponed by maxDelayMs, not hammered.
    expect((event?.nextAttemptAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(30_000);
    expect(await outbox.drainOnce()).toBe(0);
    expect(bus.requests).toHaveLength(1);
    expect(log.entries.filter((entry) => entry.level === 50)).toHaveLength(1);
    expect(log.text()).not.toContain(wrongKey);
    expect(log.text()).not.toContain(bus.integrationKey);
  });
});

describe('scheduling and leases', () => {
  it('holds an event until deliverAfter, without holding back later events of its subject', async () => {
    const subject = subjectOf(randomUUID());
    const deliverAfter = new Date(Date.now() + 400);
    const [scheduled] = await recordCommitted(db(), [{ ...employeeEvent('later'), subject, deliverAfter }]);
    const [now] = await recordCommitted(db(), [{ ...employeeEvent('now'), subject }]);
    const outbox = dispatcher();

    expect(await outbox.drainOnce()).toBe(1);
    expect(bus.receivedIds()).toEqual([now]);
    await sleep(Math.max(0, deliverAfter.getTime() - Date.now()) + 50);
    expect(await outbox.drainOnce()).toBe(1);
    expect(bus.receivedIds()).toEqual([now, scheduled]);
  });

  it('retries the events a crashed dispatcher had claimed once their lease expires', async () => {
    const ids = await recordCommitted(db(), [employeeEvent(randomUUID()), employeeEvent(randomUUID())]);
    // A dispatcher claims them and dies before publishing.
    const claimed = await claimDueEvents(db(), { limit: 10, leaseMs: 300 });
    expect(claimed.map((event) => event.id).sort()).toEqual([...ids].sort());

    const survivor = dispatcher();
    expect(await survivor.drainOnce()).toBe(0);
    expect(bus.requests).toEqual([]);
    await sleep(400);
    expect(await survivor.drainOnce()).toBe(2);
    expect(bus.receivedIds().sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await findEvent(db(), id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('refuses a lease that does not outlast the Bus timeout', () => {
    expect(() => dispatcher({ bus: busClient({ timeoutMs: 5_000 }), leaseMs: 5_000 })).toThrow(RangeError);
  });
});

describe('without a Bus (BUS_API_URL unset)', () => {
  it('delivers nothing, leaves events pending and says so in its status', async () => {
    const log = captureLogger();
    const outbox = dispatcher({ bus: null, logger: log.logger });
    await recordCommitted(db(), [employeeEvent(randomUUID()), employeeEvent(randomUUID())]);

    await outbox.start();
    expect(await outbox.drainOnce()).toBe(0);
    expect(outbox.status()).toMatchObject({ busConfigured: false, running: false });
    expect(await outbox.backlog()).toMatchObject({ pending: 2, dead: 0 });
    expect((await listEvents(db(), { first: 10, state: 'pending' })).events.map((event) => event.attempts)).toEqual([0, 0]);
    expect(log.entries.some((entry) => entry.level === 40 && entry.msg.includes('BUS_API_URL'))).toBe(true);
    await outbox.stop();
    expect(bus.requests).toEqual([]);
  });
});

describe('several dispatchers', () => {
  it('draining one database concurrently never deliver an event twice, and keep order per subject', async () => {
    // On PostgreSQL each dispatcher has its own connection pool (as replicas would); PGlite is a
    // single connection, so there they share it, which still proves claims do not overlap.
    const other = await secondHandle(database.handle);
    try {
      const subjects = Array.from({ length: 12 }, () => subjectOf(randomUUID()));
      const expected = new Map<string, string[]>(subjects.map((subject) => [subject, []]));
      await db().transaction(async (tx) => {
        for (let round = 0; round < 10; round += 1) {
          for (const subject of subjects) {
            expected.get(subject)?.push(await recordEvent(tx, { ...employeeEvent(String(round)), subject }));
          }
        }
      });
      bus.setLatency(5);
      bus.failNext(15);
      const first = dispatcher({ batchSize: 5 });
      const second = dispatcher({ db: other.handle.db, batchSize: 5 });

      // Independent workers, each draining again as soon as it is done, so claims and publishes
      // of different dispatchers interleave freely.
      let delivered = 0;
      const deadline = Date.now() + 20_000;
      const worker = async (outbox: OutboxDispatcher): Promise<void> => {
        while (delivered < 120 && Date.now() < deadline) {
          const count = await outbox.drainOnce(); // (not `delivered += await …`: that reads `delivered` first)
          delivered += count;
          await sleep(1);
        }
      };
      await Promise.all([worker(first), worker(second), worker(first), worker(second)]);

      expect(delivered).toBe(120);
      expect(bus.received).toHaveLength(120);
      expectNoDuplicates();
      for (const subject of subjects) expect(receivedFor(subject)).toEqual(expected.get(subject));
      const remaining = await db()
        .select({ count: sql<number>`count(*)::int` })
        .from(outboxEvents)
        .where(sql`${outboxEvents.state} <> 'delivered'`);
      expect(remaining[0]?.count).toBe(0);
    } finally {
      await other.close();
    }
  });
});
