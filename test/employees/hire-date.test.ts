import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, decide, requestTimeOff } from '../timeoff/fixtures.js';
import { completeTask, createTemplate, taskTitled, workflowsOf } from '../workflows/fixtures.js';

// Correcting a hire date keyed in wrong: the hire moves with what hangs on it (the first job row,
// the PRE_HIRE and ACTIVE status dates, time-off accrual and the waiting period), recorded in the
// history with a reason; later records that would contradict it refuse it. Balances are checked
// against a twin hired on the corrected date from the start: a correction must leave the employee
// exactly as if the right date had been keyed in (onboarding too, against a twin's workflow).
// Today is 2026-06-15.

let app: TestApp;
let org: OrgBasics;
let policyId: string;

const correctMutation = /* GraphQL */ `
  mutation($input: CorrectHireDateInput!) {
    correctHireDate(input: $input) {
      employee { id hireDate status }
      userErrors { field code message }
    }
  }
`;

interface CorrectPayload {
  employee: { id: string; hireDate: string; status: string } | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
}

async function correct(employeeId: string, hireDate: string, reason = 'Keyed in wrong', headers?: Record<string, string>) {
  const response = await app.gql<{ correctHireDate: CorrectPayload }>(correctMutation, { input: { employeeId, hireDate, reason } }, headers);
  return response;
}

async function corrected(employeeId: string, hireDate: string): Promise<void> {
  const response = await correct(employeeId, hireDate);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data?.correctHireDate.userErrors).toEqual([]);
  expect(response.data?.correctHireDate.employee?.hireDate).toBe(hireDate);
}

interface BalanceShape {
  policy: { id: string };
  accrued: number;
  carriedOver: number;
  available: number | null;
}

async function balance(employeeId: string, asOf: string): Promise<Omit<BalanceShape, 'policy'> | undefined> {
  const response = await app.gql<{ employee: { timeOffBalances: BalanceShape[] } }>(
    `query($id: ID!, $asOf: Date) { employee(id: $id) { timeOffBalances(asOf: $asOf) { policy { id } accrued carriedOver available } } }`,
    { id: employeeId, asOf },
  );
  expect(response.errors).toBeUndefined();
  const found = response.data?.employee.timeOffBalances.find((entry) => entry.policy.id === policyId);
  if (!found) return undefined;
  const { policy: _policy, ...amounts } = found;
  return amounts;
}

async function statusesOn(employeeId: string, days: readonly string[]): Promise<(string | null)[]> {
  const fields = days.map((day, index) => `d${index}: status(asOf: "${day}")`).join(' ');
  const response = await app.gql<{ employee: Record<string, string | null> }>(`query($id: ID!) { employee(id: $id) { ${fields} } }`, { id: employeeId });
  expect(response.errors).toBeUndefined();
  return days.map((_day, index) => response.data?.employee[`d${index}`] ?? null);
}

const place = () => ({ departmentId: org.departments.engineering, locationId: org.locations.berlin });

async function hiredEvents(employeeId: string): Promise<unknown[]> {
  const rows = await app.database.db
    .select({ data: outboxEvents.data })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.type, 'employee.hired'), eq(outboxEvents.subject, `employee:${employeeId}`)));
  return rows.map((row) => row.data);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  // 24 days a year, prorated by the days employed; 30 days' wait after the hire date; no approval.
  policyId = await createPolicy(app, { name: 'Vacation', amountPerYear: 24, carryOverCap: 10, waitingPeriodDays: 30, approvalChain: [] });
});
afterAll(() => app.close());

