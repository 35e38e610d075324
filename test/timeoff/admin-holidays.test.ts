import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, decide, requestTimeOff } from './fixtures.js';

// Holiday calendars through the API, how holidays count in new requests (weekend, half day), and
// history that stays put: a holiday or policy change after a request leaves its stored days, its
// amount and (once approved) its deducted amount alone; only new requests see the change.
// Today is Monday 15 June 2026.
let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let asLead: Record<string, string>;
let asEmployee: Record<string, string>;
let vacation: string;
let berlinCalendar: string;
const berlin = () => ({ locationId: org.locations.berlin, departmentId: org.departments.engineering, managerId: lead.id });

interface UserErrorResult {
  field: string[] | null;
  code: string;
}

interface CalendarResult {
  id: string;
  name: string;
  location: { id: string };
  holidays: { date: string; name: string; halfDay: boolean }[];
}

interface CalendarPayload {
  calendar: CalendarResult | null;
  userErrors: UserErrorResult[];
}

const calendarFields = 'id name location { id } holidays { date name halfDay }';

async function createCalendar(input: Record<string, unknown>): Promise<CalendarPayload> {
  const response = await app.gql<{ createHolidayCalendar: CalendarPayload }>(
    `mutation($input: CreateHolidayCalendarInput!) { createHolidayCalendar(input: $input) { calendar { ${calendarFields} } userErrors { field code } } }`,
    { input },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.createHolidayCalendar ?? { calendar: null, userErrors: [] };
}

async function setHolidays(input: Record<string, unknown>): Promise<CalendarPayload> {
  const response = await app.gql<{ setHolidays: CalendarPayload }>(
    `mutation($input: SetHolidaysInput!) { setHolidays(input: $input) { calendar { ${calendarFields} } userErrors { field code } } }`,
    { input },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.setHolidays ?? { calendar: null, userErrors: [] };
}

/** The Berlin holidays of 2026 as set before a test adds its own. */
const berlin2026 = [
  { date: '2026-10-03', name: 'Tag der Deutschen Einheit', halfDay: false }, // a Saturday
  { date: '2026-12-24', name: 'Heiligabend', halfDay: true }, // a Thursday
  { date: '2026-12-25', name: 'Erster Weihnachtstag', halfDay: false },
];

interface RequestResult {
  status: string;
  amount: number;
  deductedAmount: number | null;
  stepCount: number;
  days: { date: string; portion: string; hours: number | null; amount: number }[];
}

async function readRequest(id: string): Promise<RequestResult | undefined> {
  const response = await app.gql<{ timeOffRequest: RequestResult }>(
    `query($id: ID!) { timeOffRequest(id: $id) { status amount deductedAmount stepCount days { date portion hours amount } } }`,
    { id },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.timeOffRequest;
}

/** The employee's Vacation balance as of a day. */
async function vacationBalance(employeeId: string, asOf: string) {
  const response = await app.gql<{ employee: { timeOffBalances: { policy: { id: string }; accrued: number; carriedOver: number; used: number; scheduled: number; pending: number; available: number | null }[] } }>(
    `query($id: ID!, $asOf: Date) { employee(id: $id) { timeOffBalances(asOf: $asOf) { policy { id } accrued carriedOver used scheduled pending available } } }`,
    { id: employeeId, asOf },
  );
  return response.data?.employee.timeOffBalances.find((balance) => balance.policy.id === vacation);
}

async function submit(employeeId: string, startDate: string, endDate: string, extra: Record<string, unknown> = {}) {
  const payload = await requestTimeOff(app, { employeeId, policyId: vacation, startDate, endDate, ...extra });
  expect(payload.userErrors).toEqual([]);
  return payload.request?.id ?? '';
}

async function approve(id: string) {
  const approved = await decide(app, 'approve', { id }, asLead);
  expect(approved.payload?.userErrors).toEqual([]);
  return approved.payload?.request;
}

const codesOf = (errors: UserErrorResult[]) => errors.map((error) => [error.code, (error.field ?? []).join('.')]);
const ghost = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  vacation = await createPolicy(app, { name: 'Vacation', amountPerYear: 25, approvalChain: [{ kind: 'MANAGER' }] });
  lead = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering, hireDate: '2016-01-04' });
  asLead = await app.as({ roles: ['Manager'], email: lead.email });
  const someone = await hire(app, berlin());
  asEmployee = await app.as({ roles: [], email: someone.email });
  const created = await createCalendar({ locationId: org.locations.berlin, name: ' Berlin ' });
  berlinCalendar = created.calendar?.id ?? '';
  expect(created.calendar).toEqual({ id: berlinCalendar, name: 'Berlin', location: { id: org.locations.berlin }, holidays: [] });
  expect((await setHolidays({ calendarId: berlinCalendar, year: 2026, holidays: berlin2026 })).userErrors).toEqual([]);
});

