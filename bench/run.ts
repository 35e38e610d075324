import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createAuthentication } from '../src/auth/authentication.js';
import { resolveSecrets } from '../src/auth/dev-secrets.js';
import { signHubStyleToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { createPeopleServer, type PeopleServer } from '../src/server/app.js';
import { addDays, calendarDateIn, type Clock } from '../src/shared/dates.js';
import { openBenchDatabase, type BenchDatabase } from './database.js';
import { compare, formatComparison, type ABRead } from './floor-compare.js';
import { startFloorServer } from './floor.js';
import { loadBenchOrganisation, type BenchOrganisation } from './dataset.js';
import { formatTable, measure, type MeasureOptions, type Scenario, type ScenarioResult } from './measure.js';

/*
 * `npm run bench`: builds an organisation of BENCH_EMPLOYEES people, starts the real People HTTP
 * server on loopback and times its hot paths over HTTP, one request at a time. See README
 * "Benchmarks". Everything is bounded: fixed iteration counts, a time budget per scenario and a
 * timeout per request.
 */

function wholeNumberFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number between ${min} and ${max} (got "${raw}").`);
  }
  return value;
}

const settings = {
  employees: wholeNumberFromEnv('BENCH_EMPLOYEES', 5000, 10, 200_000),
  iterations: wholeNumberFromEnv('BENCH_ITERATIONS', 30, 1, 10_000),
  warmups: wholeNumberFromEnv('BENCH_WARMUPS', 3, 0, 1000),
  scenarioSeconds: wholeNumberFromEnv('BENCH_SCENARIO_SECONDS', 12, 1, 3600),
  databaseUrl: process.env.BENCH_DATABASE_URL?.trim() || undefined,
  /** Only scenarios whose name contains this text (case-insensitive). */
  only: process.env.BENCH_ONLY?.trim().toLowerCase() || undefined,
  /** People against the hand-written floor (PostgreSQL only): on unless BENCH_FLOOR=0. */
  floor: process.env.BENCH_FLOOR?.trim() !== '0',
  floorRounds: wholeNumberFromEnv('BENCH_FLOOR_ROUNDS', 4, 1, 100),
  floorRoundSeconds: wholeNumberFromEnv('BENCH_FLOOR_SECONDS', 2, 1, 600),
  /** The growth table instead of the scenarios: 1k and 10k employees, 50k too with BENCH_GROWTH_50K=1. */
  growth: process.env.BENCH_GROWTH?.trim() === '1',
  growth50k: process.env.BENCH_GROWTH_50K?.trim() === '1',
};

const secrets = {
  PORTAL_SSO_SECRET: 'bench-portal-sso-secret-0123456789abcdef',
  SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
  INTEGRATION_KEY: 'bench-psa-integration-key-0123456789',
  DEFEND_SERVICE_KEY: 'bench-defend-service-key-0123456789',
} as const;

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------- answers, read without `any`

type Json = Record<string, unknown>;

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an object with "${name}"`);
  return (value as Json)[name];
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error('expected a list');
  return value;
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

function countOrgNodes(nodes: unknown[]): number {
  // The deepest level of the query does not select `reports`.
  return nodes.reduce<number>((total, node) => {
    const reports = field(node, 'reports');
    return total + 1 + (reports === undefined ? 0 : countOrgNodes(list(reports)));
  }, 0);
}

// ---------------------------------------------------------------- operations

const employeeCard = /* GraphQL */ `
  fragment Card on Employee {
    id
    displayName
    email
    jobTitle
    status
    department { id name }
    location { id name }
  }
`;

const directoryPage = /* GraphQL */ `
  query DirectoryPage($first: Int!, $after: String, $filter: EmployeeFilter) {
    employees(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          ...Card
          manager { id displayName jobTitle }
          directReports { id displayName }
        }
      }
    }
  }
  ${employeeCard}
`;

const searchPage = /* GraphQL */ `
  query Search($filter: EmployeeFilter!) {
    employees(first: 25, filter: $filter) {
      totalCount
      edges { node { ...Card manager { id displayName } } }
    }
  }
  ${employeeCard}
`;

const cursorsOnly = /* GraphQL */ `
  query Cursors($after: String) {
    employees(first: 25, after: $after) { pageInfo { hasNextPage endCursor } }
  }
`;

