import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceHeaders } from '../support/server.js';
import {
  complianceQuery,
  employeeStatusesQuery,
  hireSigner,
  policy,
  startLegalWorld,
  type ComplianceAnswer,
  type LegalWorld,
  type StatusesAnswer,
} from './fixtures.js';

// The dashboard: counts from Legal's statuses (through the sync) and People's own audience rules
// (department, location, employment type, employed today, due dates from the hire date), and who
// sees what of it.

let world: LegalWorld;
type Person = Awaited<ReturnType<typeof hireSigner>>;
const people: Record<string, Person> = {};

const statusMutation = /* GraphQL */ `
  mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }
`;

beforeAll(async () => {
  world = await startLegalWorld({ today: '2026-06-15' });
  const { app, org, legal } = world;
  const { engineering, sales, people: peopleTeam } = org.departments;
  const { berlin, newYork } = org.locations;
  people.lead = await hireSigner(app, 'Lena Lead', { departmentId: engineering, locationId: berlin });
  people.alice = await hireSigner(app, 'Alice Adler', { departmentId: engineering, locationId: berlin, managerId: people.lead.id });
  people.bob = await hireSigner(app, 'Bob Brandt', { departmentId: engineering, locationId: newYork, managerId: people.lead.id });
  people.carol = await hireSigner(app, 'Carol Cruz', { departmentId: sales, locationId: berlin });
  people.dave = await hireSigner(app, 'Dave Dietz', { departmentId: sales, locationId: newYork, employmentType: 'CONTRACTOR' });
  people.erin = await hireSigner(app, 'Erin Engel', { departmentId: peopleTeam, locationId: berlin });
  // Hired after the policies took effect: their due dates run from the hire date.
  people.newHire = await hireSigner(app, 'Nina Neu', { departmentId: engineering, locationId: berlin, hireDate: '2026-06-10', managerId: people.lead.id });
  // Left in May, and starting in July: neither must acknowledge anything today.
  people.leaver = await hireSigner(app, 'Leo Left', { departmentId: engineering, locationId: berlin });
  const left = await app.gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(statusMutation, {
    input: { id: people.leaver.id, status: 'TERMINATED', effectiveDate: '2026-05-01', reason: 'test' },
  });
  expect(left.data?.changeEmployeeStatus.userErrors).toEqual([]);
  people.future = await hireSigner(app, 'Fritz Future', { departmentId: engineering, locationId: berlin, hireDate: '2026-07-01' });

  legal.setPolicies([
    // Everyone; due 2026-01-31 (or 30 days after a later hire date).
    policy({ id: 'pol-conduct', title: 'Code of Conduct', version: '2', effectiveDate: '2026-01-01', daysToAcknowledge: 30 }),
    // Engineering (by code) in the Berlin office (by name, any case); due 2026-06-11.
    policy({
      id: 'pol-security',
      title: 'Security Policy',
      effectiveDate: '2026-06-01',
      daysToAcknowledge: 10,
      audience: { all: false, departments: ['ENG', 'Research'], locations: ['berlin office'] },
    }),
    // Contractors; due 2026-06-19.
    policy({ id: 'pol-nda', title: 'Contractor NDA', effectiveDate: '2026-06-14', daysToAcknowledge: 5, audience: { all: false, employmentTypes: ['CONTRACTOR'] } }),
  ]);
  const signer = (person: Person) => ({ hubUserId: person.hubUserId, email: person.email });
  const at = new Date('2026-06-01T09:00:00Z');
  legal.record({ acknowledgementId: 'l-1', policyId: 'pol-conduct', policyVersion: '2', signer: signer(people.alice), status: 'ACKNOWLEDGED', vaultDocumentId: 'vault-1', updatedAt: at });
  legal.record({ acknowledgementId: 'l-2', policyId: 'pol-conduct', policyVersion: '2', signer: signer(people.bob), status: 'DECLINED', vaultDocumentId: null, updatedAt: at });
  // Carol acknowledged the previous version: that does not count for version 2.
  legal.record({ acknowledgementId: 'l-3', policyId: 'pol-conduct', policyVersion: '1', signer: signer(people.carol), status: 'ACKNOWLEDGED', vaultDocumentId: 'vault-3', updatedAt: at });
  legal.record({ acknowledgementId: 'l-4', policyId: 'pol-security', policyVersion: '1', signer: signer(people.alice), status: 'ACKNOWLEDGED', vaultDocumentId: 'vault-4', updatedAt: at });
  // The leaver had acknowledged: still not counted (they are not required any more).
  legal.record({ acknowledgementId: 'l-5', policyId: 'pol-conduct', policyVersion: '2', signer: signer(people.leaver), status: 'ACKNOWLEDGED', vaultDocumentId: 'vault-5', updatedAt: at });
  // Someone People does not know: ignored.
  legal.record({ acknowledgementId: 'l-6', policyId: 'pol-conduct', policyVersion: '2', signer: { hubUserId: 'hub-stranger', email: null }, status: 'ACKNOWLEDGED', vaultDocumentId: null, updatedAt: at });
  const result = await world.syncNow();
  expect(result).toMatchObject({ ran: true, ok: true, policies: 3 });
});

