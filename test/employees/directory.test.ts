import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

let app: TestApp;
let org: OrgBasics;
let ceo: CreatedEmployee;
let cto: CreatedEmployee;
let salesLead: CreatedEmployee;
let engineers: CreatedEmployee[];
let leaver: CreatedEmployee;

interface ListResult {
  employees: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; lastName: string; email: string } }[];
    nodes: { id: string }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const listQuery = /* GraphQL */ `
  query List($filter: EmployeeFilter, $sort: EmployeeSort, $first: Int, $after: String, $asOf: Date) {
    employees(filter: $filter, sort: $sort, first: $first, after: $after, asOf: $asOf) {
      totalCount
      edges { cursor node { id lastName email } }
      nodes { id }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

async function list(variables: Record<string, unknown>): Promise<ListResult['employees']> {
  const response = await app.gql<ListResult>(listQuery, variables);
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.employees;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const berlin = { locationId: org.locations.berlin };
  ceo = await hire(app, {
    ...berlin,
    departmentId: org.departments.people,
    firstName: 'Ada',
    lastName: 'Zimmer',
    jobTitle: 'Chief Executive Officer',
    hireDate: '2015-03-01',
  });
  cto = await hire(app, {
    ...berlin,
    departmentId: org.departments.engineering,
    firstName: 'Bruno',
    lastName: 'Yilmaz',
    jobTitle: 'Chief Technology Officer',
    managerId: ceo.id,
    hireDate: '2016-04-01',
  });
  salesLead = await hire(app, {
    locationId: org.locations.newYork,
    departmentId: org.departments.sales,
    firstName: 'Carla',
    lastName: 'Xavier',
    jobTitle: 'Head of Sales',
    managerId: ceo.id,
    hireDate: '2017-05-01',
    email: 'Carla.Xavier@Example.com',
  });
  engineers = [];
  const surnames = ['Adams', 'Baker', 'Clark', 'Davis', 'Evans', 'Fischer', "O'Brien", 'Garcia'];
  for (const [index, lastName] of surnames.entries()) {
    engineers.push(
      await hire(app, {
        ...berlin,
        departmentId: org.departments.engineering,
        firstName: `Eng${index}`,
        lastName,
        jobTitle: index % 2 === 0 ? 'Network Engineer' : 'Cloud Engineer',
        managerId: cto.id,
        hireDate: `2020-0${(index % 9) + 1}-10`,
        employmentType: index === 7 ? 'CONTRACTOR' : 'FULL_TIME',
      }),
    );
  }
  leaver = await hire(app, {
    ...berlin,
    departmentId: org.departments.engineering,
    firstName: 'Lee',
    lastName: 'Leaver',
    managerId: cto.id,
    hireDate: '2019-01-01',
  });
  const terminated = await app.gql(
    `mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code } } }`,
    { input: { id: leaver.id, status: 'TERMINATED', effectiveDate: '2026-01-31' } },
  );
  expect(terminated.data).toEqual({ changeEmployeeStatus: { userErrors: [] } });
});
afterAll(() => app.close());

describe('employee lookups', () => {
  it('finds an employee by id and answers null for unknown or malformed ids', async () => {
    const response = await app.gql<{ a: { id: string; displayName: string } | null; b: null; c: null }>(
      `query($id: ID!) {
        a: employee(id: $id) { id displayName }
        b: employee(id: "00000000-0000-4000-8000-000000000000") { id }
        c: employee(id: "not-a-uuid") { id }
      }`,
      { id: cto.id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ a: { id: cto.id, displayName: 'Bruno Yilmaz' }, b: null, c: null });
  });

  it('treats ids case-insensitively, as UUIDs are', async () => {
    const upper = cto.id.toUpperCase();
    const response = await app.gql<{
      employee: { id: string } | null;
      employees: { totalCount: number };
      orgChart: { employee: { id: string } }[];
      _entities: ({ id: string } | null)[];
    }>(
      `query($id: ID!, $reps: [_Any!]!) {
        employee(id: $id) { id }
        employees(filter: { managerId: $id }) { totalCount }
        orgChart(rootId: $id, depth: 0) { employee { id } }
        _entities(representations: $reps) { ... on Employee { id } }
      }`,
      { id: upper, reps: [{ __typename: 'Employee', id: upper }] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      employee: { id: cto.id },
      employees: { totalCount: 9 },
      orgChart: [{ employee: { id: cto.id } }],
      _entities: [{ id: cto.id }],
    });
  });

  it('finds an employee by e-mail regardless of case, and stores e-mail lower-cased', async () => {
    const response = await app.gql<{ employeeByEmail: { id: string; email: string } | null; none: null }>(
      `{ employeeByEmail(email: "  CARLA.xavier@example.COM ") { id email } none: employeeByEmail(email: "nobody@example.com") { id } }`,
    );
    expect(response.data).toEqual({
      employeeByEmail: { id: salesLead.id, email: 'carla.xavier@example.com' },
      none: null,
    });
  });

  it('answers the reporting chain to the top and direct reports in name order', async () => {
    const engineer = engineers[0];
    const response = await app.gql<{
      employee: { reportingChain: { id: string }[]; manager: { directReports: { lastName: string }[] } };
    }>(`query($id: ID!) { employee(id: $id) { reportingChain { id } manager { directReports { lastName } } } }`, {
      id: engineer?.id,
    });
    expect(response.data?.employee.reportingChain.map((e) => e.id)).toEqual([cto.id, ceo.id]);
    const names = response.data?.employee.manager.directReports.map((e) => e.lastName) ?? [];
    expect(names).toEqual([...names].sort());
    expect(names).toContain('Leaver');
    expect(names).toHaveLength(9);
  });

  it('lists departments and locations', async () => {
    const response = await app.gql<{ departments: { name: string }[]; locations: { timezone: string }[] }>(
      `{ departments { name code } locations { name timezone countryCode city } }`,
    );
    expect(response.data?.departments.map((d) => d.name)).toEqual(['Engineering', 'People', 'Sales']);
    expect(response.data?.locations.map((l) => l.timezone)).toEqual(['Europe/Berlin', 'America/New_York']);
  });
});

describe('employees connection', () => {
  it('counts everyone and filters by status, department, location and employment type', async () => {
    expect((await list({})).totalCount).toBe(12);
    expect((await list({ filter: { status: ['TERMINATED'] } })).nodes.map((n) => n.id)).toEqual([leaver.id]);
    expect((await list({ filter: { status: ['ACTIVE'] } })).totalCount).toBe(11);
    expect((await list({ filter: { departmentIds: [org.departments.sales] } })).nodes.map((n) => n.id)).toEqual([
      salesLead.id,
    ]);
    expect((await list({ filter: { locationIds: [org.locations.newYork] } })).totalCount).toBe(1);
    expect((await list({ filter: { employmentTypes: ['CONTRACTOR'] } })).totalCount).toBe(1);
    expect((await list({ filter: { departmentIds: ['not-a-uuid'] } })).totalCount).toBe(0);
  });

  it('evaluates filters as of a past day', async () => {
    // On 2025-12-31 the leaver was still active.
    const before = await list({ filter: { status: ['ACTIVE'] }, asOf: '2025-12-31' });
    expect(before.totalCount).toBe(12);
    // Nobody existed before the CEO's hire date.
    expect((await list({ filter: { status: ['ACTIVE'] }, asOf: '2015-01-01' })).totalCount).toBe(0);
  });

  it('filters by direct and indirect reports of a manager', async () => {
    expect((await list({ filter: { managerId: ceo.id } })).totalCount).toBe(2);
    expect((await list({ filter: { managerId: ceo.id, includeIndirectReports: true } })).totalCount).toBe(11);
    expect((await list({ filter: { managerId: 'nope' } })).totalCount).toBe(0);
  });

  it('searches names, e-mail, employee number and title, all words, case-insensitively', async () => {
    expect((await list({ filter: { search: 'network' } })).totalCount).toBe(4);
    expect((await list({ filter: { search: 'NETWORK adams' } })).nodes.map((n) => n.id)).toEqual([engineers[0]?.id]);
    expect((await list({ filter: { search: "o'brien" } })).totalCount).toBe(1);
    expect((await list({ filter: { search: 'carla.xavier@' } })).totalCount).toBe(1);
    // LIKE wildcards are literal.
    expect((await list({ filter: { search: '%' } })).totalCount).toBe(0);
    expect((await list({ filter: { search: engineers[1]?.employeeNumber } })).totalCount).toBe(1);
  });

  it('sorts by each field in both directions', async () => {
    const byName = (await list({ first: 100 })).edges.map((e) => e.node.lastName);
    expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : 1)));
    const byNameDesc = (await list({ first: 100, sort: { field: 'NAME', direction: 'DESC' } })).edges.map(
      (e) => e.node.lastName,
    );
    expect(byNameDesc).toEqual([...byName].reverse());
    const byEmail = (await list({ first: 100, sort: { field: 'EMAIL' } })).edges.map((e) => e.node.email);
    expect(byEmail).toEqual([...byEmail].sort());
    const byHire = await app.gql<{ employees: { nodes: { hireDate: string }[] } }>(
      `{ employees(first: 100, sort: { field: HIRE_DATE, direction: DESC }) { nodes { hireDate } } }`,
    );
    const hireDates = byHire.data?.employees.nodes.map((n) => n.hireDate) ?? [];
    expect(hireDates[0]).toBe('2020-08-10');
    expect(hireDates).toEqual([...hireDates].sort().reverse());
  });

  it('pages with cursors: no overlap, no gap, correct page info at both ends', async () => {
    for (const sort of [
      { field: 'NAME', direction: 'ASC' },
      { field: 'HIRE_DATE', direction: 'DESC' },
      { field: 'EMPLOYEE_NUMBER', direction: 'ASC' },
    ]) {
      const everyone = (await list({ first: 100, sort })).nodes.map((n) => n.id);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await list({ first: 5, after, sort });
        pages += 1;
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(page.totalCount).toBe(12);
        seen.push(...page.nodes.map((n) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(everyone);
    }
  });

  it('answers an empty page for first: 0 and after the last item', async () => {
    const zero = await list({ first: 0 });
    expect(zero.edges).toEqual([]);
    expect(zero.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
    expect(zero.totalCount).toBe(12);
    const all = await list({ first: 100 });
    const end = await list({ first: 10, after: all.pageInfo.endCursor });
    expect(end.edges).toEqual([]);
    expect(end.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a page size over 100 or below 0, and foreign or broken cursors, as BAD_USER_INPUT', async () => {
    for (const variables of [
      { first: 101 },
      { first: -1 },
      { after: 'garbage' },
      { after: (await list({ first: 1 })).pageInfo.endCursor, sort: { field: 'EMAIL' } },
    ]) {
      const response = await app.gql(listQuery, variables);
      expect(response.status).toBe(200);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(response.errors)).not.toMatch(/stack|at .*\.ts/);
    }
  });
});

describe('org chart', () => {
  it('builds the tree from the top, leaving out people who have left', async () => {
    const response = await app.gql<{
      orgChart: {
        employee: { id: string };
        depth: number;
        directReportCount: number;
        reports: { employee: { id: string }; depth: number; reports: { employee: { id: string } }[] }[];
      }[];
    }>(`{ orgChart(depth: 5) { employee { id } depth directReportCount reports { employee { id } depth reports { employee { id } } } } }`);
    expect(response.errors).toBeUndefined();
    const [root] = response.data?.orgChart ?? [];
    expect(response.data?.orgChart).toHaveLength(1);
    expect(root?.employee.id).toBe(ceo.id);
    expect(root?.depth).toBe(0);
    expect(root?.directReportCount).toBe(2);
    const ctoNode = root?.reports.find((node) => node.employee.id === cto.id);
    expect(ctoNode?.depth).toBe(1);
    expect(ctoNode?.reports.map((node) => node.employee.id).sort()).toEqual(engineers.map((e) => e.id).sort());
    expect(JSON.stringify(response.data)).not.toContain(leaver.id);
  });

  it('starts at a given root and stops at the requested depth', async () => {
    const response = await app.gql<{
      orgChart: { employee: { id: string }; directReportCount: number; reports: unknown[] }[];
    }>(`query($root: ID!) { orgChart(rootId: $root, depth: 0) { employee { id } directReportCount reports { depth } } }`, {
      root: cto.id,
    });
    expect(response.data?.orgChart).toEqual([{ employee: { id: cto.id }, directReportCount: 8, reports: [] }]);
  });

  it('includes the leaver when asked about a day they were employed', async () => {
    const response = await app.gql(`query($root: ID!) { orgChart(rootId: $root, depth: 1, asOf: "2025-06-01") { reports { employee { id } } } }`, {
      root: cto.id,
    });
    expect(JSON.stringify(response.data)).toContain(leaver.id);
  });

  it('refuses a depth outside 0..20', async () => {
    const response = await app.gql(`{ orgChart(depth: 21) { depth } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('batching', () => {
  const wideQuery = /* GraphQL */ `
    query($first: Int, $manager: ID) {
      employees(first: $first, filter: { managerId: $manager }) {
        nodes {
          displayName status jobTitle timezone
          department { name } location { name }
          manager { displayName department { name } }
          directReports { id }
          reportingChain { id }
          personalEmail
          history { kind }
          createdAt updatedAt
        }
      }
    }
  `;

  it('sends the same number of SQL statements for 2 employees as for 9', async () => {
    const few = await app.countStatements(async () => {
      const response = await app.gql(wideQuery, { first: 2, manager: cto.id });
      expect(response.errors).toBeUndefined();
    });
    const many = await app.countStatements(async () => {
      const response = await app.gql<{ employees: { nodes: unknown[] } }>(wideQuery, { first: 9, manager: cto.id });
      expect(response.data?.employees.nodes).toHaveLength(9);
    });
    expect(many).toBe(few);
    // One per kind of data asked for (the record's timestamps are their own, see EmployeeRecord).
    expect(many).toBeLessThanOrEqual(11);
  });

  it('builds a whole org chart in a constant number of statements', async () => {
    const shallow = await app.countStatements(() => app.gql(`{ orgChart(depth: 1) { employee { jobTitle } reports { employee { jobTitle } } } }`));
    const deep = await app.countStatements(() =>
      app.gql(`{ orgChart(depth: 5) { employee { jobTitle } reports { employee { jobTitle } reports { employee { jobTitle } } } } }`),
    );
    expect(deep).toBe(shallow);
  });
});

// Last in the file: it changes people the tests above count.
describe('search after a change', () => {
  const update = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code message } } }`;
  async function change(input: Record<string, unknown>): Promise<void> {
    const response = await app.gql(update, { input });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ updateEmployee: { userErrors: [] } });
  }
  const ids = async (search: string, asOf?: string) => (await list({ filter: { search }, ...(asOf ? { asOf } : {}) })).nodes.map((n) => n.id);

  it("answers when the employee's record was created and last changed, the change moving updatedAt on", async () => {
    const times = async () => {
      const response = await app.gql<{ employee: { createdAt: string; updatedAt: string } }>(`query($id: ID!) { employee(id: $id) { createdAt updatedAt } }`, {
        id: engineers[6]?.id,
      });
      expect(response.errors).toBeUndefined();
      if (!response.data) throw new Error('no data');
      return { createdAt: Date.parse(response.data.employee.createdAt), updatedAt: Date.parse(response.data.employee.updatedAt) };
    };
    const before = await times();
    expect(before.createdAt).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(before.updatedAt).toBeGreaterThanOrEqual(before.createdAt);
    await change({ id: engineers[6]?.id, workPhone: '+49 30 1234 5678' });
    const after = await times();
    expect(after.createdAt).toBe(before.createdAt);
    expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
  });

  it('finds by first name and preferred name too', async () => {
    expect(await ids('eng3')).toEqual([engineers[3]?.id]);
    await change({ id: engineers[2]?.id, preferredName: 'Quillon' });
    expect(await ids('QUILL')).toEqual([engineers[2]?.id]);
  });

  it('finds a changed name, e-mail or job title at once, and the old title only on the days it held', async () => {
    await change({ id: engineers[5]?.id, lastName: 'Vantongeren', email: 'eng5.renamed@example.com' });
    expect(await ids('vantongeren')).toEqual([engineers[5]?.id]);
    expect(await ids('fischer')).toEqual([]);
    expect(await ids('eng5.renamed@')).toEqual([engineers[5]?.id]);

    // engineers[4] was a Network Engineer; from today a Security Analyst.
    await change({ id: engineers[4]?.id, jobTitle: 'Security Analyst' });
    expect(await ids('analyst')).toEqual([engineers[4]?.id]);
    expect(await ids('network')).not.toContain(engineers[4]?.id);
    expect(await ids('network', '2026-06-14')).toContain(engineers[4]?.id);
    expect(await ids('analyst', '2026-06-14')).toEqual([]);
  });
});
