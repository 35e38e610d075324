import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createHolidayCalendar, createPolicy } from './fixtures.js';

// Time-off administration: who may change policies, rules, overrides and holiday calendars, how
// a policy and its approval chain are validated, what HR alone reads, and the events recorded.
// Today is Monday 15 June 2026.
let app: TestApp;
let org: OrgBasics;
let employee: CreatedEmployee;
let manager: CreatedEmployee;
let leaver: CreatedEmployee;
let hrManagerEmployee: CreatedEmployee;
let asHrManager: Record<string, string>;
let asHrManagerEmployee: Record<string, string>;
let asHrStaff: Record<string, string>;
let asManager: Record<string, string>;
let asEmployee: Record<string, string>;
let existingPolicy: string;
let calendarId: string;

interface UserErrorResult {
  field: string[] | null;
  code: string;
  message: string;
}

const policyFields = /* GraphQL */ `id code name category accrualKind amountPerYear carryOverCap negativeBalanceLimit waitingPeriodDays private hoursPerDay approvalChain { kind whenLongerThanDays approver { id } }`;

const mutations = {
  createTimeOffPolicy: `mutation($input: CreateTimeOffPolicyInput!) { createTimeOffPolicy(input: $input) { policy { ${policyFields} } userErrors { field code message } } }`,
  updateTimeOffPolicy: `mutation($input: UpdateTimeOffPolicyInput!) { updateTimeOffPolicy(input: $input) { policy { ${policyFields} } userErrors { field code message } } }`,
  setTimeOffPolicyRules: `mutation($input: SetTimeOffPolicyRulesInput!) { setTimeOffPolicyRules(input: $input) { policy { id assignmentRules { location { id } employmentType } } userErrors { field code message } } }`,
  setTimeOffPolicyOverride: `mutation($input: SetTimeOffPolicyOverrideInput!) { setTimeOffPolicyOverride(input: $input) { override { assigned amountPerYear policy { id } employee { id } } employee { id } userErrors { field code message } } }`,
  clearTimeOffPolicyOverride: `mutation($input: ClearTimeOffPolicyOverrideInput!) { clearTimeOffPolicyOverride(input: $input) { override { assigned } employee { id } userErrors { field code message } } }`,
  createHolidayCalendar: `mutation($input: CreateHolidayCalendarInput!) { createHolidayCalendar(input: $input) { calendar { id name location { id } } userErrors { field code message } } }`,
  setHolidays: `mutation($input: SetHolidaysInput!) { setHolidays(input: $input) { calendar { id holidays { date name halfDay } } userErrors { field code message } } }`,
} as const;

type MutationName = keyof typeof mutations;
const mutationNames: readonly MutationName[] = [
  'createTimeOffPolicy',
  'updateTimeOffPolicy',
  'setTimeOffPolicyRules',
  'setTimeOffPolicyOverride',
  'clearTimeOffPolicyOverride',
  'createHolidayCalendar',
  'setHolidays',
];

interface PolicyResult {
  id: string;
  code: string;
  name: string;
  category: string;
  accrualKind: string;
  amountPerYear: number;
  carryOverCap: number | null;
  negativeBalanceLimit: number;
  waitingPeriodDays: number;
  private: boolean;
  hoursPerDay: number;
  approvalChain: { kind: string; whenLongerThanDays: number | null; approver: { id: string } | null }[];
}

interface Payload {
  userErrors: UserErrorResult[];
  policy?: PolicyResult | null;
  calendar?: { id: string } | null;
  [field: string]: unknown;
}

async function run(name: MutationName, input: Record<string, unknown>, headers?: Record<string, string>) {
  const response = await app.gql<Record<string, Payload>>(mutations[name], { input }, headers);
  return { ...response, payload: response.data?.[name] ?? null };
}

async function createPolicyAs(input: Record<string, unknown>, headers?: Record<string, string>) {
  const { payload, errors } = await run('createTimeOffPolicy', { category: 'VACATION', accrualKind: 'ANNUAL_GRANT', amountPerYear: 20, ...input }, headers);
  expect(errors).toBeUndefined();
  return { policy: payload?.policy ?? null, userErrors: payload?.userErrors ?? [] };
}

