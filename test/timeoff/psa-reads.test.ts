import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createHolidayCalendar, createPolicy, decide, requestTimeOff } from './fixtures.js';

// What PSA (and managers) read: the calendar of requests in a range and per-day availability.
let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let berliner: CreatedEmployee;
let newYorker: CreatedEmployee;
let vacation: string;
let sick: string;

interface CalendarEntry {
  employee: { id: string };
  startDate: string;
  endDate: string;
  status: string;
  policy: { category: string } | null;
  days: { date: string; portion: string }[];
}

const calendarQuery = /* GraphQL */ `
  query Calendar($from: Date!, $to: Date!, $statuses: [TimeOffRequestStatus!], $filter: TimeOffCalendarFilter) {
    timeOffCalendar(from: $from, to: $to, statuses: $statuses, filter: $filter) {
      employee { id } startDate endDate status policy { category } days(from: $from, to: $to) { date portion }
    }
  }
`;

const availabilityQuery = /* GraphQL */ `
  query Availability($representations: [_Any!]!, $from: Date!, $to: Date!) {
    _entities(representations: $representations) {
      ... on Employee { id availability(from: $from, to: $to) { date state holiday halfDayHoliday hoursOff category requestStatus } }
    }
  }
`;

interface AvailabilityResult {
  _entities: { id: string; availability: { date: string; state: string; holiday: string | null; category: string | null; hoursOff: number | null }[] }[];
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  vacation = await createPolicy(app, { name: 'Vacation', approvalChain: [{ kind: 'MANAGER' }] });
  sick = await createPolicy(app, { name: 'Sick', category: 'SICK', accrualKind: 'UNLIMITED', private: true, approvalChain: [] });
  await createHolidayCalendar(app, org.locations.newYork, 'US', [
    { date: '2026-07-03', name: 'Independence Day (observed)', halfDay: false },
  ]);
  lead = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering });
  berliner = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering, managerId: lead.id });
  newYorker = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.sales, managerId: lead.id });
  const asLead = await app.as({ roles: ['Manager'], email: lead.email });
  // Berliner: vacation 29 June - 3 July (approved), sick 6 July (approved at once).
  const trip = await requestTimeOff(app, { employeeId: berliner.id, policyId: vacation, startDate: '2026-06-29', endDate: '2026-07-03', reason: 'Lisbon' });
  await decide(app, 'approve', { id: trip.request?.id ?? '' }, asLead);
  await requestTimeOff(app, { employeeId: berliner.id, policyId: sick, startDate: '2026-07-06', endDate: '2026-07-06' });
  // New Yorker: a pending afternoon and two approved hours.
  await requestTimeOff(app, { employeeId: newYorker.id, policyId: vacation, startDate: '2026-07-01', endDate: '2026-07-01', startPortion: 'AFTERNOON' });
  const hours = await requestTimeOff(app, { employeeId: newYorker.id, policyId: vacation, startDate: '2026-07-02', endDate: '2026-07-02', hours: 3 });
  await decide(app, 'approve', { id: hours.request?.id ?? '' }, asLead);
});

afterAll(() => app.close());

