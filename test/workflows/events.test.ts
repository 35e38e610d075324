import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusClient } from '../../src/events/bus-client.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/events/dispatcher.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { completeTask, createTemplate, mutate, mutations, startOffboarding, succeed, taskTitled, workflowsOf } from './fixtures.js';

// Every workflow event reaches Bus (the simulator) through the outbox, thin: ids, kinds, dates,
// assignees by id; never a name, a task title or HR's reason.

let app: TestApp;
let bus: BusSimulator;
let dispatcher: OutboxDispatcher;
let org: OrgBasics;
let lead: CreatedEmployee;
let onboardingTemplate: { id: string };
let offboardingTemplate: { id: string };
const silent = pino({ level: 'silent' });

/** Delivers what is due and answers the events Bus holds about one workflow, in order. */
async function eventsOf(workflowId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  while ((await dispatcher.drainOnce()) > 0) {
    // keep delivering until nothing is due
  }
  return bus.received
    .map((received) => received.envelope)
    .filter((envelope) => envelope.subject === `workflow:${workflowId}`)
    .map((envelope) => ({ type: envelope.type, data: envelope.data }));
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
  lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2020-01-06', hubUserId: 'hub-lead' });
  onboardingTemplate = await createTemplate(app, {
    kind: 'ONBOARDING',
    name: 'Onboarding',
    tasks: [
      { title: 'Create accounts', assigneeKind: 'IT', dueOffsetDays: -2 },
      { title: 'Welcome meeting', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
      { title: 'Acknowledge policies', assigneeKind: 'EMPLOYEE', dueOffsetDays: 1 },
      { title: 'Directory groups', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
    ],
  });
  offboardingTemplate = await createTemplate(app, {
    kind: 'OFFBOARDING',
    name: 'Offboarding',
    tasks: [
      { title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -1 },
      { title: 'Return laptop', assigneeKind: 'EMPLOYEE', dueOffsetDays: -1 },
    ],
  });
});
afterAll(async () => {
  await dispatcher?.stop();
  await bus?.close();
  await app?.close();
});

describe('workflow events on Bus', () => {
  it('onboarding.started, workflow.task.assigned and workflow.completed, in order, thin', async () => {
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      managerId: lead.id,
      hireDate: '2026-07-01',
      hubUserId: 'hub-newcomer',
      firstName: 'Privata',
      lastName: 'Persona',
    });
    const [onboarding] = await workflowsOf(app, person.id);
    if (!onboarding) throw new Error('no onboarding');
    const accounts = taskTitled(onboarding, 'Create accounts');
    await succeed(app, mutations.reassign, 'reassignWorkflowTask', 'task', { id: accounts.id, assigneeId: lead.id, reason: 'Confidential project' });
    for (const task of onboarding.tasks ?? []) if (task.assigneeGroup !== 'SYSTEM') await completeTask(app, task.id, undefined, 'Secret note');

    const events = await eventsOf(onboarding.id);
    expect(events).toEqual([
      {
        type: 'onboarding.started',
        data: {
          workflowId: onboarding.id,
          employeeId: person.id,
          hubUserId: 'hub-newcomer',
          kind: 'ONBOARDING',
          urgency: 'STANDARD',
          anchorDay: '2026-07-01',
          startedVia: 'HIRE',
          templateId: onboardingTemplate.id,
          assigneeIds: [lead.id, person.id],
          assigneeGroups: ['IT'],
          taskCount: 4,
        },
      },
      {
        type: 'workflow.task.assigned',
        data: {
          workflowId: onboarding.id,
          taskId: accounts.id,
          employeeId: person.id,
          kind: 'ONBOARDING',
          assigneeId: lead.id,
          assigneeGroup: null,
          previousAssigneeId: null,
          previousAssigneeGroup: 'IT',
          dueDate: accounts.dueDate,
        },
      },
      {
        type: 'workflow.completed',
        data: {
          workflowId: onboarding.id,
          employeeId: person.id,
          hubUserId: 'hub-newcomer',
          kind: 'ONBOARDING',
          urgency: 'STANDARD',
          anchorDay: '2026-07-01',
          completedOn: '2026-06-15',
        },
      },
    ]);
    const raw = JSON.stringify(bus.received);
    for (const secret of ['Privata', 'Persona', person.email, 'Create accounts', 'Confidential project', 'Secret note']) expect(raw).not.toContain(secret);
    const envelope = bus.received.find((received) => received.envelope.type === 'onboarding.started')?.envelope;
    expect(envelope).toMatchObject({ source: 'people', schemaVersion: 1, subject: `workflow:${onboarding.id}` });
  });

  it('offboarding.started, and workflow.cancelled for the onboarding it replaces and when HR cancels it', async () => {
    const person = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, managerId: lead.id, hireDate: '2026-06-01' });
    const [onboarding] = await workflowsOf(app, person.id);
    if (!onboarding) throw new Error('no onboarding');
    const offboarding = await startOffboarding(app, { employeeId: person.id, lastDay: '2026-06-30', status: 'TERMINATED', reason: 'Did not pass probation' });
    await succeed(app, mutations.cancel, 'cancelWorkflow', 'workflow', { id: offboarding.id, reason: 'Decision reversed' });

    expect((await eventsOf(onboarding.id)).map((event) => event.type)).toEqual(['onboarding.started', 'workflow.cancelled']);
    expect((await eventsOf(onboarding.id))[1]?.data).toEqual({
      workflowId: onboarding.id,
      employeeId: person.id,
      kind: 'ONBOARDING',
      urgency: 'STANDARD',
      anchorDay: '2026-06-01',
      statusChangeCancelled: false,
    });
    const offboardingEvents = await eventsOf(offboarding.id);
    expect(offboardingEvents).toEqual([
      {
        type: 'offboarding.started',
        data: {
          workflowId: offboarding.id,
          employeeId: person.id,
          hubUserId: null,
          kind: 'OFFBOARDING',
          urgency: 'STANDARD',
          anchorDay: '2026-06-30',
          startedVia: 'HR',
          templateId: offboardingTemplate.id,
          assigneeIds: [person.id],
          assigneeGroups: ['HR'],
          taskCount: 2,
        },
      },
      {
        type: 'workflow.cancelled',
        data: {
          workflowId: offboarding.id,
          employeeId: person.id,
          kind: 'OFFBOARDING',
          urgency: 'STANDARD',
          anchorDay: '2026-06-30',
          statusChangeCancelled: true,
        },
      },
    ]);
    expect(JSON.stringify(bus.received)).not.toContain('probation');
  });

  it('nothing is recorded for a change that is refused', async () => {
    const before = bus.received.length;
    const refused = await mutate(app, mutations.startOffboarding, 'startOffboarding', { employeeId: lead.id, lastDay: '2026-06-30', status: 'RESIGNED', reason: 'Has reports' });
    expect(refused.userErrors).not.toEqual([]);
    await eventsOf('none');
    expect(bus.received.length).toBe(before);
  });
});
