import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toEnvelope } from '../../src/events/envelope.js';
// The outbox machinery is exercised with types outside the catalog: the catalog-free insert
// (recordEvent's catalog checks are in event-catalog.test.ts).
import {
  countBacklog,
  findEvent,
  insertOutboxEvent as recordEvent,
  listEvents,
  maxEventDataBytes,
  redriveDeadEvents,
  redriveEvent,
} from '../../src/events/outbox.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { employeeEvent, recordCommitted } from './helpers.js';

// Recording events with the caller's transaction, and the admin functions over the outbox.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  if (database) await database.drop();
});
beforeEach(async () => {
  await database.handle.db.delete(outboxEvents);
});

const db = () => database.handle.db;

describe('recordEvent', () => {
  it('stores a pending event with defaults, inside the caller’s transaction', async () => {
    const employeeId = randomUUID();
    const [id] = await recordCommitted(db(), [
      { type: 'employee.hired', subject: `employee:${employeeId}`, data: { employeeId, changedFields: ['status'] } },
    ]);
    const event = await findEvent(db(), id ?? '');
    expect(event).toMatchObject({
      id,
      type: 'employee.hired',
      subject: `employee:${employeeId}`,
      data: { employeeId, changedFields: ['status'] },
      schemaVersion: 1,
      state: 'pending',
      attempts: 0,
      lastError: null,
      deliveredAt: null,
    });
    expect(event?.occurredAt).toBeInstanceOf(Date);
    expect(Math.abs((event?.occurredAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(event?.nextAttemptAt.getTime()).toBe(event?.deliverAfter.getTime());
  });

  it('keeps the given occurredAt, deliverAfter and schemaVersion', async () => {
    const occurredAt = new Date('2026-06-15T09:30:00.123Z');
    const deliverAfter = new Date('2030-01-01T00:00:00.000Z');
    const [id] = await recordCommitted(db(), [
      { ...employeeEvent(randomUUID()), occurredAt, deliverAfter, schemaVersion: 3 },
    ]);
    const event = await findEvent(db(), id ?? '');
    expect(event?.occurredAt.toISOString()).toBe(occurredAt.toISOString());
    expect(event?.deliverAfter.toISOString()).toBe(deliverAfter.toISOString());
    expect(event?.nextAttemptAt.toISOString()).toBe(deliverAfter.toISOString());
    expect(event?.schemaVersion).toBe(3);
    expect(event && toEnvelope(event)).toEqual({
      id,
      type: 'employee.updated',
      occurredAt: '2026-06-15T09:30:00.123Z',
      source: 'people',
      subject: event?.subject,
      schemaVersion: 3,
      data: event?.data,
    });
  });

  it('rolls back with the transaction that recorded it', async () => {
    const failure = new Error('the change failed');
    await expect(
      db().transaction(async (tx) => {
        await recordEvent(tx, employeeEvent(randomUUID()));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await listEvents(db(), { first: 10 })).events).toEqual([]);
  });

  it('refuses malformed events without recording anything', async () => {
    const good = employeeEvent(randomUUID());
    await expect(recordEvent(db(), { ...good, type: 'Employee Hired' })).rejects.toThrow(RangeError);
    await expect(recordEvent(db(), { ...good, type: '' })).rejects.toThrow(RangeError);
    await expect(recordEvent(db(), { ...good, subject: 'no-colon' })).rejects.toThrow(RangeError);
    await expect(recordEvent(db(), { ...good, subject: 'employee: spaced' })).rejects.toThrow(RangeError);
    await expect(recordEvent(db(), { ...good, schemaVersion: 0 })).rejects.toThrow(RangeError);
    await expect(recordEvent(db(), { ...good, occurredAt: new Date('nope') })).rejects.toThrow(RangeError);
    await expect(recordEvent(db(), { ...good, data: { blob: 'x'.repeat(maxEventDataBytes) } })).rejects.toThrow(
      /larger than/,
    );
    expect((await countBacklog(db())).pending).toBe(0);
  });

  it('accepts the integration catalogue’s names (login_success, employee.hired)', async () => {
    await recordEvent(db(), { type: 'login_success', subject: `user:${randomUUID()}`, data: {} });
    await recordEvent(db(), { type: 'employee.hired', subject: `employee:${randomUUID()}`, data: {} });
    expect((await countBacklog(db())).pending).toBe(2);
  });
});

describe('listEvents', () => {
  it('lists newest first, filters, and pages with cursors', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const ids = await recordCommitted(db(), [
      employeeEvent(a),
      { ...employeeEvent(b), type: 'employee.hired' },
      employeeEvent(a),
      employeeEvent(b),
      employeeEvent(a),
    ]);
    const newestFirst = [...ids].reverse();

    const all = await listEvents(db(), { first: 10 });
    expect(all.events.map((event) => event.id)).toEqual(newestFirst);
    expect(all.hasNextPage).toBe(false);

    const page1 = await listEvents(db(), { first: 2 });
    expect(page1.events.map((event) => event.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.hasNextPage).toBe(true);
    const page2 = await listEvents(db(), { first: 2, after: page1.endCursor });
    expect(page2.events.map((event) => event.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = await listEvents(db(), { first: 2, after: page2.endCursor });
    expect(page3.events.map((event) => event.id)).toEqual(newestFirst.slice(4));
    expect(page3.hasNextPage).toBe(false);

    expect((await listEvents(db(), { first: 10, subject: `employee:${a}` })).events).toHaveLength(3);
    expect((await listEvents(db(), { first: 10, type: 'employee.hired' })).events.map((event) => event.id)).toEqual([
      ids[1],
    ]);
    expect((await listEvents(db(), { first: 10, state: 'dead' })).events).toEqual([]);
    expect((await listEvents(db(), { first: 10, state: 'pending' })).events).toHaveLength(5);
  });

  it('refuses a bad page size or cursor', async () => {
    await expect(listEvents(db(), { first: 0 })).rejects.toThrow(RangeError);
    await expect(listEvents(db(), { first: 501 })).rejects.toThrow(RangeError);
    await expect(listEvents(db(), { first: 1.5 })).rejects.toThrow(RangeError);
    await expect(listEvents(db(), { first: 10, after: 'abc' })).rejects.toThrow(RangeError);
  });
});

describe('redriveEvent', () => {
  it('moves a dead event back to pending with attempts reset, and nothing else', async () => {
    const [deadId, pendingId] = await recordCommitted(db(), [employeeEvent(randomUUID()), employeeEvent(randomUUID())]);
    await db()
      .update(outboxEvents)
      .set({ state: 'dead', attempts: 10, lastError: 'Bus answered HTTP 503' })
      .where(sql`${outboxEvents.id} = ${deadId}`);
    expect(await countBacklog(db())).toMatchObject({ pending: 1, dead: 1 });

    expect(await redriveEvent(db(), pendingId ?? '')).toBe(false);
    expect(await redriveEvent(db(), randomUUID())).toBe(false);
    expect(await redriveEvent(db(), 'not-a-uuid')).toBe(false);
    expect(await redriveEvent(db(), (deadId ?? '').toUpperCase())).toBe(true);
    expect(await findEvent(db(), deadId ?? '')).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    expect(await redriveEvent(db(), deadId ?? '')).toBe(false);
    expect(await countBacklog(db())).toMatchObject({ pending: 2, dead: 0 });
  });

  it('re-drives every dead event of a type at once', async () => {
    await recordCommitted(db(), [employeeEvent(randomUUID()), employeeEvent(randomUUID()), employeeEvent(randomUUID())]);
    await db().update(outboxEvents).set({ state: 'dead' });
    expect(await redriveDeadEvents(db(), { type: 'employee.other' })).toBe(0);
    expect(await redriveDeadEvents(db(), { type: 'employee.updated' })).toBe(3);
    const backlog = await countBacklog(db());
    expect(backlog).toMatchObject({ pending: 3, dead: 0 });
    expect(backlog.oldestPendingAt).toBeInstanceOf(Date);
  });
});
