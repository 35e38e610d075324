import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp } from '../support/server.js';
import { createDepartment, createLocation, organisationMutations } from './fixtures.js';

// The cells of the README's "Organisation" table: HR Manager and Admin change the organisation,
// HR Staff read all of it (cost centres and history too), everyone signed in sees names, the tree,
// people and headcounts; services reach departments and locations only through an employee.

let app: TestApp;
let departmentId: string;
let locationId: string;
let employee: CreatedEmployee;

type Who = 'Admin' | 'HR Manager' | 'HR Staff' | 'Manager' | 'Viewer' | 'Self' | 'PSA' | 'Defend' | 'Legal';
const everyone: readonly Who[] = ['Admin', 'HR Manager', 'HR Staff', 'Manager', 'Viewer', 'Self', 'PSA', 'Defend', 'Legal'];

async function headersOf(who: Who): Promise<Record<string, string>> {
  switch (who) {
    case 'PSA':
      return serviceHeaders.psa;
    case 'Defend':
      return serviceHeaders.defend;
    case 'Legal':
      return serviceHeaders.legal;
    case 'Self':
      return app.as({ roles: [], email: employee.email });
    default:
      return app.as({ roles: [who], email: `${who.replace(' ', '.').toLowerCase()}@people.test` });
  }
}

const forbiddenPaths = (response: GraphQLResponse): string[] =>
  (response.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => (error.path ?? []).join('.'));

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  locationId = await createLocation(app, { name: 'Berlin Office' });
  const parent = await createDepartment(app, { name: 'Company', code: 'CO', effectiveFrom: '2020-01-01' });
  departmentId = await createDepartment(app, { name: 'Engineering', code: 'ENG', parentId: parent, costCentre: 'CC-42', effectiveFrom: '2020-01-01' });
  employee = await hire(app, { departmentId, locationId, hireDate: '2024-01-08' });
});
afterAll(() => app.close());

describe('reading the organisation', () => {
  const people: readonly Who[] = ['Admin', 'HR Manager', 'HR Staff', 'Manager', 'Viewer', 'Self'];
  const hr: readonly Who[] = ['Admin', 'HR Manager', 'HR Staff'];

  it.each(everyone)('%s: names, the tree, people and headcounts for people; cost centres and history for HR; nothing for services', async (who) => {
    const response = await app.gql<{ departments: { name: string; parent: { name: string } | null; costCentre: string | null }[] | null }>(
      `{ departments { name parent { name } children { name } head { id } costCentre history { kind } headcount employees { totalCount } }
         locations { name timezone history { kind } headcount } }`,
      {},
      await headersOf(who),
    );
    if (who === 'Legal') {
      // Legal's key opens only Legal's callback: the whole request is refused before any field.
      expect(response.status).toBe(403);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      return;
    }
    if (!people.includes(who)) {
      expect(response.data).toBeNull();
      expect(forbiddenPaths(response)).toEqual(['departments']);
      return;
    }
    const names = response.data?.departments?.map((department) => [department.name, department.parent?.name ?? null]);
    expect(names).toEqual([
      ['Company', null],
      ['Engineering', 'Company'],
    ]);
    const engineering = response.data?.departments?.find((department) => department.name === 'Engineering');
    if (hr.includes(who)) {
      expect(forbiddenPaths(response)).toEqual([]);
      expect(engineering?.costCentre).toBe('CC-42');
    } else {
      expect(engineering?.costCentre).toBeNull();
      expect(forbiddenPaths(response).sort()).toEqual(
        ['departments.0.costCentre', 'departments.0.history', 'departments.1.costCentre', 'departments.1.history', 'locations.0.history'].sort(),
      );
    }
  });

  it('services see the department and location of an employee they may look up, not its people', async () => {
    const response = await app.gql<{ employee: { location: { name: string; timezone: string; headcount: number | null } } }>(
      `query($id: ID!) { employee(id: $id) { location { name timezone headcount } } }`,
      { id: employee.id },
      serviceHeaders.psa,
    );
    expect(response.data?.employee.location).toEqual({ name: 'Berlin Office', timezone: 'Europe/Berlin', headcount: null });
    expect(forbiddenPaths(response)).toEqual(['employee.location.headcount']);
  });
});

describe('changing the organisation', () => {
  const administrators: readonly Who[] = ['Admin', 'HR Manager'];
  let counter = 0;

  it.each(everyone)('%s: create, change and archive departments and locations only as HR Manager or Admin', async (who) => {
    counter += 1;
    const headers = await headersOf(who);
    const inputs: [keyof typeof organisationMutations, Record<string, unknown>][] = [
      ['createDepartment', { name: `Team ${counter}`, code: `T${counter}`, parentId: departmentId }],
      ['updateDepartment', { id: departmentId, costCentre: `CC-${counter}` }],
      ['archiveDepartment', { id: '00000000-0000-4000-8000-000000000000' }],
      ['createLocation', { name: `Site ${counter}`, city: 'Paris', countryCode: 'FR', timezone: 'Europe/Paris' }],
      ['updateLocation', { id: locationId, city: 'Berlin' }],
      ['archiveLocation', { id: '00000000-0000-4000-8000-000000000000' }],
    ];
    for (const [mutation, input] of inputs) {
      const response = await app.gql<Record<string, { userErrors: { code: string }[] }>>(organisationMutations[mutation], { input }, headers);
      if (administrators.includes(who)) {
        expect(response.errors, `${who} ${mutation}`).toBeUndefined();
        const expected = mutation.startsWith('archive') ? [mutation === 'archiveDepartment' ? 'DEPARTMENT_NOT_FOUND' : 'LOCATION_NOT_FOUND'] : [];
        expect(Object.values(response.data ?? {})[0]?.userErrors.map((error) => error.code), `${who} ${mutation}`).toEqual(expected);
      } else {
        expect(response.errors?.[0]?.extensions?.code, `${who} ${mutation}`).toBe('FORBIDDEN');
      }
    }
  });
});
