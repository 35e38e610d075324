import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, testAdmin, type TestApp } from '../support/server.js';
import { startDefendSubgraph, type DefendSubgraph } from '../../examples/subgraphs/defend.js';
import { startPsaSubgraph, type PsaSubgraph } from '../../examples/subgraphs/psa.js';
import { peopleSubgraph, startGateway, type RunningGateway } from './supergraph.js';

// People, PSA and Defend composed into one supergraph behind a real Apollo Gateway, all over HTTP.
// Today (the test clock) is 2026-06-15.

let app: TestApp | undefined;
let psa: PsaSubgraph | undefined;
let defend: DefendSubgraph | undefined;
let gateway: RunningGateway | undefined;
let org: OrgBasics;
let ada: CreatedEmployee;
let grace: CreatedEmployee;
let katherine: CreatedEmployee;
let mary: CreatedEmployee;
let linus: CreatedEmployee;
let alan: CreatedEmployee;

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('not started');
  return value;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const engineering = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  ada = await hire(app, {
    ...engineering,
    email: 'ada.lovelace@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    jobTitle: 'Chief Executive Officer',
    hireDate: '2015-01-05',
  });
  grace = await hire(app, {
    ...engineering,
    email: 'grace.hopper@example.com',
    firstName: 'Grace',
    lastName: 'Hopper',
    jobTitle: 'VP Engineering',
    managerId: ada.id,
    hireDate: '2016-03-01',
  });
  katherine = await hire(app, {
    ...engineering,
    email: 'katherine.johnson@example.com',
    firstName: 'Katherine',
    lastName: 'Johnson',
    jobTitle: 'Engineering Manager',
    managerId: grace.id,
    hireDate: '2018-09-03',
  });
  mary = await hire(app, {
    departmentId: org.departments.sales,
    locationId: org.locations.newYork,
    email: 'mary.jackson@example.com',
    firstName: 'Mary',
    lastName: 'Jackson',
    jobTitle: 'Account Executive',
    managerId: ada.id,
    hireDate: '2019-02-04',
  });
  linus = await hire(app, {
    ...engineering,
    email: 'linus.dev@example.com',
    firstName: 'Linus',
    preferredName: 'Lin',
    lastName: 'Torvalds',
    jobTitle: 'Senior Engineer',
    managerId: grace.id,
    hireDate: '2020-01-06',
  });
  // Linus moved to Katherine's team on 2026-01-01: before that day his manager was Grace.
  const moved = await app.gql<{ updateEmployee: { employee: { id: string } | null; userErrors: unknown[] } }>(
    `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id } userErrors { code message } } }`,
    { input: { id: linus.id, managerId: katherine.id, effectiveDate: '2026-01-01' } },
  );
  expect(moved.errors).toBeUndefined();
  expect(moved.data?.updateEmployee.userErrors).toEqual([]);
  // Starts in the autumn: PRE_HIRE today.
  alan = await hire(app, {
    ...engineering,
    email: 'alan.turing@example.com',
    firstName: 'Alan',
    lastName: 'Turing',
    jobTitle: 'Engineer',
    managerId: katherine.id,
    hireDate: '2026-09-01',
  });
  expect(alan.status).toBe('PRE_HIRE');

  [psa, defend] = await Promise.all([startPsaSubgraph(), startDefendSubgraph()]);
  psa.setTechnicians([
    { id: 't1', name: 'Lin (field support)', employeeId: linus.id },
    { id: 't2', name: 'Alan (onboarding)', employeeId: alan.id },
    { id: 't3', name: 'Outside contractor', employeeId: null },
    { id: 't4', name: 'Departed technician', employeeId: randomUUID() },
    { id: 't5', name: 'Legacy import', employeeId: 'legacy-42' },
    { id: 't6', name: 'Mary (sales engineering)', employeeId: mary.id },
  ]);
  defend.setAlerts([
    { id: 'a1', login: 'ada.lovelace@example.com', severity: 'LOW' },
    // Same person as linus.dev@example.com: the email key ignores letter case.
    { id: 'a2', login: 'Linus.Dev@EXAMPLE.com', severity: 'HIGH' },
    { id: 'a3', login: 'nobody@example.com', severity: 'CRITICAL' },
    { id: 'a4', login: 'MARY.JACKSON@example.com', severity: 'MEDIUM' },
  ]);
  gateway = await startGateway([
    peopleSubgraph(app.url),
    { name: psa.name, typeDefs: psa.typeDefs, url: psa.url },
    { name: defend.name, typeDefs: defend.typeDefs, url: defend.url },
  ]);
});

afterAll(async () => {
  // Front to back: the gateway first, then the subgraphs it calls, then People and its database.
  await gateway?.close();
  await Promise.all([psa?.close(), defend?.close()]);
  await app?.close();
});

