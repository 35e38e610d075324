import type { TestApp } from './server.js';

// Builders that go through the public API, as a client would.

export interface OrgBasics {
  departments: Record<'engineering' | 'sales' | 'people', string>;
  locations: Record<'berlin' | 'newYork', string>;
}

/** Departments and locations have no mutations yet; tests insert them as the demo seed does. */
export async function createOrgBasics(app: TestApp): Promise<OrgBasics> {
  const { insertDepartment, insertLocation } = await import('../../src/organisation/organisation.store.js');
  const db = app.database.db;
  const [engineering, sales, people, berlin, newYork] = await Promise.all([
    insertDepartment(db, { name: 'Engineering', code: 'ENG' }),
    insertDepartment(db, { name: 'Sales', code: 'SAL' }),
    insertDepartment(db, { name: 'People', code: 'PPL' }),
    insertLocation(db, { name: 'Berlin Office', city: 'Berlin', countryCode: 'DE', timezone: 'Europe/Berlin' }),
    insertLocation(db, { name: 'New York Office', city: 'New York', countryCode: 'US', timezone: 'America/New_York' }),
  ]);
  return {
    departments: { engineering: engineering.id, sales: sales.id, people: people.id },
    locations: { berlin: berlin.id, newYork: newYork.id },
  };
}

let counter = 0;

export interface HireInput {
  email?: string;
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  departmentId: string;
  locationId: string;
  employmentType?: string;
  managerId?: string | null;
  hireDate?: string;
  [key: string]: unknown;
}

export const createEmployeeMutation = /* GraphQL */ `
  mutation Create($input: CreateEmployeeInput!) {
    createEmployee(input: $input) {
      employee { id email employeeNumber status jobTitle hireDate manager { id } }
      userErrors { field code message }
    }
  }
`;

export interface CreatedEmployee {
  id: string;
  email: string;
  employeeNumber: string;
  status: string | null;
}

/** Hires someone and fails the test loudly if People refuses. */
export async function hire(app: TestApp, input: HireInput): Promise<CreatedEmployee> {
  counter += 1;
  const response = await app.gql<{
    createEmployee: { employee: CreatedEmployee | null; userErrors: { code: string; message: string }[] };
  }>(createEmployeeMutation, {
    input: {
      email: `person${counter}.${process.pid}@example.com`,
      firstName: `First${counter}`,
      lastName: `Last${counter}`,
      jobTitle: 'Engineer',
      employmentType: 'FULL_TIME',
      hireDate: '2020-01-06',
      ...input,
    },
  });
  const payload = response.data?.createEmployee;
  if (!payload?.employee) {
    throw new Error(`hire failed: ${JSON.stringify(response.errors ?? payload?.userErrors)}`);
  }
  return payload.employee;
}
