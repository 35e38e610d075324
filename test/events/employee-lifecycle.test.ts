import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLifecycleCheck, startLifecycleScheduler } from '../../src/employees/employee.lifecycle.js';
import { createBusClient } from '../../src/events/bus-client.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/events/dispatcher.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
import { createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

// employee.hired and employee.terminated reach Bus when the change takes effect, from the
// mutation when it is in effect already, from the scheduler when its day comes.

let app: TestApp;
let bus: BusSimulator;
let dispatcher: OutboxDispatcher;
let org: OrgBasics;
const silent = pino({ level: 'silent' });

const statusMutation = `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }`;

async function changeStatus(input: Record<string, unknown>): Promise<void> {
  const response = await app.gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(statusMutation, { input });
  expect(response.data?.changeEmployeeStatus.userErrors).toEqual([]);
}

/** Delivers what is due and answers the lifecycle events Bus holds for one employee. */
async function lifecycleEventsOf(employeeId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  while ((await dispatcher.drainOnce()) > 0) {
    // keep delivering until nothing is due
  }
  return bus.received
    .map((received) => received.envelope)
    .filter((envelope) => envelope.subject === `employee:${employeeId}` && envelope.type.startsWith('employee.'))
    .map((envelope) => ({ type: envelope.type, data: envelope.data }));
}

/** What the scheduler runs at each tick. */
function runScheduler(): Promise<number> {
  return runLifecycleCheck({ db: app.database.db, clock: app.clock, logger: silent });
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  bus = await startBusSimulator();
  dispatcher = createOutboxDispatcher({
    db: app.database.db,
    kind: app.database.kind,
    bus: createBusClient({ url: bus.url, integrationKey: bus.integrationKey }),
    logger: silent,
    baseDelayMs: 1,
    maxDelayMs: 5,
  });
  org = await createOrgBasics(app);
});
afterAll(async () => {
  await dispatcher.stop();
  await bus.close();
  await app.close();
});

describe('employee.hired', () => {
  it('goes out with the hire, thin: ids, status and date, no personal data', async () => {
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      hireDate: '2026-06-01',
      firstName: 'Privata',
      lastName: 'Persona',
      hubUserId: 'hub-privata',
      personalEmail: 'privata@home.example',
    });
    const events = await lifecycleEventsOf(person.id);
    expect(events).toEqual([
      {
        type: 'employee.hired',
        data: {
          employeeId: person.id,
          hubUserId: 'hub-privata',
          status: 'ACTIVE',
          previousStatus: null,
          effectiveDate: '2026-06-01',
          changedFields: ['status'],
        },
      },
    ]);
    const raw = JSON.stringify(bus.received);
    for (const secret of ['Privata', 'Persona', 'privata@home.example', person.email]) expect(raw).not.toContain(secret);
    const envelope = bus.received.find((received) => received.envelope.subject === `employee:${person.id}`)?.envelope;
    expect(envelope).toMatchObject({ source: 'people', schemaVersion: 1, type: 'employee.hired' });
  });

  it('for a future hire, goes out on the start date and not before', async () => {
    app.clock.set('2026-06-15');
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: '2026-07-01' });
    expect(await lifecycleEventsOf(person.id)).toEqual([]);
    app.clock.set('2026-06-30');
    expect(await runScheduler()).toBe(0);
    app.clock.set('2026-07-01');
    expect(await runScheduler()).toBe(1);
    expect((await lifecycleEventsOf(person.id)).map((event) => [event.type, event.data.previousStatus])).toEqual([
      ['employee.hired', 'PRE_HIRE'],
    ]);
    app.clock.set('2026-06-15');
  });
});

