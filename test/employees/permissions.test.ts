import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';

// The permission matrix of the README, cell by cell where it matters, over real HTTP.

let app: TestApp;
let head: CreatedEmployee; // manages lead, who manages member
let lead: CreatedEmployee;
let member: CreatedEmployee;
let outsider: CreatedEmployee; // in another branch

const people = {
  admin: { roles: ['Admin'], email: 'admin@people.test' },
  hrManager: { roles: ['HR Manager'], email: 'hr.manager@people.test' },
  hrStaff: { roles: ['HR Staff'], email: 'hr.staff@people.test' },
  viewer: { roles: ['Viewer'], email: 'viewer@people.test' },
} satisfies Record<string, TestIdentity>;

const asLead = (): TestIdentity => ({ roles: ['Manager'], email: lead.email });
const asMember = (): TestIdentity => ({ roles: [], email: member.email });
const asOutsider = (): TestIdentity => ({ roles: ['Manager'], email: outsider.email });

const personalQuery = /* GraphQL */ `
  query($id: ID!) { employee(id: $id) { displayName personalEmail dateOfBirth homeAddress { city } emergencyContact { name } } }
`;

async function gqlAs<T = Record<string, unknown>>(
  identity: TestIdentity | Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const headers = 'roles' in identity ? await app.as(identity as TestIdentity) : (identity as Record<string, string>);
  return app.gql<T>(query, variables, headers);
}

function forbiddenPaths(response: GraphQLResponse): string[] {
  return (response.errors ?? [])
    .filter((error) => error.extensions?.code === 'FORBIDDEN')
    .map((error) => (error.path ?? []).join('.'));
}

beforeAll(async () => {
  app = await startTestApp();
  const org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  const personal = {
    personalEmail: 'home@example.org',
    dateOfBirth: '1985-04-12',
    homeAddress: { line1: 'Weg 1', city: 'Potsdam', countryCode: 'DE' },
    emergencyContact: { name: 'Kim', phone: '+49 170 0000000' },
  };
  head = await hire(app, { ...place, hireDate: '2015-01-01', ...personal });
  lead = await hire(app, { ...place, hireDate: '2016-01-01', managerId: head.id, ...personal });
  member = await hire(app, { ...place, hireDate: '2017-01-01', managerId: lead.id, ...personal });
  outsider = await hire(app, { ...place, hireDate: '2017-01-01', managerId: head.id, ...personal });
});
afterAll(() => app.close());

