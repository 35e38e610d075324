import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

let app: TestApp;
let org: OrgBasics;
let firstManager: CreatedEmployee;
let secondManager: CreatedEmployee;

const updateMutation = /* GraphQL */ `
  mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code message } } }
`;
const statusMutation = /* GraphQL */ `
  mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }
`;

async function mutate(query: string, input: Record<string, unknown>): Promise<void> {
  const response = await app.gql<Record<string, { userErrors: unknown[] }>>(query, { input });
  expect(response.errors).toBeUndefined();
  expect(Object.values(response.data ?? {})[0]?.userErrors).toEqual([]);
}

interface Snapshot {
  status: string | null;
  jobTitle: string | null;
  department: { name: string } | null;
  manager: { id: string } | null;
  terminationDate: string | null;
}

async function snapshot(id: string, asOf?: string): Promise<Snapshot> {
  const response = await app.gql<{ employee: Snapshot }>(
    `query($id: ID!, $asOf: Date) { employee(id: $id, asOf: $asOf) { status jobTitle department { name } manager { id } terminationDate } }`,
    { id, asOf },
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.employee;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-03-10' });
  org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  firstManager = await hire(app, { ...place, jobTitle: 'Team Lead A', hireDate: '2018-01-01' });
  secondManager = await hire(app, { ...place, jobTitle: 'Team Lead B', hireDate: '2018-01-01' });
});
afterAll(() => app.close());

describe('future-dated changes', () => {
  it('take effect on their date, not when keyed in', async () => {
    app.clock.set('2026-03-10');
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      managerId: firstManager.id,
      hireDate: '2023-05-02',
      jobTitle: 'Engineer',
    });
    await mutate(updateMutation, {
      id: person.id,
      effectiveDate: '2026-04-01',
      jobTitle: 'Senior Engineer',
      departmentId: org.departments.sales,
      managerId: secondManager.id,
      reason: 'Promotion and transfer',
    });
    await mutate(statusMutation, { id: person.id, status: 'RESIGNED', effectiveDate: '2026-09-30' });

    expect(await snapshot(person.id)).toEqual({
      status: 'ACTIVE',
      jobTitle: 'Engineer',
      department: { name: 'Engineering' },
      manager: { id: firstManager.id },
      terminationDate: null,
    });
    app.clock.set('2026-04-01');
    expect(await snapshot(person.id)).toEqual({
      status: 'ACTIVE',
      jobTitle: 'Senior Engineer',
      department: { name: 'Sales' },
      manager: { id: secondManager.id },
      terminationDate: null,
    });
    // Directory filters follow the day too.
    const team = await app.gql<{ employees: { nodes: { id: string }[] } }>(
      `query($m: ID!) { employees(filter: { managerId: $m }) { nodes { id } } }`,
      { m: secondManager.id },
    );
    expect(team.data?.employees.nodes.map((n) => n.id)).toContain(person.id);
    app.clock.set('2026-09-30');
    expect(await snapshot(person.id)).toMatchObject({ status: 'RESIGNED', terminationDate: '2026-09-30' });
  });

  it('can be read for any day with asOf, on the query or on the field', async () => {
    app.clock.set('2026-03-10');
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      managerId: firstManager.id,
      hireDate: '2024-01-15',
    });
    await mutate(updateMutation, { id: person.id, managerId: secondManager.id, effectiveDate: '2025-07-01' });
    expect((await snapshot(person.id, '2025-06-30')).manager).toEqual({ id: firstManager.id });
    expect((await snapshot(person.id, '2025-07-01')).manager).toEqual({ id: secondManager.id });
    expect(await snapshot(person.id, '2024-01-14')).toEqual({
      status: null,
      jobTitle: null,
      department: null,
      manager: null,
      terminationDate: null,
    });
    // Defend's question: who managed this person on the day of the alert?
    const fieldLevel = await app.gql<{ employeeByEmail: { then: { id: string }; now: { id: string } } }>(
      `query($email: String!) { employeeByEmail(email: $email) { then: manager(asOf: "2025-01-01") { id } now: manager { id } } }`,
      { email: person.email },
    );
    expect(fieldLevel.data?.employeeByEmail).toEqual({ then: { id: firstManager.id }, now: { id: secondManager.id } });
    const chain = await app.gql<{ employee: { reportingChain: { id: string }[]; old: { id: string }[] } }>(
      `query($id: ID!) { employee(id: $id) { reportingChain { id } old: reportingChain(asOf: "2025-01-01") { id } } }`,
      { id: person.id },
    );
    expect(chain.data?.employee).toEqual({ reportingChain: [{ id: secondManager.id }], old: [{ id: firstManager.id }] });
  });

  it('a back-dated change to one field does not undo a later change to another', async () => {
    app.clock.set('2026-03-10');
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      hireDate: '2024-01-15',
      jobTitle: 'Engineer',
    });
    await mutate(updateMutation, { id: person.id, jobTitle: 'Senior Engineer', effectiveDate: '2026-01-01' });
    // Keyed afterwards, but effective earlier: the transfer happened in 2025.
    await mutate(updateMutation, { id: person.id, departmentId: org.departments.sales, effectiveDate: '2025-06-01' });
    expect(await snapshot(person.id)).toMatchObject({ jobTitle: 'Senior Engineer', department: { name: 'Sales' } });
    expect(await snapshot(person.id, '2025-12-31')).toMatchObject({ jobTitle: 'Engineer', department: { name: 'Sales' } });
    expect(await snapshot(person.id, '2025-05-31')).toMatchObject({ jobTitle: 'Engineer', department: { name: 'Engineering' } });
  });

  it('a future hire is PRE_HIRE until the hire date, then ACTIVE', async () => {
    app.clock.set('2026-03-10');
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      managerId: firstManager.id,
      hireDate: '2026-04-15',
    });
    expect(person.status).toBe('PRE_HIRE');
    // Both rows are recorded in one transaction; the later-recorded one still comes first.
    const history = await app.gql<{ employee: { history: { kind: string }[] } }>(
      `query($id: ID!) { employee(id: $id) { history { kind } } }`,
      { id: person.id },
    );
    expect(history.data?.employee.history.map((entry) => entry.kind)).toEqual(['STATUS_CHANGED', 'CREATED']);
    expect(await snapshot(person.id)).toMatchObject({ status: 'PRE_HIRE', manager: { id: firstManager.id } });
    app.clock.set('2026-04-15');
    expect((await snapshot(person.id)).status).toBe('ACTIVE');
  });
});

