import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, decide, requestTimeOff } from './fixtures.js';

// On real PostgreSQL (TEST_DATABASE_URL) these requests truly race on several connections;
// on PGlite they are serialised by its single connection. Either way the rules must hold.

let app: TestApp;
let org: OrgBasics;
let manager: CreatedEmployee;
let employee: CreatedEmployee;

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const base = { locationId: org.locations.berlin, departmentId: org.departments.engineering };
  manager = await hire(app, { ...base, hireDate: '2018-01-08' });
  employee = await hire(app, { ...base, managerId: manager.id, hireDate: '2026-01-05' });
});

afterAll(() => app.close());

describe('racing writers', () => {
  it('parallel requests never overspend a balance', async () => {
    // 10 days a year, hired 5 January 2026: 9.89 days (361 of 365).
    const policy = await createPolicy(app, { amountPerYear: 10, carryOverCap: 0 }, { employeeIds: [employee.id] });
    const asEmployee = await app.as({ roles: [], email: employee.email });
    // Six requests of 3 working days each, in six different weeks: only three fit.
    const weeks = ['2026-07-06', '2026-07-13', '2026-07-20', '2026-07-27', '2026-08-03', '2026-08-10'];
    const results = await Promise.all(
      weeks.map((monday) =>
        requestTimeOff(app, { employeeId: employee.id, policyId: policy, startDate: monday, endDate: monday.replace(/\d\d$/, (day) => String(Number(day) + 2).padStart(2, '0')) }, asEmployee),
      ),
    );
    const accepted = results.filter((result) => result.request !== null);
    const refused = results.filter((result) => result.userErrors.some((error) => error.code === 'INSUFFICIENT_BALANCE'));
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(3);
    const balance = await app.gql<{ employee: { timeOffBalances: { policy: { id: string }; pending: number; available: number }[] } }>(
      `query($id: ID!) { employee(id: $id) { timeOffBalances { policy { id } pending available } } }`,
      { id: employee.id },
    );
    expect(balance.data?.employee.timeOffBalances.find((b) => b.policy.id === policy)).toMatchObject({ pending: 9, available: 0.89 });
  });

  it('parallel identical requests: one is accepted, the others overlap it', async () => {
    const policy = await createPolicy(app, { amountPerYear: 30 }, { employeeIds: [employee.id] });
    const input = { employeeId: employee.id, policyId: policy, startDate: '2026-09-07', endDate: '2026-09-08' };
    const results = await Promise.all([1, 2, 3, 4].map(() => requestTimeOff(app, input)));
    expect(results.filter((result) => result.request !== null)).toHaveLength(1);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual([
      'OVERLAPS_EXISTING_REQUEST',
      'OVERLAPS_EXISTING_REQUEST',
      'OVERLAPS_EXISTING_REQUEST',
    ]);
  });

  it('two approvals racing: exactly one succeeds, the other gets CONFLICT', async () => {
    const policy = await createPolicy(app, { amountPerYear: 30 }, { employeeIds: [employee.id] });
    const created = await requestTimeOff(app, { employeeId: employee.id, policyId: policy, startDate: '2026-10-05', endDate: '2026-10-05' });
    const id = created.request?.id ?? '';
    const asManager = await app.as({ roles: [], email: manager.email });
    const asHr = await app.as({ roles: ['HR Manager'], email: 'hr2@people.test' });
    const results = await Promise.all([
      decide(app, 'approve', { id }, asManager),
      decide(app, 'approve', { id }, asHr),
      decide(app, 'deny', { id }, asHr),
    ]);
    const succeeded = results.filter((result) => result.payload?.request);
    expect(succeeded).toHaveLength(1);
    expect(results.flatMap((result) => result.payload?.userErrors.map((error) => error.code) ?? [])).toEqual(['CONFLICT', 'CONFLICT']);
    const decisions = await app.gql<{ timeOffRequest: { decisions: unknown[] } }>(`query($id: ID!) { timeOffRequest(id: $id) { decisions { decision } } }`, { id });
    expect(decisions.data?.timeOffRequest.decisions).toHaveLength(1);
  });
  it('two HR approvals racing on a two-step chain, both for step 0: one decides step 0, the other gets CONFLICT', async () => {
    const policy = await createPolicy(
      app,
      { amountPerYear: 30, approvalChain: [{ kind: 'MANAGER' }, { kind: 'HR' }] },
      { employeeIds: [employee.id] },
    );
    const created = await requestTimeOff(app, { employeeId: employee.id, policyId: policy, startDate: '2026-11-02', endDate: '2026-11-03' });
    expect(created.request).toMatchObject({ currentStep: 0, stepCount: 2 });
    const id = created.request?.id ?? '';
    const asHr = await app.as({ roles: ['HR Manager'], email: 'hr3@people.test' });
    const asHrStaff = await app.as({ roles: ['HR Staff'], email: 'hr4@people.test' });
    const results = await Promise.all([decide(app, 'approve', { id, step: 0 }, asHr), decide(app, 'approve', { id, step: 0 }, asHrStaff)]);
    expect(results.map((result) => result.errors)).toEqual([undefined, undefined]);
    const succeeded = results.filter((result) => result.payload?.request);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]?.payload?.request).toMatchObject({ status: 'PENDING', currentStep: 1 });
    expect(results.flatMap((result) => result.payload?.userErrors.map((error) => error.code) ?? [])).toEqual(['CONFLICT']);
    const after = await app.gql<{ timeOffRequest: { status: string; currentStep: number | null; decisions: { stepIndex: number | null }[] } }>(
      `query($id: ID!) { timeOffRequest(id: $id) { status currentStep decisions { stepIndex } } }`,
      { id },
    );
    expect(after.data?.timeOffRequest).toEqual({ status: 'PENDING', currentStep: 1, decisions: [{ stepIndex: 0 }] });

    // Naming the current step decides it; the last step approves the request.
    const last = await decide(app, 'approve', { id, step: 1 }, asHr);
    expect(last.payload?.request).toMatchObject({ status: 'APPROVED', currentStep: null });
  });

  it('without a step, racing approvals each decide exactly the step current under the lock, never two', async () => {
    const policy = await createPolicy(
      app,
      { amountPerYear: 30, approvalChain: [{ kind: 'MANAGER' }, { kind: 'HR' }] },
      { employeeIds: [employee.id] },
    );
    const created = await requestTimeOff(app, { employeeId: employee.id, policyId: policy, startDate: '2026-11-09', endDate: '2026-11-09' });
    const id = created.request?.id ?? '';
    const asHr = await app.as({ roles: ['HR Manager'], email: 'hr3@people.test' });
    const results = await Promise.all([1, 2, 3].map(() => decide(app, 'approve', { id }, asHr)));
    // Two steps: two decisions succeed (step 0, then step 1), the third finds the request APPROVED.
    expect(results.filter((result) => result.payload?.request)).toHaveLength(2);
    expect(results.flatMap((result) => result.payload?.userErrors.map((error) => error.code) ?? [])).toEqual(['CONFLICT']);
    const after = await app.gql<{ timeOffRequest: { status: string; decisions: { stepIndex: number | null }[] } }>(
      `query($id: ID!) { timeOffRequest(id: $id) { status decisions { stepIndex } } }`,
      { id },
    );
    expect(after.data?.timeOffRequest).toEqual({ status: 'APPROVED', decisions: [{ stepIndex: 0 }, { stepIndex: 1 }] });
  });
});
