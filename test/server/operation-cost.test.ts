import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, testAdmin, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';

// The operation cost counts what variables say (`first`, `depth`, representations) and what the
// data could make of an org chart, and an operation over the limit is refused before it runs,
// whoever asks. The org chart itself is capped.

const viewer: TestIdentity = { roles: ['Viewer'], email: 'viewer@people.test', hubUserId: 'hub-test-viewer' };

/** What an org chart screen shows of each person. */
const chartNode = 'depth directReportCount employee { id displayName email jobTitle department { name } location { name } }';

function nestedReports(levels: number): string {
  return levels === 0 ? '' : `reports { ${chartNode} ${nestedReports(levels - 1)} }`;
}

/** `count` aliases of the whole org chart, `depth` passed as a variable, reports nested 7 levels below the root. */
function orgChartAliases(count: number): string {
  const aliases = Array.from({ length: count }, (_, index) => `chart${index}: orgChart(depth: $depth) { ${chartNode} ${nestedReports(7)} }`);
  return `query Charts($depth: Int!) { ${aliases.join(' ')} }`;
}

interface ChartNode {
  employee: { id: string };
  reports?: ChartNode[];
}

function countNodes(nodes: readonly ChartNode[]): number {
  return nodes.reduce((total, node) => total + 1 + countNodes(node.reports ?? []), 0);
}

function expectRefusedForCost(response: GraphQLResponse): void {
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  const error = response.errors?.[0];
  expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(error?.message).toMatch(/^Refused before running: this operation costs \d+, over the limit of 100000\./);
  expect(Number(error?.extensions?.cost)).toBeGreaterThan(100000);
  expect(error?.extensions?.maxCost).toBe(100000);
}

/** A chief, two managers under them and two people under each: seven people, three levels. */
async function hireSmallOrganisation(app: TestApp, org: OrgBasics) {
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  const chief = await hire(app, { ...place, jobTitle: 'Chief' });
  const managers: CreatedEmployee[] = [];
  for (let index = 0; index < 2; index += 1) {
    const manager = await hire(app, { ...place, jobTitle: 'Manager', managerId: chief.id });
    managers.push(manager);
    for (let report = 0; report < 2; report += 1) await hire(app, { ...place, managerId: manager.id });
  }
  return { chief, managers };
}