describe('moving a hire earlier', () => {
  let employee: CreatedEmployee;
  let twin: CreatedEmployee;

  beforeAll(async () => {
    employee = await hire(app, { ...place(), hireDate: '2026-03-02' });
    twin = await hire(app, { ...place(), hireDate: '2025-10-01' });
  });

  it('moves the status, accrual (across the year) and the waiting period with it, and records why', async () => {
    // In the old waiting period (until 2026-04-01), not in the new one (until 2025-10-31).
    const tooEarly = await requestTimeOff(app, { employeeId: employee.id, policyId, startDate: '2026-03-16', endDate: '2026-03-16' });
    expect(tooEarly.userErrors.map((error) => error.code)).toEqual(['IN_WAITING_PERIOD']);
    expect(await balance(employee.id, '2026-06-15')).not.toEqual(await balance(twin.id, '2026-06-15'));

    await corrected(employee.id, '2025-10-01');

    expect(await statusesOn(employee.id, ['2025-09-30', '2025-10-01', '2026-03-01', '2026-06-15'])).toEqual([null, 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    for (const day of ['2025-12-31', '2026-01-01', '2026-06-15']) {
      expect(await balance(employee.id, day), day).toEqual(await balance(twin.id, day));
    }
    expect((await balance(employee.id, '2026-01-01'))?.carriedOver).toBeGreaterThan(0);
    const allowed = await requestTimeOff(app, { employeeId: employee.id, policyId, startDate: '2026-03-16', endDate: '2026-03-16' });
    expect(allowed.userErrors).toEqual([]);

    const history = await app.gql<{ employee: { history: { kind: string; effectiveFrom: string; reason: string | null; changes: { field: string; before: string | null; after: string | null }[] }[] } }>(
      `query($id: ID!) { employee(id: $id) { history { kind effectiveFrom reason changes { field before after } } } }`,
      { id: employee.id },
    );
    expect(history.data?.employee.history[0]).toEqual({
      kind: 'HIRE_DATE_CORRECTED',
      effectiveFrom: '2025-10-01',
      reason: 'Keyed in wrong',
      changes: [{ field: 'hireDate', before: '2026-03-02', after: '2025-10-01' }],
    });
    const events = await app.database.db
      .select({ data: outboxEvents.data })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, 'employee.hire_date.corrected'), eq(outboxEvents.subject, `employee:${employee.id}`)));
    expect(events.map((event) => event.data)).toEqual([{ employeeId: employee.id, hireDate: '2025-10-01', previousHireDate: '2026-03-02' }]);
  });

  it('is refused when their department did not exist yet or their manager was not employed', async () => {
    const manager = await hire(app, { ...place(), hireDate: '2026-02-02' });
    const report = await hire(app, { ...place(), managerId: manager.id, hireDate: '2026-03-02' });
    const response = await correct(report.id, '2026-01-05');
    expect(response.data?.correctHireDate.userErrors).toEqual([expect.objectContaining({ code: 'HIRE_DATE_CONFLICT', message: expect.stringContaining('manager is not employed on 2026-01-05') })]);

    const created = await app.gql<{ createDepartment: { department: { id: string } } }>(
      `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { department { id } } }`,
      { input: { name: 'New Team', code: 'NEW', effectiveFrom: '2026-01-01' } },
    );
    const newcomer = await hire(app, { departmentId: created.data?.createDepartment.department.id ?? '', locationId: org.locations.berlin, hireDate: '2026-03-02' });
    const early = await correct(newcomer.id, '2025-12-01');
    expect(early.data?.correctHireDate.userErrors).toEqual([
      { code: 'NOT_YET_CREATED', field: ['input', 'hireDate'], message: 'The department exists from 2026-01-01, after 2025-12-01.' },
    ]);
  });
});

