import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, createTimeOffBasics, decide, requestTimeOff, type TimeOffBasics } from './fixtures.js';

// Today is Monday 15 June 2026.
let app: TestApp;
let org: OrgBasics;
let policies: TimeOffBasics;
let ceo: CreatedEmployee;
let lead: CreatedEmployee;
let alice: CreatedEmployee;
let colleague: CreatedEmployee;
let asAlice: Record<string, string>;
let asLead: Record<string, string>;
let asCeo: Record<string, string>;
let asColleague: Record<string, string>;
let asHr: Record<string, string>;

const balancesQuery = /* GraphQL */ `
  query Balances($id: ID!, $asOf: Date) {
    employee(id: $id) { timeOffBalances(asOf: $asOf) { policy { id code } accrued carriedOver adjustments used scheduled pending available unlimited } }
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

async function balanceOf(employeeId: string, policyId: string, asOf?: string): Promise<BalanceResult | undefined> {
  const response = await app.gql<{ employee: { timeOffBalances: BalanceResult[] } }>(balancesQuery, { id: employeeId, asOf });
  expect(response.errors).toBeUndefined();
  return response.data?.employee.timeOffBalances.find((balance) => balance.policy.id === policyId);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  policies = await createTimeOffBasics(app, org);
  const berlin = { locationId: org.locations.berlin, departmentId: org.departments.engineering };
  ceo = await hire(app, { ...berlin, hireDate: '2015-01-05' });
  lead = await hire(app, { ...berlin, managerId: ceo.id, hireDate: '2018-01-08' });
  alice = await hire(app, { ...berlin, managerId: lead.id, hireDate: '2020-01-06' });
  colleague = await hire(app, { ...berlin, managerId: lead.id, hireDate: '2021-01-04' });
  asAlice = await app.as({ roles: [], email: alice.email });
  asLead = await app.as({ roles: ['Manager'], email: lead.email });
  asCeo = await app.as({ roles: [], email: ceo.email });
  asColleague = await app.as({ roles: [], email: colleague.email });
  asHr = await app.as({ roles: ['HR Staff'], email: 'hr@people.test' });
});

afterAll(() => app.close());

describe('requesting time off', () => {
  it('an employee requests for themself; the days are working days with half days at both ends', async () => {
    const payload = await requestTimeOff(
      app,
      { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-07-03', endDate: '2026-07-07', startPortion: 'AFTERNOON', endPortion: 'MORNING', reason: 'Family' },
      asAlice,
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload.request).toMatchObject({ status: 'PENDING', amount: 2, deductedAmount: null, currentStep: 0, stepCount: 1, availableActions: ['CANCEL'] });
    expect(payload.request?.days).toEqual([
      { date: '2026-07-03', portion: 'AFTERNOON', hours: null, amount: 0.5 },
      { date: '2026-07-06', portion: 'FULL', hours: null, amount: 1 },
      { date: '2026-07-07', portion: 'MORNING', hours: null, amount: 0.5 },
    ]);
    // Pending days already count against what is available.
    expect(await balanceOf(alice.id, policies.vacation)).toMatchObject({ accrued: 25, carriedOver: 5, pending: 2, available: 28 });

    // The manager approves: one step (2 days do not need HR); the amount is frozen.
    const approved = await decide(app, 'approve', { id: payload.request?.id ?? '', comment: 'Enjoy' }, asLead);
    expect(approved.errors).toBeUndefined();
    expect(approved.payload?.request).toMatchObject({ status: 'APPROVED', deductedAmount: 2 });
    expect(approved.payload?.request?.decisions).toEqual([
      expect.objectContaining({ stepIndex: 0, decision: 'APPROVED', actingAs: 'APPROVER', approver: { id: lead.id }, comment: 'Enjoy' }),
    ]);
    // Approved future days are scheduled, not used, and not available.
    expect(await balanceOf(alice.id, policies.vacation)).toMatchObject({ used: 0, scheduled: 2, pending: 0, available: 28 });
    expect(await balanceOf(alice.id, policies.vacation, '2026-07-31')).toMatchObject({ used: 2, scheduled: 0, available: 28 });
  });

  it('a morning and an afternoon of one day do not overlap; a full day does', async () => {
    const morning = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-08-03', endDate: '2026-08-03', startPortion: 'MORNING' }, asAlice);
    expect(morning.userErrors).toEqual([]);
    const afternoon = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-08-03', endDate: '2026-08-03', startPortion: 'AFTERNOON' }, asAlice);
    expect(afternoon.userErrors).toEqual([]);
    const full = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-07-31', endDate: '2026-08-04' }, asAlice);
    expect(full.userErrors.map((error) => error.code)).toEqual(['OVERLAPS_EXISTING_REQUEST']);
  });

  it('hours on one day', async () => {
    const payload = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-08-05', endDate: '2026-08-05', hours: 2 }, asAlice);
    expect(payload.userErrors).toEqual([]);
    expect(payload.request?.days).toEqual([{ date: '2026-08-05', portion: 'HOURS', hours: 2, amount: 0.25 }]);
  });

  it('across a year end, holidays of the location (and half-day holidays) are left out', async () => {
    const payload = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-12-23', endDate: '2027-01-04' }, asAlice);
    expect(payload.userErrors).toEqual([]);
    expect(payload.request?.days.map((day) => [day.date, day.amount])).toEqual([
      ['2026-12-23', 1],
      ['2026-12-24', 0.5],
      ['2026-12-28', 1],
      ['2026-12-29', 1],
      ['2026-12-30', 1],
      ['2026-12-31', 0.5],
      ['2027-01-04', 1],
    ]);
    // 6 days: over 5, so HR must approve after the manager.
    expect(payload.request).toMatchObject({ amount: 6, stepCount: 2 });
    // The January day counts in 2027.
    expect(await balanceOf(alice.id, policies.vacation, '2027-01-10')).toMatchObject({ pending: 1 });
  });

  it('HR requests on behalf of an employee', async () => {
    const payload = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.sick, startDate: '2026-06-10', endDate: '2026-06-11' }, asHr);
    expect(payload.userErrors).toEqual([]);
    // An empty approval chain approves at once.
    expect(payload.request).toMatchObject({ status: 'APPROVED', deductedAmount: 2 });
  });

  it('a colleague may neither request for someone else nor see their time off', async () => {
    const response = await app.gql(
      `mutation($input: RequestTimeOffInput!) { requestTimeOff(input: $input) { request { id } } }`,
      { input: { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-09-01', endDate: '2026-09-01' } },
      asColleague,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const balances = await app.gql(balancesQuery, { id: alice.id }, asColleague);
    expect(balances.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    ['END_BEFORE_START', { startDate: '2026-09-10', endDate: '2026-09-09' }],
    ['DATE_TOO_FAR', { startDate: '2029-01-02', endDate: '2029-01-02' }],
    ['DATE_TOO_FAR', { startDate: '2024-01-02', endDate: '2024-01-02' }],
    ['NO_WORKING_DAYS', { startDate: '2026-10-03', endDate: '2026-10-04' }],
    ['INSUFFICIENT_BALANCE', { startDate: '2026-09-01', endDate: '2026-10-30' }],
    ['INVALID_VALUE', { startDate: '2026-09-01', endDate: '2026-09-02', hours: 3 }],
    ['POLICY_NOT_FOUND', { policyId: '00000000-0000-4000-8000-000000000000', startDate: '2026-09-01', endDate: '2026-09-01' }],
  ])('refuses with %s', async (code, input) => {
    const payload = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, ...input }, asAlice);
    expect(payload.request).toBeNull();
    expect(payload.userErrors.map((error) => error.code)).toEqual([code]);
  });

  it('refuses a policy that does not apply, and days in the waiting period', async () => {
    const notAssigned = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.newYorkOnly, startDate: '2026-09-01', endDate: '2026-09-01' }, asAlice);
    expect(notAssigned.userErrors.map((error) => error.code)).toEqual(['POLICY_NOT_ASSIGNED']);
    const newcomer = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.sales, managerId: lead.id, hireDate: '2026-06-01' });
    const waiting = await requestTimeOff(app, { employeeId: newcomer.id, policyId: policies.waiting, startDate: '2026-08-03', endDate: '2026-08-03' });
    expect(waiting.userErrors.map((error) => error.code)).toEqual(['IN_WAITING_PERIOD']);
    const after = await requestTimeOff(app, { employeeId: newcomer.id, policyId: policies.waiting, startDate: '2026-09-01', endDate: '2026-09-01' });
    expect(after.userErrors).toEqual([]);
  });

  it('refuses a terminated employee', async () => {
    const leaver = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.sales, hireDate: '2019-03-04' });
    const changed = await app.gql(`mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code } } }`, {
      input: { id: leaver.id, status: 'TERMINATED', effectiveDate: '2026-06-01' },
    });
    expect(changed.errors).toBeUndefined();
    const payload = await requestTimeOff(app, { employeeId: leaver.id, policyId: policies.vacation, startDate: '2026-05-04', endDate: '2026-05-04' });
    expect(payload.userErrors.map((error) => error.code)).toEqual(['EMPLOYEE_NOT_ACTIVE']);
  });

  it('a negative balance down to the policy limit', async () => {
    const limited = await createPolicy(app, { amountPerYear: 2, carryOverCap: 0, negativeBalanceLimit: 1 }, { employeeIds: [colleague.id] });
    const within = await requestTimeOff(app, { employeeId: colleague.id, policyId: limited, startDate: '2026-09-07', endDate: '2026-09-09' }, asColleague);
    expect(within.userErrors).toEqual([]);
    const beyond = await requestTimeOff(app, { employeeId: colleague.id, policyId: limited, startDate: '2026-09-14', endDate: '2026-09-14', startPortion: 'MORNING' }, asColleague);
    expect(beyond.userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_BALANCE']);
  });
});

describe('approval chains and transitions', () => {
  it('manager then HR; the manager cannot decide the HR step; every decision is recorded', async () => {
    const created = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-09-14', endDate: '2026-09-21' }, asAlice);
    const id = created.request?.id ?? '';
    expect(created.request).toMatchObject({ amount: 6, stepCount: 2 });

    const first = await decide(app, 'approve', { id }, asLead);
    expect(first.payload?.request).toMatchObject({ status: 'PENDING', currentStep: 1 });
    const again = await decide(app, 'approve', { id }, asLead);
    expect(again.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The requester decides nothing about their own request.
    const own = await decide(app, 'approve', { id }, asAlice);
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const second = await decide(app, 'approve', { id, comment: 'ok' }, asHr);
    expect(second.payload?.request).toMatchObject({ status: 'APPROVED', deductedAmount: 6 });
    expect(second.payload?.request?.decisions?.map((d) => [d.stepIndex, d.decision, d.actingAs])).toEqual([
      [0, 'APPROVED', 'APPROVER'],
      [1, 'APPROVED', 'HR'],
    ]);
    const conflict = await decide(app, 'deny', { id }, asHr);
    expect(conflict.payload?.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
  });

  it('HR may decide the manager step for the manager, recorded as such; a denial ends it', async () => {
    const created = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-10-05', endDate: '2026-10-05' }, asAlice);
    const id = created.request?.id ?? '';
    const denied = await decide(app, 'deny', { id, comment: 'Release week' }, asHr);
    expect(denied.payload?.request).toMatchObject({ status: 'DENIED', decisions: [{ decision: 'DENIED', actingAs: 'HR', comment: 'Release week' }] });
    const approve = await decide(app, 'approve', { id }, asLead);
    expect(approve.payload?.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
    const cancel = await decide(app, 'cancel', { id }, asAlice);
    expect(cancel.payload?.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
  });

  it('when the requester is the manager, the next manager up approves', async () => {
    const created = await requestTimeOff(app, { employeeId: lead.id, policyId: policies.vacation, startDate: '2026-10-12', endDate: '2026-10-12' }, asLead);
    const id = created.request?.id ?? '';
    const actions = await app.gql<{ timeOffRequest: { availableActions: string[] } }>(`query($id: ID!) { timeOffRequest(id: $id) { availableActions } }`, { id }, asCeo);
    expect(actions.data?.timeOffRequest.availableActions).toEqual(['APPROVE', 'DENY']);
    const approved = await decide(app, 'approve', { id }, asCeo);
    expect(approved.payload?.request).toMatchObject({ status: 'APPROVED' });
  });

  it('while the manager is off all day, the next manager up decides; back at work, the manager decides again', async () => {
    const leadsDayOff = await requestTimeOff(app, { employeeId: lead.id, policyId: policies.vacation, startDate: '2026-06-15', endDate: '2026-06-15' }, asLead);
    expect((await decide(app, 'approve', { id: leadsDayOff.request?.id ?? '' }, asCeo)).payload?.request?.status).toBe('APPROVED');
    const created = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: '2026-11-16', endDate: '2026-11-16' }, asAlice);
    expect(created.userErrors).toEqual([]);
    const id = created.request?.id ?? '';
    const actionsOf = async (headers: Record<string, string>) =>
      (await app.gql<{ timeOffRequest: { availableActions: string[] } }>(`query($id: ID!) { timeOffRequest(id: $id) { availableActions } }`, { id }, headers)).data
        ?.timeOffRequest.availableActions;
    expect(await actionsOf(asLead)).toEqual([]);
    expect(await actionsOf(asCeo)).toEqual(['APPROVE', 'DENY']);
    try {
      app.clock.set('2026-06-16');
      expect(await actionsOf(asCeo)).toEqual([]);
      expect(await actionsOf(asLead)).toEqual(['APPROVE', 'DENY']);
      const approved = await decide(app, 'approve', { id }, asLead);
      expect(approved.payload?.request).toMatchObject({ status: 'APPROVED', decisions: [{ actingAs: 'APPROVER', approver: { id: lead.id } }] });
    } finally {
      app.clock.set('2026-06-15');
      // The lead is back at work for the tests that follow.
      await decide(app, 'cancel', { id: leadsDayOff.request?.id ?? '' }, asHr);
    }
  });

  it('the employee cancels approved time off before it starts; after that only HR', async () => {
    const future = await requestTimeOff(app, { employeeId: colleague.id, policyId: policies.vacation, startDate: '2026-11-02', endDate: '2026-11-02' }, asColleague);
    await decide(app, 'approve', { id: future.request?.id ?? '' }, asLead);
    const cancelled = await decide(app, 'cancel', { id: future.request?.id ?? '' }, asColleague);
    expect(cancelled.payload?.request).toMatchObject({ status: 'CANCELLED', decisions: [{ decision: 'APPROVED' }, { decision: 'CANCELLED', actingAs: 'REQUESTER' }] });

    const past = await requestTimeOff(app, { employeeId: colleague.id, policyId: policies.vacation, startDate: '2026-06-01', endDate: '2026-06-01' }, asColleague);
    await decide(app, 'approve', { id: past.request?.id ?? '' }, asLead);
    const refused = await decide(app, 'cancel', { id: past.request?.id ?? '' }, asColleague);
    expect(refused.payload?.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
    const byHr = await decide(app, 'cancel', { id: past.request?.id ?? '' }, asHr);
    expect(byHr.payload?.request).toMatchObject({ status: 'CANCELLED' });
  });

  it('someone in HR cancels their own started time off only through another HR person', async () => {
    const hrEmployee = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering, managerId: lead.id, hireDate: '2019-03-04' });
    const asHrEmployee = await app.as({ roles: ['HR Manager'], email: hrEmployee.email });
    const started = await requestTimeOff(app, { employeeId: hrEmployee.id, policyId: policies.vacation, startDate: '2026-06-08', endDate: '2026-06-08' }, asHrEmployee);
    await decide(app, 'approve', { id: started.request?.id ?? '' }, asLead);

    const own = await decide(app, 'cancel', { id: started.request?.id ?? '' }, asHrEmployee);
    expect(own.payload?.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
    const byColleagueInHr = await decide(app, 'cancel', { id: started.request?.id ?? '' }, asHr);
    expect(byColleagueInHr.payload?.request).toMatchObject({ status: 'CANCELLED', decisions: [{ decision: 'APPROVED' }, { decision: 'CANCELLED', actingAs: 'HR' }] });
  });
});

describe('what PSA sees', () => {
  it('dates and status; a private policy only as unavailable; no reason', async () => {
    const response = await app.gql<{
      employee: { timeOffRequests: { startDate: string; status: string; policy: { name: string } | null; reason: string | null; availableActions: string[] }[] };
    }>(
      `query($id: ID!) { employee(id: $id) { timeOffRequests(from: "2026-06-01", to: "2026-07-31", statuses: [APPROVED]) { startDate status policy { name } reason availableActions } } }`,
      { id: alice.id },
      serviceHeaders.psa,
    );
    const requests = response.data?.employee.timeOffRequests ?? [];
    expect(requests.map((request) => [request.startDate, request.policy?.name ?? null])).toEqual([
      ['2026-07-03', 'Vacation'],
      ['2026-06-10', null],
    ]);
    expect(requests.every((request) => request.reason === null && request.availableActions.length === 0)).toBe(true);
    expect(response.errors?.every((error) => error.extensions?.code === 'FORBIDDEN' && error.path?.includes('reason'))).toBe(true);
  });
});

describe('batching', () => {
  it('balances and requests of a list of employees cost the same statements however many there are', async () => {
    const query = `{ employees(first: 100) { nodes { timeOffBalances { available } timeOffRequests { days { date } policy { code } } } } }`;
    const before = await app.countStatements(() => app.gql(query));
    for (let index = 0; index < 4; index += 1) {
      await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.sales, managerId: lead.id });
    }
    const after = await app.countStatements(() => app.gql(query));
    expect(after).toBe(before);
  });
});

describe('what a hot read leaves out of a request', () => {
  // The calendar and Employee.timeOff read requests without their chain, reason and bookkeeping
  // (TimeOffRequestSummary, issue 14); the fields that need them read the whole rows, once for
  // every request of the response.
  interface Entry {
    id: string;
    reason: string | null;
    stepCount: number;
    createdAt: string;
    availableActions: string[];
  }
  const fields = 'id reason stepCount createdAt availableActions';
  const calendar = `{ timeOffCalendar(from: "2026-11-01", to: "2026-11-30") { ${fields} } }`;

  it('answers them as the request by id does, and costs the same statements for more requests', async () => {
    const reasons = ['Family visit', 'Moving house'];
    const created: string[] = [];
    for (const [index, reason] of reasons.entries()) {
      const day = `2026-11-0${index + 2}`;
      const payload = await requestTimeOff(app, { employeeId: alice.id, policyId: policies.vacation, startDate: day, endDate: day, reason }, asAlice);
      expect(payload.userErrors).toEqual([]);
      if (payload.request) created.push(payload.request.id);
    }
    const read = () => app.gql<{ timeOffCalendar: Entry[] }>(calendar, {}, asHr);
    const first = await read();
    expect(first.errors).toBeUndefined();
    const all = first.data?.timeOffCalendar ?? [];
    const entries = all.filter((entry) => created.includes(entry.id));
    expect(entries.map((entry) => entry.reason)).toEqual(reasons);
    for (const entry of entries) {
      const byId = await app.gql<{ timeOffRequest: Entry }>(`query($id: ID!) { timeOffRequest(id: $id) { ${fields} } }`, { id: entry.id }, asHr);
      expect(entry).toEqual(byId.data?.timeOffRequest);
      expect(entry.stepCount).toBeGreaterThan(0);
      expect(entry.availableActions).toContain('APPROVE');
    }
    // The employee's own list, through Employee.timeOff: the same answers.
    const own = await app.gql<{ employee: { timeOff: Entry[] } }>(
      `query($id: ID!) { employee(id: $id) { timeOff(from: "2026-11-01", to: "2026-11-30") { ${fields} } } }`,
      { id: alice.id },
      asAlice,
    );
    expect(own.data?.employee.timeOff.filter((entry) => created.includes(entry.id)).map((entry) => [entry.reason, entry.stepCount, entry.createdAt])).toEqual(
      entries.map((entry) => [entry.reason, entry.stepCount, entry.createdAt]),
    );

    const before = await app.countStatements(read);
    for (const day of ['2026-11-16', '2026-11-17', '2026-11-18']) {
      await requestTimeOff(app, { employeeId: colleague.id, policyId: policies.vacation, startDate: day, endDate: day, reason: 'More' }, asColleague);
    }
    expect((await read()).data?.timeOffCalendar).toHaveLength(all.length + 3);
    expect(await app.countStatements(read)).toBe(before);
  });
});

describe('balance adjustments', () => {
  const adjust = /* GraphQL */ `
    mutation Adjust($input: AdjustTimeOffBalanceInput!) {
      adjustTimeOffBalance(input: $input) { balance { adjustments available } userErrors { field code } }
    }
  `;

  it('HR adjusts with a reason; the balance moves; the employee cannot adjust their own', async () => {
    const before = await balanceOf(colleague.id, policies.vacation);
    const response = await app.gql<{ adjustTimeOffBalance: { balance: { adjustments: number; available: number } | null; userErrors: unknown[] } }>(
      adjust,
      { input: { employeeId: colleague.id, policyId: policies.vacation, amount: 1.5, reason: 'Worked on a holiday' } },
      asHr,
    );
    expect(response.data?.adjustTimeOffBalance.userErrors).toEqual([]);
    expect(response.data?.adjustTimeOffBalance.balance).toEqual({ adjustments: 1.5, available: (before?.available ?? 0) + 1.5 });

    const refused = await app.gql<{ adjustTimeOffBalance: { userErrors: { code: string }[] } }>(
      adjust,
      { input: { employeeId: colleague.id, policyId: policies.vacation, amount: 0, reason: ' ' } },
      asHr,
    );
    expect(refused.data?.adjustTimeOffBalance.userErrors.map((error) => error.code)).toEqual(['INVALID_VALUE', 'REQUIRED']);
    const self = await app.gql(adjust, { input: { employeeId: colleague.id, policyId: policies.vacation, amount: 5, reason: 'Me' } }, asColleague);
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unlimited = await app.gql<{ adjustTimeOffBalance: { userErrors: { code: string }[] } }>(
      adjust,
      { input: { employeeId: colleague.id, policyId: policies.sick, amount: 1, reason: 'x' } },
      asHr,
    );
    expect(unlimited.data?.adjustTimeOffBalance.userErrors.map((error) => error.code)).toEqual(['INVALID_VALUE']);
  });
});
