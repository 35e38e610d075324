import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createDepartment, createLocation } from './fixtures.js';

// Departments and locations with their people and headcounts cost the same number of SQL
// statements for 3 departments as for 12: the tree is read once, and each kind of question about
// people (a page of each unit, the counts) is one statement for every unit at once. Departments and
// locations are asked in separate queries: two roots of one query finish their first statements in
// either order on PostgreSQL, and their people's batches then meet or not, which would make the
// count vary by one whatever the number of departments.

let app: TestApp;
let top: string;
const locations: string[] = [];
let head: CreatedEmployee;

const departmentsQuery = /* GraphQL */ `
  query($asOf: Date) {
    departments(asOf: $asOf) {
      name
      parent { name }
      children { name }
      head { displayName }
      headcount
      withBelow: headcount(includeSubDepartments: true)
      lastYear: headcount(asOf: "2025-06-15")
      employees(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { displayName jobTitle department { name } } }
    }
  }
`;

const locationsQuery = /* GraphQL */ `
  {
    locations { name headcount lastYear: headcount(asOf: "2025-06-15") employees(first: 2) { totalCount nodes { displayName location { name } } } }
  }
`;

interface DepartmentAnswer {
  name: string;
  headcount: number;
  withBelow: number;
  employees: { totalCount: number; nodes: { displayName: string; department: { name: string } }[] };
}

async function addDepartments(count: number, offset: number): Promise<void> {
  for (let index = offset; index < offset + count; index += 1) {
    const id = await createDepartment(app, { name: `Team ${String(index).padStart(2, '0')}`, code: `T${index}`, parentId: top, headId: head.id, effectiveFrom: '2020-01-01' });
    for (let person = 0; person < 4; person += 1) {
      await hire(app, { departmentId: id, locationId: locations[index % locations.length] ?? '', hireDate: '2024-01-08' });
    }
  }
  locations.push(await createLocation(app, { name: `Site ${offset}` }));
}

async function statementsFor(): Promise<{ statements: number; locationStatements: number; departments: DepartmentAnswer[]; locations: number }> {
  let departments: DepartmentAnswer[] = [];
  let locations = 0;
  const statements = await app.countStatements(async () => {
    const response = await app.gql<{ departments: DepartmentAnswer[] }>(departmentsQuery, { asOf: '2026-06-15' });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    departments = response.data?.departments ?? [];
  });
  const locationStatements = await app.countStatements(async () => {
    const response = await app.gql<{ locations: unknown[] }>(locationsQuery);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    locations = response.data?.locations.length ?? 0;
  });
  return { statements, locationStatements, departments, locations };
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  locations.push(await createLocation(app, { name: 'Head Office' }));
  top = await createDepartment(app, { name: 'Company', code: 'CO', effectiveFrom: '2020-01-01' });
  head = await hire(app, { departmentId: top, locationId: locations[0] ?? '', hireDate: '2020-01-01' });
});
afterAll(() => app.close());

describe('departments with their people', () => {
  it('cost the same statements for 3 departments as for 12', async () => {
    await addDepartments(3, 0);
    const few = await statementsFor();
    expect(few.departments).toHaveLength(4);
    await addDepartments(9, 3);
    const many = await statementsFor();
    expect(many.departments).toHaveLength(13);

    const team = many.departments.find((department) => department.name === 'Team 07');
    expect(team).toMatchObject({ headcount: 4, withBelow: 4, employees: { totalCount: 4 } });
    expect(team?.employees.nodes).toHaveLength(3);
    expect(team?.employees.nodes.every((node) => node.department.name === 'Team 07')).toBe(true);
    expect(many.departments.find((department) => department.name === 'Company')).toMatchObject({ headcount: 1, withBelow: 49 });
    expect(many.statements).toBe(few.statements);
    expect([few.locations, many.locations]).toEqual([2, 3]);
    expect(many.locationStatements).toBe(few.locationStatements);
  });

  it('pages through one department’s people by name with cursors', async () => {
    const response = await app.gql<{ departments: { name: string; employees: { pageInfo: { endCursor: string } } }[] }>(
      `{ departments { name employees(first: 3) { pageInfo { endCursor } } } }`,
    );
    const team = response.data?.departments.find((department) => department.name === 'Team 07');
    const next = await app.gql<{ departments: { name: string; employees: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean } } }[] }>(
      `query($after: String) { departments { name employees(first: 3, after: $after) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } } }`,
      { after: team?.employees.pageInfo.endCursor },
    );
    expect(next.errors).toBeUndefined();
    const page = next.data?.departments.find((department) => department.name === 'Team 07')?.employees;
    expect(page?.nodes).toHaveLength(1);
    expect(page?.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
  });
});