describe('with the default limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    const org = await createOrgBasics(app);
    await hireSmallOrganisation(app, org);
  });
  afterAll(() => app.close());

  /** Statements the server ran for `query`, less those authenticating `identity` costs. */
  async function statementsBeyondSignIn(identity: TestIdentity, query: string, variables: Record<string, unknown>) {
    const headers = await app.as(identity);
    const signIn = await app.countStatements(() => app.gql('{ __typename }', {}, headers));
    let response: GraphQLResponse | undefined;
    const total = await app.countStatements(async () => {
      response = await app.gql(query, variables, headers);
    });
    return { response: response as GraphQLResponse, statements: total - signIn };
  }

  it('refuses a Viewer’s 5 aliases of the whole org chart (depth 20 as a variable) before running anything', async () => {
    const { response, statements } = await statementsBeyondSignIn(viewer, orgChartAliases(5), { depth: 20 });
    expectRefusedForCost(response);
    expect(statements).toBe(0);
  });

  it('refuses 29 aliases of it too, and refuses them to an Admin as to a Viewer', async () => {
    for (const identity of [viewer, testAdmin]) {
      const { response, statements } = await statementsBeyondSignIn(identity, orgChartAliases(29), { depth: 20 });
      expectRefusedForCost(response);
      expect(statements).toBe(0);
    }
    const admin = await statementsBeyondSignIn(testAdmin, orgChartAliases(5), { depth: 20 });
    expectRefusedForCost(admin.response);
  });

  it('still answers one org chart with the same selection, and the same query from a root with depth 0 (one node)', async () => {
    const one = await app.gql<{ chart0: ChartNode[] }>(orgChartAliases(1), { depth: 20 }, await app.as(viewer));
    expect(one.errors).toBeUndefined();
    expect(countNodes(one.data?.chart0 ?? [])).toBe(7);

    const root = one.data?.chart0[0]?.employee.id;
    const fromRoot = (count: number) =>
      `query($root: ID!) { ${Array.from({ length: count }, (_, index) => `c${index}: orgChart(rootId: $root, depth: 0) { ${chartNode} }`).join(' ')} }`;
    const many = await app.gql<Record<string, ChartNode[]>>(fromRoot(29), { root }, await app.as(viewer));
    expect(many.errors).toBeUndefined();
    expect(Object.values(many.data ?? {}).map((chart) => chart.length)).toEqual(Array.from({ length: 29 }, () => 1));
  });

  it('multiplies by `first` passed as a variable as by a literal one', async () => {
    const reports = (depth: number): string => (depth === 0 ? 'displayName' : `displayName directReports { ${reports(depth - 1)} }`);
    /** Ten pages of the directory with three levels of reports, `first` as written. */
    const tenPages = (first: string) =>
      Array.from({ length: 10 }, (_, index) => `p${index}: employees(first: ${first}) { nodes { ${reports(3)} } }`).join(' ');
    const headers = await app.as(viewer);
    expectRefusedForCost(await app.gql(`query($first: Int) { ${tenPages('$first')} }`, { first: 100 }, headers));
    expectRefusedForCost(await app.gql(`{ ${tenPages('100')} }`, {}, headers));
    const small = await app.gql(`query($first: Int) { ${tenPages('$first')} }`, { first: 5 }, headers);
    expect(small.errors).toBeUndefined();
  });

  it('counts a fragment or an inline fragment wherever it is spread, as if the fields were written out', async () => {
    const levels = 2;
    const branches = (inner: string) => `manager { ${inner} } directReports { ${inner} } reportingChain { ${inner} }`;
    let written = 'id';
    for (let level = 0; level < levels; level += 1) written = `id ${branches(written)}`;
    // graphql-armor's depth limit counts each fragment as a level: one inline fragment, at the top.
    const inline = `... on Employee { ${written} }`;
    const fragments = Array.from({ length: levels + 1 }, (_, level) =>
      level === levels ? `fragment F${level} on Employee { id }` : `fragment F${level} on Employee { id ${branches(`...F${level + 1}`)} }`,
    );
    const page = (selection: string) =>
      `query($first: Int) { ${Array.from({ length: 10 }, (_, index) => `p${index}: employees(first: $first) { nodes { ${selection} } }`).join(' ')} }`;
    const headers = await app.as(viewer);
    const costs: unknown[] = [];
    for (const query of [page(written), page(inline), `${page('...F0')} ${fragments.join(' ')}`]) {
      const response = await app.gql(query, { first: 100 }, headers);
      expectRefusedForCost(response);
      costs.push(response.errors?.[0]?.extensions?.cost);
    }
    expect(new Set(costs).size).toBe(1);
  });

  it('counts PSA’s `first` as a variable: 500 qualified technicians pass, the same with four levels of reports below each does not', async () => {
    const matches = 'matches { requested certification { id expiresOn status catalogEntry { name code } } }';
    const query = `query($first: Int) { qualifiedEmployees(certifications: ["AZ-104"], first: $first) { unknownCertifications employees { employee { id displayName email } ${matches} } } }`;
    const psa = await app.gql(query, { first: 500 }, serviceHeaders.psa);
    expect(psa.errors).toBeUndefined();
    expect(psa.data).toEqual({ qualifiedEmployees: { unknownCertifications: ['AZ-104'], employees: [] } });

    const reports = (depth: number): string => (depth === 0 ? 'displayName email jobTitle' : `displayName email jobTitle directReports { ${reports(depth - 1)} }`);
    const costly = `query($first: Int) { qualifiedEmployees(certifications: ["AZ-104"], first: $first) { employees { employee { ${reports(4)} } ${matches} } } }`;
    expectRefusedForCost(await app.gql(costly, { first: 500 }, serviceHeaders.psa));
  });

  it('lets the gateway resolve the most representations one `_entities` call takes, with certifications', async () => {
    const chart = await app.gql<{ orgChart: ChartNode[] }>(`{ orgChart(depth: 0) { employee { id } } }`);
    const id = chart.data?.orgChart[0]?.employee.id;
    const representations = Array.from({ length: app.config.graphql.maxEntityRepresentations }, () => ({ __typename: 'Employee', id }));
    const response = await app.gql<{ _entities: unknown[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { id email displayName jobTitle status timezone location { name } certifications { catalogEntry { name code } expiresOn status } } } }`,
      { r: representations },
      serviceHeaders.psa,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toHaveLength(representations.length);
  });
});

describe('with ORG_CHART_MAX_NODES set below the organisation’s size', () => {
  let app: TestApp;
  let managers: CreatedEmployee[];

  beforeAll(async () => {
    app = await startTestApp({ env: { ORG_CHART_MAX_NODES: '5' } });
    const org = await createOrgBasics(app);
    ({ managers } = await hireSmallOrganisation(app, org));
  });
  afterAll(() => app.close());

  it('refuses a chart of more people than that, saying how to narrow it, without loading them', async () => {
    let response: GraphQLResponse | undefined;
    const statements = await app.countStatements(async () => {
      response = await app.gql(`query($depth: Int) { orgChart(depth: $depth) { employee { id displayName } reports { employee { id } } } }`, { depth: 20 }, await app.as(viewer));
    });
    const error = response?.errors?.[0];
    expect(response?.data).toBeNull();
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.path).toEqual(['orgChart']);
    expect(error?.message).toBe(
      'This org chart has more than 5 people, the most one answer holds. Ask for a smaller `depth`, or start further down with `rootId`.',
    );
    // Signing in and the one query that found the chart too big; no employee record was read.
    const signIn = await app.countStatements(async () => app.gql('{ __typename }', {}, await app.as(viewer)));
    expect(statements - signIn).toBe(1);
  });

  it('answers the charts within it: fewer levels, or from a manager further down', async () => {
    const shallow = await app.gql<{ orgChart: ChartNode[] }>(`{ orgChart(depth: 1) { employee { id } reports { employee { id } } } }`);
    expect(shallow.errors).toBeUndefined();
    expect(countNodes(shallow.data?.orgChart ?? [])).toBe(3);

    const team = await app.gql<{ orgChart: ChartNode[] }>(
      `query($root: ID!) { orgChart(rootId: $root, depth: 20) { employee { id } reports { employee { id } reports { employee { id } } } } }`,
      { root: managers[0]?.id },
    );
    expect(team.errors).toBeUndefined();
    expect(countNodes(team.data?.orgChart ?? [])).toBe(3);
  });
});
