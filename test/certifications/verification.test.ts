import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { addCertification, certificationMutation, createCatalogEntry, type CatalogEntryResult, type CertificationResult } from './fixtures.js';

// Verifying and rejecting (HR, never their own), and who sees what of a certification.
let app: TestApp;
let org: OrgBasics;
let hrPerson: CreatedEmployee;
let otherHr: CreatedEmployee;
let lead: CreatedEmployee;
let manager: CreatedEmployee;
let tech: CreatedEmployee;
let outsider: CreatedEmployee;
let ccna: CatalogEntryResult;
let azure: CatalogEntryResult;
let asHr: Record<string, string>;
let asOtherHr: Record<string, string>;
let asTech: Record<string, string>;
let asManager: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  hrPerson = await hire(app, { ...place, departmentId: org.departments.people });
  otherHr = await hire(app, { ...place, departmentId: org.departments.people });
  lead = await hire(app, place);
  manager = await hire(app, { ...place, managerId: lead.id });
  tech = await hire(app, { ...place, managerId: manager.id });
  outsider = await hire(app, place);
  asHr = await app.as({ roles: ['HR Staff'], email: hrPerson.email });
  asOtherHr = await app.as({ roles: ['HR Manager'], email: otherHr.email });
  asTech = await app.as({ roles: [], email: tech.email });
  asManager = await app.as({ roles: ['Manager'], email: manager.email });
  ccna = await createCatalogEntry(app, { name: 'Cisco Certified Network Associate', code: 'CCNA', validityMonths: 36 });
  azure = await createCatalogEntry(app, { name: 'Azure Administrator Associate', code: 'AZ-104', validityMonths: 12 });
});

afterAll(async () => {
  await app?.close();
});