describe('timeOffCalendar', () => {
  it('PSA sees every entry intersecting the range, days cut to the range, private ones without their kind', async () => {
    const response = await app.gql<{ timeOffCalendar: CalendarEntry[] }>(calendarQuery, { from: '2026-07-02', to: '2026-07-06' }, serviceHeaders.psa);
    expect(response.errors).toBeUndefined();
    const entries = response.data?.timeOffCalendar ?? [];
    expect(entries.map((entry) => [entry.employee.id, entry.startDate, entry.status, entry.policy?.category ?? null, entry.days.map((day) => day.date)])).toEqual([
      // Starts before the window: only the days inside it.
      [berliner.id, '2026-06-29', 'APPROVED', 'VACATION', ['2026-07-02', '2026-07-03']],
      [newYorker.id, '2026-07-02', 'APPROVED', 'VACATION', ['2026-07-02']],
      [berliner.id, '2026-07-06', 'APPROVED', null, ['2026-07-06']],
    ]);
  });

  it('statuses and filters', async () => {
    const pending = await app.gql<{ timeOffCalendar: CalendarEntry[] }>(calendarQuery, { from: '2026-07-01', to: '2026-07-01', statuses: ['PENDING'] }, serviceHeaders.psa);
    expect(pending.data?.timeOffCalendar.map((entry) => [entry.employee.id, entry.days])).toEqual([[newYorker.id, [{ date: '2026-07-01', portion: 'AFTERNOON' }]]]);
    const newYork = await app.gql<{ timeOffCalendar: CalendarEntry[] }>(calendarQuery, { from: '2026-06-01', to: '2026-07-31', filter: { locationIds: [org.locations.newYork] } });
    expect(new Set(newYork.data?.timeOffCalendar.map((entry) => entry.employee.id))).toEqual(new Set([newYorker.id]));
  });

  it('a person sees their own and their reports only; Defend nothing', async () => {
    const asBerliner = await app.as({ roles: [], email: berliner.email });
    const own = await app.gql<{ timeOffCalendar: CalendarEntry[] }>(calendarQuery, { from: '2026-06-01', to: '2026-07-31' }, asBerliner);
    expect(new Set(own.data?.timeOffCalendar.map((entry) => entry.employee.id))).toEqual(new Set([berliner.id]));
    const asLead = await app.as({ roles: [], email: lead.email });
    const team = await app.gql<{ timeOffCalendar: CalendarEntry[] }>(calendarQuery, { from: '2026-06-01', to: '2026-07-31' }, asLead);
    expect(team.data?.timeOffCalendar).toHaveLength(4);
    const defend = await app.gql(calendarQuery, { from: '2026-06-01', to: '2026-07-31' }, serviceHeaders.defend);
    expect(defend.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a range longer than a year', async () => {
    const response = await app.gql(calendarQuery, { from: '2026-01-01', to: '2027-06-01' });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Employee.availability', () => {
  it("day by day, with each location's holidays, half days and hours, private absences as plain 'off'", async () => {
    const response = await app.gql<AvailabilityResult>(
      availabilityQuery,
      {
        representations: [berliner, newYorker].map((employee) => ({ __typename: 'Employee', id: employee.id })),
        from: '2026-07-01',
        to: '2026-07-06',
      },
      serviceHeaders.psa,
    );
    expect(response.errors).toBeUndefined();
    const [berlin, newYork] = response.data?._entities ?? [];
    expect(berlin?.availability.map((day) => [day.date, day.state, day.category])).toEqual([
      ['2026-07-01', 'OFF', 'VACATION'],
      ['2026-07-02', 'OFF', 'VACATION'],
      ['2026-07-03', 'OFF', 'VACATION'],
      ['2026-07-04', 'NON_WORKING', null],
      ['2026-07-05', 'NON_WORKING', null],
      ['2026-07-06', 'OFF', null],
    ]);
    // The pending afternoon does not show (approved only by default); the US holiday does.
    expect(newYork?.availability.map((day) => [day.date, day.state, day.holiday, day.hoursOff])).toEqual([
      ['2026-07-01', 'AVAILABLE', null, null],
      ['2026-07-02', 'HOURS_OFF', null, 3],
      ['2026-07-03', 'NON_WORKING', 'Independence Day (observed)', null],
      ['2026-07-04', 'NON_WORKING', null, null],
      ['2026-07-05', 'NON_WORKING', null, null],
      ['2026-07-06', 'AVAILABLE', null, null],
    ]);
  });

  it('HR sees the category of a private absence', async () => {
    const response = await app.gql<{ employee: { availability: { date: string; category: string | null }[] } }>(
      `query($id: ID!) { employee(id: $id) { availability(from: "2026-07-06", to: "2026-07-06") { date category } } }`,
      { id: berliner.id },
    );
    expect(response.data?.employee.availability).toEqual([{ date: '2026-07-06', category: 'SICK' }]);
  });

  it('batches: the same statements for 3 employees or 12', async () => {
    const count = (ids: string[]) =>
      app.countStatements(async () => {
        const response = await app.gql<AvailabilityResult>(
          `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Employee { availability(from: "2026-06-29", to: "2026-07-10") { state } timeOffRequests(from: "2026-06-29", to: "2026-07-10") { startDate status policy { category } days { date } } } } }`,
          { representations: ids.map((id) => ({ __typename: 'Employee', id })) },
          serviceHeaders.psa,
        );
        expect(response.errors).toBeUndefined();
      });
    const few = await count([lead.id, berliner.id, newYorker.id]);
    const more: string[] = [lead.id, berliner.id, newYorker.id];
    for (let index = 0; index < 9; index += 1) {
      more.push((await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.sales })).id);
    }
    expect(await count(more)).toBe(few);
  });
});

describe('Employee.timeOff', () => {
  const timeOffQuery = /* GraphQL */ `
    query TimeOff($representations: [_Any!]!, $from: Date!, $to: Date!, $statuses: [TimeOffRequestStatus!]) {
      _entities(representations: $representations) {
        ... on Employee { id timeOff(from: $from, to: $to, statuses: $statuses) { startDate status policy { category } days { date portion } } }
      }
    }
  `;
  interface TimeOffResult {
    _entities: { id: string; timeOff: { startDate: string; status: string; policy: { category: string } | null; days: { date: string; portion: string }[] }[] }[];
  }

  it('approved and pending by default, oldest first; private policies without their kind', async () => {
    const response = await app.gql<TimeOffResult>(
      timeOffQuery,
      { representations: [berliner, newYorker].map((employee) => ({ __typename: 'Employee', id: employee.id })), from: '2026-07-01', to: '2026-07-06' },
      serviceHeaders.psa,
    );
    expect(response.errors).toBeUndefined();
    const [berlin, newYork] = response.data?._entities ?? [];
    expect(berlin?.timeOff.map((entry) => [entry.startDate, entry.status, entry.policy?.category ?? null])).toEqual([
      ['2026-06-29', 'APPROVED', 'VACATION'],
      ['2026-07-06', 'APPROVED', null],
    ]);
    expect(newYork?.timeOff.map((entry) => [entry.startDate, entry.status, entry.days])).toEqual([
      ['2026-07-01', 'PENDING', [{ date: '2026-07-01', portion: 'AFTERNOON' }]],
      ['2026-07-02', 'APPROVED', [{ date: '2026-07-02', portion: 'HOURS' }]],
    ]);
    const approvedOnly = await app.gql<TimeOffResult>(
      timeOffQuery,
      { representations: [{ __typename: 'Employee', id: newYorker.id }], from: '2026-07-01', to: '2026-07-06', statuses: ['APPROVED'] },
      serviceHeaders.psa,
    );
    expect(approvedOnly.data?._entities[0]?.timeOff.map((entry) => entry.startDate)).toEqual(['2026-07-02']);
  });

  it('refuses a range longer than a year, and Defend', async () => {
    const representations = [{ __typename: 'Employee', id: berliner.id }];
    const long = await app.gql(timeOffQuery, { representations, from: '2026-01-01', to: '2027-06-01' }, serviceHeaders.psa);
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const defend = await app.gql(timeOffQuery, { representations, from: '2026-07-01', to: '2026-07-06' }, serviceHeaders.defend);
    expect(defend.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