describe('history', () => {
  it('lists every change with who, when recorded, effective from, fields, before and after', async () => {
    app.clock.set('2026-03-10');
    const person = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      managerId: firstManager.id,
      hireDate: '2024-01-15',
      jobTitle: 'Engineer',
      firstName: 'Hedda',
    });
    await mutate(updateMutation, { id: person.id, firstName: 'Hedwig', personalPhone: '+49 170 5550000' });
    await mutate(updateMutation, {
      id: person.id,
      jobTitle: 'Staff Engineer',
      managerId: secondManager.id,
      effectiveDate: '2026-05-01',
      reason: 'Promotion',
    });
    await mutate(statusMutation, { id: person.id, status: 'ON_LEAVE', effectiveDate: '2026-02-01', reason: 'Sabbatical' });

    const response = await app.gql<{
      employee: {
        history: {
          kind: string;
          recordedAt: string;
          recordedBy: string;
          effectiveFrom: string;
          reason: string | null;
          changes: { field: string; before: string | null; after: string | null }[];
        }[];
      };
    }>(
      `query($id: ID!) { employee(id: $id) { history { kind recordedAt recordedBy effectiveFrom reason changes { field before after } } } }`,
      { id: person.id },
    );
    const history = response.data?.employee.history ?? [];
    expect(history.map((entry) => entry.kind)).toEqual(['STATUS_CHANGED', 'UPDATED', 'UPDATED', 'CREATED']);
    const [leave, promotion, rename, created] = history;
    expect(leave).toMatchObject({
      effectiveFrom: '2026-02-01',
      reason: 'Sabbatical',
      changes: [{ field: 'status', before: 'ACTIVE', after: 'ON_LEAVE' }],
    });
    expect(promotion).toMatchObject({ effectiveFrom: '2026-05-01', reason: 'Promotion' });
    expect(promotion?.changes).toEqual(
      expect.arrayContaining([
        { field: 'jobTitle', before: 'Engineer', after: 'Staff Engineer' },
        { field: 'managerId', before: firstManager.id, after: secondManager.id },
      ]),
    );
    expect(rename?.effectiveFrom).toBe('2026-03-10');
    expect(rename?.changes).toEqual([
      { field: 'firstName', before: 'Hedda', after: 'Hedwig' },
      { field: 'personalPhone', before: null, after: '+49 170 5550000' },
    ]);
    expect(created?.effectiveFrom).toBe('2024-01-15');
    expect(created?.changes).toEqual(expect.arrayContaining([{ field: 'status', before: null, after: 'ACTIVE' }]));
    for (const entry of history) {
      expect(entry.recordedBy).toBe('user:hub-test-admin');
      expect(Number.isNaN(Date.parse(entry.recordedAt))).toBe(false);
    }
  });
});