afterAll(() => app.close());

describe('holiday calendars', () => {
  it('one per location, at a location that exists, with a name', async () => {
    expect(codesOf((await createCalendar({ locationId: org.locations.berlin, name: 'Berlin again' })).userErrors)).toEqual([
      ['DUPLICATE_HOLIDAY_CALENDAR', 'input.locationId'],
    ]);
    expect(codesOf((await createCalendar({ locationId: ghost, name: 'Nowhere' })).userErrors)).toEqual([['LOCATION_NOT_FOUND', 'input.locationId']]);
    expect(codesOf((await createCalendar({ locationId: 'nowhere', name: ' ' })).userErrors)).toEqual([
      ['LOCATION_NOT_FOUND', 'input.locationId'],
      ['REQUIRED', 'input.name'],
    ]);
  });

  it('setHolidays replaces one year and leaves the others', async () => {
    const newYork = await createCalendar({ locationId: org.locations.newYork, name: 'United States' });
    const calendarId = newYork.calendar?.id ?? '';
    await setHolidays({ calendarId, year: 2026, holidays: [{ date: '2026-07-03', name: 'Independence Day (observed)' }, { date: '2026-12-25', name: 'Christmas Day' }] });
    await setHolidays({ calendarId, year: 2027, holidays: [{ date: '2027-01-01', name: 'New Year’s Day' }] });
    const replaced = await setHolidays({ calendarId, year: 2026, holidays: [{ date: '2026-11-26', name: 'Thanksgiving', halfDay: false }] });
    expect(replaced.calendar?.holidays).toEqual([
      { date: '2026-11-26', name: 'Thanksgiving', halfDay: false },
      { date: '2027-01-01', name: 'New Year’s Day', halfDay: false },
    ]);
    const cleared = await setHolidays({ calendarId, year: 2026, holidays: [] });
    expect(cleared.calendar?.holidays.map((holiday) => holiday.date)).toEqual(['2027-01-01']);
  });

  it('refuses an unknown calendar, a year out of range, dates outside the year, duplicates and nameless holidays; stores nothing then', async () => {
    expect(codesOf((await setHolidays({ calendarId: ghost, year: 2026, holidays: [] })).userErrors)).toEqual([
      ['HOLIDAY_CALENDAR_NOT_FOUND', 'input.calendarId'],
    ]);
    expect(codesOf((await setHolidays({ calendarId: berlinCalendar, year: 1800, holidays: [] })).userErrors)).toEqual([['INVALID_VALUE', 'input.year']]);
    const refused = await setHolidays({
      calendarId: berlinCalendar,
      year: 2026,
      holidays: [
        { date: '2026-05-01', name: 'Tag der Arbeit' },
        { date: '2027-05-01', name: 'Next year' },
        { date: '2026-05-01', name: 'Again' },
        { date: '2026-05-14', name: '  ' },
      ],
    });
    expect(refused.calendar).toBeNull();
    expect(codesOf(refused.userErrors)).toEqual([
      ['INVALID_VALUE', 'input.holidays.1.date'],
      ['DUPLICATE_HOLIDAY', 'input.holidays.2.date'],
      ['REQUIRED', 'input.holidays.3.name'],
    ]);
    const tooMany = await setHolidays({
      calendarId: berlinCalendar,
      year: 2026,
      holidays: Array.from({ length: 101 }, (_, day) => ({ date: '2026-01-01', name: `Day ${day}` })),
    });
    expect(codesOf(tooMany.userErrors)).toEqual([['INVALID_VALUE', 'input.holidays']]);
    const calendars = await app.gql<{ holidayCalendars: CalendarResult[] }>(
      `query($ids: [ID!]) { holidayCalendars(locationIds: $ids) { holidays(from: "2026-01-01", to: "2026-12-31") { date name halfDay } } }`,
      { ids: [org.locations.berlin] },
    );
    expect(calendars.data?.holidayCalendars).toEqual([{ holidays: berlin2026 }]);
  });

  it('everyone signed in reads holidays, in a range; anonymous callers do not', async () => {
    const query = `query($ids: [ID!]) { holidayCalendars(locationIds: $ids) { name location { id } holidays(from: "2026-12-01", to: "2026-12-24") { date halfDay } } }`;
    for (const headers of [asEmployee, serviceHeaders.psa]) {
      const response = await app.gql<{ holidayCalendars: unknown[] }>(query, { ids: [org.locations.berlin] }, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data?.holidayCalendars).toEqual([{ name: 'Berlin', location: { id: org.locations.berlin }, holidays: [{ date: '2026-12-24', halfDay: true }] }]);
    }
    const all = await app.gql<{ holidayCalendars: { name: string }[] }>(`{ holidayCalendars { name } }`, {}, asEmployee);
    expect(all.data?.holidayCalendars.map((calendar) => calendar.name)).toEqual(['Berlin', 'United States']);
    const anonymous = await app.gql(query, { ids: null }, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('holidays in new requests', () => {
  it('a holiday on a weekend changes nothing: two weeks are ten days', async () => {
    const employee = await hire(app, berlin());
    const id = await submit(employee.id, '2026-09-28', '2026-10-09');
    const request = await readRequest(id);
    expect(request?.amount).toBe(10);
    expect(request?.days.map((day) => day.date)).not.toContain('2026-10-03');
    const availability = await app.gql<{ employee: { availability: { date: string; state: string; holiday: string | null }[] } }>(
      `query($id: ID!) { employee(id: $id) { availability(from: "2026-10-03", to: "2026-10-03") { date state holiday } } }`,
      { id: employee.id },
    );
    expect(availability.data?.employee.availability).toEqual([{ date: '2026-10-03', state: 'NON_WORKING', holiday: 'Tag der Deutschen Einheit' }]);
  });

  it('a half-day holiday leaves its morning to take, and its afternoon is already off', async () => {
    const employee = await hire(app, berlin());
    const id = await submit(employee.id, '2026-12-21', '2026-12-24');
    const request = await readRequest(id);
    expect(request?.amount).toBe(3.5);
    expect(request?.days.at(-1)).toEqual({ date: '2026-12-24', portion: 'MORNING', hours: null, amount: 0.5 });
    const afternoon = await requestTimeOff(app, { employeeId: employee.id, policyId: vacation, startDate: '2026-12-24', endDate: '2026-12-24', startPortion: 'AFTERNOON' });
    expect(codesOf(afternoon.userErrors)).toEqual([['NO_WORKING_DAYS', 'input.endDate']]);
  });
});

describe('history is not rewritten', () => {
  it('a holiday added after approval: the approved and pending requests keep their days; a new one counts a day fewer', async () => {
    const approvedEmployee = await hire(app, berlin());
    const pendingEmployee = await hire(app, berlin());
    const newEmployee = await hire(app, berlin());
    const approvedId = await submit(approvedEmployee.id, '2026-08-10', '2026-08-14');
    expect((await approve(approvedId))?.deductedAmount).toBe(5);
    const pendingId = await submit(pendingEmployee.id, '2026-08-10', '2026-08-14');
    const before = { approved: await readRequest(approvedId), pending: await readRequest(pendingId) };

    const added = await setHolidays({ calendarId: berlinCalendar, year: 2026, holidays: [...berlin2026, { date: '2026-08-12', name: 'Company day', halfDay: false }] });
    expect(added.userErrors).toEqual([]);

    expect(await readRequest(approvedId)).toEqual(before.approved);
    expect(before.approved).toMatchObject({ status: 'APPROVED', amount: 5, deductedAmount: 5 });
    expect(before.approved?.days.map((day) => day.date)).toContain('2026-08-12');
    // Pending: the stored days stand, and approving freezes the amount from them.
    expect(await readRequest(pendingId)).toEqual(before.pending);
    expect((await approve(pendingId))?.deductedAmount).toBe(5);

    const newId = await submit(newEmployee.id, '2026-08-10', '2026-08-14');
    const fresh = await readRequest(newId);
    expect(fresh?.amount).toBe(4);
    expect(fresh?.days.map((day) => day.date)).toEqual(['2026-08-10', '2026-08-11', '2026-08-13', '2026-08-14']);

    // Taking the holiday away again rewrites nothing either.
    await setHolidays({ calendarId: berlinCalendar, year: 2026, holidays: berlin2026 });
    expect((await readRequest(approvedId))?.deductedAmount).toBe(5);
    expect((await readRequest(newId))?.amount).toBe(4);
  });

  it('a policy changed after approval: requests keep their amounts, days and chain; new ones follow the policy', async () => {
    const employee = await hire(app, berlin());
    const hoursId = await submit(employee.id, '2026-09-01', '2026-09-01', { hours: 4 });
    expect((await approve(hoursId))?.deductedAmount).toBe(0.5);
    const pendingId = await submit(employee.id, '2026-09-14', '2026-09-18');
    const before = { approved: await readRequest(hoursId), pending: await readRequest(pendingId) };
    expect(before.pending?.stepCount).toBe(1);
    const balancesBefore = { yearEnd: await vacationBalance(employee.id, '2025-12-31'), yesterday: await vacationBalance(employee.id, '2026-06-14') };
    expect(balancesBefore.yesterday).toMatchObject({ accrued: 25, carriedOver: 5 });

    const response = await app.gql<{ updateTimeOffPolicy: { userErrors: UserErrorResult[] } }>(
      `mutation($input: UpdateTimeOffPolicyInput!) { updateTimeOffPolicy(input: $input) { userErrors { field code } } }`,
      { input: { id: vacation, hoursPerDay: 4, amountPerYear: 30, approvalChain: [{ kind: 'MANAGER' }, { kind: 'HR' }] } },
    );
    expect(response.data?.updateTimeOffPolicy.userErrors).toEqual([]);
    // The new yearly amount holds from today (the default effectiveFrom): balances as of earlier
    // days are exactly what they were.
    expect(await vacationBalance(employee.id, '2025-12-31')).toEqual(balancesBefore.yearEnd);
    expect(await vacationBalance(employee.id, '2026-06-14')).toEqual(balancesBefore.yesterday);

    expect(await readRequest(hoursId)).toEqual(before.approved);
    expect(before.approved?.days).toEqual([{ date: '2026-09-01', portion: 'HOURS', hours: 4, amount: 0.5 }]);
    // The pending request keeps the one-step chain it was submitted with: the manager's approval ends it.
    expect(await readRequest(pendingId)).toEqual(before.pending);
    expect(await approve(pendingId)).toMatchObject({ status: 'APPROVED', deductedAmount: 5 });

    // A new request: 4 hours are now a whole day, and it needs HR after the manager.
    const newId = await submit(employee.id, '2026-09-02', '2026-09-02', { hours: 4 });
    expect(await readRequest(newId)).toMatchObject({ status: 'PENDING', amount: 1, stepCount: 2 });

    // From today on, 2026 prorates (25 for its first 165 days, 30 for the other 200); 2027 has 30.
    expect(await vacationBalance(employee.id, '2026-06-15')).toMatchObject({ accrued: 27.74, scheduled: 5.5, pending: 1 });
    expect(await vacationBalance(employee.id, '2027-01-01')).toMatchObject({ accrued: 30 });
  });
});
