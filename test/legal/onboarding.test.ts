import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTask, createTemplate, taskFields, workflowFields, type TaskResult, type WorkflowResult } from '../workflows/fixtures.js';
import { hireSigner, policy, startLegalWorld, type LegalWorld } from './fixtures.js';

// Onboarding: a task of kind ACKNOWLEDGE_POLICIES completes by itself once the new hire has
// acknowledged every policy that applies to them (counted on their start date), when Legal
// confirms the last one, or at the next sync when what was missing is no longer required.

let world: LegalWorld;
const startDate = '2026-07-06';

type Person = Awaited<ReturnType<typeof hireSigner>>;

async function onboardingOf(person: Person): Promise<WorkflowResult & { tasks: (TaskResult & { kind: string })[] }> {
  const response = await world.app.gql<{ employee: { workflows: (WorkflowResult & { tasks: (TaskResult & { kind: string })[] })[] } }>(
    /* GraphQL */ `query($id: ID!) { employee(id: $id) { workflows(kinds: [ONBOARDING]) { ${workflowFields} tasks { ${taskFields} kind } } } }`,
    { id: person.id },
  );
  expect(response.errors).toBeUndefined();
  const [workflow] = response.data?.employee.workflows ?? [];
  if (!workflow) throw new Error('no onboarding');
  return workflow;
}

function task(workflow: { tasks: (TaskResult & { kind: string })[] }, title: string) {
  const found = workflow.tasks.find((candidate) => candidate.title === title);
  if (!found) throw new Error(`no task ${title}`);
  return found;
}

async function acknowledgeInLegal(person: Person, policyId: string, at: string) {
  const answer = await world.legal.sendCallback({
    acknowledgementId: `ack-${policyId}-${person.hubUserId}`,
    policyId,
    policyVersion: '1',
    signer: { hubUserId: person.hubUserId, email: person.email },
    status: 'ACKNOWLEDGED',
    occurredAt: at,
    vaultDocumentId: `vault-${policyId}-${person.hubUserId}`,
  });
  expect(answer).toEqual({ status: 200, body: { status: 'applied' } });
}

beforeAll(async () => {
  world = await startLegalWorld({ today: '2026-06-15' });
  world.legal.setPolicies([
    policy({ id: 'pol-conduct', title: 'Code of Conduct' }),
    policy({ id: 'pol-security', title: 'Security Policy', audience: { all: false, departments: ['ENG'] } }),
    policy({ id: 'pol-sales', title: 'Sales Ethics', audience: { all: false, departments: ['SAL'] } }),
  ]);
  expect(await world.syncNow()).toMatchObject({ ok: true });
  await createTemplate(world.app, {
    kind: 'ONBOARDING',
    name: 'Company onboarding',
    tasks: [
      { title: 'Welcome meeting', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
      { title: 'Acknowledge the company policies', assigneeKind: 'EMPLOYEE', dueOffsetDays: 3, kind: 'ACKNOWLEDGE_POLICIES' },
    ],
  });
});

afterAll(async () => {
  await world?.close();
});

describe('an onboarding task of kind ACKNOWLEDGE_POLICIES', () => {
  it('completes by itself when Legal confirms the last policy that applies to the new hire', async () => {
    // Starting in three weeks: the policies that apply on the start date count.
    const newHire = await hireSigner(world.app, 'Nia Newcomer', { departmentId: world.org.departments.engineering, locationId: world.org.locations.berlin, hireDate: startDate });
    let onboarding = await onboardingOf(newHire);
    expect(task(onboarding, 'Acknowledge the company policies')).toMatchObject({ kind: 'ACKNOWLEDGE_POLICIES', state: 'OPEN' });
    expect(task(onboarding, 'Welcome meeting')).toMatchObject({ kind: 'MANUAL', state: 'OPEN' });

    await acknowledgeInLegal(newHire, 'pol-conduct', '2026-06-15T10:00:00.000Z');
    onboarding = await onboardingOf(newHire);
    expect(task(onboarding, 'Acknowledge the company policies').state).toBe('OPEN');

    await acknowledgeInLegal(newHire, 'pol-security', '2026-06-15T10:05:00.000Z');
    onboarding = await onboardingOf(newHire);
    expect(task(onboarding, 'Acknowledge the company policies')).toMatchObject({
      state: 'DONE',
      completedBy: null,
      completedAt: world.app.clock.now().toISOString(),
      note: expect.stringContaining('every policy that applies'),
    });
    // The other task is a person's: the onboarding goes on until it is done.
    expect(onboarding.state).toBe('ACTIVE');
    const history = await world.app.gql<{ workflow: { history: { kind: string; recordedBy: string; task: { title: string } | null }[] } }>(
      /* GraphQL */ `query($id: ID!) { workflow(id: $id) { history { kind recordedBy task { title } } } }`,
      { id: onboarding.id },
    );
    expect(history.data?.workflow.history).toContainEqual({ kind: 'TASK_COMPLETED', recordedBy: 'system:legal', task: { title: 'Acknowledge the company policies' } });

    const { workflow } = await completeTask(world.app, task(onboarding, 'Welcome meeting').id);
    expect(workflow.state).toBe('COMPLETED');
  });

  it('completes at the next sync when what was missing is no longer required (a policy Legal withdrew)', async () => {
    const seller = await hireSigner(world.app, 'Sol Seller', { departmentId: world.org.departments.sales, locationId: world.org.locations.newYork, hireDate: startDate });
    await acknowledgeInLegal(seller, 'pol-conduct', '2026-06-15T11:00:00.000Z');
    expect(task(await onboardingOf(seller), 'Acknowledge the company policies').state).toBe('OPEN');
    // Sales Ethics is withdrawn: Code of Conduct, acknowledged, is all that applies now.
    world.legal.setPolicies(world.legal.policies.filter((entry) => entry.id !== 'pol-sales'));
    expect(await world.syncNow()).toMatchObject({ ok: true });
    expect(task(await onboardingOf(seller), 'Acknowledge the company policies').state).toBe('DONE');
  });

  it('stays open while a policy that applies is not acknowledged, whatever else Legal confirms', async () => {
    const engineer = await hireSigner(world.app, 'Eli Engineer', { departmentId: world.org.departments.engineering, locationId: world.org.locations.newYork, hireDate: startDate });
    await acknowledgeInLegal(engineer, 'pol-security', '2026-06-15T11:30:00.000Z');
    await world.syncNow();
    expect(task(await onboardingOf(engineer), 'Acknowledge the company policies').state).toBe('OPEN');
  });
});