describe('verifying', () => {
  let record: CertificationResult;

  beforeAll(async () => {
    record = await addCertification(app, { employeeId: tech.id, catalogEntryId: ccna.id, issuedOn: '2026-01-10', credentialId: 'CSCO-1' }, asTech);
  });

  it('the employee cannot verify their own', async () => {
    const response = await certificationMutation(app, 'verify', { id: record.id }, asTech);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a Manager cannot verify, not even for their report', async () => {
    const response = await certificationMutation(app, 'verify', { id: record.id }, asManager);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reject = await certificationMutation(app, 'reject', { id: record.id, comment: 'no' }, asManager);
    expect(reject.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('PSA cannot verify', async () => {
    const response = await certificationMutation(app, 'verify', { id: record.id }, serviceHeaders.psa);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('HR can: recorded with who and when', async () => {
    const response = await certificationMutation(app, 'verify', { id: record.id, comment: 'Checked on Cisco\'s site' }, asHr);
    expect(response.data?.result.userErrors).toEqual([]);
    expect(response.data?.result.certification?.verification).toEqual({
      state: 'VERIFIED',
      decidedBy: { id: hrPerson.id },
      decidedAt: '2026-06-15T12:00:00.000Z',
      comment: 'Checked on Cisco\'s site',
    });
  });

  it('verifying twice is a CONFLICT; an unknown id CERTIFICATION_NOT_FOUND', async () => {
    const again = await certificationMutation(app, 'verify', { id: record.id }, asHr);
    expect(again.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    const unknown = await certificationMutation(app, 'verify', { id: '00000000-0000-4000-8000-000000000000' }, asHr);
    expect(unknown.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CERTIFICATION_NOT_FOUND' })]);
  });

  it('HR cannot verify or reject their own, nor record their own as verified; another HR person can', async () => {
    const own = await addCertification(app, { employeeId: hrPerson.id, catalogEntryId: azure.id, issuedOn: '2026-02-01' }, asHr);
    const verify = await certificationMutation(app, 'verify', { id: own.id }, asHr);
    expect(verify.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reject = await certificationMutation(app, 'reject', { id: own.id, comment: 'hm' }, asHr);
    expect(reject.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const addVerified = await certificationMutation(app, 'add', { employeeId: hrPerson.id, catalogEntryId: ccna.id, issuedOn: '2026-02-01', verify: true }, asHr);
    expect(addVerified.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const renewVerified = await certificationMutation(app, 'renew', { id: own.id, issuedOn: '2026-03-01', verify: true }, asHr);
    expect(renewVerified.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byColleague = await certificationMutation(app, 'verify', { id: own.id }, asOtherHr);
    expect(byColleague.data?.result.certification?.verification).toMatchObject({ state: 'VERIFIED', decidedBy: { id: otherHr.id } });
  });

  it('refuses to verify a renewed or a removed record (CONFLICT)', async () => {
    const employee = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.berlin });
    const old = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2025-01-10' });
    await certificationMutation(app, 'renew', { id: old.id, issuedOn: '2026-01-10' });
    const renewed = await certificationMutation(app, 'verify', { id: old.id }, asHr);
    expect(renewed.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'id'] })]);
    const removedOne = await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2026-01-10' });
    await certificationMutation(app, 'remove', { id: removedOne.id });
    const removed = await certificationMutation(app, 'verify', { id: removedOne.id }, asHr);
    expect(removed.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
  });
});

describe('rejecting', () => {
  let record: CertificationResult;

  beforeAll(async () => {
    record = await addCertification(app, { employeeId: tech.id, catalogEntryId: azure.id, issuedOn: '2026-03-01', credentialId: 'MS-42', evidenceUrl: 'https://example.com/ms' }, asTech);
  });

  it('needs a comment (REQUIRED)', async () => {
    for (const comment of [undefined, '   ']) {
      const response = await certificationMutation(app, 'reject', { id: record.id, comment }, asHr);
      expect(response.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'comment'] })]);
    }
  });

  it('with one: REJECTED, and the comment is for HR, the employee and those above them only', async () => {
    const response = await certificationMutation(app, 'reject', { id: record.id, comment: 'The transcript shows a different name' }, asHr);
    expect(response.data?.result.certification?.verification).toMatchObject({ state: 'REJECTED', decidedBy: { id: hrPerson.id } });
    const query = `query($id: ID!) { certification(id: $id) { id status verification { state comment } } }`;
    type One = { certification: { verification: { state: string; comment: string | null } } | null };
    for (const headers of [asTech, asManager, await app.as({ roles: [], email: lead.email }), asOtherHr]) {
      const seen = await app.gql<One>(query, { id: record.id }, headers);
      expect(seen.data?.certification?.verification).toEqual({ state: 'REJECTED', comment: 'The transcript shows a different name' });
    }
    for (const headers of [await app.as({ roles: ['Viewer'], email: 'viewer@people.test' }), await app.as({ roles: ['Manager'], email: outsider.email }), serviceHeaders.psa]) {
      const seen = await app.gql<One>(query, { id: record.id }, headers);
      expect(seen.errors).toBeUndefined();
      expect(seen.data?.certification?.verification).toEqual({ state: 'REJECTED', comment: null });
    }
  });

  it('a rejected record can still be verified later (new evidence)', async () => {
    const response = await certificationMutation(app, 'verify', { id: record.id }, asOtherHr);
    expect(response.data?.result.certification?.verification).toMatchObject({ state: 'VERIFIED', decidedBy: { id: otherHr.id }, comment: null });
  });
});

describe('who sees certifications', () => {
  const listQuery = /* GraphQL */ `
    query($id: ID!) { employee(id: $id) { id certifications { id status expiresOn catalogEntry { name } verification { state } } } }
  `;
  const sensitiveQuery = /* GraphQL */ `
    query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Employee { id certifications { id status expiresOn credentialId evidenceUrl } } } }
  `;
  type Entities = { _entities: { id: string; certifications: { status: string; expiresOn: string | null; credentialId: string | null; evidenceUrl: string | null }[] | null }[] };

  it('PSA sees status and expiry; credentialId and evidenceUrl are FORBIDDEN at their path', async () => {
    const response = await app.gql<Entities>(sensitiveQuery, { representations: [{ __typename: 'Employee', id: tech.id }] }, serviceHeaders.psa);
    const certifications = response.data?._entities[0]?.certifications ?? [];
    expect(certifications.map((c) => [c.status, c.expiresOn])).toEqual([
      ['ACTIVE', '2027-03-01'],
      ['ACTIVE', '2029-01-10'],
    ]);
    expect(certifications.every((c) => c.credentialId === null && c.evidenceUrl === null)).toBe(true);
    const forbiddenPaths = (response.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => error.path?.join('.'));
    expect(forbiddenPaths.sort()).toEqual([
      '_entities.0.certifications.0.credentialId',
      '_entities.0.certifications.0.evidenceUrl',
      '_entities.0.certifications.1.credentialId',
      '_entities.0.certifications.1.evidenceUrl',
    ]);
  });

  it('the employee, HR and the managers above them see the credential id and evidence', async () => {
    for (const headers of [asTech, asHr, asManager, await app.as({ roles: [], email: lead.email })]) {
      const response = await app.gql<Entities>(sensitiveQuery, { representations: [{ __typename: 'Employee', id: tech.id }] }, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data?._entities[0]?.certifications?.map((c) => c.credentialId)).toEqual(['MS-42', 'CSCO-1']);
    }
  });

  it('Viewers and Managers elsewhere see the list, not the credential id', async () => {
    for (const headers of [await app.as({ roles: ['Viewer'], email: 'viewer@people.test' }), await app.as({ roles: ['Manager'], email: outsider.email })]) {
      const list = await app.gql<{ employee: { certifications: unknown[] | null } }>(listQuery, { id: tech.id }, headers);
      expect(list.errors).toBeUndefined();
      expect(list.data?.employee.certifications).toHaveLength(2);
      const sensitive = await app.gql<Entities>(sensitiveQuery, { representations: [{ __typename: 'Employee', id: tech.id }] }, headers);
      expect(sensitive.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    }
  });

  it('Defend and Legal are FORBIDDEN; a colleague without a role sees nothing', async () => {
    const record = (await app.gql<{ employee: { certifications: { id: string }[] } }>(listQuery, { id: tech.id })).data?.employee.certifications[0];
    for (const headers of [serviceHeaders.defend, serviceHeaders.legal]) {
      const one = await app.gql<{ certification: unknown }>(`query($id: ID!) { certification(id: $id) { id } }`, { id: record?.id }, headers);
      expect(one.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(one.data?.certification ?? null).toBeNull();
    }
    const defend = await app.gql<Entities>(sensitiveQuery, { representations: [{ __typename: 'Employee', id: tech.id }] }, serviceHeaders.defend);
    expect(defend.errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toContainEqual(['FORBIDDEN', '_entities.0.certifications']);
    expect(defend.data?._entities[0]?.certifications).toBeNull();

    const asColleague = await app.as({ roles: [], email: outsider.email });
    const list = await app.gql<{ employee: { certifications: unknown[] | null } }>(listQuery, { id: tech.id }, asColleague);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(list.data?.employee.certifications).toBeNull();
    const one = await app.gql<{ certification: unknown }>(`query($id: ID!) { certification(id: $id) { id } }`, { id: record?.id }, asColleague);
    expect(one.errors).toBeUndefined();
    expect(one.data?.certification).toBeNull();
  });
});