async function updatePolicyAs(input: Record<string, unknown>, headers?: Record<string, string>) {
  const { payload, errors } = await run('updateTimeOffPolicy', input, headers);
  expect(errors).toBeUndefined();
  return { policy: payload?.policy ?? null, userErrors: payload?.userErrors ?? [] };
}

const codesOf = (errors: UserErrorResult[]) => errors.map((error) => [error.code, (error.field ?? []).join('.')]);

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const berlin = { locationId: org.locations.berlin, departmentId: org.departments.people };
  manager = await hire(app, { ...berlin, hireDate: '2016-01-04' });
  employee = await hire(app, { ...berlin, managerId: manager.id });
  leaver = await hire(app, { ...berlin, managerId: manager.id });
  hrManagerEmployee = await hire(app, { ...berlin, managerId: manager.id });
  const terminated = await app.gql<{ changeEmployeeStatus: { userErrors: UserErrorResult[] } }>(
    `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { field code message } } }`,
    { input: { id: leaver.id, status: 'TERMINATED', effectiveDate: '2026-05-31' } },
  );
  expect(terminated.data?.changeEmployeeStatus.userErrors).toEqual([]);
  asHrManager = await app.as({ roles: ['HR Manager'], email: 'hr.manager@people.test' });
  asHrManagerEmployee = await app.as({ roles: ['HR Manager'], email: hrManagerEmployee.email });
  asHrStaff = await app.as({ roles: ['HR Staff'], email: 'hr.staff@people.test' });
  asManager = await app.as({ roles: ['Manager'], email: manager.email });
  asEmployee = await app.as({ roles: [], email: employee.email });
  existingPolicy = await createPolicy(app, { name: 'Existing' });
  calendarId = await createHolidayCalendar(app, org.locations.berlin, 'Berlin', [{ date: '2026-10-03', name: 'Einheit', halfDay: false }]);
});

afterAll(() => app.close());