describe('employee.terminated', () => {
  it('for a termination keyed today with an earlier date, goes out at once', async () => {
    app.clock.set('2026-06-15');
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: '2020-01-01' });
    await changeStatus({ id: person.id, status: 'TERMINATED', effectiveDate: '2026-06-12' });
    expect((await lifecycleEventsOf(person.id)).map((event) => event.type)).toEqual(['employee.hired', 'employee.terminated']);
  });

  it('for a resignation dated next Friday, goes out next Friday, once, even with two schedulers', async () => {
    app.clock.set('2026-06-15');
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: '2021-01-01' });
    await changeStatus({ id: person.id, status: 'RESIGNED', effectiveDate: '2026-06-19' });
    expect((await lifecycleEventsOf(person.id)).map((event) => event.type)).toEqual(['employee.hired']);
    app.clock.set('2026-06-18');
    await runScheduler();
    expect((await lifecycleEventsOf(person.id)).map((event) => event.type)).toEqual(['employee.hired']);
    app.clock.set('2026-06-19');
    const emitted = await Promise.all([runScheduler(), runScheduler()]);
    expect(emitted.reduce((sum, count) => sum + count, 0)).toBe(1);
    const events = await lifecycleEventsOf(person.id);
    expect(events.map((event) => event.type)).toEqual(['employee.hired', 'employee.terminated']);
    expect(events[1]?.data).toMatchObject({ status: 'RESIGNED', previousStatus: 'ACTIVE', effectiveDate: '2026-06-19' });
    app.clock.set('2026-06-15');
  });

  it('leave and return are not hires or terminations; a rehire is a hire', async () => {
    app.clock.set('2026-06-15');
    const person = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2019-01-01' });
    await changeStatus({ id: person.id, status: 'ON_LEAVE', effectiveDate: '2026-01-01' });
    await changeStatus({ id: person.id, status: 'ACTIVE', effectiveDate: '2026-03-01' });
    await changeStatus({ id: person.id, status: 'TERMINATED', effectiveDate: '2026-04-30' });
    await changeStatus({ id: person.id, status: 'ACTIVE', effectiveDate: '2026-06-01' });
    expect((await lifecycleEventsOf(person.id)).map((event) => event.type)).toEqual([
      'employee.hired',
      'employee.terminated',
      'employee.hired',
    ]);
  });
});

describe('the scheduler', () => {
  it('checks at start and then on its interval, and stops cleanly', async () => {
    app.clock.set('2026-06-15');
    const person = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2026-08-03' });
    app.clock.set('2026-08-03');
    const scheduler = startLifecycleScheduler({ db: app.database.db, clock: app.clock, logger: silent, intervalMs: 1_000 });
    try {
      await expect.poll(async () => (await lifecycleEventsOf(person.id)).map((event) => event.type), { timeout: 10_000 }).toEqual([
        'employee.hired',
      ]);
    } finally {
      await scheduler.stop();
      app.clock.set('2026-06-15');
    }
  });
});

describe('admin replay', () => {
  it('lists events with their delivery state to an Admin only', async () => {
    const listed = await app.gql<{ outboxEvents: { nodes: { type: string; state: string; data: string }[] } }>(
      `{ outboxEvents(type: "employee.hired", first: 5) { nodes { id type subject state attempts deliveredAt data } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data?.outboxEvents.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => node.type === 'employee.hired' && node.state === 'DELIVERED')).toBe(true);
    expect(JSON.parse(nodes[0]?.data ?? '{}')).toHaveProperty('employeeId');
    const asHr = await app.gql(`{ outboxEvents { nodes { id } } }`, undefined, await app.as({ roles: ['HR Manager'] }));
    expect(asHr.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('re-drives only dead events, with typed errors otherwise', async () => {
    const listed = await app.gql<{ outboxEvents: { nodes: { id: string }[] } }>(`{ outboxEvents(first: 1) { nodes { id } } }`);
    const delivered = listed.data?.outboxEvents.nodes[0]?.id;
    const redrive = `mutation($id: ID!) { redriveOutboxEvent(id: $id) { event { state } userErrors { code field } } }`;
    const notDead = await app.gql(redrive, { id: delivered });
    expect(notDead.data).toEqual({ redriveOutboxEvent: { event: null, userErrors: [{ code: 'EVENT_NOT_DEAD', field: ['id'] }] } });
    const unknown = await app.gql(redrive, { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.data).toEqual({ redriveOutboxEvent: { event: null, userErrors: [{ code: 'EVENT_NOT_FOUND', field: ['id'] }] } });
  });
});
