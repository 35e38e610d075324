import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createHolidayCalendar, createPolicy, decide, requestTimeOff } from '../timeoff/fixtures.js';
import { attempt, change, createDepartment, createLocation } from './fixtures.js';

// Locations through the API: created, renamed, moved to another time zone, given an address and a
// holiday calendar, archived. Today is 2026-12-01 in the business time zone (UTC); the test
// clock's instant is 12:00 UTC, when it is already 2 December in Auckland (UTC+13).

let app: TestApp;
let auckland: string;
let berlin: string;
let department: string;
let kiwi: CreatedEmployee;

interface LocationShape {
  id: string;
  name: string;
  city: string;
  countryCode: string;
  timezone: string;
  address: { line1: string; line2: string | null; city: string; region: string | null; postalCode: string | null; countryCode: string } | null;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-12-01', env: { BUSINESS_TIMEZONE: 'UTC' } });
  department = await createDepartment(app, { name: 'Operations', code: 'OPS', effectiveFrom: '2020-01-01' });
  berlin = await createLocation(app, { name: 'Berlin Office', city: 'Berlin', countryCode: 'DE', timezone: 'Europe/Berlin' });
  const created = await change<{ location: LocationShape }>(app, 'createLocation', {
    name: 'Auckland Office',
    city: 'Auckland',
    countryCode: 'nz',
    timezone: 'Pacific/Auckland',
    address: { line1: '1 Queen Street', region: 'Auckland', postalCode: '1010' },
    reason: 'New office',
  });
  auckland = created.location.id;
  expect(created.location).toEqual({
    id: auckland,
    name: 'Auckland Office',
    city: 'Auckland',
    countryCode: 'NZ',
    timezone: 'Pacific/Auckland',
    address: { line1: '1 Queen Street', line2: null, city: 'Auckland', region: 'Auckland', postalCode: '1010', countryCode: 'NZ' },
  });
  kiwi = await hire(app, { departmentId: department, locationId: auckland, hireDate: '2024-02-05', email: 'kiri@example.com', firstName: 'Kiri', lastName: 'Ngata' });
});
afterAll(() => app.close());

describe('a location’s time zone', () => {
  it('is the time zone of the people working there, and the day time off counts as theirs', async () => {
    const policyId = await createPolicy(app, { name: 'Annual leave', approvalChain: [] }, { employeeIds: [kiwi.id] });
    const kiriHeaders = await app.as({ roles: [], email: kiwi.email, hubUserId: 'hub-kiri' });
    const booked = await requestTimeOff(app, { employeeId: kiwi.id, policyId, startDate: '2026-12-02', endDate: '2026-12-03' }, kiriHeaders);
    expect(booked.userErrors).toEqual([]);
    const requestId = booked.request?.id ?? '';
    expect(booked.request?.status).toBe('APPROVED');

    // 12:00 UTC on 1 December is 01:00 on 2 December in Auckland: Kiri's time off has started.
    const actions = async () =>
      (await app.gql<{ timeOffRequest: { availableActions: string[] }; employee: { timezone: string } }>(
        `query($id: ID!, $employee: ID!) { timeOffRequest(id: $id) { availableActions } employee(id: $employee) { timezone } }`,
        { id: requestId, employee: kiwi.id },
        kiriHeaders,
      )).data;
    expect(await actions()).toEqual({ timeOffRequest: { availableActions: [] }, employee: { timezone: 'Pacific/Auckland' } });
    const refused = await decide(app, 'cancel', { id: requestId }, kiriHeaders);
    expect(refused.payload?.userErrors).toEqual([{ code: 'CONFLICT', message: 'The time off has started: only HR can cancel it now.' }]);

    // The office moves to Los Angeles' zone (04:00 on 1 December there): the time off has not started.
    const moved = await change<{ location: LocationShape }>(app, 'updateLocation', { id: auckland, timezone: 'America/Los_Angeles', reason: 'Typo' });
    expect(moved.location.timezone).toBe('America/Los_Angeles');
    expect(await actions()).toEqual({ timeOffRequest: { availableActions: ['CANCEL'] }, employee: { timezone: 'America/Los_Angeles' } });
    const cancelled = await decide(app, 'cancel', { id: requestId }, kiriHeaders);
    expect(cancelled.payload?.userErrors).toEqual([]);
    expect(cancelled.payload?.request?.status).toBe('CANCELLED');
    await change(app, 'updateLocation', { id: auckland, timezone: 'Pacific/Auckland' });
  });
});

