import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import {
  addCertification,
  certificationFields,
  certificationMutation,
  createCatalogEntry,
  tryAddCertification,
  type AddCertificationInput,
  type CatalogEntryResult,
  type CertificationResult,
} from './fixtures.js';

// Employees' certification records: adding (HR and self-service), default expiry, renewals and
// their history, corrections, removal, reading them as of a day, and every user error.
let app: TestApp;
let org: OrgBasics;
let hrPerson: CreatedEmployee;
let manager: CreatedEmployee;
let tech: CreatedEmployee;
let azure: CatalogEntryResult;
let ccna: CatalogEntryResult;
let itil: CatalogEntryResult;
let asHr: Record<string, string>;
let asTech: Record<string, string>;
let asManager: Record<string, string>;

const unknownId = '00000000-0000-4000-8000-000000000000';

const listQuery = /* GraphQL */ `
  query List($id: ID!, $activeOn: Date, $includeExpired: Boolean) {
    employee(id: $id) { certifications(activeOn: $activeOn, includeExpired: $includeExpired) { ${certificationFields} } }
  }
`;

async function listOf(employee: CreatedEmployee, args: { activeOn?: string; includeExpired?: boolean } = {}): Promise<CertificationResult[]> {
  const response = await app.gql<{ employee: { certifications: CertificationResult[] } }>(listQuery, { id: employee.id, ...args });
  expect(response.errors).toBeUndefined();
  return response.data?.employee.certifications ?? [];
}

const oneQuery = /* GraphQL */ `
  query One($id: ID!) { certification(id: $id) { ${certificationFields} renewedFrom { id renewedFrom { id } renewedBy { id } } } }
`;

async function one(id: string, headers?: Record<string, string>) {
  return app.gql<{ certification: (CertificationResult & { renewedFrom: { id: string; renewedFrom: { id: string } | null; renewedBy: { id: string } | null } | null }) | null }>(oneQuery, { id }, headers);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  hrPerson = await hire(app, { ...place, departmentId: org.departments.people });
  manager = await hire(app, place);
  tech = await hire(app, { ...place, managerId: manager.id });
  asHr = await app.as({ roles: ['HR Staff'], email: hrPerson.email });
  asTech = await app.as({ roles: [], email: tech.email });
  asManager = await app.as({ roles: ['Manager'], email: manager.email });
  azure = await createCatalogEntry(app, { name: 'Microsoft Certified: Azure Administrator Associate', code: 'AZ-104', validityMonths: 12 });
  ccna = await createCatalogEntry(app, { name: 'Cisco Certified Network Associate', code: 'CCNA', validityMonths: 36 });
  itil = await createCatalogEntry(app, { name: 'ITIL 4 Foundation', validityMonths: null });
});

afterAll(async () => {
  await app?.close();
});