describe('who administers time off', () => {
  const validInputs = (): Record<MutationName, Record<string, unknown>> => ({
    createTimeOffPolicy: { code: 'FORBIDDEN-TRY', name: 'Try', category: 'VACATION', accrualKind: 'ANNUAL_GRANT', amountPerYear: 10 },
    updateTimeOffPolicy: { id: existingPolicy, name: 'Renamed by a stranger' },
    setTimeOffPolicyRules: { policyId: existingPolicy, rules: [] },
    setTimeOffPolicyOverride: { employeeId: employee.id, policyId: existingPolicy, assigned: false },
    clearTimeOffPolicyOverride: { employeeId: employee.id, policyId: existingPolicy },
    createHolidayCalendar: { locationId: org.locations.newYork, name: 'US' },
    setHolidays: { calendarId, year: 2026, holidays: [] },
  });

  it.each([
    ['HR Staff (read-only)', () => asHrStaff],
    ['a Manager', () => asManager],
    ['an employee', () => asEmployee],
    ['PSA', () => serviceHeaders.psa],
  ])('%s may change nothing: every mutation is FORBIDDEN and nothing moves', async (_who, headers) => {
    const inputs = validInputs();
    for (const name of mutationNames) {
      const response = await run(name, inputs[name], headers());
      expect(response.errors?.[0]?.extensions?.code, name).toBe('FORBIDDEN');
      expect(response.payload, name).toBeNull();
    }
    const state = await app.gql<{
      timeOffPolicies: { code: string; name: string; assignmentRules: unknown[] }[];
      holidayCalendars: { location: { id: string }; holidays: { date: string }[] }[];
    }>(`{ timeOffPolicies { code name assignmentRules { employmentType } } holidayCalendars { location { id } holidays { date } } }`);
    expect(state.data?.timeOffPolicies.map((policy) => policy.code)).not.toContain('FORBIDDEN-TRY');
    expect(state.data?.timeOffPolicies.find((policy) => policy.name === 'Existing')?.assignmentRules).toHaveLength(1);
    expect(state.data?.holidayCalendars).toEqual([{ location: { id: org.locations.berlin }, holidays: [{ date: '2026-10-03' }] }]);
  });

  it('anonymous callers are asked to sign in', async () => {
    const response = await run('createTimeOffPolicy', validInputs().createTimeOffPolicy, {});
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an HR Manager does it all: policy, rules, override, calendar, holidays', async () => {
    const created = await createPolicyAs({ code: 'hrm-made', name: 'Made by HR', amountPerYear: 12 }, asHrManager);
    expect(created.userErrors).toEqual([]);
    const policyId = created.policy?.id ?? '';
    expect(created.policy).toMatchObject({ code: 'HRM-MADE', hoursPerDay: 8, approvalChain: [{ kind: 'MANAGER', whenLongerThanDays: null, approver: null }] });
    const updated = await updatePolicyAs({ id: policyId, name: 'Renamed' }, asHrManager);
    expect(updated.policy?.name).toBe('Renamed');
    const rules = await run('setTimeOffPolicyRules', { policyId, rules: [{ employmentType: 'PART_TIME' }] }, asHrManager);
    expect(rules.payload?.userErrors).toEqual([]);
    const override = await run('setTimeOffPolicyOverride', { employeeId: employee.id, policyId, assigned: true, amountPerYear: 3 }, asHrManager);
    expect(override.payload).toMatchObject({ override: { assigned: true, amountPerYear: 3 }, employee: { id: employee.id }, userErrors: [] });
    const cleared = await run('clearTimeOffPolicyOverride', { employeeId: employee.id, policyId }, asHrManager);
    expect(cleared.payload).toEqual({ override: null, employee: { id: employee.id }, userErrors: [] });
    const calendar = await run('createHolidayCalendar', { locationId: org.locations.newYork, name: 'United States' }, asHrManager);
    expect(calendar.payload).toMatchObject({ calendar: { name: 'United States', location: { id: org.locations.newYork } }, userErrors: [] });
    const set = await run('setHolidays', { calendarId: calendar.payload?.calendar?.id, year: 2026, holidays: [{ date: '2026-07-03', name: 'Independence Day (observed)' }] }, asHrManager);
    expect(set.payload?.calendar).toMatchObject({ holidays: [{ date: '2026-07-03', name: 'Independence Day (observed)', halfDay: false }] });
  });

  it('nobody in HR overrides their own policies', async () => {
    const own = await run('setTimeOffPolicyOverride', { employeeId: hrManagerEmployee.id, policyId: existingPolicy, assigned: true, amountPerYear: 99 }, asHrManagerEmployee);
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const clear = await run('clearTimeOffPolicyOverride', { employeeId: hrManagerEmployee.id, policyId: existingPolicy }, asHrManagerEmployee);
    expect(clear.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Someone else's record is fine for the same person.
    const other = await run('setTimeOffPolicyOverride', { employeeId: employee.id, policyId: existingPolicy, assigned: true }, asHrManagerEmployee);
    expect(other.payload?.userErrors).toEqual([]);
    await run('clearTimeOffPolicyOverride', { employeeId: employee.id, policyId: existingPolicy });
  });
});

describe('policy validation', () => {
  it('stores every field as given, code and category in upper case', async () => {
    const { policy, userErrors } = await createPolicyAs({
      code: ' parental-de ',
      name: ' Parental leave ',
      category: 'parental',
      accrualKind: 'MONTHLY',
      amountPerYear: 10.5,
      carryOverCap: 0,
      negativeBalanceLimit: 2,
      waitingPeriodDays: 90,
      private: true,
      hoursPerDay: 7.5,
      approvalChain: [],
    });
    expect(userErrors).toEqual([]);
    expect(policy).toMatchObject({
      code: 'PARENTAL-DE',
      name: 'Parental leave',
      category: 'PARENTAL',
      accrualKind: 'MONTHLY',
      amountPerYear: 10.5,
      carryOverCap: 0,
      negativeBalanceLimit: 2,
      waitingPeriodDays: 90,
      private: true,
      hoursPerDay: 7.5,
      approvalChain: [],
    });
  });

  it('a code is unique whatever its case, on create and on update', async () => {
    expect((await createPolicyAs({ code: 'UNIQUE-1', name: 'First' })).userErrors).toEqual([]);
    const again = await createPolicyAs({ code: 'unique-1', name: 'Second' });
    expect(again.policy).toBeNull();
    expect(codesOf(again.userErrors)).toEqual([['DUPLICATE_POLICY_CODE', 'input.code']]);
    const other = await createPolicyAs({ code: 'UNIQUE-2', name: 'Other' });
    const clash = await updatePolicyAs({ id: other.policy?.id, code: 'Unique-1' });
    expect(codesOf(clash.userErrors)).toEqual([['DUPLICATE_POLICY_CODE', 'input.code']]);
    // Keeping one's own code is no clash.
    expect((await updatePolicyAs({ id: other.policy?.id, code: 'UNIQUE-2', name: 'Other, renamed' })).userErrors).toEqual([]);
  });

  it('refuses amounts out of bounds, bad codes and categories, and missing names, all at once', async () => {
    const { policy, userErrors } = await createPolicyAs({
      code: 'bad code!',
      name: '  ',
      category: 'sick leave',
      amountPerYear: -1,
      carryOverCap: 367,
      negativeBalanceLimit: 400,
      waitingPeriodDays: 731,
      hoursPerDay: 0,
    });
    expect(policy).toBeNull();
    expect(codesOf(userErrors)).toEqual([
      ['INVALID_VALUE', 'input.code'],
      ['REQUIRED', 'input.name'],
      ['INVALID_VALUE', 'input.category'],
      ['INVALID_VALUE', 'input.amountPerYear'],
      ['INVALID_VALUE', 'input.carryOverCap'],
      ['INVALID_VALUE', 'input.negativeBalanceLimit'],
      ['INVALID_VALUE', 'input.waitingPeriodDays'],
      ['INVALID_VALUE', 'input.hoursPerDay'],
    ]);
  });

  it('hours per day are more than 0 and at most 24', async () => {
    expect(codesOf((await createPolicyAs({ code: 'H25', name: 'Too long', hoursPerDay: 24.5 })).userErrors)).toEqual([['INVALID_VALUE', 'input.hoursPerDay']]);
    expect(codesOf((await createPolicyAs({ code: 'HNEG', name: 'Negative', hoursPerDay: -8 })).userErrors)).toEqual([['INVALID_VALUE', 'input.hoursPerDay']]);
    expect((await createPolicyAs({ code: 'H24', name: 'Round the clock', hoursPerDay: 24 })).policy?.hoursPerDay).toBe(24);
  });

  it('an unlimited policy has no yearly amount, also when only the kind changes', async () => {
    expect(codesOf((await createPolicyAs({ code: 'UNL-BAD', name: 'Unlimited', accrualKind: 'UNLIMITED', amountPerYear: 5 })).userErrors)).toEqual([
      ['INVALID_VALUE', 'input.amountPerYear'],
    ]);
    const granted = await createPolicyAs({ code: 'TO-UNL', name: 'Granted', amountPerYear: 25 });
    const switched = await updatePolicyAs({ id: granted.policy?.id, accrualKind: 'UNLIMITED' });
    expect(codesOf(switched.userErrors)).toEqual([['INVALID_VALUE', 'input.amountPerYear']]);
    const both = await updatePolicyAs({ id: granted.policy?.id, accrualKind: 'UNLIMITED', amountPerYear: 0 });
    expect(both.policy).toMatchObject({ accrualKind: 'UNLIMITED', amountPerYear: 0 });
  });

  it('an update leaves omitted fields, clears the cap with null, and refuses to clear what may not be empty', async () => {
    const { policy } = await createPolicyAs({ code: 'PATCH', name: 'Patch me', amountPerYear: 20, carryOverCap: 5, hoursPerDay: 6 });
    const cleared = await updatePolicyAs({ id: policy?.id, carryOverCap: null, waitingPeriodDays: 30 });
    expect(cleared.userErrors).toEqual([]);
    expect(cleared.policy).toMatchObject({ name: 'Patch me', amountPerYear: 20, carryOverCap: null, waitingPeriodDays: 30, hoursPerDay: 6 });
    const refused = await updatePolicyAs({ id: policy?.id, name: null, hoursPerDay: null });
    expect(codesOf(refused.userErrors)).toEqual([
      ['REQUIRED', 'input.name'],
      ['REQUIRED', 'input.hoursPerDay'],
    ]);
  });

  it('an unknown policy is POLICY_NOT_FOUND, whether or not the id is a UUID', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      expect(codesOf((await updatePolicyAs({ id, name: 'Ghost' })).userErrors)).toEqual([['POLICY_NOT_FOUND', 'input.id']]);
    }
  });
});

