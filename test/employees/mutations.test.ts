import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmployeeMutation, createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

let app: TestApp;
let org: OrgBasics;
let boss: CreatedEmployee;

interface UserErrorShape {
  field: string[] | null;
  code: string;
  message: string;
}

interface Payload {
  employee: Record<string, unknown> | null;
  userErrors: UserErrorShape[];
}

const updateMutation = /* GraphQL */ `
  mutation Update($input: UpdateEmployeeInput!) {
    updateEmployee(input: $input) {
      employee { id email firstName preferredName displayName jobTitle workPhone timezone personalEmail homeAddress { city countryCode } manager { id } department { id } }
      userErrors { field code message }
    }
  }
`;

const statusMutation = /* GraphQL */ `
  mutation Status($input: ChangeEmployeeStatusInput!) {
    changeEmployeeStatus(input: $input) {
      employee { id status terminationDate }
      userErrors { field code message }
    }
  }
`;

function baseInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email: `new.${Math.random().toString(36).slice(2)}@example.com`,
    firstName: 'Nora',
    lastName: 'Novak',
    jobTitle: 'Service Desk Technician',
    departmentId: org.departments.engineering,
    locationId: org.locations.berlin,
    employmentType: 'FULL_TIME',
    hireDate: '2024-02-01',
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}): Promise<Payload> {
  const response = await app.gql<{ createEmployee: Payload }>(createEmployeeMutation, { input: baseInput(overrides) });
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.createEmployee;
}

async function update(input: Record<string, unknown>): Promise<Payload> {
  const response = await app.gql<{ updateEmployee: Payload }>(updateMutation, { input });
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.updateEmployee;
}

async function changeStatus(input: Record<string, unknown>): Promise<Payload> {
  const response = await app.gql<{ changeEmployeeStatus: Payload }>(statusMutation, { input });
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.changeEmployeeStatus;
}

function expectOneError(payload: Payload, code: string, field: string[]): void {
  expect(payload.employee).toBeNull();
  expect(payload.userErrors).toHaveLength(1);
  expect(payload.userErrors[0]).toMatchObject({ code, field });
  expect(payload.userErrors[0]?.message.length).toBeGreaterThan(10);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  boss = await hire(app, {
    departmentId: org.departments.engineering,
    locationId: org.locations.berlin,
    jobTitle: 'Head of Engineering',
    hireDate: '2018-01-01',
    employeeNumber: 'BOSS-1',
    hubUserId: 'hub-boss',
  });
});
afterAll(() => app.close());