describe('adding', () => {
  it('by HR: expiry defaults from the validity period (leap day clamps), unverified unless asked', async () => {
    const employee = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
    const added = await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2024-02-29', credentialId: ' AZ-1 ' }, asHr);
    // Issued 2024-02-29 with 12 months: expired on 2025-02-28's next day.
    expect(added).toMatchObject({ issuedOn: '2024-02-29', expiresOn: '2025-02-28', status: 'EXPIRED', credentialId: 'AZ-1' });
    expect(added.verification).toEqual({ state: 'UNVERIFIED', decidedAt: null, comment: null, decidedBy: null });
    const never = await addCertification(app, { employeeId: employee.id, catalogEntryId: itil.id, issuedOn: '2020-05-01' }, asHr);
    expect(never).toMatchObject({ expiresOn: null, status: 'ACTIVE' });
  });

  it('by HR with verify: verified by them at once', async () => {
    const added = await addCertification(app, { employeeId: tech.id, catalogEntryId: ccna.id, issuedOn: '2025-09-01', verify: true }, asHr);
    expect(added).toMatchObject({ expiresOn: '2028-09-01', status: 'ACTIVE', employee: { id: tech.id }, catalogEntry: { id: ccna.id } });
    expect(added.verification).toMatchObject({ state: 'VERIFIED', decidedBy: { id: hrPerson.id } });
    expect(added.verification.decidedAt).toBe('2026-06-15T12:00:00.000Z');
  });

  it('by the employee for themself: unverified; asking to verify is FORBIDDEN; others\' records are FORBIDDEN', async () => {
    const own = await addCertification(app, { employeeId: tech.id, catalogEntryId: itil.id, issuedOn: '2026-01-10', evidenceUrl: 'https://example.com/itil.pdf' }, asTech);
    expect(own).toMatchObject({ status: 'ACTIVE', evidenceUrl: 'https://example.com/itil.pdf', verification: { state: 'UNVERIFIED' } });
    const selfVerify = await certificationMutation(app, 'add', { employeeId: tech.id, catalogEntryId: azure.id, issuedOn: '2026-01-10', verify: true }, asTech);
    expect(selfVerify.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forOther = await certificationMutation(app, 'add', { employeeId: manager.id, catalogEntryId: azure.id, issuedOn: '2026-01-10' }, asTech);
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // A Manager does not record their reports' certifications; HR does.
    const byManager = await certificationMutation(app, 'add', { employeeId: tech.id, catalogEntryId: azure.id, issuedOn: '2026-01-10' }, asManager);
    expect(byManager.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await listOf(tech)).map((c) => c.catalogEntry.id)).not.toContain(azure.id);
  });

  it('lists the employee\'s certifications by catalog name', async () => {
    expect((await listOf(tech)).map((c) => c.catalogEntry.name)).toEqual(['Cisco Certified Network Associate', 'ITIL 4 Foundation']);
  });

  const refusals: [string, Partial<AddCertificationInput>, string][] = [
    ['EXPIRES_BEFORE_ISSUED', { issuedOn: '2026-01-10', expiresOn: '2026-01-09' }, 'expiresOn'],
    ['INVALID_VALUE', { issuedOn: '2026-06-16' }, 'issuedOn'],
    ['INVALID_VALUE', { issuedOn: '2026-01-10', evidenceUrl: 'javascript:alert(1)' }, 'evidenceUrl'],
    ['CATALOG_ENTRY_NOT_FOUND', { issuedOn: '2026-01-10', catalogEntryId: unknownId }, 'catalogEntryId'],
    ['CATALOG_ENTRY_NOT_FOUND', { issuedOn: '2026-01-10', catalogEntryId: 'not-an-id' }, 'catalogEntryId'],
    ['EMPLOYEE_NOT_FOUND', { issuedOn: '2026-01-10', employeeId: unknownId }, 'employeeId'],
  ];
  it.each(refusals)('refuses with %s: %j', async (code, input, field) => {
    const payload = await tryAddCertification(app, { employeeId: manager.id, catalogEntryId: azure.id, issuedOn: '2026-01-10', ...input });
    expect(payload.certification).toBeNull();
    expect(payload.userErrors).toEqual([expect.objectContaining({ code, field: ['input', field] })]);
  });

  it('accepts an expiry on the day of issue and an issue date of today', async () => {
    const employee = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
    const payload = await tryAddCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2026-06-15', expiresOn: '2026-06-15' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.certification?.status).toBe('EXPIRING');
  });

  it('refuses a duplicate: the same certification current and unexpired (DUPLICATE_CERTIFICATION)', async () => {
    const payload = await tryAddCertification(app, { employeeId: tech.id, catalogEntryId: ccna.id, issuedOn: '2026-02-01' }, asHr);
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_CERTIFICATION', field: ['input', 'catalogEntryId'] })]);
    expect((await listOf(tech)).filter((c) => c.catalogEntry.id === ccna.id)).toHaveLength(1);
  });

  it('refuses a credential id already recorded for someone else for the same certification (any case)', async () => {
    const first = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
    const second = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
    await addCertification(app, { employeeId: first.id, catalogEntryId: ccna.id, issuedOn: '2026-01-05', credentialId: 'CSCO-777' });
    const payload = await tryAddCertification(app, { employeeId: second.id, catalogEntryId: ccna.id, issuedOn: '2026-01-05', credentialId: 'csco-777' });
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_CERTIFICATION', field: ['input', 'credentialId'] })]);
    // The same id for another certification is someone else's business.
    const other = await tryAddCertification(app, { employeeId: second.id, catalogEntryId: itil.id, issuedOn: '2026-01-05', credentialId: 'CSCO-777' });
    expect(other.userErrors).toEqual([]);
  });

  it('two racing adds of the same certification: exactly one lands, the other is DUPLICATE_CERTIFICATION (not a 500)', async () => {
    const employee = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
    const results = await Promise.all(
      [0, 1, 2].map(() => certificationMutation(app, 'add', { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-03-01' })),
    );
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
    }
    const payloads = results.map((result) => result.data?.result);
    expect(payloads.filter((payload) => payload?.certification)).toHaveLength(1);
    expect(payloads.filter((payload) => payload?.userErrors[0]?.code === 'DUPLICATE_CERTIFICATION')).toHaveLength(2);
    expect(await listOf(employee)).toHaveLength(1);
  });

  it('names the partial unique index in the violation on this driver, which is what maps a lost race to the user error', async () => {
    const { insertCertification } = await import('../../src/certifications/certification.store.js');
    const { uniqueViolationConstraint } = await import('../../src/shared/write-transaction.js');
    const employee = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
    const row = { employeeId: employee.id, catalogEntryId: itil.id, issuedOn: '2026-01-01', createdBy: 'test' };
    await insertCertification(app.database.db, row);
    const error: unknown = await insertCertification(app.database.db, row).then(() => null, (caught: unknown) => caught);
    expect(uniqueViolationConstraint(error)).toBe('employee_certifications_current_uq');
  });
});

describe('renewing', () => {
  it('keeps the history: a new record replaces the old one, reachable through renewedFrom', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const first = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2023-07-01', credentialId: 'C-1', verify: true });
    const renewed = await certificationMutation(app, 'renew', { id: first.id, issuedOn: '2026-06-01', evidenceUrl: 'https://example.com/ccna-2026' }, asHr);
    const second = renewed.data?.result.certification;
    expect(renewed.data?.result.userErrors).toEqual([]);
    // Credential id carried over, expiry from the validity period, unverified again.
    expect(second).toMatchObject({ issuedOn: '2026-06-01', expiresOn: '2029-06-01', credentialId: 'C-1', renewedFrom: { id: first.id }, renewedBy: null, verification: { state: 'UNVERIFIED' } });
    const third = await certificationMutation(app, 'renew', { id: second?.id, issuedOn: '2026-06-10', expiresOn: '2029-12-31', credentialId: 'C-2', verify: true }, asHr);
    const thirdId = third.data?.result.certification?.id ?? '';
    expect(third.data?.result.certification).toMatchObject({ expiresOn: '2029-12-31', credentialId: 'C-2', verification: { state: 'VERIFIED' } });

    const list = await listOf(employee, { includeExpired: true });
    expect(list.map((c) => c.id)).toEqual([thirdId]);
    const history = await one(thirdId);
    expect(history.data?.certification?.renewedFrom).toEqual({ id: second?.id, renewedFrom: { id: first.id }, renewedBy: { id: thirdId } });
    const oldest = await one(first.id);
    expect(oldest.data?.certification).toMatchObject({ id: first.id, renewedBy: { id: second?.id }, renewedFrom: null, verification: { state: 'VERIFIED' } });
  });

  it('refuses to renew a record that is not current (CONFLICT), an unknown one, or with an earlier issue date', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const first = await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2025-10-01' });
    await certificationMutation(app, 'renew', { id: first.id, issuedOn: '2026-06-01' });
    const again = await certificationMutation(app, 'renew', { id: first.id, issuedOn: '2026-06-02' });
    expect(again.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'id'] })]);
    const unknown = await certificationMutation(app, 'renew', { id: unknownId, issuedOn: '2026-06-02' });
    expect(unknown.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CERTIFICATION_NOT_FOUND' })]);
    const current = (await listOf(employee))[0];
    const earlier = await certificationMutation(app, 'renew', { id: current?.id, issuedOn: '2026-05-01' });
    expect(earlier.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_VALUE', field: ['input', 'issuedOn'] })]);
    const backwards = await certificationMutation(app, 'renew', { id: current?.id, issuedOn: '2026-06-10', expiresOn: '2026-06-09' });
    expect(backwards.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'EXPIRES_BEFORE_ISSUED' })]);
  });

  it('by the employee for their own: unverified; for someone else: FORBIDDEN', async () => {
    const mine = (await listOf(tech)).find((c) => c.catalogEntry.id === ccna.id);
    const byManager = await certificationMutation(app, 'renew', { id: mine?.id, issuedOn: '2026-06-01' }, asManager);
    expect(byManager.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const selfVerify = await certificationMutation(app, 'renew', { id: mine?.id, issuedOn: '2026-06-01', verify: true }, asTech);
    expect(selfVerify.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await certificationMutation(app, 'renew', { id: mine?.id, issuedOn: '2026-06-01' }, asTech);
    expect(own.data?.result.certification).toMatchObject({ renewedFrom: { id: mine?.id }, verification: { state: 'UNVERIFIED' } });
  });

  it('adding a certification whose current record has expired renews it', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const expired = await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2024-01-15' });
    expect(expired.status).toBe('EXPIRED');
    const fresh = await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2026-05-20' }, asHr);
    expect(fresh).toMatchObject({ expiresOn: '2027-05-20', status: 'ACTIVE', renewedFrom: { id: expired.id } });
    expect((await listOf(employee, { includeExpired: true })).map((c) => c.id)).toEqual([fresh.id]);
    expect((await one(expired.id)).data?.certification?.renewedBy).toEqual({ id: fresh.id });
  });
});