describe('racing writers', () => {
  it('two policies created at once with one code: one is created, the other gets DUPLICATE_POLICY_CODE', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, index) => createPolicyAs({ code: 'RACE', name: `Racer ${index}` })),
    );
    expect(results.filter((result) => result.policy !== null)).toHaveLength(1);
    expect(results.flatMap((result) => codesOf(result.userErrors))).toEqual(Array.from({ length: 3 }, () => ['DUPLICATE_POLICY_CODE', 'input.code']));
  });

  it('two calendars created at once for one location: one is created, the other gets DUPLICATE_HOLIDAY_CALENDAR', async () => {
    // Locations have no mutations yet: inserted as createOrgBasics does.
    const { insertLocation } = await import('../../src/organisation/organisation.store.js');
    const paris = await insertLocation(app.database.db, { name: 'Paris Office', city: 'Paris', countryCode: 'FR', timezone: 'Europe/Paris' });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, index) => run('createHolidayCalendar', { locationId: paris.id, name: `France ${index}` })),
    );
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    expect(results.filter((result) => result.payload?.calendar)).toHaveLength(1);
    expect(results.flatMap((result) => codesOf(result.payload?.userErrors ?? []))).toEqual(
      Array.from({ length: 3 }, () => ['DUPLICATE_HOLIDAY_CALENDAR', 'input.locationId']),
    );
  });
});

