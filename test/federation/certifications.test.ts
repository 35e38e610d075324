import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { addCertification, createCatalogEntry } from '../certifications/fixtures.js';
import { createPolicy, requestTimeOff } from '../timeoff/fixtures.js';
import { startPsaSubgraph, type PsaSubgraph, type TechnicianData } from '../../examples/subgraphs/psa.js';
import { peopleSubgraph, startGateway, type RunningGateway } from './supergraph.js';

// PSA's resource view and skill routing through the real gateway with PSA's key: technicians
// (PSA) → Employee (People) → certifications and availability in one query, and qualifiedEmployees
// for a ticket needing "Cisco Certified". Today (the test clock) is Monday 2026-06-15; the job is
// Monday 6 to Wednesday 8 July 2026.

let app: TestApp | undefined;
let psa: PsaSubgraph | undefined;
let gateway: RunningGateway | undefined;
let org: OrgBasics;
const technicians: { employee: CreatedEmployee; technician: TechnicianData }[] = [];

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('not started');
  return value;
}

const from = '2026-07-06';
const to = '2026-07-08';

const resourceViewQuery = /* GraphQL */ `
  query ResourceView($from: Date!, $to: Date!) {
    technicians {
      name
      employee {
        displayName
        certifications(includeExpired: true) { catalogEntry { name code } expiresOn status }
        availability(from: $from, to: $to) { date state }
      }
    }
  }
`;

interface ResourceView {
  technicians: {
    name: string;
    employee: {
      displayName: string;
      certifications: { catalogEntry: { name: string; code: string | null }; expiresOn: string | null; status: string }[] | null;
      availability: { date: string; state: string }[];
    } | null;
  }[];
}

const routingQuery = /* GraphQL */ `
  query Route($skills: [String!]!, $from: Date!, $to: Date!) {
    qualifiedEmployees(certifications: $skills, match: ANY, activeThrough: $to, availableFrom: $from, availableTo: $to) {
      unknownCertifications
      employees { employee { id displayName } matches { requested certification { expiresOn status catalogEntry { code } } } }
    }
  }
`;