describe('reading as of a day', () => {
  it('shows records issued by `activeOn`, expired ones only with includeExpired, with status as of that day', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2025-06-01' }); // expires 2026-06-01
    await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-03-01' });
    await addCertification(app, { employeeId: employee.id, catalogEntryId: itil.id, issuedOn: '2026-06-15' });
    const summary = (list: CertificationResult[]) => list.map((c) => `${c.catalogEntry.id === azure.id ? 'azure' : c.catalogEntry.id === ccna.id ? 'ccna' : 'itil'}:${c.status}@${c.statusAsOf}`);
    expect(summary(await listOf(employee))).toEqual(['ccna:ACTIVE@2026-06-15', 'itil:ACTIVE@2026-06-15']);
    expect(summary(await listOf(employee, { includeExpired: true }))).toEqual(['ccna:ACTIVE@2026-06-15', 'itil:ACTIVE@2026-06-15', 'azure:EXPIRED@2026-06-15']
      .sort((a, b) => order(a) - order(b)));
    expect(summary(await listOf(employee, { activeOn: '2026-05-15' }))).toEqual(['ccna:ACTIVE@2026-05-15', 'azure:EXPIRING@2026-05-15']
      .sort((a, b) => order(a) - order(b)));
    expect(summary(await listOf(employee, { activeOn: '2025-12-01' }))).toEqual(['azure:ACTIVE@2025-12-01']);
  });
});