const profileWithChain = /* GraphQL */ `
  query Profile($id: ID!) {
    employee(id: $id) {
      ...Card
      hireDate
      manager { id displayName }
      reportingChain { id displayName jobTitle }
    }
  }
  ${employeeCard}
`;

/** The chart `aliases` times over (the operation cost refuses 5 of the whole chart), reports nested `depth` levels. */
function orgChartQuery(depth: number, aliases = 1): string {
  let nested = '';
  for (let level = 0; level < depth; level += 1) nested = `reports { ...Node ${nested} }`;
  const charts = Array.from({ length: aliases }, (_, index) => `${index === 0 ? '' : `chart${index}: `}orgChart(depth: $depth) { ...Node ${nested} }`);
  return /* GraphQL */ `
    query OrgChart($depth: Int!) { ${charts.join(' ')} }
    fragment Node on OrgChartNode {
      depth
      directReportCount
      employee { id displayName jobTitle department { name } location { name } }
    }
  `;
}

// What PSA asks for by id (profile fields only) and Defend by login (with the manager).
const entitiesById = /* GraphQL */ `
  query EntitiesById($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Employee { id email displayName jobTitle status timezone location { name } }
    }
  }
`;

const entitiesByEmail = /* GraphQL */ `
  query EntitiesByEmail($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Employee { id email displayName jobTitle status manager { id email } }
    }
  }
`;

// Certifications: what PSA shows on a technician's card, its skill matching, HR's report.
const entitiesWithCertifications = /* GraphQL */ `
  query EntitiesWithCertifications($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Employee { id certifications { catalogEntry { name code } expiresOn status } }
    }
  }
`;

// `first` is a variable, as clients send it; the operation cost counts it as it would a literal one.
const qualifiedEmployeesQuery = /* GraphQL */ `
  query Qualified($certifications: [String!]!, $from: Date, $to: Date, $first: Int!) {
    qualifiedEmployees(certifications: $certifications, match: ANY, availableFrom: $from, availableTo: $to, first: $first) {
      unknownCertifications
      employees {
        employee { id displayName email }
        matches { requested certification { catalogEntry { code } expiresOn status } }
      }
    }
  }
`;

const expiringReport = /* GraphQL */ `
  query Expiring($withinDays: Int!) {
    expiringCertifications(withinDays: $withinDays) {
      department { id name }
      certifications { id expiresOn status verification { state } employee { id displayName } catalogEntry { name } }
    }
  }
`;

const catalogSearch = /* GraphQL */ `
  query Catalog($search: String!) {
    certificationCatalog(search: $search) { id name code issuer validityMonths }
  }
`;

const updateJobTitle = /* GraphQL */ `
  mutation UpdateJobTitle($input: UpdateEmployeeInput!) {
    updateEmployee(input: $input) {
      employee { id jobTitle updatedAt }
      userErrors { code message }
    }
  }
`;

// ---------------------------------------------------------------- scenarios

/** What PSA matches on: an exam code and a tag (four networking entries), either will do. */
const matchNames = ['AZ-104', 'networking'];
const matchFirst = 500;
const expiringDays = 90;

async function fetchCursorBefore(url: string, headers: Record<string, string>, page: number): Promise<string | null> {
  let after: string | null = null;
  for (let current = 1; current < page; current += 1) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: cursorsOnly, variables: { after } }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as { data?: Json };
    const cursor = field(field(field(body.data, 'employees'), 'pageInfo'), 'endCursor');
    if (typeof cursor !== 'string') throw new Error(`no cursor after page ${current}`);
    after = cursor;
  }
  return after;
}