interface Routing {
  qualifiedEmployees: {
    unknownCertifications: string[];
    employees: { employee: { id: string; displayName: string }; matches: { requested: string; certification: { expiresOn: string | null; status: string; catalogEntry: { code: string | null } } }[] }[];
  };
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const ccna = await createCatalogEntry(app, {
    name: 'Cisco Certified Network Associate',
    issuer: 'Cisco',
    code: '200-301',
    aliases: ['CCNA'],
    validityMonths: 36,
    tags: ['networking', 'Cisco Certified'],
  });
  const azure = await createCatalogEntry(app, {
    name: 'Microsoft Certified: Azure Administrator Associate',
    issuer: 'Microsoft',
    code: 'AZ-104',
    aliases: ['Azure Administrator'],
    validityMonths: 12,
    tags: ['cloud', 'azure'],
  });
  const vacation = await createPolicy(app, { name: 'Vacation', approvalChain: [] });
  for (let index = 0; index < 12; index += 1) {
    const employee = await hire(app, {
      locationId: org.locations.berlin,
      departmentId: org.departments.engineering,
      firstName: `Tech${String(index).padStart(2, '0')}`,
      lastName: 'Field',
    });
    technicians.push({ employee, technician: { id: `t${index}`, name: `Technician ${index}`, employeeId: employee.id } });
    // Everyone holds an Azure certification; the first two a CCNA too, the third an expired one.
    await addCertification(started(app), { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2026-03-02', verify: true });
  }
  const [first, second, third] = technicians.map((entry) => entry.employee);
  if (!first || !second || !third) throw new Error('technicians not hired');
  await addCertification(app, { employeeId: first.id, catalogEntryId: ccna.id, issuedOn: '2024-09-01', verify: true });
  await addCertification(app, { employeeId: second.id, catalogEntryId: ccna.id, issuedOn: '2025-01-20', verify: true });
  await addCertification(app, { employeeId: third.id, catalogEntryId: ccna.id, issuedOn: '2023-01-10', verify: true });
  // The second CCNA holder is away on Tuesday (approved at once: the policy has no approvers).
  const trip = await requestTimeOff(app, { employeeId: second.id, policyId: vacation, startDate: '2026-07-07', endDate: '2026-07-07' });
  expect(trip.request?.status).toBe('APPROVED');
  // One technician is an outside contractor, not in People.
  technicians.push({ employee: first, technician: { id: 'contractor', name: 'Outside Contractor', employeeId: null } });

  psa = await startPsaSubgraph();
  gateway = await startGateway([peopleSubgraph(app.url), { name: psa.name, typeDefs: psa.typeDefs, url: psa.url }]);
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await psa?.close();
  await app?.close();
});

async function resourceView(entries: typeof technicians): Promise<{ result: ResourceView; statements: number }> {
  started(psa).setTechnicians(entries.map((entry) => entry.technician));
  let result: ResourceView | undefined;
  const statements = await started(app).countStatements(async () => {
    const response = await started(gateway).gql<ResourceView>(resourceViewQuery, { from, to }, serviceHeaders.psa);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    result = response.data ?? undefined;
  });
  return { result: started(result), statements };
}

describe('PSA reads certifications through the gateway', () => {
  it('gets each technician’s certifications with expiry and status, and availability, in one query', async () => {
    const { result } = await resourceView([...technicians.slice(0, 3), ...technicians.slice(-1)]);
    const [first, second, third, contractor] = result.technicians;
    const azure = { catalogEntry: { name: 'Microsoft Certified: Azure Administrator Associate', code: 'AZ-104' }, expiresOn: '2027-03-02', status: 'ACTIVE' };
    const ccna = (expiresOn: string, status: string) => ({ catalogEntry: { name: 'Cisco Certified Network Associate', code: '200-301' }, expiresOn, status });

    expect(first?.employee?.displayName).toBe('Tech00 Field');
    expect(first?.employee?.certifications).toEqual([ccna('2027-09-01', 'ACTIVE'), azure]);
    expect(second?.employee?.certifications).toEqual([ccna('2028-01-20', 'ACTIVE'), azure]);
    // PSA flags the expired one in its resource view.
    expect(third?.employee?.certifications).toEqual([ccna('2026-01-10', 'EXPIRED'), azure]);

    expect(first?.employee?.availability.map((day) => day.state)).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
    expect(second?.employee?.availability).toEqual([
      { date: '2026-07-06', state: 'AVAILABLE' },
      { date: '2026-07-07', state: 'OFF' },
      { date: '2026-07-08', state: 'AVAILABLE' },
    ]);
    expect(contractor).toEqual({ name: 'Outside Contractor', employee: null });
  });

  it('costs People the same number of SQL statements for 3 technicians as for 12', async () => {
    const twelve = technicians.slice(0, 12);
    await resourceView(twelve); // warm-up
    const three = await resourceView(twelve.slice(0, 3));
    const all = await resourceView(twelve);
    // The first three hold two certifications each, the others one.
    expect(all.result.technicians.map((technician) => technician.employee?.certifications?.length)).toEqual([2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(all.result.technicians.every((technician) => technician.employee?.availability.length === 3)).toBe(true);
    expect(three.statements).toBeGreaterThan(0);
    expect(all.statements).toBe(three.statements);
  });

  it('routes a ticket needing "Cisco Certified" to holders valid and available through the job', async () => {
    const response = await started(gateway).gql<Routing>(routingQuery, { skills: ['Cisco Certified', 'Juniper Wizard'], from, to }, serviceHeaders.psa);
    expect(response.errors).toBeUndefined();
    const routed = response.data?.qualifiedEmployees;
    expect(routed?.unknownCertifications).toEqual(['Juniper Wizard']);
    // The second holder is off on Tuesday; the third's CCNA has expired.
    expect(routed?.employees.map((entry) => entry.employee.displayName)).toEqual(['Tech00 Field']);
    expect(routed?.employees[0]?.matches).toEqual([
      { requested: 'Cisco Certified', certification: { expiresOn: '2027-09-01', status: 'ACTIVE', catalogEntry: { code: '200-301' } } },
    ]);
  });

  it('refuses skill matching to Defend through the gateway', async () => {
    const response = await started(gateway).gql<Routing>(routingQuery, { skills: ['CCNA'], from, to }, serviceHeaders.defend);
    expect(response.data?.qualifiedEmployees ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