describe('personal fields', () => {
  it.each([
    ['Admin', people.admin],
    ['HR Manager', people.hrManager],
    ['HR Staff', people.hrStaff],
  ])('are visible to %s', async (_label, identity) => {
    const response = await gqlAs(identity, personalQuery, { id: member.id });
    expect(response.errors).toBeUndefined();
    expect(response.data?.employee).toMatchObject({ personalEmail: 'home@example.org', homeAddress: { city: 'Potsdam' } });
  });

  it('are visible to the employee themself', async () => {
    const response = await gqlAs(asMember(), personalQuery, { id: member.id });
    expect(response.errors).toBeUndefined();
    expect(response.data?.employee).toMatchObject({ dateOfBirth: '1985-04-12', emergencyContact: { name: 'Kim' } });
  });

  it.each([
    ['a Viewer', () => people.viewer],
    ["the employee's own manager", asLead],
    ['another employee', asMember],
  ])('are null with FORBIDDEN at their path for %s, and the rest still answers', async (_label, identity) => {
    const target = identity === asMember ? lead.id : member.id;
    const response = await gqlAs<{ employee: Record<string, unknown> }>(identity(), personalQuery, { id: target });
    expect(response.status).toBe(200);
    expect(response.data?.employee).toEqual({
      displayName: expect.any(String),
      personalEmail: null,
      dateOfBirth: null,
      homeAddress: null,
      emergencyContact: null,
    });
    expect(forbiddenPaths(response).sort()).toEqual([
      'employee.dateOfBirth',
      'employee.emergencyContact',
      'employee.homeAddress',
      'employee.personalEmail',
    ]);
  });

  it('are refused to the PSA and Defend service keys, also through _entities', async () => {
    for (const headers of [serviceHeaders.psa, serviceHeaders.defend]) {
      const response = await gqlAs<{ _entities: ({ displayName: string; personalEmail: null } | null)[] }>(
        headers,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { displayName personalEmail } } }`,
        { r: [{ __typename: 'Employee', id: member.id }] },
      );
      expect(response.data?._entities[0]).toEqual({ displayName: expect.any(String), personalEmail: null });
      expect(forbiddenPaths(response)).toEqual(['_entities.0.personalEmail']);
    }
  });
});

describe('work fields', () => {
  const statusQuery = `query($id: ID!) { employee(id: $id) { status hireDate history { kind } } }`;

  it('are visible to a Manager for their direct and indirect reports only', async () => {
    const own = await gqlAs(asLead(), statusQuery, { id: member.id });
    expect(forbiddenPaths(own)).toEqual(['employee.history']);
    expect(own.data?.employee).toMatchObject({ status: 'ACTIVE', hireDate: '2017-01-01' });
    const indirect = await gqlAs({ roles: ['Manager'], email: head.email }, statusQuery, { id: member.id });
    expect(indirect.data?.employee).toMatchObject({ status: 'ACTIVE' });
    const other = await gqlAs(asOutsider(), statusQuery, { id: member.id });
    expect(forbiddenPaths(other).sort()).toEqual(['employee.hireDate', 'employee.history', 'employee.status']);
  });

  it('are hidden from a Viewer, who sees the directory', async () => {
    const response = await gqlAs(people.viewer, `query($id: ID!) { employee(id: $id) { displayName jobTitle manager { id } status } }`, {
      id: member.id,
    });
    expect(response.data?.employee).toEqual({ displayName: expect.any(String), jobTitle: 'Engineer', manager: { id: lead.id }, status: null });
    expect(forbiddenPaths(response)).toEqual(['employee.status']);
    const filtered = await gqlAs(people.viewer, `{ employees(filter: { status: [ON_LEAVE] }) { totalCount } }`);
    expect(filtered.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('give Defend status, manager and department but PSA only status', async () => {
    const query = `query($email: String!) { employeeByEmail(email: $email) { status manager { id } department { name } } }`;
    const defend = await gqlAs(serviceHeaders.defend, query, { email: member.email });
    expect(defend.errors).toBeUndefined();
    expect(defend.data?.employeeByEmail).toEqual({ status: 'ACTIVE', manager: { id: lead.id }, department: { name: 'Engineering' } });
    const psa = await gqlAs(serviceHeaders.psa, query, { email: member.email });
    expect(psa.data?.employeeByEmail).toEqual({ status: 'ACTIVE', manager: null, department: null });
    expect(forbiddenPaths(psa).sort()).toEqual(['employeeByEmail.department', 'employeeByEmail.manager']);
  });

  it('keep services out of the directory and the org chart', async () => {
    for (const headers of [serviceHeaders.psa, serviceHeaders.defend, serviceHeaders.legal]) {
      for (const query of ['{ employees { totalCount } }', '{ orgChart { depth } }', '{ departments { name } }', '{ locations { name } }']) {
        const response = await gqlAs(headers, query);
        expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      }
    }
    const legal = await gqlAs(serviceHeaders.legal, personalQuery, { id: member.id });
    expect(legal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('mutations', () => {
  const update = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { jobTitle preferredName manager { id } } userErrors { code } } }`;
  const status = `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { employee { status } userErrors { code } } }`;

  function code(response: GraphQLResponse): string | undefined {
    return response.errors?.[0]?.extensions?.code;
  }

  it('let a Manager change the job title of their report, but not of someone outside their team', async () => {
    const allowed = await gqlAs(asLead(), update, { input: { id: member.id, jobTitle: 'Senior Engineer' } });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toMatchObject({ updateEmployee: { employee: { jobTitle: 'Senior Engineer' }, userErrors: [] } });
    const outside = await gqlAs(asOutsider(), update, { input: { id: member.id, jobTitle: 'Boss' } });
    expect(code(outside)).toBe('FORBIDDEN');
    const notTheirs = await gqlAs(asLead(), update, { input: { id: member.id, personalEmail: 'x@example.org' } });
    expect(code(notTheirs)).toBe('FORBIDDEN');
    const statusChange = await gqlAs(asLead(), status, { input: { id: member.id, status: 'ON_LEAVE' } });
    expect(code(statusChange)).toBe('FORBIDDEN');
    // Moving a report out of the team is not the manager's call.
    expect(code(await gqlAs(asLead(), update, { input: { id: member.id, managerId: outsider.id } }))).toBe('FORBIDDEN');
    expect(code(await gqlAs(asLead(), update, { input: { id: member.id, managerId: null } }))).toBe('FORBIDDEN');
  });

  it('never let anyone change their own manager, job or status, HR included', async () => {
    const hrEmployee = await hire(app, {
      departmentId: (await app.gql<{ departments: { id: string }[] }>(`{ departments { id } }`)).data?.departments[0]?.id ?? '',
      locationId: (await app.gql<{ locations: { id: string }[] }>(`{ locations { id } }`)).data?.locations[0]?.id ?? '',
      managerId: head.id,
      hireDate: '2019-01-01',
    });
    const hr: TestIdentity = { roles: ['HR Manager'], email: hrEmployee.email };
    expect(code(await gqlAs(hr, update, { input: { id: hrEmployee.id, managerId: lead.id } }))).toBe('FORBIDDEN');
    expect(code(await gqlAs(hr, update, { input: { id: hrEmployee.id, jobTitle: 'CHRO' } }))).toBe('FORBIDDEN');
    expect(code(await gqlAs(hr, status, { input: { id: hrEmployee.id, status: 'ON_LEAVE' } }))).toBe('FORBIDDEN');
    // HR acting on someone else is fine.
    const other = await gqlAs(hr, update, { input: { id: outsider.id, jobTitle: 'Architect' } });
    expect(other.data).toMatchObject({ updateEmployee: { userErrors: [], employee: { jobTitle: 'Architect' } } });
  });

  it('let an employee update their own profile details, and nothing else', async () => {
    const own = await gqlAs(asMember(), update, { input: { id: member.id, preferredName: 'Mo', personalPhone: '+49 170 1111111' } });
    expect(own.data).toMatchObject({ updateEmployee: { userErrors: [], employee: { preferredName: 'Mo' } } });
    expect(code(await gqlAs(asMember(), update, { input: { id: member.id, managerId: head.id } }))).toBe('FORBIDDEN');
    expect(code(await gqlAs(asMember(), update, { input: { id: lead.id, preferredName: 'X' } }))).toBe('FORBIDDEN');
  });

  it('let only Admin and HR hire', async () => {
    const create = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id } } }`;
    const input = { email: 'x@example.com', firstName: 'X', lastName: 'Y', jobTitle: 'Z', departmentId: '00000000-0000-4000-8000-000000000000', locationId: '00000000-0000-4000-8000-000000000000', employmentType: 'FULL_TIME', hireDate: '2024-01-01' };
    for (const identity of [people.viewer, asLead()]) {
      expect(code(await gqlAs(identity, create, { input }))).toBe('FORBIDDEN');
    }
    for (const headers of [serviceHeaders.psa, serviceHeaders.defend]) {
      expect(code(await gqlAs(headers, create, { input }))).toBe('FORBIDDEN');
    }
  });

  it('record who made a change by Hub user id', async () => {
    const response = await gqlAs<{ employee: { history: { recordedBy: string }[] } }>(
      { roles: ['HR Staff'], email: 'staffer@people.test', hubUserId: 'hub-staffer-7' },
      `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { history { recordedBy } } } }`,
      { input: { id: outsider.id, workPhone: '+49 30 5555555' } },
    );
    expect(JSON.stringify(response.data)).toContain('user:hub-staffer-7');
  });
});