function buildScenarios(
  org: BenchOrganisation,
  today: string,
  admin: Record<string, string>,
  deepCursor: { page: number; after: string | null },
  orgChartMaxNodes: number,
): Scenario[] {
  const pageSize = Math.min(25, org.employeeCount);
  const representationCount = 1000;
  const pickIds = Array.from({ length: representationCount }, (_, index) => org.ids[(index * 7919) % org.ids.length] ?? org.ceoId);
  const idRepresentations = pickIds.map((id) => ({ __typename: 'Employee', id }));
  const emailRepresentations = Array.from({ length: representationCount }, (_, index) => ({
    __typename: 'Employee',
    email: org.emails[(index * 7919 + 13) % org.emails.length] ?? '',
  }));
  const checkEntities = (data: Json) => {
    const entities = list(data._entities);
    expectEqual('_entities length', entities.length, representationCount);
    if (entities.some((entity) => entity === null)) throw new Error('_entities: some representation resolved to null');
  };
  const psa = { 'x-integration-key': secrets.INTEGRATION_KEY };
  const certifiedCount = 500;
  const certifiedRepresentations = Array.from({ length: certifiedCount }, (_, index) => ({
    __typename: 'Employee',
    id: org.ids[(index * 7919) % org.ids.length] ?? org.ceoId,
  }));
  const expectedCertifications = certifiedRepresentations.reduce((total, { id }) => total + org.certifications.heldToday(id), 0);
  const qualified = org.certifications.qualifiedAny(matchNames);
  const { range } = org.timeOff;
  const available = new Set([...qualified].filter((id) => !org.timeOff.blockedInRange.has(id)));
  const checkQualified = (expected: ReadonlySet<string>) => (data: Json) => {
    const result = field(data, 'qualifiedEmployees');
    expectEqual('unknownCertifications', list(field(result, 'unknownCertifications')).length, 0);
    const employees = list(field(result, 'employees'));
    expectEqual('qualifiedEmployees length', employees.length, Math.min(matchFirst, expected.size));
    for (const entry of employees) {
      const id = field(field(entry, 'employee'), 'id');
      if (typeof id !== 'string' || !expected.has(id)) throw new Error(`qualifiedEmployees: ${String(id)} should not qualify`);
      if (list(field(entry, 'matches')).length === 0) throw new Error('qualifiedEmployees: an employee without matches');
    }
  };
  const searchText = 'azure administrator';

  // A fixed sequence of "random" employees, the same on every run.
  let state = 0x9e3779b9;
  const nextActive = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return org.activeIds[state % org.activeIds.length] ?? org.ceoId;
  };

  return [
    {
      name: 'baseline: { __typename } (auth + HTTP only)',
      headers: admin,
      request: () => ({ query: '{ __typename }' }),
    },
    {
      name: 'employees first page (25, nested)',
      headers: admin,
      request: () => ({ query: directoryPage, variables: { first: 25 } }),
      check: (data) => {
        const employees = field(data, 'employees');
        expectEqual('totalCount', field(employees, 'totalCount'), org.employeeCount);
        expectEqual('edges', list(field(employees, 'edges')).length, pageSize);
      },
    },
    {
      name: `employees search "${org.searchTerm}"`,
      headers: admin,
      request: () => ({ query: searchPage, variables: { filter: { search: org.searchTerm } } }),
      check: (data) => {
        const total = field(field(data, 'employees'), 'totalCount');
        if (typeof total !== 'number' || total < 1) throw new Error('search found nobody');
      },
    },
    {
      name: 'employees under CEO, indirect (25, nested)',
      headers: admin,
      request: () => ({
        query: directoryPage,
        variables: { first: 25, filter: { managerId: org.ceoId, includeIndirectReports: true } },
      }),
      check: (data) => expectEqual('totalCount', field(field(data, 'employees'), 'totalCount'), org.employeeCount - 1),
    },
    {
      name: `employees page ${deepCursor.page} via cursor (25, nested)`,
      headers: admin,
      request: () => ({ query: directoryPage, variables: { first: 25, after: deepCursor.after } }),
      check: (data) => {
        if (list(field(field(data, 'employees'), 'edges')).length === 0) throw new Error('deep page is empty');
      },
    },
    {
      name: `employee(id) + reportingChain (level ${org.maxLevel})`,
      headers: admin,
      request: () => ({ query: profileWithChain, variables: { id: org.deepestId } }),
      check: (data) => expectEqual('reportingChain', list(field(field(data, 'employee'), 'reportingChain')).length, org.maxLevel),
    },
    ...[3, 6].map(
      (depth): Scenario =>
        org.employedUpToLevel(depth) <= orgChartMaxNodes
          ? {
              name: `orgChart depth ${depth} (${org.employedUpToLevel(depth)} nodes)`,
              headers: admin,
              request: () => ({ query: orgChartQuery(depth), variables: { depth } }),
              check: (data) => expectEqual('org chart nodes', countOrgNodes(list(data.orgChart)), org.employedUpToLevel(depth)),
            }
          : {
              // Over ORG_CHART_MAX_NODES: found by the tree query, refused before any employee is loaded.
              name: `orgChart depth ${depth} (${org.employedUpToLevel(depth)} nodes > ${orgChartMaxNodes}): refused`,
              headers: admin,
              request: () => ({ query: orgChartQuery(depth), variables: { depth } }),
              expectedErrorCode: 'BAD_USER_INPUT',
            },
    ),
    {
      // Issue 9: five whole charts in one request held the process for seconds; now their cost is refused unrun.
      name: 'orgChart depth 20 five times over (aliases): refused by the operation cost',
      headers: admin,
      request: () => ({ query: orgChartQuery(7, 5), variables: { depth: 20 } }),
      expectedErrorCode: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: `_entities ${representationCount} ids (PSA key)`,
      headers: { 'x-integration-key': secrets.INTEGRATION_KEY },
      request: () => ({ query: entitiesById, variables: { representations: idRepresentations } }),
      check: checkEntities,
    },
    {
      name: `_entities ${representationCount} emails (Defend key)`,
      headers: { 'x-defend-service-key': secrets.DEFEND_SERVICE_KEY },
      request: () => ({ query: entitiesByEmail, variables: { representations: emailRepresentations } }),
      check: checkEntities,
    },
    {
      name: `certifications: _entities ${certifiedCount} ids with certifications (PSA key)`,
      headers: psa,
      request: () => ({ query: entitiesWithCertifications, variables: { representations: certifiedRepresentations } }),
      check: (data) => {
        const entities = list(data._entities);
        expectEqual('_entities length', entities.length, certifiedCount);
        const held = entities.reduce<number>((total, entity) => total + list(field(entity, 'certifications')).length, 0);
        expectEqual('certifications held', held, expectedCertifications);
      },
    },
    {
      name: `certifications: qualifiedEmployees ${matchNames.join('|')} ANY, first ${matchFirst} (PSA key)`,
      headers: psa,
      request: () => ({ query: qualifiedEmployeesQuery, variables: { certifications: matchNames, first: matchFirst } }),
      check: checkQualified(qualified),
    },
    {
      name: `certifications: qualifiedEmployees ${matchNames.join('|')} ANY, available 2 weeks (PSA key)`,
      headers: psa,
      request: () => ({ query: qualifiedEmployeesQuery, variables: { certifications: matchNames, from: range.from, to: range.to, first: matchFirst } }),
      check: checkQualified(available),
    },
    {
      name: `certifications: expiringCertifications withinDays ${expiringDays} (HR)`,
      headers: admin,
      request: () => ({ query: expiringReport, variables: { withinDays: expiringDays } }),
      check: (data) => {
        const groups = list(data.expiringCertifications);
        const total = groups.reduce<number>((sum, group) => sum + list(field(group, 'certifications')).length, 0);
        expectEqual('expiring certifications', total, org.certifications.expiringWithin(expiringDays));
      },
    },
    {
      name: `certifications: certificationCatalog search "${searchText}"`,
      headers: admin,
      request: () => ({ query: catalogSearch, variables: { search: searchText } }),
      check: (data) => {
        const names = list(data.certificationCatalog).map((entry) => field(entry, 'name'));
        expectEqual('catalog search', names.join(', '), org.certifications.catalogSearch(searchText).join(', '));
      },
    },
    {
      name: 'updateEmployee jobTitle (effective today)',
      headers: admin,
      request: (iteration) => ({
        query: updateJobTitle,
        variables: {
          input: { id: nextActive(), jobTitle: `Bench Title ${iteration}`, effectiveDate: today, reason: 'Benchmark' },
        },
      }),
      check: (data) => {
        const payload = field(data, 'updateEmployee');
        const errors = list(field(payload, 'userErrors'));
        if (errors.length > 0) throw new Error(`updateEmployee refused: ${JSON.stringify(errors)}`);
        const title = field(field(payload, 'employee'), 'jobTitle');
        if (typeof title !== 'string' || !title.startsWith('Bench Title ')) throw new Error('job title did not change');
      },
    },
  ];
}