describe('moving a hire later', () => {
  it('moves the status and accrual with it', async () => {
    const employee = await hire(app, { ...place(), hireDate: '2026-01-05' });
    const twin = await hire(app, { ...place(), hireDate: '2026-04-01' });
    await corrected(employee.id, '2026-04-01');
    expect(await statusesOn(employee.id, ['2026-01-05', '2026-03-31', '2026-04-01'])).toEqual([null, null, 'ACTIVE']);
    expect(await balance(employee.id, '2026-06-15')).toEqual(await balance(twin.id, '2026-06-15'));
  });

  it('past today makes them PRE_HIRE until the new date, and announces the hire again on it', async () => {
    const employee = await hire(app, { ...place(), hireDate: '2026-06-01' });
    expect(await hiredEvents(employee.id)).toHaveLength(1);
    await corrected(employee.id, '2026-07-01');
    expect(await statusesOn(employee.id, ['2026-06-01', '2026-06-15', '2026-06-30', '2026-07-01'])).toEqual(['PRE_HIRE', 'PRE_HIRE', 'PRE_HIRE', 'ACTIVE']);
    expect(await hiredEvents(employee.id)).toHaveLength(1);
    // And back to a day already past: ACTIVE from then, announced now (the start had been withdrawn).
    await corrected(employee.id, '2026-06-10');
    expect(await statusesOn(employee.id, ['2026-06-01', '2026-06-09', '2026-06-10'])).toEqual(['PRE_HIRE', 'PRE_HIRE', 'ACTIVE']);
    const events = await hiredEvents(employee.id);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ status: 'ACTIVE', previousStatus: 'PRE_HIRE', effectiveDate: '2026-06-10' });
  });

  it('of someone hired ahead of their start moves the start, and before today makes them ACTIVE from then', async () => {
    const employee = await hire(app, { ...place(), hireDate: '2026-08-03' });
    expect(employee.status).toBe('PRE_HIRE');
    await corrected(employee.id, '2026-07-01');
    expect(await statusesOn(employee.id, ['2026-06-15', '2026-06-30', '2026-07-01', '2026-08-03'])).toEqual(['PRE_HIRE', 'PRE_HIRE', 'ACTIVE', 'ACTIVE']);
    expect(await hiredEvents(employee.id)).toEqual([]);
    // They had started after all, before they were keyed in: ACTIVE from then, announced now, once.
    await corrected(employee.id, '2026-06-01');
    expect(await statusesOn(employee.id, ['2026-05-31', '2026-06-01', '2026-06-15'])).toEqual([null, 'ACTIVE', 'ACTIVE']);
    expect(await hiredEvents(employee.id)).toEqual([expect.objectContaining({ previousStatus: null, effectiveDate: '2026-06-01' })]);
  });
});

describe('what refuses a correction', () => {
  it('a job change before the new hire date', async () => {
    const employee = await hire(app, { ...place(), hireDate: '2026-01-05' });
    const update = await app.gql<{ updateEmployee: { userErrors: unknown[] } }>(
      `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code } } }`,
      { input: { id: employee.id, jobTitle: 'Senior Engineer', effectiveDate: '2026-02-01' } },
    );
    expect(update.data?.updateEmployee.userErrors).toEqual([]);
    const response = await correct(employee.id, '2026-03-02');
    expect(response.data?.correctHireDate).toEqual({
      employee: null,
      userErrors: [
        {
          code: 'HIRE_DATE_CONFLICT',
          field: ['input', 'hireDate'],
          message: 'a change of jobTitle is recorded from 2026-02-01, before the new hire date 2026-03-02: correct those changes first.',
        },
      ],
    });
    expect(await statusesOn(employee.id, ['2026-01-05'])).toEqual(['ACTIVE']);
    // On or before the change it is fine.
    await corrected(employee.id, '2026-02-01');
  });

  it('a time-off request before it, until that request is cancelled', async () => {
    const employee = await hire(app, { ...place(), hireDate: '2025-01-06' });
    const booked = await requestTimeOff(app, { employeeId: employee.id, policyId, startDate: '2026-02-09', endDate: '2026-02-10' });
    expect(booked.userErrors).toEqual([]);
    const response = await correct(employee.id, '2026-03-02');
    expect(response.data?.correctHireDate.userErrors).toEqual([
      {
        code: 'HIRE_DATE_CONFLICT',
        field: ['input', 'hireDate'],
        message: 'An approved time-off request from 2026-02-09 to 2026-02-10 starts before the new hire date 2026-03-02: cancel it first.',
      },
    ]);
    const cancelled = await decide(app, 'cancel', { id: booked.request?.id ?? '' });
    expect(cancelled.payload?.userErrors).toEqual([]);
    await corrected(employee.id, '2026-03-02');
  });

  it('someone reporting to them before it', async () => {
    const manager = await hire(app, { ...place(), hireDate: '2026-01-05' });
    await hire(app, { ...place(), managerId: manager.id, hireDate: '2026-01-12' });
    const response = await correct(manager.id, '2026-02-02');
    expect(response.data?.correctHireDate.userErrors).toEqual([
      expect.objectContaining({ code: 'HIRE_DATE_CONFLICT', message: expect.stringContaining('1 employee(s) report to this employee from 2026-01-12') }),
    ]);
  });

  it('heading a department before it', async () => {
    const head = await hire(app, { ...place(), hireDate: '2026-01-05' });
    const update = await app.gql<{ updateDepartment: { userErrors: unknown[] } }>(
      `mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { userErrors { code } } }`,
      { input: { id: org.departments.people, headId: head.id, effectiveFrom: '2026-02-02' } },
    );
    expect(update.data?.updateDepartment.userErrors).toEqual([]);
    const response = await correct(head.id, '2026-03-02');
    expect(response.data?.correctHireDate.userErrors).toEqual([
      expect.objectContaining({ code: 'HIRE_DATE_CONFLICT', message: expect.stringContaining('heads department PPL from 2026-02-02') }),
    ]);
    await corrected(head.id, '2026-02-02');
  });

  it('the same date, no reason, or an unknown employee', async () => {
    const employee = await hire(app, { ...place(), hireDate: '2026-01-05' });
    expect((await correct(employee.id, '2026-01-05')).data?.correctHireDate.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_VALUE' })]);
    expect((await correct(employee.id, '2026-01-06', '  ')).data?.correctHireDate.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'reason'] })]);
    expect((await correct('00000000-0000-4000-8000-000000000000', '2026-01-06')).data?.correctHireDate.userErrors).toEqual([
      expect.objectContaining({ code: 'EMPLOYEE_NOT_FOUND' }),
    ]);
  });

  it('anyone but HR, and HR on their own record', async () => {
    const hrPerson = await hire(app, { ...place(), hireDate: '2026-01-05' });
    const employee = await hire(app, { ...place(), managerId: hrPerson.id, hireDate: '2026-01-05' });
    const asManager = await app.as({ roles: ['Manager'], email: hrPerson.email });
    expect((await correct(employee.id, '2026-01-12', 'x', asManager)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asHrStaff = await app.as({ roles: ['HR Staff'], email: hrPerson.email });
    expect((await correct(hrPerson.id, '2025-12-01', 'x', asHrStaff)).errors?.[0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
      message: expect.stringContaining('your own hire date'),
    });
    const allowed = await correct(employee.id, '2026-01-12', 'Started a week later', asHrStaff);
    expect(allowed.data?.correctHireDate.userErrors).toEqual([]);
  });
});

