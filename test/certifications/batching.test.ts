import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { addCertification, certificationMutation, createCatalogEntry, type CatalogEntryResult } from './fixtures.js';

// Employee.certifications is batched across entities: what PSA asks for 3 employees costs the
// same SQL statements as for 30, whatever the arguments and nested fields.
let app: TestApp;
let org: OrgBasics;
let hrPerson: CreatedEmployee;
let lead: CreatedEmployee;
let ccna: CatalogEntryResult;
let azure: CatalogEntryResult;
const holders: CreatedEmployee[] = [];

const entitiesQuery = (sensitive: boolean) => /* GraphQL */ `
  query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Employee {
        id
        current: certifications {
          id status expiresOn statusAsOf ${sensitive ? 'credentialId evidenceUrl' : ''}
          catalogEntry { name code }
          employee { id }
          verification { state decidedAt comment decidedBy { id } }
          renewedFrom { id issuedOn renewedBy { id } }
          renewedBy { id }
        }
        past: certifications(activeOn: "2025-12-01", includeExpired: true) { id status catalogEntry { name } }
      }
    }
  }
`;

interface Entities {
  _entities: { id: string; current: { id: string; renewedFrom: { id: string } | null; verification: { decidedBy: { id: string } | null } }[]; past: { status: string }[] }[];
}

async function addHolder(): Promise<CreatedEmployee> {
  const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, managerId: lead.id });
  const asHr = await app.as({ roles: ['HR Staff'], email: hrPerson.email });
  const old = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2023-03-01', credentialId: `C-${employee.id}` });
  await certificationMutation(app, 'renew', { id: old.id, issuedOn: '2026-03-01' });
  await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2025-11-01', verify: true }, asHr);
  holders.push(employee);
  return employee;
}

async function statementsFor(count: number, headers: Record<string, string>, sensitive: boolean): Promise<number> {
  const representations = holders.slice(0, count).map((holder) => ({ __typename: 'Employee', id: holder.id }));
  return app.countStatements(async () => {
    const response = await app.gql<Entities>(entitiesQuery(sensitive), { representations }, headers);
    expect(response.errors).toBeUndefined();
    const entities = response.data?._entities ?? [];
    expect(entities).toHaveLength(count);
    for (const entity of entities) {
      expect(entity.current).toHaveLength(2);
      expect(entity.current.filter((c) => c.renewedFrom !== null)).toHaveLength(1);
      expect(entity.current.filter((c) => c.verification.decidedBy?.id === hrPerson.id)).toHaveLength(1);
      // On 1 December 2025 only the Azure record was held (the current CCNA was issued in March).
      expect(entity.past.map((c) => c.status)).toEqual(['ACTIVE']);
    }
  });
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  hrPerson = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin });
  lead = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
  ccna = await createCatalogEntry(app, { name: 'Cisco Certified Network Associate', code: 'CCNA', validityMonths: 36 });
  azure = await createCatalogEntry(app, { name: 'Azure Administrator Associate', code: 'AZ-104', validityMonths: 12 });
  for (let index = 0; index < 30; index += 1) await addHolder();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('Employee.certifications through _entities', () => {
  it('costs PSA the same statements for 3 employees as for 30', async () => {
    const few = await statementsFor(3, serviceHeaders.psa, false);
    const many = await statementsFor(30, serviceHeaders.psa, false);
    expect(many).toBe(few);
    // Entities, certifications, renewals, renewed-from records, catalog, decided-by: a handful, not per employee.
    expect(few).toBeLessThanOrEqual(8);
  });

  it('costs HR and a manager above them (who see credential ids) the same for 3 as for 30', async () => {
    const asHr = await app.as({ roles: ['HR Manager'], email: hrPerson.email });
    expect(await statementsFor(30, asHr, true)).toBe(await statementsFor(3, asHr, true));
    const asLead = await app.as({ roles: ['Manager'], email: lead.email });
    expect(await statementsFor(30, asLead, true)).toBe(await statementsFor(3, asLead, true));
  });
});
