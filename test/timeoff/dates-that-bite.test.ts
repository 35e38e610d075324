import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, decide, requestTimeOff } from './fixtures.js';

// Calendar edges end to end, through the API: a leap day, and a request across a year end whose
// days count in their own years, with what is left carried into the next year under the cap.
// Today is Monday 15 June 2026; New York has no holidays here, so only weekends are left out.
let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let asLead: Record<string, string>;
let vacation: string;

const balanceQuery = /* GraphQL */ `
  query Balance($id: ID!, $asOf: Date) {
    employee(id: $id) { timeOffBalances(asOf: $asOf) { policy { id } accrued carriedOver used scheduled pending available } }
  }
`;

interface BalanceResult {
  policy: { id: string };
  accrued: number;
  carriedOver: number;
  used: number;
  scheduled: number;
  pending: number;
  available: number | null;
}

async function balanceOf(employeeId: string, asOf: string): Promise<BalanceResult | undefined> {
  const response = await app.gql<{ employee: { timeOffBalances: BalanceResult[] } }>(balanceQuery, { id: employeeId, asOf });
  expect(response.errors).toBeUndefined();
  return response.data?.employee.timeOffBalances.find((balance) => balance.policy.id === vacation);
}

async function approvedRequest(employeeId: string, startDate: string, endDate: string) {
  const payload = await requestTimeOff(app, { employeeId, policyId: vacation, startDate, endDate });
  expect(payload.userErrors).toEqual([]);
  const approved = await decide(app, 'approve', { id: payload.request?.id ?? '' }, asLead);
  expect(approved.payload?.request?.status).toBe('APPROVED');
  return payload.request;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  vacation = await createPolicy(app, { name: 'Vacation', amountPerYear: 25, carryOverCap: 5, approvalChain: [{ kind: 'MANAGER' }] });
  lead = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.engineering, hireDate: '2018-01-08' });
  asLead = await app.as({ roles: ['Manager'], email: lead.email });
});

afterAll(() => app.close());

describe('dates that bite', () => {
  it('a leap day is a working day like any other', async () => {
    const employee = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.engineering, managerId: lead.id, hireDate: '2020-01-06' });
    const request = await approvedRequest(employee.id, '2028-02-28', '2028-03-01');
    expect(request?.days.map((day) => day.date)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(request?.amount).toBe(3);
    expect(await balanceOf(employee.id, '2028-03-31')).toMatchObject({ used: 3 });
  });

  it('a request across a year end counts each day in its own year, and the rest carries over under the cap', async () => {
    const employee = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.engineering, managerId: lead.id, hireDate: '2020-01-06' });
    // Tuesday 29 December 2026 to Tuesday 5 January 2027: 3 days in 2026, 3 in 2027 (the weekend left out).
    const request = await approvedRequest(employee.id, '2026-12-29', '2027-01-05');
    expect(request?.days.map((day) => day.date)).toEqual(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-04', '2027-01-05']);
    // 2026 holds 25 accrued and 5 carried from 2025; 24 summer days and those 3 leave 3.
    await approvedRequest(employee.id, '2026-07-01', '2026-08-03');

    const lastDayOf2026 = await balanceOf(employee.id, '2026-12-31');
    expect(lastDayOf2026).toMatchObject({ accrued: 25, carriedOver: 5, used: 27, scheduled: 0, available: 3 });
    const early2027 = await balanceOf(employee.id, '2027-01-02');
    // 3 days were left in 2026, under the cap of 5: all carried. 2027's three days: one used, two scheduled.
    expect(early2027).toMatchObject({ accrued: 25, carriedOver: 3, used: 1, scheduled: 2, available: 25 });
  });

  it('carry-over stops at the cap', async () => {
    const employee = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.engineering, managerId: lead.id, hireDate: '2020-01-06' });
    await approvedRequest(employee.id, '2026-08-03', '2026-08-07');
    expect(await balanceOf(employee.id, '2026-12-31')).toMatchObject({ used: 5, available: 25 });
    expect(await balanceOf(employee.id, '2027-01-04')).toMatchObject({ carriedOver: 5, accrued: 25, available: 30 });
  });
});
