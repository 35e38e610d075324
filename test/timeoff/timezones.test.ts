import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLocation } from '../../src/organisation/organisation.store.js';
import { findRequestsByIds, findDaysOfRequests, insertHolidayCalendar } from '../../src/timeoff/timeoff.store.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, requestTimeOff } from './fixtures.js';

// Calendar dates of time off never move with time zones: not the business zone's, not the
// location's. Three offices far apart (Auckland UTC+13 in December, Berlin UTC+1, Los Angeles
// UTC-8) each ask for 24-28 December 2026 (Thursday to Monday) under two business zones.

interface AvailabilityDay {
  date: string;
  state: string;
  holiday: string | null;
}

const availabilityQuery = /* GraphQL */ `
  query Availability($id: ID!, $from: Date!, $to: Date!) {
    employee(id: $id) { availability(from: $from, to: $to) { date state holiday } }
  }
`;

const requestQuery = /* GraphQL */ `
  query Request($id: ID!) { timeOffRequest(id: $id) { startDate endDate amount days { date amount } } }
`;

const calendarQuery = /* GraphQL */ `
  query Calendar($from: Date!, $to: Date!, $ids: [ID!]) {
    timeOffCalendar(from: $from, to: $to, filter: { employeeIds: $ids }) { employee { id } startDate endDate days(from: $from, to: $to) { date } }
  }
`;