describe('approval chains', () => {
  it('stores manager, HR over N days and a named approver, and reads them back', async () => {
    const { policy, userErrors } = await createPolicyAs({
      code: 'CHAIN-OK',
      name: 'Chained',
      approvalChain: [{ kind: 'MANAGER' }, { kind: 'HR', whenLongerThanDays: 0 }, { kind: 'NAMED', employeeId: manager.id.toUpperCase() }],
    });
    expect(userErrors).toEqual([]);
    expect(policy?.approvalChain).toEqual([
      { kind: 'MANAGER', whenLongerThanDays: null, approver: null },
      { kind: 'HR', whenLongerThanDays: 0, approver: null },
      { kind: 'NAMED', whenLongerThanDays: null, approver: { id: manager.id } },
    ]);
  });

  it('each step carries what its kind needs and nothing else', async () => {
    const { policy, userErrors } = await createPolicyAs({
      code: 'CHAIN-BAD',
      name: 'Broken chain',
      approvalChain: [
        { kind: 'MANAGER', whenLongerThanDays: 3 },
        { kind: 'HR', whenLongerThanDays: -1 },
        { kind: 'NAMED' },
        { kind: 'NAMED', employeeId: 'someone' },
        { kind: 'NAMED', employeeId: manager.id, whenLongerThanDays: 2 },
      ],
    });
    expect(policy).toBeNull();
    expect(codesOf(userErrors)).toEqual([
      ['INVALID_VALUE', 'input.approvalChain.0.whenLongerThanDays'],
      ['INVALID_VALUE', 'input.approvalChain.1.whenLongerThanDays'],
      ['REQUIRED', 'input.approvalChain.2.employeeId'],
      ['EMPLOYEE_NOT_FOUND', 'input.approvalChain.3.employeeId'],
      ['INVALID_VALUE', 'input.approvalChain.4.whenLongerThanDays'],
    ]);
    const managerWithId = await createPolicyAs({ code: 'CHAIN-ID', name: 'x', approvalChain: [{ kind: 'MANAGER', employeeId: manager.id }] });
    expect(codesOf(managerWithId.userErrors)).toEqual([['INVALID_VALUE', 'input.approvalChain.0.employeeId']]);
  });

  it('no approver twice, and at most ten steps', async () => {
    const twice = await createPolicyAs({
      code: 'CHAIN-TWICE',
      name: 'Twice',
      approvalChain: [{ kind: 'MANAGER' }, { kind: 'NAMED', employeeId: manager.id }, { kind: 'MANAGER' }, { kind: 'NAMED', employeeId: manager.id }],
    });
    expect(codesOf(twice.userErrors)).toEqual([
      ['INVALID_VALUE', 'input.approvalChain.2'],
      ['INVALID_VALUE', 'input.approvalChain.3'],
    ]);
    const long = await createPolicyAs({ code: 'CHAIN-LONG', name: 'Long', approvalChain: Array.from({ length: 11 }, () => ({ kind: 'HR' })) });
    expect(codesOf(long.userErrors)).toEqual([['INVALID_VALUE', 'input.approvalChain']]);
  });

  it('a named approver must exist and not have left, on create and on update', async () => {
    const ghost = await createPolicyAs({ code: 'CHAIN-GHOST', name: 'Ghost', approvalChain: [{ kind: 'NAMED', employeeId: '00000000-0000-4000-8000-000000000000' }] });
    expect(codesOf(ghost.userErrors)).toEqual([['EMPLOYEE_NOT_FOUND', 'input.approvalChain.0.employeeId']]);
    const gone = await updatePolicyAs({ id: existingPolicy, approvalChain: [{ kind: 'MANAGER' }, { kind: 'NAMED', employeeId: leaver.id }] });
    expect(codesOf(gone.userErrors)).toEqual([['EMPLOYEE_NOT_ACTIVE', 'input.approvalChain.1.employeeId']]);
    const ok = await updatePolicyAs({ id: existingPolicy, approvalChain: [{ kind: 'NAMED', employeeId: employee.id }] });
    expect(ok.policy?.approvalChain).toEqual([{ kind: 'NAMED', whenLongerThanDays: null, approver: { id: employee.id } }]);
    await updatePolicyAs({ id: existingPolicy, approvalChain: [{ kind: 'MANAGER' }] });
  });
});