describe('createEmployee', () => {
  it('hires with every field and generates an employee number', async () => {
    const payload = await create({
      email: 'Nora.Novak@Example.com',
      preferredName: 'Nor',
      managerId: boss.id,
      workPhone: '+49 30 1234567',
      timezone: 'Europe/Lisbon',
      personalEmail: 'nora@home.example',
      personalPhone: '+49 170 1234567',
      dateOfBirth: '1990-02-28',
      homeAddress: { line1: 'Hauptstr. 1', city: 'Berlin', countryCode: 'DE', postalCode: '10115' },
      emergencyContact: { name: 'Ivo Novak', relationship: 'Partner', phone: '+49 170 7654321' },
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.employee).toMatchObject({
      email: 'nora.novak@example.com',
      status: 'ACTIVE',
      jobTitle: 'Service Desk Technician',
      hireDate: '2024-02-01',
      manager: { id: boss.id },
    });
    expect(payload.employee?.employeeNumber).toMatch(/^E\d{6}$/);
    const read = await app.gql<{ employee: Record<string, unknown> }>(
      `query($id: ID!) { employee(id: $id) { displayName timezone workPhone personalEmail personalPhone dateOfBirth homeAddress { line1 line2 city postalCode countryCode } emergencyContact { name relationship phone } employmentType department { name } location { name } } }`,
      { id: payload.employee?.id },
    );
    expect(read.data?.employee).toEqual({
      displayName: 'Nor Novak',
      timezone: 'Europe/Lisbon',
      workPhone: '+49 30 1234567',
      personalEmail: 'nora@home.example',
      personalPhone: '+49 170 1234567',
      dateOfBirth: '1990-02-28',
      homeAddress: { line1: 'Hauptstr. 1', line2: null, city: 'Berlin', postalCode: '10115', countryCode: 'DE' },
      emergencyContact: { name: 'Ivo Novak', relationship: 'Partner', phone: '+49 170 7654321' },
      employmentType: 'FULL_TIME',
      department: { name: 'Engineering' },
      location: { name: 'Berlin Office' },
    });
  });

  it.each([
    ['an invalid e-mail', { email: 'not-an-email' }, 'INVALID_EMAIL', ['input', 'email']],
    ['an invalid personal e-mail', { personalEmail: 'x@' }, 'INVALID_EMAIL', ['input', 'personalEmail']],
    ['a blank first name', { firstName: '   ' }, 'REQUIRED', ['input', 'firstName']],
    ['an overlong last name', { lastName: 'x'.repeat(101) }, 'INVALID_VALUE', ['input', 'lastName']],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'INVALID_VALUE', ['input', 'timezone']],
    ['a hire date absurdly far away', { hireDate: '2999-01-01' }, 'INVALID_VALUE', ['input', 'hireDate']],
    ['a birthday in the future', { dateOfBirth: '2030-01-01' }, 'INVALID_VALUE', ['input', 'dateOfBirth']],
    ['a bad phone number', { workPhone: 'call me' }, 'INVALID_VALUE', ['input', 'workPhone']],
    ['a bad employee number', { employeeNumber: 'has spaces' }, 'INVALID_VALUE', ['input', 'employeeNumber']],
    [
      'a bad country in the address',
      { homeAddress: { line1: 'a', city: 'b', countryCode: 'Germany' } },
      'INVALID_VALUE',
      ['input', 'homeAddress', 'countryCode'],
    ],
    ['an unknown department', { departmentId: '00000000-0000-4000-8000-000000000001' }, 'DEPARTMENT_NOT_FOUND', ['input', 'departmentId']],
    ['a malformed location id', { locationId: 'berlin' }, 'LOCATION_NOT_FOUND', ['input', 'locationId']],
    ['an unknown manager', { managerId: '00000000-0000-4000-8000-000000000002' }, 'MANAGER_NOT_FOUND', ['input', 'managerId']],
  ])('refuses %s with a typed user error', async (_label, overrides, code, field) => {
    expectOneError(await create(overrides), code, field);
  });

  it('refuses duplicates of e-mail (any case), employee number and Hub user id', async () => {
    const first = await create({ email: 'dup@example.com' });
    expect(first.userErrors).toEqual([]);
    expectOneError(await create({ email: 'DUP@example.com' }), 'DUPLICATE_EMAIL', ['input', 'email']);
    expectOneError(await create({ employeeNumber: 'BOSS-1' }), 'DUPLICATE_EMPLOYEE_NUMBER', ['input', 'employeeNumber']);
    expectOneError(await create({ hubUserId: 'hub-boss' }), 'DUPLICATE_HUB_USER_ID', ['input', 'hubUserId']);
  });

  it('reports every problem at once', async () => {
    const payload = await create({ email: 'bad', firstName: '', timezone: 'Nowhere' });
    expect(payload.userErrors.map((error) => error.code).sort()).toEqual(['INVALID_EMAIL', 'INVALID_VALUE', 'REQUIRED']);
  });

  it('refuses a manager who is not employed on the hire date', async () => {
    const gone = await hire(app, {
      departmentId: org.departments.sales,
      locationId: org.locations.newYork,
      hireDate: '2019-01-01',
    });
    expect((await changeStatus({ id: gone.id, status: 'RESIGNED', effectiveDate: '2023-12-31' })).userErrors).toEqual([]);
    expectOneError(await create({ managerId: gone.id, hireDate: '2024-02-01' }), 'MANAGER_NOT_EMPLOYED', ['input', 'managerId']);
    // Before they resigned they could manage someone (back-filled history)...
    const orphan = await create({ managerId: gone.id, hireDate: '2023-06-01' });
    expect(orphan.userErrors).toEqual([]);
    // ...and that report, whose manager has left, heads their own branch of the org chart.
    const chart = await app.gql<{ orgChart: { employee: { id: string } }[] }>(`{ orgChart(depth: 0) { employee { id } } }`);
    expect(chart.data?.orgChart.map((node) => node.employee.id)).toContain(orphan.employee?.id);
  });

  it('keeps only one of two racing hires with the same e-mail', async () => {
    const email = `race.${Date.now()}@example.com`;
    const results = await Promise.all([create({ email }), create({ email }), create({ email })]);
    const created = results.filter((payload) => payload.employee !== null);
    const refused = results.filter((payload) => payload.userErrors[0]?.code === 'DUPLICATE_EMAIL');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(2);
  });

  it('keeps only one of racing hires with the same employee number, or the same Hub user id', async () => {
    // On PostgreSQL the losers pass the checks and trip the unique constraints, which the
    // mutation kit maps by name: a misspelt constraint name would answer a 500 here.
    const employeeNumber = `RACE-${Date.now()}`;
    const byNumber = await Promise.all([create({ employeeNumber }), create({ employeeNumber }), create({ employeeNumber })]);
    expect(byNumber.filter((payload) => payload.employee !== null)).toHaveLength(1);
    expect(byNumber.flatMap((payload) => payload.userErrors.map((error) => error.code))).toEqual(['DUPLICATE_EMPLOYEE_NUMBER', 'DUPLICATE_EMPLOYEE_NUMBER']);

    const hubUserId = `hub-race-${Date.now()}`;
    const byHubUser = await Promise.all([create({ hubUserId }), create({ hubUserId }), create({ hubUserId })]);
    expect(byHubUser.filter((payload) => payload.employee !== null)).toHaveLength(1);
    expect(byHubUser.flatMap((payload) => payload.userErrors.map((error) => error.code))).toEqual(['DUPLICATE_HUB_USER_ID', 'DUPLICATE_HUB_USER_ID']);
  });

  it('turns out-of-set enum values and malformed dates into GraphQL input errors, not 500s', async () => {
    const badEnum = await app.gql(createEmployeeMutation, { input: baseInput({ employmentType: 'SLAVE' }) });
    expect(badEnum.status).toBe(400);
    expect(badEnum.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await app.gql(createEmployeeMutation, { input: baseInput({ hireDate: '2024-02-30' }) });
    expect(badDate.status).toBe(400);
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badDate.errors?.[0]?.message).toContain('YYYY-MM-DD');
    const inlineEnum = await app.gql(`{ employees(filter: { status: [RETIRED] }) { totalCount } }`);
    expect(inlineEnum.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify([badEnum, badDate, inlineEnum])).not.toContain('stacktrace');
  });
});