function qualifiedSummary(org: BenchOrganisation): string {
  const qualified = org.certifications.qualifiedAny(matchNames);
  const available = [...qualified].filter((id) => !org.timeOff.blockedInRange.has(id)).length;
  return (
    `${matchNames.join('|')}: ${qualified.size} qualified, ${available} available in the range; ` +
    `${org.certifications.expiringWithin(expiringDays)} expiring within ${expiringDays} days`
  );
}

// ---------------------------------------------------------------- the floor (issue 14)

const psaTimeOffQuery = /* GraphQL */ `
  query PsaTimeOff($representations: [_Any!]!, $from: Date!, $to: Date!) {
    _entities(representations: $representations) {
      ... on Employee { id email displayName jobTitle status timeOff(from: $from, to: $to) { id status startDate endDate amount } }
    }
  }
`;

const defendLookupQuery = /* GraphQL */ `
  query DefendLookup($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Employee { id email displayName status manager { id email displayName } }
    }
  }
`;

const calendarQuery = /* GraphQL */ `
  query Calendar($from: Date!, $to: Date!) {
    timeOffCalendar(from: $from, to: $to) { id status startDate endDate amount employee { id displayName } }
  }
`;

/** The three reads of issue 14, each as People is asked and as the floor is. */
function floorReads(org: BenchOrganisation, today: string, peopleUrl: string, floorUrl: string): ABRead[] {
  const psa = { 'x-integration-key': secrets.INTEGRATION_KEY };
  const defend = { 'x-defend-service-key': secrets.DEFEND_SERVICE_KEY };
  const to = addDays(today, 29);
  const ids = Array.from({ length: Math.min(500, org.ids.length) }, (_, index) => org.ids[(index * 7919) % org.ids.length] ?? org.ceoId);
  // Someone with a manager: the middle of the organisation.
  const email = org.emails[Math.floor(org.emails.length / 2)] ?? '';
  const people = (body: unknown, headers: Record<string, string>) => ({ url: peopleUrl, path: '/graphql', headers, body });
  return [
    {
      name: 'PSA: _entities 500 ids + timeOff 30 days',
      people: people(
        { query: psaTimeOffQuery, variables: { representations: ids.map((id) => ({ __typename: 'Employee', id })), from: today, to } },
        psa,
      ),
      floor: { url: floorUrl, path: '/psa', headers: psa, body: { ids, from: today, to, today } },
    },
    {
      name: 'Defend: 1 employee by e-mail + status, manager',
      people: people({ query: defendLookupQuery, variables: { representations: [{ __typename: 'Employee', email }] } }, defend),
      floor: { url: floorUrl, path: '/defend', headers: defend, body: { email, today } },
    },
    {
      name: 'timeOffCalendar 30 days, everyone (PSA)',
      people: people({ query: calendarQuery, variables: { from: today, to } }, psa),
      floor: { url: floorUrl, path: '/calendar', headers: psa, body: { from: today, to } },
    },
  ];
}

