import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findEmploymentTimelines,
  findHireDate,
  isEmployedOn,
  lockEmployee,
  locationOn,
  statusOn,
  type EmploymentTimeline,
} from '../../src/employees/employee.service.js';
import { createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

// Employment on a day, as time off and certifications read it: a future hire keyed in today,
// on leave for June, a move to New York, and a resignation effective 30 September.

let app: TestApp;
let org: OrgBasics;
let employeeId: string;
let timeline: EmploymentTimeline;

async function mutate(mutation: string, input: Record<string, unknown>): Promise<void> {
  const response = await app.gql<Record<string, { userErrors: unknown[] }>>(mutation, { input });
  expect(response.errors).toBeUndefined();
  expect(Object.values(response.data ?? {})[0]?.userErrors).toEqual([]);
}

const statusMutation = /* GraphQL */ `
  mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }
`;
const updateMutation = /* GraphQL */ `
  mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code message } } }
`;

beforeAll(async () => {
  app = await startTestApp({ today: '2026-03-10' });
  org = await createOrgBasics(app);
  const person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2026-04-01' });
  employeeId = person.id;
  await mutate(statusMutation, { id: employeeId, status: 'ON_LEAVE', effectiveDate: '2026-06-01' });
  await mutate(statusMutation, { id: employeeId, status: 'ACTIVE', effectiveDate: '2026-07-01' });
  await mutate(updateMutation, { id: employeeId, effectiveDate: '2026-08-01', locationId: org.locations.newYork });
  await mutate(statusMutation, { id: employeeId, status: 'RESIGNED', effectiveDate: '2026-09-30' });
  const timelines = await findEmploymentTimelines(app.database.db, [employeeId], '2026-12-31');
  timeline = timelines.get(employeeId) ?? { locations: [], statuses: [] };
});
afterAll(() => app.close());

describe('isEmployedOn', () => {
  it('is false before the hire day, while PRE_HIRE', () => {
    expect(statusOn(timeline.statuses, '2026-03-09')).toBeNull();
    expect(isEmployedOn(timeline.statuses, '2026-03-09')).toBe(false);
    expect(statusOn(timeline.statuses, '2026-03-31')).toBe('PRE_HIRE');
    expect(isEmployedOn(timeline.statuses, '2026-03-31')).toBe(false);
  });

  it('counts the hire day and days on leave', () => {
    expect(isEmployedOn(timeline.statuses, '2026-04-01')).toBe(true);
    expect(statusOn(timeline.statuses, '2026-06-15')).toBe('ON_LEAVE');
    expect(isEmployedOn(timeline.statuses, '2026-06-15')).toBe(true);
  });

  it('counts the day before a resignation, not the day it takes effect', () => {
    expect(isEmployedOn(timeline.statuses, '2026-09-29')).toBe(true);
    expect(statusOn(timeline.statuses, '2026-09-30')).toBe('RESIGNED');
    expect(isEmployedOn(timeline.statuses, '2026-09-30')).toBe(false);
    expect(isEmployedOn(timeline.statuses, '2026-12-31')).toBe(false);
  });
});

describe('employment reads', () => {
  it('reads the location in force on each day from the same timeline', () => {
    expect(locationOn(timeline.locations, '2026-07-31')).toBe(org.locations.berlin);
    expect(locationOn(timeline.locations, '2026-08-01')).toBe(org.locations.newYork);
  });

  it('stops a timeline at the day asked for', async () => {
    const early = (await findEmploymentTimelines(app.database.db, [employeeId], '2026-06-30')).get(employeeId);
    expect(early?.statuses.map((span) => span.status)).toEqual(['PRE_HIRE', 'ACTIVE', 'ON_LEAVE']);
    expect(early?.locations.map((span) => span.locationId)).toEqual([org.locations.berlin]);
  });

  it('answers an empty timeline for an id with no employee', async () => {
    const unknown = randomUUID();
    expect((await findEmploymentTimelines(app.database.db, [unknown], '2026-12-31')).get(unknown)).toEqual({ locations: [], statuses: [] });
  });

  it('knows the hire date, and locks only an employee who exists', async () => {
    expect(await findHireDate(app.database.db, employeeId)).toBe('2026-04-01');
    expect(await findHireDate(app.database.db, randomUUID())).toBeNull();
    await app.database.db.transaction(async (tx) => {
      expect(await lockEmployee(tx, employeeId)).toBe(true);
      expect(await lockEmployee(tx, randomUUID())).toBe(false);
    });
  });
});
