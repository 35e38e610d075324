import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCertification, createCatalogEntry } from '../certifications/fixtures.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp } from '../support/server.js';
import { createTimeOffBasics, decide, requestTimeOff } from '../timeoff/fixtures.js';
import { startPsaSubgraph, type PsaSubgraph } from '../../examples/subgraphs/psa.js';
import { peopleSubgraph, startGateway, type RunningGateway } from './supergraph.js';

// TimeOffRequest and Certification are entities (`@key(fields: "id")`): PSA keeps references to
// them, and People resolves each reference with the same permission checks as its root query
// (`timeOffRequest(id)`, `certification(id)`), batched. Straight to People's `_entities`, then
// through the gateway with the PSA example subgraph.

let app: TestApp | undefined;
let psa: PsaSubgraph | undefined;
let gateway: RunningGateway | undefined;
let lead: CreatedEmployee;
const technicians: CreatedEmployee[] = [];
const requestIds: string[] = [];
const certificationIds: string[] = [];
let privateRequestId: string;

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('not started');
  return value;
}

const requestEntities = /* GraphQL */ `
  query ($r: [_Any!]!) { _entities(representations: $r) { ... on TimeOffRequest { id status startDate endDate policy { name } } } }
`;
const requestRoot = /* GraphQL */ `
  query ($id: ID!) { timeOffRequest(id: $id) { id status startDate endDate policy { name } } }
`;
const certificationEntities = /* GraphQL */ `
  query ($r: [_Any!]!) { _entities(representations: $r) { ... on Certification { id issuedOn status catalogEntry { name } } } }
`;
const certificationRoot = /* GraphQL */ `
  query ($id: ID!) { certification(id: $id) { id issuedOn status catalogEntry { name } } }
`;

const reference = (typename: 'TimeOffRequest' | 'Certification', id: string) => ({ __typename: typename, id });

/** What one answer says, comparable between `_entities` and a root query: the record (or null) and the error codes. */
function outcome(response: GraphQLResponse<Record<string, unknown>>, pick: (data: Record<string, unknown>) => unknown) {
  return {
    status: response.status,
    value: response.data ? pick(response.data) : undefined,
    codes: (response.errors ?? []).map((error) => error.extensions?.code),
  };
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  const org = await createOrgBasics(app);
  const policies = await createTimeOffBasics(app, org);
  const base = { locationId: org.locations.berlin, departmentId: org.departments.engineering };
  lead = await hire(app, { ...base, firstName: 'Dispatch', lastName: 'Lead', email: 'dispatch.lead@example.com', hubUserId: 'hub-dispatch-lead' });
  for (let index = 0; index < 6; index += 1) {
    technicians.push(await hire(app, { ...base, managerId: lead.id, firstName: `Tech${index}`, lastName: 'Field', email: `tech${index}@example.com` }));
  }
  const entry = await createCatalogEntry(app, { name: 'CCNA 200-301', code: '200-301', tags: ['Cisco Certified'] });
  for (const [index, technician] of technicians.entries()) {
    const day = `2026-07-${String(6 + (index % 5)).padStart(2, '0')}`;
    const request = await requestTimeOff(app, { employeeId: technician.id, policyId: policies.vacation, startDate: day, endDate: day });
    const id = started(request.request?.id);
    expect((await decide(app, 'approve', { id })).payload?.userErrors).toEqual([]);
    requestIds.push(id);
    const certification = await addCertification(app, { employeeId: technician.id, catalogEntryId: entry.id, issuedOn: '2025-01-10', verify: true });
    certificationIds.push(certification.id);
  }
  const sick = await requestTimeOff(app, { employeeId: started(technicians[0]).id, policyId: policies.sick, startDate: '2026-07-13', endDate: '2026-07-13' });
  privateRequestId = started(sick.request?.id);

  psa = await startPsaSubgraph();
  gateway = await startGateway([peopleSubgraph(app.url), { name: psa.name, typeDefs: psa.typeDefs, url: psa.url }]);
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await psa?.close();
  await app?.close();
});