describe.each(['Pacific/Auckland', 'America/Los_Angeles'])('time off with BUSINESS_TIMEZONE=%s', (businessTimezone) => {
  let app: TestApp;
  let berlin: CreatedEmployee;
  let auckland: CreatedEmployee;
  let losAngeles: CreatedEmployee;
  const requestIds = new Map<string, string>();

  async function availability(employeeId: string): Promise<Map<string, AvailabilityDay>> {
    const response = await app.gql<{ employee: { availability: AvailabilityDay[] } }>(availabilityQuery, {
      id: employeeId,
      from: '2026-12-23',
      to: '2026-12-29',
    });
    expect(response.errors).toBeUndefined();
    return new Map((response.data?.employee.availability ?? []).map((day) => [day.date, day]));
  }

  beforeAll(async () => {
    app = await startTestApp({ today: '2026-12-01', env: { BUSINESS_TIMEZONE: businessTimezone } });
    const org = await createOrgBasics(app);
    const db = app.database.db;
    const aucklandOffice = await insertLocation(db, { name: 'Auckland Office', city: 'Auckland', countryCode: 'NZ', timezone: 'Pacific/Auckland' });
    const losAngelesOffice = await insertLocation(db, { name: 'Los Angeles Office', city: 'Los Angeles', countryCode: 'US', timezone: 'America/Los_Angeles' });
    await insertHolidayCalendar(db, { locationId: org.locations.berlin, name: 'Berlin' }, [
      { date: '2026-12-24', name: 'Heiligabend', halfDay: true },
      { date: '2026-12-25', name: '1. Weihnachtstag', halfDay: false },
      { date: '2026-12-26', name: '2. Weihnachtstag', halfDay: false }, // a Saturday
    ]);
    await insertHolidayCalendar(db, { locationId: aucklandOffice.id, name: 'New Zealand' }, [
      { date: '2026-12-25', name: 'Christmas Day', halfDay: false },
      { date: '2026-12-28', name: 'Boxing Day (observed)', halfDay: false }, // 26 December is a Saturday
    ]);
    await insertHolidayCalendar(db, { locationId: losAngelesOffice.id, name: 'United States' }, [
      { date: '2026-12-25', name: 'Christmas Day', halfDay: false },
    ]);
    // Approved at once: no chain.
    const policyId = await createPolicy(app, { name: 'Vacation', approvalChain: [] });
    const engineering = org.departments.engineering;
    const ceo = await hire(app, { locationId: org.locations.berlin, departmentId: engineering, hireDate: '2015-01-05' });
    berlin = await hire(app, { locationId: org.locations.berlin, departmentId: engineering, managerId: ceo.id });
    auckland = await hire(app, { locationId: aucklandOffice.id, departmentId: engineering, managerId: ceo.id, timezone: 'Pacific/Auckland' });
    losAngeles = await hire(app, { locationId: losAngelesOffice.id, departmentId: engineering, managerId: ceo.id, timezone: 'America/Los_Angeles' });
    for (const employee of [berlin, auckland, losAngeles]) {
      const payload = await requestTimeOff(app, { employeeId: employee.id, policyId, startDate: '2026-12-24', endDate: '2026-12-28' });
      expect(payload.userErrors).toEqual([]);
      if (!payload.request) throw new Error('no request');
      expect(payload.request).toMatchObject({ status: 'APPROVED', startDate: '2026-12-24', endDate: '2026-12-28' });
      requestIds.set(employee.id, payload.request.id);
    }
  });

  afterAll(() => app.close());

  it('stores exactly the requested calendar dates, day by day', async () => {
    const ids = [...requestIds.values()];
    const rows = await findRequestsByIds(app.database.db, ids);
    expect(rows.map((row) => [row.startDate, row.endDate])).toEqual(ids.map(() => ['2026-12-24', '2026-12-28']));
    const days = await findDaysOfRequests(app.database.db, ids);
    const datesOf = (employee: CreatedEmployee) =>
      days.filter((day) => day.requestId === requestIds.get(employee.id)).map((day) => day.date).sort();
    // Each location's own holidays (and no others) are left out.
    expect(datesOf(berlin)).toEqual(['2026-12-24', '2026-12-28']);
    expect(datesOf(auckland)).toEqual(['2026-12-24']);
    expect(datesOf(losAngeles)).toEqual(['2026-12-24', '2026-12-28']);
  });

  it('answers the same dates and amounts through GraphQL', async () => {
    const expected = new Map([
      // The half-day Christmas Eve holiday leaves only the morning to take.
      [berlin.id, { amount: 1.5, days: [{ date: '2026-12-24', amount: 0.5 }, { date: '2026-12-28', amount: 1 }] }],
      [auckland.id, { amount: 1, days: [{ date: '2026-12-24', amount: 1 }] }],
      [losAngeles.id, { amount: 2, days: [{ date: '2026-12-24', amount: 1 }, { date: '2026-12-28', amount: 1 }] }],
    ]);
    for (const [employeeId, requestId] of requestIds) {
      const response = await app.gql<{ timeOffRequest: { startDate: string; endDate: string; amount: number; days: { date: string; amount: number }[] } }>(
        requestQuery,
        { id: requestId },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.timeOffRequest).toEqual({ startDate: '2026-12-24', endDate: '2026-12-28', ...expected.get(employeeId) });
    }
    // A one-day window on the last day finds all three, cut to that day where it is taken.
    const calendar = await app.gql<{ timeOffCalendar: { employee: { id: string }; startDate: string; endDate: string; days: { date: string }[] }[] }>(
      calendarQuery,
      { from: '2026-12-28', to: '2026-12-28', ids: [berlin.id, auckland.id, losAngeles.id] },
    );
    expect(calendar.errors).toBeUndefined();
    const entries = calendar.data?.timeOffCalendar ?? [];
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect([entry.startDate, entry.endDate]).toEqual(['2026-12-24', '2026-12-28']);
      expect(entry.days.map((day) => day.date)).toEqual(entry.employee.id === auckland.id ? [] : ['2026-12-28']);
    }
  });

  it('shows availability on the same days, with each location’s own holidays', async () => {
    const summary = (days: Map<string, AvailabilityDay>) =>
      [...days.values()].map((day) => `${day.date} ${day.state}${day.holiday ? ` ${day.holiday}` : ''}`);
    const [inBerlin, inAuckland, inLosAngeles] = await Promise.all([availability(berlin.id), availability(auckland.id), availability(losAngeles.id)]);
    expect([...inBerlin.keys()]).toEqual(['2026-12-23', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28', '2026-12-29']);
    for (const days of [inBerlin, inAuckland, inLosAngeles]) {
      expect(days.get('2026-12-23')?.state).toBe('AVAILABLE');
      expect(days.get('2026-12-24')?.state).not.toBe('AVAILABLE');
      expect(days.get('2026-12-25')).toMatchObject({ state: 'NON_WORKING' });
      expect(days.get('2026-12-27')?.state).toBe('NON_WORKING'); // Sunday
      expect(days.get('2026-12-29')?.state).toBe('AVAILABLE');
    }
    expect(inBerlin.get('2026-12-24')?.holiday).toBe('Heiligabend');
    expect(inAuckland.get('2026-12-24')).toMatchObject({ state: 'OFF', holiday: null });
    expect(inLosAngeles.get('2026-12-24')).toMatchObject({ state: 'OFF', holiday: null });
    expect(inBerlin.get('2026-12-25')?.holiday).toBe('1. Weihnachtstag');
    expect(inAuckland.get('2026-12-25')?.holiday).toBe('Christmas Day');
    expect(inLosAngeles.get('2026-12-25')?.holiday).toBe('Christmas Day');
    // Boxing Day observed is Auckland's alone: Berlin and Los Angeles take the Monday off.
    expect(inAuckland.get('2026-12-28'), summary(inAuckland).join(', ')).toMatchObject({ state: 'NON_WORKING', holiday: 'Boxing Day (observed)' });
    expect(inBerlin.get('2026-12-28')).toMatchObject({ state: 'OFF', holiday: null });
    expect(inLosAngeles.get('2026-12-28')).toMatchObject({ state: 'OFF', holiday: null });
  });
});