describe('updateEmployee', () => {
  let person: string;

  beforeAll(async () => {
    const payload = await create({ email: 'upd@example.com', preferredName: 'Upi', managerId: boss.id });
    person = String(payload.employee?.id);
  });

  it('changes given fields, clears an explicit null, and leaves omitted ones alone', async () => {
    const payload = await update({
      id: person,
      firstName: 'Una',
      preferredName: null,
      email: 'UNA@example.com',
      personalEmail: 'una@home.example',
      homeAddress: { line1: 'Rue 2', city: 'Lyon', countryCode: 'FR' },
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.employee).toMatchObject({
      email: 'una@example.com',
      firstName: 'Una',
      preferredName: null,
      displayName: 'Una Novak',
      jobTitle: 'Service Desk Technician',
      personalEmail: 'una@home.example',
      homeAddress: { city: 'Lyon', countryCode: 'FR' },
      manager: { id: boss.id },
    });
  });

  it('refuses to clear a required field, and unknown employees', async () => {
    expectOneError(await update({ id: person, lastName: null }), 'REQUIRED', ['input', 'lastName']);
    expectOneError(await update({ id: person, jobTitle: '' }), 'REQUIRED', ['input', 'jobTitle']);
    expectOneError(await update({ id: '00000000-0000-4000-8000-00000000000f', firstName: 'X' }), 'EMPLOYEE_NOT_FOUND', ['input', 'id']);
    expectOneError(await update({ id: 'nope', firstName: 'X' }), 'EMPLOYEE_NOT_FOUND', ['input', 'id']);
  });

  it("refuses another employee's e-mail", async () => {
    expectOneError(await update({ id: person, email: 'DUP@example.com' }), 'DUPLICATE_EMAIL', ['input', 'email']);
  });

  it('refuses a manager cycle, direct or through the chain, and self-management', async () => {
    const lead = await create({ managerId: person.toUpperCase() });
    expect(lead.userErrors).toEqual([]);
    const leadId = String(lead.employee?.id);
    const member = await create({ managerId: leadId });
    expectOneError(await update({ id: person, managerId: person }), 'MANAGER_CYCLE', ['input', 'managerId']);
    expectOneError(await update({ id: person.toUpperCase(), managerId: person }), 'MANAGER_CYCLE', ['input', 'managerId']);
    expectOneError(await update({ id: person, managerId: leadId }), 'MANAGER_CYCLE', ['input', 'managerId']);
    expectOneError(await update({ id: person, managerId: String(member.employee?.id) }), 'MANAGER_CYCLE', ['input', 'managerId']);
  });

  it('refuses a cycle that a future-dated reporting change would create', async () => {
    const a = String((await create({ managerId: boss.id })).employee?.id);
    const b = String((await create({ managerId: boss.id })).employee?.id);
    // From August, b reports to a.
    expect((await update({ id: b, managerId: a, effectiveDate: '2026-08-01' })).userErrors).toEqual([]);
    // Making a report to b from July is fine in July, but a cycle from August.
    const payload = await update({ id: a, managerId: b, effectiveDate: '2026-07-01' });
    expectOneError(payload, 'MANAGER_CYCLE', ['input', 'managerId']);
    expect(payload.userErrors[0]?.message).toContain('2026-08-01');
  });

  it('refuses a job change dated before the hire date', async () => {
    expectOneError(await update({ id: person, jobTitle: 'Lead', effectiveDate: '2020-01-01' }), 'BEFORE_HIRE_DATE', [
      'input',
      'effectiveDate',
    ]);
  });

  it('records no history when nothing changes', async () => {
    const before = await app.gql<{ employee: { history: unknown[] } }>(`query($id: ID!) { employee(id: $id) { history { id } } }`, { id: person });
    const payload = await update({ id: person, firstName: 'Una', jobTitle: 'Service Desk Technician' });
    expect(payload.userErrors).toEqual([]);
    const after = await app.gql<{ employee: { history: unknown[] } }>(`query($id: ID!) { employee(id: $id) { history { id } } }`, { id: person });
    expect(after.data?.employee.history).toHaveLength(before.data?.employee.history.length ?? -1);
  });
});

describe('changeEmployeeStatus', () => {
  let person: string;

  beforeAll(async () => {
    person = String((await create({ hireDate: '2022-03-01' })).employee?.id);
  });

  it('moves through leave and back', async () => {
    expect((await changeStatus({ id: person, status: 'ON_LEAVE', effectiveDate: '2026-05-01', reason: 'Parental leave' })).employee).toMatchObject({
      status: 'ON_LEAVE',
    });
    expect((await changeStatus({ id: person, status: 'ACTIVE', effectiveDate: '2026-06-01' })).employee).toMatchObject({ status: 'ACTIVE' });
  });

  it('refuses a transition to the same status or one the rules do not allow', async () => {
    expectOneError(await changeStatus({ id: person, status: 'ACTIVE' }), 'STATUS_TRANSITION_NOT_ALLOWED', ['input', 'status']);
    expectOneError(await changeStatus({ id: person, status: 'PRE_HIRE' }), 'STATUS_TRANSITION_NOT_ALLOWED', ['input', 'status']);
  });

  it('refuses a termination before the hire date', async () => {
    expectOneError(
      await changeStatus({ id: person, status: 'TERMINATED', effectiveDate: '2022-02-28' }),
      'TERMINATION_BEFORE_HIRE',
      ['input', 'effectiveDate'],
    );
  });

  it('terminates, refuses leave afterwards, and allows a rehire', async () => {
    const terminated = await changeStatus({ id: person, status: 'TERMINATED', effectiveDate: '2026-06-10', reason: 'Redundancy' });
    expect(terminated.employee).toMatchObject({ status: 'TERMINATED', terminationDate: '2026-06-10' });
    expectOneError(await changeStatus({ id: person, status: 'ON_LEAVE' }), 'STATUS_TRANSITION_NOT_ALLOWED', ['input', 'status']);
    expectOneError(await changeStatus({ id: person, status: 'RESIGNED' }), 'STATUS_TRANSITION_NOT_ALLOWED', ['input', 'status']);
    const rehired = await changeStatus({ id: person, status: 'ACTIVE', effectiveDate: '2026-06-14' });
    expect(rehired.employee).toMatchObject({ status: 'ACTIVE', terminationDate: null });
  });

  it('refuses a change that would break a change already scheduled', async () => {
    const someone = String((await create({ hireDate: '2021-01-01' })).employee?.id);
    expect((await changeStatus({ id: someone, status: 'RESIGNED', effectiveDate: '2026-09-30' })).userErrors).toEqual([]);
    // Going on leave before the resignation is fine...
    expect((await changeStatus({ id: someone, status: 'ON_LEAVE', effectiveDate: '2026-07-01' })).userErrors).toEqual([]);
    // ...but leave keyed after the resignation date is not.
    expectOneError(await changeStatus({ id: someone, status: 'ON_LEAVE', effectiveDate: '2026-10-15' }), 'STATUS_TRANSITION_NOT_ALLOWED', [
      'input',
      'status',
    ]);
  });

  it('refuses to let a manager leave while people still report to them', async () => {
    const lead = String((await create({ hireDate: '2021-01-01' })).employee?.id);
    const report = String((await create({ hireDate: '2022-01-01', managerId: lead })).employee?.id);
    const refused = await changeStatus({ id: lead, status: 'RESIGNED', effectiveDate: '2026-07-31' });
    expectOneError(refused, 'HAS_DIRECT_REPORTS', ['input', 'status']);
    // A report scheduled to join the lead after the leaving day counts too.
    const later = String((await create({ hireDate: '2022-01-01', managerId: boss.id })).employee?.id);
    expect((await update({ id: report, managerId: boss.id, effectiveDate: '2026-07-01' })).userErrors).toEqual([]);
    expect((await update({ id: later, managerId: lead, effectiveDate: '2026-08-15' })).userErrors).toEqual([]);
    expectOneError(await changeStatus({ id: lead, status: 'RESIGNED', effectiveDate: '2026-07-31' }), 'HAS_DIRECT_REPORTS', ['input', 'status']);
    expect((await update({ id: later, managerId: boss.id, effectiveDate: '2026-08-15' })).userErrors).toEqual([]);
    expect((await changeStatus({ id: lead, status: 'RESIGNED', effectiveDate: '2026-07-31' })).userErrors).toEqual([]);
    // Nobody can be given a manager who is scheduled to leave.
    expectOneError(await create({ managerId: lead }), 'MANAGER_NOT_EMPLOYED', ['input', 'managerId']);
    expectOneError(await update({ id: later, managerId: lead }), 'MANAGER_NOT_EMPLOYED', ['input', 'managerId']);
  });

  it('refuses unknown employees and malformed dates', async () => {
    expectOneError(await changeStatus({ id: '00000000-0000-4000-8000-0000000000aa', status: 'ACTIVE' }), 'EMPLOYEE_NOT_FOUND', ['input', 'id']);
    const response = await app.gql(statusMutation, { input: { id: person, status: 'ON_LEAVE', effectiveDate: '15/06/2026' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