describe('onboarding under way', () => {
  it('moves with the hire: the anchor day and each open task’s due date, as if started on the right date', async () => {
    await createTemplate(app, {
      kind: 'ONBOARDING',
      name: 'Onboarding',
      tasks: [
        { title: 'Create accounts', assigneeKind: 'IT', dueOffsetDays: -3 },
        { title: 'Welcome meeting', assigneeKind: 'HR', dueOffsetDays: 0 },
        { title: 'First-week check-in', assigneeKind: 'HR', dueOffsetDays: 5 },
      ],
    });
    const employee = await hire(app, { ...place(), hireDate: '2026-07-06' });
    const twin = await hire(app, { ...place(), hireDate: '2026-07-13' });
    const [started] = await workflowsOf(app, employee.id);
    const accounts = taskTitled(started ?? {}, 'Create accounts');
    await completeTask(app, accounts.id);

    await corrected(employee.id, '2026-07-13');

    const [moved] = await workflowsOf(app, employee.id);
    const [twinWorkflow] = await workflowsOf(app, twin.id);
    expect(moved?.anchorDay).toBe('2026-07-13');
    for (const title of ['Welcome meeting', 'First-week check-in']) {
      expect(taskTitled(moved ?? {}, title).dueDate, title).toBe(taskTitled(twinWorkflow ?? {}, title).dueDate);
    }
    // Done before the correction: it stays as it was done.
    expect(taskTitled(moved ?? {}, 'Create accounts')).toMatchObject({ state: 'DONE', dueDate: accounts.dueDate });
    const history = await app.gql<{ workflow: { history: { kind: string; changes: { field: string; before: string | null; after: string | null }[] }[] } }>(
      `query($id: ID!) { workflow(id: $id) { history { kind changes { field before after } } } }`,
      { id: moved?.id },
    );
    expect(history.data?.workflow.history.map((entry) => entry.kind)).toContain('RESCHEDULED');
    expect(history.data?.workflow.history.find((entry) => entry.kind === 'RESCHEDULED')?.changes).toEqual([
      { field: 'anchorDay', before: '2026-07-06', after: '2026-07-13' },
    ]);
  });
});