describe('supergraph', () => {
  it('composes People with PSA and Defend, joining Employee by both keys', () => {
    const sdl = started(gateway).supergraphSdl;
    expect(sdl).toMatch(/type Employee\s[^{]*@join__type\(graph: PEOPLE, key: "id"\)/);
    expect(sdl).toMatch(/@join__type\(graph: PEOPLE, key: "email"\)/);
    expect(sdl).toMatch(/@join__type\(graph: PSA, key: "id", resolvable: false\)/);
    expect(sdl).toMatch(/@join__type\(graph: DEFEND, key: "email", resolvable: false\)/);
  });
});

describe('through the gateway', () => {
  it('resolves PSA technicians to People employees by id', async () => {
    const response = await started(gateway).gql<{ technicians: unknown[] }>(`{
      technicians {
        name
        employee { displayName jobTitle status }
      }
    }`, undefined, serviceHeaders.psa);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.technicians).toEqual([
      {
        name: 'Lin (field support)',
        employee: {
          displayName: 'Lin Torvalds',
          jobTitle: 'Senior Engineer',
          status: 'ACTIVE',
        },
      },
      {
        name: 'Alan (onboarding)',
        employee: {
          displayName: 'Alan Turing',
          jobTitle: 'Engineer',
          status: 'PRE_HIRE',
        },
      },
      { name: 'Outside contractor', employee: null },
      // An id People does not know, and one that is not even a UUID: null, and no error.
      { name: 'Departed technician', employee: null },
      { name: 'Legacy import', employee: null },
      {
        name: 'Mary (sales engineering)',
        employee: {
          displayName: 'Mary Jackson',
          jobTitle: 'Account Executive',
          status: 'ACTIVE',
        },
      },
    ]);
  });

  it('resolves Defend alerts to People employees by e-mail, in any letter case', async () => {
    const response = await started(gateway).gql<{ alerts: unknown[] }>(`{
      alerts {
        login
        severity
        employee {
          displayName
          department { name }
          manager(asOf: "2025-12-31") { email }
          status
        }
      }
    }`, undefined, serviceHeaders.defend);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.alerts).toEqual([
      {
        login: 'ada.lovelace@example.com',
        severity: 'LOW',
        employee: { displayName: 'Ada Lovelace', department: { name: 'Engineering' }, manager: null, status: 'ACTIVE' },
      },
      {
        login: 'Linus.Dev@EXAMPLE.com',
        severity: 'HIGH',
        // On 2025-12-31 Linus still reported to Grace (he moved to Katherine on 2026-01-01).
        employee: {
          displayName: 'Lin Torvalds',
          department: { name: 'Engineering' },
          manager: { email: 'grace.hopper@example.com' },
          status: 'ACTIVE',
        },
      },
      { login: 'nobody@example.com', severity: 'CRITICAL', employee: null },
      {
        login: 'MARY.JACKSON@example.com',
        severity: 'MEDIUM',
        employee: {
          displayName: 'Mary Jackson',
          department: { name: 'Sales' },
          manager: { email: 'ada.lovelace@example.com' },
          status: 'ACTIVE',
        },
      },
    ]);
  });

  it('reads the manager for the day asked, and for today without asOf', async () => {
    const response = await started(gateway).gql<{ alerts: unknown[] }>(`{
      alerts {
        login
        employee { id then: manager(asOf: "2025-12-31") { id } now: manager { id } }
      }
    }`, undefined, serviceHeaders.defend);
    expect(response.errors).toBeUndefined();
    expect(response.data?.alerts).toContainEqual({
      login: 'Linus.Dev@EXAMPLE.com',
      employee: { id: linus.id, then: { id: grace.id }, now: { id: katherine.id } },
    });
  });

  it('mixes both subgraphs and plain People queries in one operation', async () => {
    const response = await started(gateway).gql<{
      employee: { displayName: string; directReports: { displayName: string }[] } | null;
      technicians: { employee: { displayName: string } | null }[];
      alerts: { employee: { id: string } | null }[];
    }>(
      `query($id: ID!) {
        employee(id: $id) { displayName directReports { displayName } }
        technicians { employee { displayName } }
        alerts { employee { id } }
      }`,
      { id: katherine.id },
      await started(app).as(testAdmin),
    );
    expect(response.errors).toBeUndefined();
    // Alan is PRE_HIRE under Katherine; Linus reports to her since 2026-01-01.
    expect(response.data?.employee?.displayName).toBe('Katherine Johnson');
    expect(response.data?.employee?.directReports.map((report) => report.displayName).sort()).toEqual([
      'Alan Turing',
      'Lin Torvalds',
    ]);
    expect(response.data?.technicians.map((technician) => technician.employee?.displayName ?? null)).toEqual([
      'Lin Torvalds',
      'Alan Turing',
      null,
      null,
      null,
      'Mary Jackson',
    ]);
    // Defend only knows the e-mail, so the id comes from People (and is null for an unknown login).
    expect(response.data?.alerts.map((alert) => alert.employee?.id ?? null)).toEqual([ada.id, linus.id, null, mary.id]);
  });

  it("keeps each service to its own fields: PSA sees no manager and nobody's personal data", async () => {
    const response = await started(gateway).gql<{ technicians: { employee: Record<string, unknown> | null }[] }>(
      `{ technicians { employee { displayName manager { id } personalEmail } } }`,
      undefined,
      serviceHeaders.psa,
    );
    const first = response.data?.technicians[0]?.employee;
    expect(first).toEqual({ displayName: 'Lin Torvalds', manager: null, personalEmail: null });
    const codes = new Set(response.errors?.map((error) => error.extensions?.code));
    expect(codes).toEqual(new Set(['FORBIDDEN']));
    const unauthenticated = await started(gateway).gql(`{ technicians { employee { displayName } } }`);
    expect(unauthenticated.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a key-only selection from PSA itself, without asking People', async () => {
    const response = await started(gateway).gql<{ technicians: { employee: { id: string } | null }[] }>(
      `{ technicians { employee { id } } }`,
      undefined,
      serviceHeaders.psa,
    );
    expect(response.errors).toBeUndefined();
    // Federation semantics: `id` is PSA's own key field, so the stub is returned as PSA has it,
    // even where People has no such employee. Clients must ask for a People field to check.
    expect(response.data?.technicians.map((technician) => technician.employee?.id ?? null)).toEqual([
      linus.id,
      alan.id,
      null,
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'legacy-42',
      mary.id,
    ]);
  });
});