/** Catalog-name order of the three entries: Cisco, ITIL, Microsoft. */
function order(summary: string): number {
  return ['ccna', 'itil', 'azure'].indexOf(summary.split(':')[0] ?? '');
}

describe('correcting', () => {
  it('by the employee resets a verified record to unverified; by HR keeps it verified', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const asEmployee = await app.as({ roles: [], email: employee.email });
    const record = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-01-10', verify: true }, asHr);
    const byHr = await certificationMutation(app, 'update', { id: record.id, credentialId: 'HR-FIX' }, asHr);
    expect(byHr.data?.result.certification).toMatchObject({ credentialId: 'HR-FIX', verification: { state: 'VERIFIED' } });
    const bySelf = await certificationMutation(app, 'update', { id: record.id, evidenceUrl: 'https://example.com/mine' }, asEmployee);
    expect(bySelf.data?.result.certification).toMatchObject({ credentialId: 'HR-FIX', evidenceUrl: 'https://example.com/mine', verification: { state: 'UNVERIFIED', decidedBy: null } });
    const byOther = await certificationMutation(app, 'update', { id: record.id, credentialId: 'X' }, asTech);
    expect(byOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('moves a default expiry with the issue date, keeps an explicit one, clears with null', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const derived = await addCertification(app, { employeeId: employee.id, catalogEntryId: azure.id, issuedOn: '2026-01-10' });
    const moved = await certificationMutation(app, 'update', { id: derived.id, issuedOn: '2026-02-10' });
    expect(moved.data?.result.certification).toMatchObject({ issuedOn: '2026-02-10', expiresOn: '2027-02-10' });
    const explicit = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-01-10', expiresOn: '2026-12-31', credentialId: 'KEEP' });
    const kept = await certificationMutation(app, 'update', { id: explicit.id, issuedOn: '2026-02-10' });
    expect(kept.data?.result.certification).toMatchObject({ issuedOn: '2026-02-10', expiresOn: '2026-12-31', credentialId: 'KEEP' });
    const cleared = await certificationMutation(app, 'update', { id: explicit.id, expiresOn: null, credentialId: null });
    expect(cleared.data?.result.certification).toMatchObject({ expiresOn: null, credentialId: null, status: 'ACTIVE' });
  });

  it.each([
    [{ expiresOn: '2025-01-01' }, 'EXPIRES_BEFORE_ISSUED'],
    [{ issuedOn: '2026-07-01' }, 'INVALID_VALUE'],
    [{ issuedOn: null }, 'REQUIRED'],
    [{ evidenceUrl: 'ftp://example.com/x' }, 'INVALID_VALUE'],
  ])('refuses %j with %s', async (input, code) => {
    const record = (await listOf(tech)).find((c) => c.catalogEntry.id === itil.id);
    const response = await certificationMutation(app, 'update', { id: record?.id, ...input });
    expect(response.data?.result.userErrors).toEqual([expect.objectContaining({ code })]);
  });

  it('refuses an unknown record (CERTIFICATION_NOT_FOUND) and a renewed one (CONFLICT)', async () => {
    const unknown = await certificationMutation(app, 'update', { id: unknownId, credentialId: 'X' });
    expect(unknown.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CERTIFICATION_NOT_FOUND' })]);
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const old = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2025-01-10' });
    await certificationMutation(app, 'renew', { id: old.id, issuedOn: '2026-01-10' });
    const renewed = await certificationMutation(app, 'update', { id: old.id, credentialId: 'X' });
    expect(renewed.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
  });

  it('refuses a credential id recorded for someone else', async () => {
    const holder = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    await addCertification(app, { employeeId: holder.id, catalogEntryId: itil.id, issuedOn: '2026-01-10', credentialId: 'ITIL-9' });
    const record = (await listOf(tech)).find((c) => c.catalogEntry.id === itil.id);
    const response = await certificationMutation(app, 'update', { id: record?.id, credentialId: 'ITIL-9' });
    expect(response.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_CERTIFICATION', field: ['input', 'credentialId'] })]);
  });
});

describe('removing', () => {
  it('by the employee while unverified; once verified only HR; soft, so it leaves the list but not the audit', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const asEmployee = await app.as({ roles: [], email: employee.email });
    const unverified = await addCertification(app, { employeeId: employee.id, catalogEntryId: itil.id, issuedOn: '2026-01-10' }, asEmployee);
    const verified = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-01-10', verify: true }, asHr);

    const own = await certificationMutation(app, 'remove', { id: unverified.id, reason: 'Entered by mistake' }, asEmployee);
    expect(own.data?.result.userErrors).toEqual([]);
    const ownVerified = await certificationMutation(app, 'remove', { id: verified.id }, asEmployee);
    expect(ownVerified.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byManager = await certificationMutation(app, 'remove', { id: verified.id }, asManager);
    expect(byManager.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await listOf(employee)).map((c) => c.id)).toEqual([verified.id]);

    const byHr = await certificationMutation(app, 'remove', { id: verified.id, reason: 'Revoked by Cisco' }, asHr);
    expect(byHr.data?.result.userErrors).toEqual([]);
    expect(await listOf(employee, { includeExpired: true })).toEqual([]);
    expect((await one(verified.id)).data?.certification).toBeNull();
    const twice = await certificationMutation(app, 'remove', { id: verified.id }, asHr);
    expect(twice.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    const unknown = await certificationMutation(app, 'remove', { id: unknownId }, asHr);
    expect(unknown.data?.result.userErrors).toEqual([expect.objectContaining({ code: 'CERTIFICATION_NOT_FOUND' })]);

    const { findCertificationsByIds } = await import('../../src/certifications/certification.store.js');
    const [row] = await findCertificationsByIds(app.database.db, [verified.id]);
    expect(row).toMatchObject({ removalReason: 'Revoked by Cisco', removedBy: `user:hub-${hrPerson.email}` });
    expect(row?.removedAt).toBeInstanceOf(Date);
  });

  it('frees the certification: it can be added again after removal', async () => {
    const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const first = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-01-10' });
    await certificationMutation(app, 'remove', { id: first.id });
    const again = await addCertification(app, { employeeId: employee.id, catalogEntryId: ccna.id, issuedOn: '2026-01-11' });
    expect(again.renewedFrom).toBeNull();
    expect((await listOf(employee)).map((c) => c.id)).toEqual([again.id]);
  });
});
