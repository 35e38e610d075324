import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { addDays } from '../../src/timeoff/calendar.js';
import { startTestApp, type TestApp } from '../support/server.js';

// The demo organisation comes with realistic on- and offboarding templates, the people starting
// soon onboarding, and the scheduled resignation offboarding (started by its status change).

let app: TestApp;
const today = '2026-06-15';

interface ListedWorkflow {
  kind: string;
  state: string;
  startedVia: string;
  anchorDay: string;
  employee: { jobTitle: string | null; department: { code: string } | null };
  progress: { done: number; required: number };
  tasks: { title: string; assigneeGroup: string | null; assignee: { id: string } | null }[];
}

beforeAll(async () => {
  app = await startTestApp({ today });
  await seedDemoOrganisationIfEmpty(app.database.db, app.clock);
}, 180_000);
afterAll(() => app?.close());

describe('demo workflows', () => {
  it('has a company onboarding and offboarding template with the tasks an HR team expects', async () => {
    const response = await app.gql<{ workflowTemplates: { kind: string; name: string; tasks: { title: string; assigneeKind: string }[] }[] }>(
      '{ workflowTemplates { kind name tasks { title assigneeKind } } }',
    );
    const byKind = Object.fromEntries((response.data?.workflowTemplates ?? []).map((template) => [template.kind, template.tasks.map((task) => task.title).join(' | ')]));
    for (const word of ['accounts', 'laptop', 'Welcome', 'policy', 'First-week check-in']) expect(byKind.ONBOARDING).toContain(word);
    for (const word of ['Knowledge transfer', 'Return laptop', 'Exit interview', 'Final pay', 'Revoke access']) expect(byKind.OFFBOARDING).toContain(word);
  });

  it('onboards the people starting soon and offboards the scheduled resignation', async () => {
    const response = await app.gql<{ workflows: { nodes: ListedWorkflow[] } }>(`{
      workflows(first: 20) { nodes { kind state startedVia anchorDay employee { jobTitle department { code } } progress { done required }
        tasks { title assigneeGroup assignee { id } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const nodes = response.data?.workflows.nodes ?? [];
    const onboardings = nodes.filter((workflow) => workflow.kind === 'ONBOARDING');
    expect(onboardings.map((workflow) => [workflow.state, workflow.startedVia, workflow.anchorDay]).sort()).toEqual([
      ['ACTIVE', 'HR', addDays(today, 14)],
      ['ACTIVE', 'HR', addDays(today, 35)],
    ]);
    const soc = onboardings.find((workflow) => workflow.employee.department?.code === 'SOC');
    expect(soc?.progress.done).toBe(2);
    expect(soc?.tasks.map((task) => task.title)).toContain('Grant PSA and ticketing access');
    expect(soc?.tasks.map((task) => task.title)).not.toContain('Shadow a senior technician on the service desk');
    const [offboarding, ...others] = nodes.filter((workflow) => workflow.kind === 'OFFBOARDING');
    expect(others).toEqual([]);
    expect(offboarding).toMatchObject({ state: 'ACTIVE', startedVia: 'STATUS_CHANGE', anchorDay: addDays(today, 21), employee: { jobTitle: 'Network Engineer' } });
    expect(offboarding?.tasks.find((task) => task.title === 'Knowledge transfer and handover plan')?.assignee).not.toBeNull();
  });
});
