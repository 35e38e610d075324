import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, testAdmin, type TestApp } from '../support/server.js';
import { createPolicy } from './fixtures.js';

// The audit trail of HR's manual balance adjustments: what was added or removed, why, by whom and
// when, readable by those who see the balances. Today is Monday 15 June 2026.
let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let alice: CreatedEmployee;
let bob: CreatedEmployee;
let vacation: string;
let personal: string;
let asHr: Record<string, string>;

const adjust = /* GraphQL */ `
  mutation Adjust($input: AdjustTimeOffBalanceInput!) { adjustTimeOffBalance(input: $input) { userErrors { code } } }
`;

const trail = /* GraphQL */ `
  query Trail($id: ID!, $policyId: ID, $from: Date, $to: Date) {
    employee(id: $id) {
      timeOffAdjustments(policyId: $policyId, from: $from, to: $to) { policy { id name } amount reason effectiveDate recordedBy recordedAt }
      timeOffBalances { policy { id } adjustments }
    }
  }
`;

interface Adjustment {
  policy: { id: string; name: string };
  amount: number;
  reason: string;
  effectiveDate: string;
  recordedBy: string;
  recordedAt: string;
}

interface TrailResult {
  employee: { timeOffAdjustments: Adjustment[] | null; timeOffBalances: { policy: { id: string }; adjustments: number }[] | null };
}

async function adjustBalance(employeeId: string, policyId: string, amount: number, reason: string, effectiveDate?: string): Promise<void> {
  const response = await app.gql<{ adjustTimeOffBalance: { userErrors: unknown[] } }>(
    adjust,
    { input: { employeeId, policyId, amount, reason, effectiveDate } },
    asHr,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.adjustTimeOffBalance.userErrors).toEqual([]);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  vacation = await createPolicy(app, { name: 'Vacation', approvalChain: [{ kind: 'MANAGER' }] });
  personal = await createPolicy(app, { name: 'Personal', category: 'PERSONAL', amountPerYear: 3 });
  const berlin = { locationId: org.locations.berlin, departmentId: org.departments.engineering };
  lead = await hire(app, { ...berlin, hireDate: '2018-01-08' });
  alice = await hire(app, { ...berlin, managerId: lead.id, hireDate: '2020-01-06' });
  bob = await hire(app, { ...berlin, managerId: lead.id, hireDate: '2021-01-04' });
  asHr = await app.as({ roles: ['HR Staff'], email: 'hr@people.test', hubUserId: 'hub-hr-staff' });
  await adjustBalance(alice.id, vacation, 1.5, 'Worked on a holiday', '2026-05-04');
  await adjustBalance(alice.id, vacation, -2, 'Correction of a double booking', '2026-06-01');
  await adjustBalance(alice.id, personal, 1, 'Moving day', '2026-06-10');
});

afterAll(() => app.close());

describe('the audit trail of balance adjustments', () => {
  it('lists every adjustment, latest effective first, with who recorded it, and adds up to the balance', async () => {
    const response = await app.gql<TrailResult>(trail, { id: alice.id });
    expect(response.errors).toBeUndefined();
    const adjustments = response.data?.employee.timeOffAdjustments ?? [];
    expect(adjustments.map((row) => [row.policy.name, row.amount, row.reason, row.effectiveDate])).toEqual([
      ['Personal', 1, 'Moving day', '2026-06-10'],
      ['Vacation', -2, 'Correction of a double booking', '2026-06-01'],
      ['Vacation', 1.5, 'Worked on a holiday', '2026-05-04'],
    ]);
    expect(adjustments.every((row) => row.recordedBy === 'user:hub-hr-staff' && !Number.isNaN(Date.parse(row.recordedAt)))).toBe(true);
    const vacationBalance = response.data?.employee.timeOffBalances?.find((balance) => balance.policy.id === vacation);
    expect(vacationBalance?.adjustments).toBe(-0.5);
  });

  it('filters by policy and by effective date', async () => {
    const byPolicy = await app.gql<TrailResult>(trail, { id: alice.id, policyId: vacation });
    expect(byPolicy.data?.employee.timeOffAdjustments?.map((row) => row.amount)).toEqual([-2, 1.5]);
    const inJune = await app.gql<TrailResult>(trail, { id: alice.id, from: '2026-06-01', to: '2026-06-09' });
    expect(inJune.data?.employee.timeOffAdjustments?.map((row) => row.reason)).toEqual(['Correction of a double booking']);
    const none = await app.gql<TrailResult>(trail, { id: bob.id });
    expect(none.data?.employee.timeOffAdjustments).toEqual([]);
  });

  it('is seen by the employee and their line, not by colleagues or services', async () => {
    for (const headers of [await app.as({ roles: [], email: alice.email }), await app.as({ roles: ['Manager'], email: lead.email })]) {
      const seen = await app.gql<TrailResult>(trail, { id: alice.id }, headers);
      expect(seen.data?.employee.timeOffAdjustments).toHaveLength(3);
    }
    for (const headers of [await app.as({ roles: [], email: bob.email }), await app.as({ roles: ['Viewer'] }), serviceHeaders.psa]) {
      const refused = await app.gql<TrailResult>(/* GraphQL */ `query($id: ID!) { employee(id: $id) { timeOffAdjustments { amount } } }`, { id: alice.id }, headers);
      expect(refused.data?.employee.timeOffAdjustments ?? null).toBeNull();
      expect(refused.errors?.[0]).toMatchObject({ path: ['employee', 'timeOffAdjustments'], extensions: { code: 'FORBIDDEN' } });
    }
  });

  it('costs the same statements for two employees as for many', async () => {
    const others = [];
    for (let index = 0; index < 6; index += 1) {
      const other = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.sales, hireDate: '2022-02-01' });
      await adjustBalance(other.id, vacation, 1, `Bonus day ${index}`);
      others.push(other);
    }
    const query = /* GraphQL */ `
      query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Employee { timeOffAdjustments { amount policy { name } } } } }
    `;
    const run = (ids: string[]) =>
      app.countStatements(async () => {
        const response = await app.gql<{ _entities: { timeOffAdjustments: unknown[] }[] }>(
          query,
          { representations: ids.map((id) => ({ __typename: 'Employee', id })) },
          await app.as(testAdmin),
        );
        expect(response.errors).toBeUndefined();
        expect(response.data?._entities.every((entity) => entity.timeOffAdjustments.length > 0)).toBe(true);
      });
    const two = await run([alice.id, others[0]?.id ?? '']);
    const seven = await run([alice.id, ...others.map((other) => other.id)]);
    expect(seven).toBe(two);
  });
});