/** The real People HTTP server on loopback over the bench database, with an Admin Hub token. */
async function startPeople(
  database: BenchDatabase,
  clock: Clock,
): Promise<{ server: PeopleServer; url: string; admin: Record<string, string>; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig({ NODE_ENV: 'production', ...secrets });
  const authentication = createAuthentication(config, database.handle.db, resolveSecrets(config));
  const server: PeopleServer = await createPeopleServer({
    database: database.handle,
    clock,
    logger: pino({ level: 'silent' }),
    production: true,
    maxBodyBytes: config.maxBodyBytes,
    authentication,
    auth: config.auth,
    graphql: config.graphql,
  });
  const url = await server.listen(0, '127.0.0.1');
  const token = await signHubStyleToken(secrets.PORTAL_SSO_SECRET, {
    hubUserId: 'hub-bench-admin',
    email: 'bench-admin@people.bench',
    roles: ['Admin'],
    issuer: config.auth.hubIssuer,
    audience: config.auth.hubAudience,
  });
  return { server, url, admin: { authorization: `Bearer ${token}` }, config };
}

const growthList = /* GraphQL */ `
  query GrowthList($first: Int!, $filter: EmployeeFilter!) {
    employees(first: $first, filter: $filter) { totalCount edges { node { id displayName jobTitle } } }
  }
`;

const growthReads = [
  'employees(first: 100, filter: { search }) (a few hits)',
  'orgChart(depth: 1)',
  'orgChart(depth: 6) (refused over ORG_CHART_MAX_NODES)',
  'employees(first: 25) under the CEO, indirect',
];

/**
 * The growth table (BENCH_GROWTH=1): the same small answers over a growing company, each size in
 * a fresh database. What should not grow with the company: a name search (a few hits) and the
 * first level of the org chart. Beside them, two that walk the whole tree (issue 14's targets at
 * 5k): the six-level chart (refused once over ORG_CHART_MAX_NODES) and everyone under the CEO.
 */