describe('changing a location', () => {
  it('links its holiday calendar', async () => {
    await createHolidayCalendar(app, auckland, 'New Zealand', [{ date: '2026-12-25', name: 'Christmas Day', halfDay: false }]);
    const response = await app.gql<{ location: { holidayCalendar: { name: string; holidays: { date: string }[] } | null }; berlin: { holidayCalendar: null } }>(
      `query($id: ID!, $berlin: ID!) { location(id: $id) { holidayCalendar { name holidays { date } } } berlin: location(id: $berlin) { holidayCalendar { name } } }`,
      { id: auckland, berlin },
    );
    expect(response.data).toEqual({ location: { holidayCalendar: { name: 'New Zealand', holidays: [{ date: '2026-12-25' }] } }, berlin: { holidayCalendar: null } });
  });

  it('renames it and changes its address, at once, with its history', async () => {
    const renamed = await change<{ location: LocationShape }>(app, 'updateLocation', {
      id: auckland,
      name: 'Auckland Harbour Office',
      address: { line1: '5 Quay Street' },
    });
    expect(renamed.location).toMatchObject({ name: 'Auckland Harbour Office', address: { line1: '5 Quay Street', city: 'Auckland' } });
    const cleared = await change<{ location: LocationShape }>(app, 'updateLocation', { id: auckland, address: null });
    expect(cleared.location.address).toBeNull();
    const history = await app.gql<{ location: { history: { kind: string; reason: string | null; changes: { field: string; before: string | null; after: string | null }[] }[] } }>(
      `query($id: ID!) { location(id: $id) { history { kind reason changes { field before after } } } }`,
      { id: auckland },
    );
    const entries = history.data?.location.history ?? [];
    expect(entries.map((entry) => entry.kind)).toEqual(['UPDATED', 'UPDATED', 'UPDATED', 'UPDATED', 'CREATED']);
    expect(entries[1]?.changes).toEqual([
      { field: 'name', before: 'Auckland Office', after: 'Auckland Harbour Office' },
      { field: 'addressLine1', before: '1 Queen Street', after: '5 Quay Street' },
      { field: 'region', before: 'Auckland', after: null },
      { field: 'postalCode', before: '1010', after: null },
    ]);
    expect(entries[3]).toMatchObject({ reason: 'Typo', changes: [{ field: 'timezone', before: 'Pacific/Auckland', after: 'America/Los_Angeles' }] });
    const events = await app.database.db
      .select({ data: outboxEvents.data })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, 'organisation.changed'), eq(outboxEvents.subject, `location:${auckland}`)));
    expect(events.map((event) => event.data)).toContainEqual({
      unit: 'LOCATION',
      id: auckland,
      change: 'UPDATED',
      fields: ['name', 'addressLine1', 'region', 'postalCode'],
      effectiveFrom: '2026-12-01',
    });
  });

  it('refuses a taken name (whatever its case), a time zone or country that is not one, and an unknown location', async () => {
    const taken = await attempt(app, 'updateLocation', { id: auckland, name: 'berlin office' });
    expect(taken.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_LOCATION_NAME', field: ['input', 'name'] })]);
    const bad = await attempt(app, 'createLocation', { name: 'Moon Base', city: 'Tranquility', countryCode: 'MOON', timezone: 'Moon/Tranquility', address: { line1: ' ' } });
    expect(bad.userErrors.map((error) => [error.code, error.field?.join('.')])).toEqual([
      ['INVALID_VALUE', 'input.countryCode'],
      ['INVALID_VALUE', 'input.timezone'],
      ['REQUIRED', 'input.address.line1'],
    ]);
    const unknown = await attempt(app, 'updateLocation', { id: '00000000-0000-4000-8000-000000000000', name: 'X' });
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'LOCATION_NOT_FOUND', field: ['input', 'id'] })]);
    const noZone = await attempt(app, 'updateLocation', { id: auckland, timezone: null });
    expect(noZone.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'timezone'] })]);
  });
});

describe('archiving a location', () => {
  it('is refused while people work there on or after the day, naming them, and allowed after they move', async () => {
    const refused = await attempt(app, 'archiveLocation', { id: auckland, effectiveFrom: '2027-01-01' });
    expect(refused.userErrors).toEqual([
      {
        code: 'HAS_MEMBERS',
        field: ['input', 'id'],
        message: '1 person works in Auckland Harbour Office on or after 2027-01-01: Kiri Ngata (from 2027-01-01). Move them elsewhere first.',
      },
    ]);
    await change(app, 'updateEmployee', { id: kiwi.id, locationId: berlin, effectiveDate: '2027-01-01' });
    const archived = await change<{ location: { archivedOn: string } }>(app, 'archiveLocation', { id: auckland, effectiveFrom: '2027-01-01' });
    expect(archived.location.archivedOn).toBe('2027-01-01');

    const names = async (asOf: string) =>
      ((await app.gql<{ locations: { name: string }[] }>(`query($asOf: Date) { locations(asOf: $asOf) { name } }`, { asOf })).data?.locations ?? []).map(
        (location) => location.name,
      );
    expect(await names('2026-12-31')).toEqual(['Auckland Harbour Office', 'Berlin Office']);
    expect(await names('2027-01-01')).toEqual(['Berlin Office']);
    const headcount = await app.gql<{ location: { now: number; then: number; employees: { totalCount: number } } }>(
      `query($id: ID!) { location(id: $id) { now: headcount then: headcount(asOf: "2027-01-01") employees(asOf: "2027-01-01") { totalCount } } }`,
      { id: auckland },
    );
    expect(headcount.data?.location).toEqual({ now: 1, then: 0, employees: { totalCount: 0 } });
    const into = await attempt(app, 'updateEmployee', { id: kiwi.id, locationId: auckland, effectiveDate: '2027-02-01' });
    expect(into.userErrors).toEqual([expect.objectContaining({ code: 'ARCHIVED', field: ['input', 'locationId'] })]);
  });
});