describe('what HR alone reads', () => {
  const adminFields = /* GraphQL */ `{ timeOffPolicies { name hoursPerDay approvalChain { kind } assignmentRules { employmentType } overrides { assigned } } }`;

  it('HR Staff read a policy’s hours, chain, rules and overrides', async () => {
    const response = await app.gql<{ timeOffPolicies: { name: string; hoursPerDay: number; approvalChain: unknown[]; assignmentRules: unknown[] }[] }>(adminFields, {}, asHrStaff);
    expect(response.errors).toBeUndefined();
    expect(response.data?.timeOffPolicies.find((policy) => policy.name === 'Existing')).toEqual({
      name: 'Existing',
      hoursPerDay: 8,
      approvalChain: [{ kind: 'MANAGER' }],
      assignmentRules: [{ employmentType: null }],
      overrides: [],
    });
  });

  it('anyone else gets the policy with those fields FORBIDDEN at their path', async () => {
    const response = await app.gql<{ timeOffPolicies: { name: string; hoursPerDay: number | null }[] }>(adminFields, {}, asEmployee);
    const forbiddenPaths = (response.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => error.path?.slice(2).join('.'));
    expect(new Set(forbiddenPaths)).toEqual(new Set(['hoursPerDay', 'approvalChain', 'assignmentRules', 'overrides']));
    expect(response.data?.timeOffPolicies.find((policy) => policy.name === 'Existing')).toMatchObject({ name: 'Existing', hoursPerDay: null });
  });

  it('an employee’s overrides are for HR, not for the employee', async () => {
    await run('setTimeOffPolicyOverride', { employeeId: employee.id, policyId: existingPolicy, assigned: false });
    const query = `query($id: ID!) { employee(id: $id) { id timeOffPolicyOverrides { policy { id } assigned amountPerYear } } }`;
    const asHr = await app.gql<{ employee: { timeOffPolicyOverrides: unknown[] } }>(query, { id: employee.id }, asHrStaff);
    expect(asHr.data?.employee.timeOffPolicyOverrides).toEqual([{ policy: { id: existingPolicy }, assigned: false, amountPerYear: null }]);
    const asSelf = await app.gql<{ employee: { id: string; timeOffPolicyOverrides: unknown[] | null } }>(query, { id: employee.id }, asEmployee);
    expect(asSelf.data?.employee).toEqual({ id: employee.id, timeOffPolicyOverrides: null });
    expect(asSelf.errors?.[0]).toMatchObject({ path: ['employee', 'timeOffPolicyOverrides'], extensions: { code: 'FORBIDDEN' } });
    await run('clearTimeOffPolicyOverride', { employeeId: employee.id, policyId: existingPolicy });
  });
});