describe('_entities for TimeOffRequest and Certification', () => {
  it('resolves references as PSA sees them, with null for unknown and malformed ids', async () => {
    const requests = await started(app).gql<{ _entities: unknown[] }>(
      requestEntities,
      { r: [reference('TimeOffRequest', started(requestIds[0])), reference('TimeOffRequest', randomUUID()), reference('TimeOffRequest', 'not-a-uuid'), reference('TimeOffRequest', privateRequestId)] },
      serviceHeaders.psa,
    );
    expect(requests.errors).toBeUndefined();
    expect(requests.data?._entities).toEqual([
      { id: requestIds[0], status: 'APPROVED', startDate: '2026-07-06', endDate: '2026-07-06', policy: { name: 'Vacation' } },
      null,
      null,
      // A private policy's absence: PSA sees that the time is taken, not why.
      { id: privateRequestId, status: 'APPROVED', startDate: '2026-07-13', endDate: '2026-07-13', policy: null },
    ]);

    const certifications = await started(app).gql<{ _entities: unknown[] }>(
      certificationEntities,
      { r: [reference('Certification', started(certificationIds[1])), reference('Certification', randomUUID())] },
      serviceHeaders.psa,
    );
    expect(certifications.errors).toBeUndefined();
    expect(certifications.data?._entities).toEqual([
      { id: certificationIds[1], issuedOn: '2025-01-10', status: 'ACTIVE', catalogEntry: { name: 'CCNA 200-301' } },
      null,
    ]);
  });

  it('answers each caller as the root query does: the same record, null or error', async () => {
    const testApp = started(app);
    const callers: [string, Record<string, string> | undefined][] = [
      ['Admin', undefined],
      ['PSA', serviceHeaders.psa],
      ['Defend', serviceHeaders.defend],
      ['Legal', serviceHeaders.legal],
      ['their manager', await testApp.as({ roles: [], email: lead.email, hubUserId: 'hub-dispatch-lead' })],
      ['the employee', await testApp.as({ roles: [], email: started(technicians[0]).email })],
      ['another employee', await testApp.as({ roles: [], email: started(technicians[1]).email })],
      ['a Viewer', await testApp.as({ roles: ['Viewer'], email: 'viewer@example.com' })],
    ];
    const cases = [
      { id: started(requestIds[0]), typename: 'TimeOffRequest' as const, entities: requestEntities, root: requestRoot, field: 'timeOffRequest' },
      { id: privateRequestId, typename: 'TimeOffRequest' as const, entities: requestEntities, root: requestRoot, field: 'timeOffRequest' },
      { id: started(certificationIds[0]), typename: 'Certification' as const, entities: certificationEntities, root: certificationRoot, field: 'certification' },
    ];
    const seen = new Set<string>();
    for (const [who, headers] of callers) {
      for (const { id, typename, entities, root, field } of cases) {
        const viaRoot = outcome(await testApp.gql(root, { id }, headers), (data) => data[field]);
        const viaEntities = outcome(await testApp.gql(entities, { r: [reference(typename, id)] }, headers), (data) =>
          Array.isArray(data._entities) ? data._entities[0] : undefined,
        );
        expect(viaEntities, `${who}, ${typename} ${id}`).toEqual(viaRoot);
        seen.add(viaRoot.codes.length > 0 ? `error ${viaRoot.codes.join()}` : viaRoot.value === null ? 'null' : 'record');
      }
    }
    // The callers above meet every kind of answer: a record, null (not theirs to see) and FORBIDDEN.
    expect(seen).toEqual(new Set(['record', 'null', 'error FORBIDDEN']));
  });

  it('costs the same statements for 2 references as for 6 of each type', async () => {
    const testApp = started(app);
    const count = (size: number) =>
      testApp.countStatements(async () => {
        const requests = await testApp.gql<{ _entities: unknown[] }>(requestEntities, { r: requestIds.slice(0, size).map((id) => reference('TimeOffRequest', id)) }, serviceHeaders.psa);
        expect(requests.errors).toBeUndefined();
        expect(requests.data?._entities.every((entity) => entity !== null)).toBe(true);
        const certifications = await testApp.gql<{ _entities: unknown[] }>(certificationEntities, { r: certificationIds.slice(0, size).map((id) => reference('Certification', id)) }, serviceHeaders.psa);
        expect(certifications.errors).toBeUndefined();
        expect(certifications.data?._entities.every((entity) => entity !== null)).toBe(true);
      });
    expect(await count(6)).toBe(await count(2));
  });
});

describe('PSA through the gateway', () => {
  it('follows its references to time-off requests and certifications into People', async () => {
    const [first, second] = technicians;
    started(psa).setTechnicians([
      { id: 't1', name: 'Technician 1', employeeId: started(first).id, timeOffRequestIds: [started(requestIds[0]), privateRequestId], routedOnCertificationId: started(certificationIds[0]) },
      { id: 't2', name: 'Technician 2', employeeId: started(second).id, timeOffRequestIds: [randomUUID()], routedOnCertificationId: null },
    ]);
    const response = await started(gateway).gql<{ technicians: unknown[] }>(
      /* GraphQL */ `
        {
          technicians {
            name
            scheduleBlocks { id status startDate policy { name } employee { displayName } }
            routedOnCertification { id status catalogEntry { name } employee { displayName } }
          }
        }
      `,
      {},
      serviceHeaders.psa,
    );
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.technicians).toEqual([
      {
        name: 'Technician 1',
        scheduleBlocks: [
          { id: requestIds[0], status: 'APPROVED', startDate: '2026-07-06', policy: { name: 'Vacation' }, employee: { displayName: 'Tech0 Field' } },
          { id: privateRequestId, status: 'APPROVED', startDate: '2026-07-13', policy: null, employee: { displayName: 'Tech0 Field' } },
        ],
        routedOnCertification: { id: certificationIds[0], status: 'ACTIVE', catalogEntry: { name: 'CCNA 200-301' }, employee: { displayName: 'Tech0 Field' } },
      },
      // A reference to a request People no longer has (or never had) resolves to null.
      { name: 'Technician 2', scheduleBlocks: [null], routedOnCertification: null },
    ]);
  });

  it('keeps Defend out of certifications through the gateway as in People', async () => {
    started(psa).setTechnicians([{ id: 't1', name: 'Technician 1', employeeId: null, routedOnCertificationId: started(certificationIds[0]) }]);
    const response = await started(gateway).gql<{ technicians: { routedOnCertification: unknown }[] }>(
      '{ technicians { name routedOnCertification { id status } } }',
      {},
      serviceHeaders.defend,
    );
    expect(response.data?.technicians[0]?.routedOnCertification).toBeNull();
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