afterAll(async () => {
  await world?.close();
});

async function compliance(headers?: Record<string, string>, filter?: Record<string, unknown>) {
  return world.app.gql<ComplianceAnswer>(complianceQuery, { filter: filter ?? null }, headers);
}

function byTitle(answer: ComplianceAnswer | null | undefined) {
  return new Map((answer?.policyCompliance.policies ?? []).map((entry) => [entry.policy.title, entry]));
}

describe('the compliance dashboard', () => {
  it('counts per policy from Legal’s statuses and People’s audience rules', async () => {
    const response = await compliance();
    expect(response.errors).toBeUndefined();
    const report = response.data?.policyCompliance;
    expect(report?.legal).toEqual({ configured: true, reachable: true, lastErrorCode: null, lastError: null });
    expect(report?.syncedAt).toEqual(expect.any(String));
    expect(report?.policies.map((entry) => entry.policy.title)).toEqual(['Code of Conduct', 'Contractor NDA', 'Security Policy']);
    const policies = byTitle(response.data);

    // Everyone employed today: lead, alice, bob, carol, dave, erin, the new hire (not the leaver nor the July hire).
    const conduct = policies.get('Code of Conduct');
    expect(conduct).toMatchObject({ required: 7, acknowledged: 1, pending: 6, overdue: 5 });
    expect(conduct?.byDepartment).toEqual([
      { department: { name: 'Engineering' }, required: 4, acknowledged: 1, pending: 3, overdue: 2 },
      { department: { name: 'People' }, required: 1, acknowledged: 0, pending: 1, overdue: 1 },
      { department: { name: 'Sales' }, required: 2, acknowledged: 0, pending: 2, overdue: 2 },
    ]);
    const pending = conduct?.pendingEmployees;
    expect(pending?.totalCount).toBe(6);
    // Late first (by name), then the new hire, due 30 days after their hire date.
    expect(pending?.nodes.map((node) => node.employee.id)).toEqual([
      people.bob!.id,
      people.carol!.id,
      people.dave!.id,
      people.erin!.id,
      people.lead!.id,
      people.newHire!.id,
    ]);
    expect(pending?.nodes.find((node) => node.employee.id === people.bob!.id)).toMatchObject({ status: 'DECLINED', dueDate: '2026-01-31', overdue: true });
    expect(pending?.nodes.find((node) => node.employee.id === people.carol!.id)).toMatchObject({ status: 'PENDING', overdue: true });
    expect(pending?.nodes.find((node) => node.employee.id === people.newHire!.id)).toMatchObject({ status: 'PENDING', dueDate: '2026-07-10', overdue: false });

    // Engineering in the Berlin office: lead, alice, the new hire (bob is in New York).
    const security = policies.get('Security Policy');
    expect(security).toMatchObject({ required: 3, acknowledged: 1, pending: 2, overdue: 1 });
    expect(security?.policy.audience).toEqual({ everyone: false, departments: ['ENG', 'Research'], locations: ['berlin office'], employmentTypes: [], unmatched: ['Research'] });
    expect(security?.pendingEmployees.nodes.map((node) => [node.employee.id, node.dueDate, node.overdue])).toEqual([
      [people.lead!.id, '2026-06-11', true],
      [people.newHire!.id, '2026-06-20', false],
    ]);

    // Contractors: dave alone, not late yet.
    expect(policies.get('Contractor NDA')).toMatchObject({ required: 1, acknowledged: 0, pending: 1, overdue: 0 });
  });

  it('filters by policy, department and location', async () => {
    const response = await compliance(undefined, { policyIds: ['pol-conduct'], departmentIds: [world.org.departments.sales], locationIds: [world.org.locations.newYork] });
    expect(response.errors).toBeUndefined();
    expect(response.data?.policyCompliance.policies).toHaveLength(1);
    expect(response.data?.policyCompliance.policies[0]).toMatchObject({ required: 1, acknowledged: 0, pending: 1, overdue: 1 });
    expect(response.data?.policyCompliance.policies[0]?.pendingEmployees.nodes.map((node) => node.employee.id)).toEqual([people.dave!.id]);
  });

  it('pages the pending employees with cursors', async () => {
    const query = /* GraphQL */ `
      query($after: String) { policyCompliance(filter: { policyIds: ["pol-conduct"] }) { policies {
        pendingEmployees(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { employee { id } } }
      } } }
    `;
    type Page = { policyCompliance: { policies: { pendingEmployees: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { employee: { id: string } }[] } }[] } };
    const first = await world.app.gql<Page>(query, { after: null });
    const firstPage = first.data?.policyCompliance.policies[0]?.pendingEmployees;
    expect(firstPage?.nodes).toHaveLength(4);
    expect(firstPage?.pageInfo.hasNextPage).toBe(true);
    const second = await world.app.gql<Page>(query, { after: firstPage?.pageInfo.endCursor });
    const secondPage = second.data?.policyCompliance.policies[0]?.pendingEmployees;
    expect(secondPage?.nodes.map((node) => node.employee.id)).toEqual([people.lead!.id, people.newHire!.id]);
    expect(secondPage?.pageInfo.hasNextPage).toBe(false);
    const bad = await world.app.gql(query, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows a Manager their reports only (direct and indirect, today)', async () => {
    const manager = await world.app.as({ roles: ['Manager'], email: people.lead!.email, hubUserId: people.lead!.hubUserId });
    const response = await compliance(manager);
    expect(response.errors).toBeUndefined();
    const policies = byTitle(response.data);
    // alice (acknowledged), bob (declined, late) and the new hire.
    expect(policies.get('Code of Conduct')).toMatchObject({ required: 3, acknowledged: 1, pending: 2, overdue: 1 });
    expect(policies.get('Code of Conduct')?.pendingEmployees.nodes.map((node) => node.employee.id)).toEqual([people.bob!.id, people.newHire!.id]);
    expect(policies.get('Contractor NDA')).toMatchObject({ required: 0 });
  });

  it('refuses everyone else: Viewers, employees, PSA and Defend (FORBIDDEN), Legal (403 on /graphql)', async () => {
    const refused = [
      await world.app.as({ roles: ['Viewer'] }),
      await world.app.as({ roles: [], email: people.alice!.email, hubUserId: people.alice!.hubUserId }),
      serviceHeaders.psa,
      serviceHeaders.defend,
    ];
    for (const headers of refused) {
      const response = await compliance(headers);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data?.policyCompliance ?? null).toBeNull();
    }
    const legal = await compliance(serviceHeaders.legal);
    expect(legal.status).toBe(403);
    expect(legal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('an employee’s statuses', () => {
  it('lists every policy that applies, soonest due first, with status, due date, lateness and the vault document', async () => {
    const response = await world.app.gql<StatusesAnswer>(employeeStatusesQuery, { id: people.alice!.id });
    expect(response.errors).toBeUndefined();
    const statuses = response.data?.employee?.policyAcknowledgements;
    expect(statuses?.legal.configured).toBe(true);
    expect(statuses?.acknowledgements.map((entry) => [entry.policy.id, entry.status, entry.dueDate, entry.overdue, entry.vaultDocumentId])).toEqual([
      ['pol-conduct', 'ACKNOWLEDGED', '2026-01-31', false, 'vault-1'],
      ['pol-security', 'ACKNOWLEDGED', '2026-06-11', false, 'vault-4'],
    ]);
    expect(statuses?.acknowledgements[0]?.acknowledgedAt).toBe('2026-06-01T09:00:00.000Z');
  });

  it('is seen by HR, the employee, and a Manager above them; not by a Manager elsewhere, a colleague or a service', async () => {
    const query = employeeStatusesQuery;
    const allowed = [
      await world.app.as({ roles: ['HR Staff'] }),
      await world.app.as({ roles: [], email: people.bob!.email, hubUserId: people.bob!.hubUserId }),
      await world.app.as({ roles: ['Manager'], email: people.lead!.email, hubUserId: people.lead!.hubUserId }),
    ];
    for (const headers of allowed) {
      const response = await world.app.gql<StatusesAnswer>(query, { id: people.bob!.id }, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data?.employee?.policyAcknowledgements?.acknowledgements.map((entry) => entry.policy.id)).toEqual(['pol-conduct']);
    }
    const refused = [
      await world.app.as({ roles: ['Manager'], email: people.carol!.email, hubUserId: people.carol!.hubUserId }),
      await world.app.as({ roles: [], email: people.alice!.email, hubUserId: people.alice!.hubUserId }),
      await world.app.as({ roles: ['Viewer'] }),
      serviceHeaders.psa,
      serviceHeaders.defend,
    ];
    for (const headers of refused) {
      const response = await world.app.gql<StatusesAnswer>(query, { id: people.bob!.id }, headers);
      expect(response.errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toEqual([['FORBIDDEN', 'employee.policyAcknowledgements']]);
    }
  });

  it('is batched: a page of 3 employees costs the statements a page of 9 does', async () => {
    const query = /* GraphQL */ `
      query($first: Int) { employees(first: $first) { nodes { id policyAcknowledgements {
        syncedAt legal { configured } acknowledgements { status dueDate submission { state } employee { id } }
      } } } }
    `;
    const run = (first: number) =>
      world.app.countStatements(async () => {
        const response = await world.app.gql<{ employees: { nodes: unknown[] } }>(query, { first });
        expect(response.errors).toBeUndefined();
        expect(response.data?.employees.nodes).toHaveLength(first);
      });
    expect(await run(3)).toBe(await run(9));
  });

  it('is empty for someone not employed today (a leaver)', async () => {
    const response = await world.app.gql<StatusesAnswer>(employeeStatusesQuery, { id: people.leaver!.id });
    expect(response.data?.employee?.policyAcknowledgements?.acknowledgements).toEqual([]);
  });
});