describe('events', () => {
  it('policy, override and holiday changes are recorded in the outbox with ids only', async () => {
    const { policy } = await createPolicyAs({ code: 'EVENTFUL', name: 'Eventful' });
    const policyId = policy?.id ?? '';
    await updatePolicyAs({ id: policyId, amountPerYear: 21, name: 'Eventful' });
    await run('setTimeOffPolicyRules', { policyId, rules: [{ locationId: org.locations.berlin }] });
    await run('setTimeOffPolicyOverride', { employeeId: employee.id, policyId, assigned: false });
    await run('clearTimeOffPolicyOverride', { employeeId: employee.id, policyId });
    await run('setHolidays', { calendarId, year: 2027, holidays: [{ date: '2027-10-03', name: 'Einheit' }] });
    const events = async (type: string, subject: string) => {
      const response = await app.gql<{ outboxEvents: { nodes: { type: string; data: string }[] } }>(
        `query($type: String, $subject: String) { outboxEvents(type: $type, subject: $subject) { nodes { type data } } }`,
        { type, subject },
      );
      expect(response.errors).toBeUndefined();
      return (response.data?.outboxEvents.nodes ?? []).map((node) => JSON.parse(node.data) as Record<string, unknown>).reverse();
    };
    expect(await events('timeoff.policy.changed', `time_off_policy:${policyId}`)).toEqual([
      expect.objectContaining({ policyId, code: 'EVENTFUL', change: 'CREATED' }),
      // Only what changed: the name was sent unchanged.
      // A dated field: with the day it takes effect (today, by default).
      { policyId, code: 'EVENTFUL', change: 'UPDATED', fields: ['amountPerYear'], effectiveFrom: '2026-06-15' },
      // Assignment is dated too: from today by default.
      { policyId, code: 'EVENTFUL', change: 'RULES_REPLACED', fields: ['assignmentRules'], effectiveFrom: '2026-06-15' },
    ]);
    expect(await events('timeoff.policy_override.changed', `employee:${employee.id}`)).toEqual(
      expect.arrayContaining([
        { employeeId: employee.id, policyId, assigned: false, effectiveFrom: '2026-06-15' },
        { employeeId: employee.id, policyId, assigned: null, effectiveFrom: '2026-06-15' },
      ]),
    );
    expect(await events('timeoff.holidays.changed', `holiday_calendar:${calendarId}`)).toContainEqual({
      calendarId,
      locationId: org.locations.berlin,
      change: 'HOLIDAYS_SET',
      year: 2027,
    });
  });

  it('a refused change records nothing', async () => {
    const before = await app.gql<{ outboxEvents: { nodes: unknown[] } }>(`{ outboxEvents(type: "timeoff.policy.changed", first: 500) { nodes { id } } }`);
    await createPolicyAs({ code: 'EVENTFUL', name: 'Duplicate' });
    await updatePolicyAs({ id: existingPolicy, hoursPerDay: 30 });
    const after = await app.gql<{ outboxEvents: { nodes: unknown[] } }>(`{ outboxEvents(type: "timeoff.policy.changed", first: 500) { nodes { id } } }`);
    expect(after.data?.outboxEvents.nodes.length).toBe(before.data?.outboxEvents.nodes.length);
  });
});
