import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hire } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { attempt, createDepartment, createLocation } from './fixtures.js';

// On real PostgreSQL (TEST_DATABASE_URL) these changes truly race on several connections; on
// PGlite its single connection serialises them. Either way the organisation's rules must hold.

let app: TestApp;
let berlin: string;
let top: string;

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  berlin = await createLocation(app, { name: 'Berlin Office' });
  top = await createDepartment(app, { name: 'Company', code: 'CO', effectiveFrom: '2020-01-01' });
});
afterAll(() => app.close());

describe('racing organisation changes', () => {
  it('archiving a department and moving people into it: never both', async () => {
    const closing = await createDepartment(app, { name: 'Closing', code: 'CL', parentId: top, effectiveFrom: '2020-01-01' });
    const people = await Promise.all([1, 2, 3, 4].map(() => hire(app, { departmentId: top, locationId: berlin, hireDate: '2024-01-08' })));
    const [archive, ...moves] = await Promise.all([
      attempt(app, 'archiveDepartment', { id: closing }),
      ...people.map((person) => attempt(app, 'updateEmployee', { id: person.id, departmentId: closing })),
    ]);
    const moved = moves.filter((move) => move.userErrors.length === 0);
    if (archive?.userErrors.length === 0) {
      expect(moved).toEqual([]);
      expect(moves.flatMap((move) => move.userErrors.map((error) => error.code))).toEqual(['ARCHIVED', 'ARCHIVED', 'ARCHIVED', 'ARCHIVED']);
    } else {
      expect(archive?.userErrors.map((error) => error.code)).toEqual(['HAS_MEMBERS']);
      expect(moved.length).toBeGreaterThan(0);
    }
    const response = await app.gql<{ department: { headcount: number; archivedOn: string | null } }>(
      `query($id: ID!) { department(id: $id) { headcount archivedOn } }`,
      { id: closing },
    );
    const { headcount, archivedOn } = response.data?.department ?? { headcount: -1, archivedOn: null };
    expect(archivedOn === null ? headcount > 0 : headcount === 0).toBe(true);
  });

  it('two moves that would make a cycle together: one is refused', async () => {
    const left = await createDepartment(app, { name: 'Left', code: 'L', parentId: top, effectiveFrom: '2020-01-01' });
    const right = await createDepartment(app, { name: 'Right', code: 'R', parentId: top, effectiveFrom: '2020-01-01' });
    const results = await Promise.all([
      attempt(app, 'updateDepartment', { id: left, parentId: right }),
      attempt(app, 'updateDepartment', { id: right, parentId: left }),
    ]);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(['DEPARTMENT_CYCLE']);
  });

  it('two departments or locations created with one name: one is refused', async () => {
    const departments = await Promise.all(['D1', 'D2', 'D3'].map((code) => attempt(app, 'createDepartment', { name: 'Twins', code, parentId: top })));
    expect(departments.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(['DUPLICATE_DEPARTMENT_NAME', 'DUPLICATE_DEPARTMENT_NAME']);
    const locations = await Promise.all(
      ['Twin Site', 'twin site'].map((name) => attempt(app, 'createLocation', { name, city: 'Paris', countryCode: 'FR', timezone: 'Europe/Paris' })),
    );
    expect(locations.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(['DUPLICATE_LOCATION_NAME']);
  });
});
