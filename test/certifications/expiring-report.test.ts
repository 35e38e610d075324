import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { addCertification, certificationMutation, createCatalogEntry, type CatalogEntryResult } from './fixtures.js';

// HR's report of certifications expiring soon, by the holder's department on the report's day.
let app: TestApp;
let org: OrgBasics;
let entries: CatalogEntryResult[];
const people: Record<string, CreatedEmployee> = {};

const reportQuery = /* GraphQL */ `
  query Report($withinDays: Int, $asOf: Date, $departmentIds: [ID!]) {
    expiringCertifications(withinDays: $withinDays, asOf: $asOf, departmentIds: $departmentIds) {
      department { name }
      certifications { expiresOn status statusAsOf employee { lastName } }
    }
  }
`;

interface ReportGroup {
  department: { name: string } | null;
  certifications: { expiresOn: string; status: string; statusAsOf: string; employee: { lastName: string } | null }[];
}

async function report(args: Record<string, unknown> = {}, headers?: Record<string, string>) {
  return app.gql<{ expiringCertifications: ReportGroup[] | null }>(reportQuery, args, headers);
}

/** Groups as "Department: holder@expiry, ..." for compact comparison. */
async function summary(args: Record<string, unknown> = {}): Promise<string[]> {
  const response = await report(args);
  expect(response.errors).toBeUndefined();
  return (response.data?.expiringCertifications ?? []).map(
    (group) =>
      `${group.department?.name ?? '(none)'}: ${group.certifications.map((c) => `${c.employee?.lastName}@${c.expiresOn}`).join(', ')}`,
  );
}

async function person(key: string, lastName: string, departmentId: string, extra: Record<string, unknown> = {}): Promise<CreatedEmployee> {
  people[key] = await hire(app, { departmentId, locationId: org.locations.berlin, firstName: 'Pat', lastName, ...extra });
  return people[key];
}

async function holds(employee: CreatedEmployee, entryIndex: number, expiresOn: string): Promise<string> {
  const entry = entries[entryIndex];
  if (!entry) throw new Error(`no entry ${entryIndex}`);
  return (await addCertification(app, { employeeId: employee.id, catalogEntryId: entry.id, issuedOn: '2025-01-01', expiresOn })).id;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  entries = [];
  for (const name of ['CCNA', 'AZ-104', 'Security+']) entries.push(await createCatalogEntry(app, { name, validityMonths: null }));
  const { engineering, sales } = org.departments;

  await holds(await person('zoe', 'Zimmer', sales), 0, '2026-06-20');
  await holds(await person('ann', 'Abbott', sales), 0, '2026-06-20');
  await holds(await person('today', 'Today', sales), 0, '2026-06-15');
  const engineer = await person('eng', 'Engel', engineering);
  await holds(engineer, 0, '2026-07-15');
  await holds(engineer, 1, '2026-07-16');
  await holds(engineer, 2, '2026-06-14');

  // In Sales today, in Engineering from 1 July.
  const mover = await person('mover', 'Mover', sales);
  await holds(mover, 0, '2026-07-10');
  const moved = await app.gql<{ updateEmployee: { userErrors: unknown[] } }>(
    `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code message } } }`,
    { input: { id: mover.id, departmentId: engineering, effectiveDate: '2026-07-01' } },
  );
  expect(moved.data?.updateEmployee.userErrors).toEqual([]);

  // Recorded on 20 June for a September start: no job, so no department, on the report's day.
  app.clock.set('2026-06-20');
  const future = await person('future', 'Future', sales, { hireDate: '2026-09-01' });
  app.clock.set('2026-06-15');
  await holds(future, 0, '2026-06-30');

  // Left on 1 June: nothing to renew.
  const leaver = await person('leaver', 'Leaver', sales);
  await holds(leaver, 0, '2026-06-18');
  const left = await app.gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(
    `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }`,
    { input: { id: leaver.id, status: 'TERMINATED', effectiveDate: '2026-06-01' } },
  );
  expect(left.data?.changeEmployeeStatus.userErrors).toEqual([]);

  // Renewed (the old record would expire in the window) and removed records do not count.
  const renewer = await person('renewer', 'Renewer', engineering);
  const old = await holds(renewer, 0, '2026-06-25');
  await certificationMutation(app, 'renew', { id: old, issuedOn: '2026-06-01', expiresOn: '2028-06-01' });
  const removed = await holds(renewer, 1, '2026-06-25');
  await certificationMutation(app, 'remove', { id: removed });
});

afterAll(async () => {
  await app?.close();
});

describe('the expiring report', () => {
  it('groups the next 30 days (both ends included) by department on the day, by name, no department last; by expiry then holder', async () => {
    expect(await summary()).toEqual([
      'Engineering: Engel@2026-07-15',
      'Sales: Today@2026-06-15, Abbott@2026-06-20, Zimmer@2026-06-20, Mover@2026-07-10',
      '(none): Future@2026-06-30',
    ]);
  });

  it('reads departments as of `asOf`: the mover is in Engineering from 1 July', async () => {
    expect(await summary({ asOf: '2026-07-01', withinDays: 15 })).toEqual(['Engineering: Mover@2026-07-10, Engel@2026-07-15, Engel@2026-07-16']);
  });

  it('computes the status as of `asOf`, and honours withinDays', async () => {
    const response = await report({ withinDays: 31 });
    const engineering = response.data?.expiringCertifications?.[0];
    expect(engineering?.certifications.map((c) => [c.expiresOn, c.status, c.statusAsOf])).toEqual([
      ['2026-07-15', 'EXPIRING', '2026-06-15'],
      ['2026-07-16', 'ACTIVE', '2026-06-15'],
    ]);
    expect(await summary({ withinDays: 5 })).toEqual(['Sales: Today@2026-06-15, Abbott@2026-06-20, Zimmer@2026-06-20']);
  });

  it('filters by departmentIds', async () => {
    expect(await summary({ departmentIds: [org.departments.engineering, org.departments.people] })).toEqual(['Engineering: Engel@2026-07-15']);
  });

  it('refuses withinDays outside 1..366', async () => {
    for (const withinDays of [0, 367]) {
      const response = await report({ withinDays });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('is for HR and Admin: Managers, Viewers, employees and PSA are FORBIDDEN', async () => {
    const hrStaff = await report({}, await app.as({ roles: ['HR Staff'], email: 'hrs@people.test' }));
    expect(hrStaff.errors).toBeUndefined();
    expect(hrStaff.data?.expiringCertifications).toHaveLength(3);
    const refused = [
      await app.as({ roles: ['Manager'], email: 'manager@people.test' }),
      await app.as({ roles: ['Viewer'], email: 'viewer@people.test' }),
      await app.as({ roles: [], email: people.zoe?.email }),
      serviceHeaders.psa,
      serviceHeaders.defend,
    ];
    for (const headers of refused) {
      const response = await report({}, headers);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data).toBeNull();
    }
  });

  it('costs the same statements for more holders and departments', async () => {
    const count = () => app.countStatements(async () => expect((await report({ withinDays: 60 })).errors).toBeUndefined());
    const before = await count();
    for (let index = 0; index < 8; index += 1) {
      const departmentId = [org.departments.people, org.departments.engineering][index % 2] ?? org.departments.people;
      await holds(await person(`extra${index}`, `Extra${index}`, departmentId), index % 3, '2026-07-01');
    }
    expect(await count()).toBe(before);
    expect((await summary({ withinDays: 60 })).map((line) => line.split(':')[0])).toEqual(['Engineering', 'People', 'Sales', '(none)']);
  });
});