async function runGrowth(clock: Clock, today: string): Promise<string[]> {
  const sizes = [1000, 5000, 10_000, ...(settings.growth50k ? [50_000] : [])];
  const rows: { size: number; results: ScenarioResult[] }[] = [];
  for (const size of sizes) {
    const database = await openBenchDatabase(settings.databaseUrl);
    try {
      progress(`growth: loading ${size} employees`);
      const org = await loadBenchOrganisation(database.handle.db, { employees: size, today });
      const { server, url, admin, config } = await startPeople(database, clock);
      const maxNodes = config.graphql.orgChartMaxNodes;
      try {
        const options: MeasureOptions = {
          url,
          warmups: settings.warmups,
          iterations: settings.iterations,
          budgetMs: settings.scenarioSeconds * 1000,
          minIterations: Math.min(5, settings.iterations),
          requestTimeoutMs: 120_000,
          statementCount: () => database.handle.statementCount(),
        };
        const scenarios: Scenario[] = [
          {
            name: `employees(first: 100, filter: { search: "${org.searchTerm}" })`,
            headers: admin,
            request: () => ({ query: growthList, variables: { first: 100, filter: { search: org.searchTerm } } }),
            check: (data) => {
              const total = field(field(data, 'employees'), 'totalCount');
              if (typeof total !== 'number' || total < 1) throw new Error('search found nobody');
            },
          },
          {
            name: 'orgChart(depth: 1)',
            headers: admin,
            request: () => ({ query: orgChartQuery(1), variables: { depth: 1 } }),
            check: (data) => expectEqual('org chart nodes', countOrgNodes(list(data.orgChart)), org.employedUpToLevel(1)),
          },
          org.employedUpToLevel(6) <= maxNodes
            ? {
                name: 'orgChart(depth: 6)',
                headers: admin,
                request: () => ({ query: orgChartQuery(6), variables: { depth: 6 } }),
                check: (data) => expectEqual('org chart nodes', countOrgNodes(list(data.orgChart)), org.employedUpToLevel(6)),
              }
            : {
                name: `orgChart(depth: 6): ${org.employedUpToLevel(6)} nodes > ${maxNodes}, refused`,
                headers: admin,
                request: () => ({ query: orgChartQuery(6), variables: { depth: 6 } }),
                expectedErrorCode: 'BAD_USER_INPUT',
              },
          {
            name: 'employees(first: 25) under the CEO, indirect',
            headers: admin,
            request: () => ({ query: growthList, variables: { first: 25, filter: { managerId: org.ceoId, includeIndirectReports: true } } }),
            check: (data) => expectEqual('totalCount', field(field(data, 'employees'), 'totalCount'), org.employeeCount - 1),
          },
        ];
        const results: ScenarioResult[] = [];
        for (const scenario of scenarios) {
          progress(`growth ${size}: ${scenario.name}`);
          results.push(await measure(options, scenario));
        }
        rows.push({ size, results });
      } finally {
        await server.stop();
      }
    } finally {
      await database.drop();
    }
  }
  const header = ['read (p50 ms, one request at a time)', ...rows.map((row) => `${row.size / 1000}k`), 'SQL/request'];
  const table = growthReads.map((name, index) => [
    name,
    ...rows.map((row) => (row.results[index]?.p50 ?? 0).toFixed(1)),
    rows.map((row) => String(row.results[index]?.statementsMax ?? '')).join(' / '),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return ['Growth with the company (each size a fresh database):', '', line(header), rule, ...table.map(line)];
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          progress(`clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const today = calendarDateIn(new Date(), 'UTC');
    // A fixed day for the whole run, so a run across midnight stays consistent.
    const clock: Clock = { now: () => new Date(), today: () => today };

    if (settings.growth) {
      const growth = await runGrowth(clock, today);
      process.stdout.write(
        `${['', ...growth, '', `  database:  ${settings.databaseUrl ? new URL(settings.databaseUrl).host : 'PGlite (in memory)'}`, `  machine:   Node ${process.version}, ${os.cpus().length} CPU(s), ${os.platform()} ${os.arch()}`, ''].join('\n')}\n`,
      );
      return;
    }

    progress(settings.databaseUrl ? `creating a database on ${new URL(settings.databaseUrl).host}` : 'opening in-memory PGlite');
    const database: BenchDatabase = await openBenchDatabase(settings.databaseUrl);
    cleanups.push(() => database.drop());

    progress(`loading ${settings.employees} employees`);
    const loadStarted = performance.now();
    const org = await loadBenchOrganisation(database.handle.db, { employees: settings.employees, today });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    progress(`loaded in ${loadSeconds.toFixed(1)} s`);

    const { server, url, admin, config } = await startPeople(database, clock);
    cleanups.push(() => server.stop());

    const deepPage = Math.max(1, Math.min(20, Math.ceil(settings.employees / 25)));
    const deepCursor = { page: deepPage, after: await fetchCursorBefore(url, admin, deepPage) };

    const options: MeasureOptions = {
      url,
      warmups: settings.warmups,
      iterations: settings.iterations,
      budgetMs: settings.scenarioSeconds * 1000,
      minIterations: Math.min(5, settings.iterations),
      requestTimeoutMs: 120_000,
      statementCount: () => database.handle.statementCount(),
    };
    const results: ScenarioResult[] = [];
    const floorOnly = settings.only === 'floor';
    const scenarios = floorOnly
      ? []
      : buildScenarios(org, today, admin, deepCursor, config.graphql.orgChartMaxNodes).filter(
          (scenario) => !settings.only || scenario.name.toLowerCase().includes(settings.only),
        );
    if (scenarios.length === 0 && !floorOnly) throw new Error(`BENCH_ONLY="${settings.only ?? ''}" matches no scenario.`);
    for (const scenario of scenarios) {
      progress(`measuring: ${scenario.name}`);
      results.push(await measure(options, scenario));
    }

    let floorTable: string[] = [];
    if (settings.floor && (!settings.only || floorOnly)) {
      if (database.url === null) {
        floorTable = ['  floor: not run (it needs PostgreSQL: set BENCH_DATABASE_URL).'];
      } else {
        const floor = await startFloorServer(database.url, { integrationKey: secrets.INTEGRATION_KEY, defendKey: secrets.DEFEND_SERVICE_KEY });
        cleanups.push(() => floor.stop());
        const comparison = await compare(
          floorReads(org, today, url, floor.url),
          { concurrencies: [1, 16], rounds: settings.floorRounds, roundMs: settings.floorRoundSeconds * 1000, requestTimeoutMs: 120_000 },
          progress,
        );
        floorTable = [
          `People against the floor (bench/floor.ts: node:http, postgres.js, hand-written SQL; answers checked deep-equal first), ` +
            `${settings.floorRounds} alternating rounds of ${settings.floorRoundSeconds} s each per side:`,
          '',
          formatComparison(comparison),
        ];
      }
    }

    const lines = [
      '',
      'People benchmark',
      `  database:  ${database.description}`,
      `  dataset:   ${org.employeeCount} employees (${org.managerCount} managers, ${org.maxLevel + 1} levels), ` +
        `${org.departmentCount} departments, ${org.locationCount} locations; ` +
        `${org.changeRows} employee_changes and ${org.jobChangeRows} employee_job_changes rows ` +
        `(${org.laterChanges} later job changes, ${org.leavers} leavers, ${org.onLeave} on leave); loaded in ${loadSeconds.toFixed(1)} s`,
      `  time off:  ${org.timeOff.requests} requests (${org.timeOff.days} days), ${org.timeOff.holidays} holidays; ` +
        `availability range ${org.timeOff.range.from}..${org.timeOff.range.to} (${org.timeOff.blockedInRange.size} people off in it)`,
      `  certs:     ${org.certifications.catalogEntries} catalog entries; ${org.certifications.current} current certifications ` +
        `of ${org.certifications.holders} holders, ${org.certifications.renewed} renewed records; ` +
        `${qualifiedSummary(org)}`,
      `  runs:      ${settings.warmups} warm-ups, then up to ${settings.iterations} sequential requests per scenario ` +
        `(at most ${settings.scenarioSeconds} s each) over HTTP on ${url}`,
      `  machine:   Node ${process.version}, ${os.cpus().length} CPU(s), ${os.platform()} ${os.arch()}`,
      '  SQL/request counts every statement the server sent, including authentication (a Hub token costs 1-2);',
      '  one number: every measured request cost exactly that; "mean (min-max)": the count varied.',
      '',
      ...(results.length > 0 ? [formatTable(results), ''] : []),
      ...(floorTable.length > 0 ? [...floorTable, ''] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  () => {
    process.exitCode = 0;
    // Everything is closed; should a stray handle keep the loop alive, do not hang.
    setTimeout(() => process.exit(0), 5000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
