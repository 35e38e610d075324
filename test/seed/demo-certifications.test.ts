import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogMatchKeys, matchKey } from '../../src/certifications/catalog-matching.js';
import { plusDays } from '../../src/certifications/certification.status.js';
import {
  certificationCatalog,
  employeeCertifications,
  type CertificationCatalogRow,
  type EmployeeCertificationRow,
} from '../../src/certifications/certification.tables.js';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';

// The demo catalog and its holders, as PSA and HR meet them. Today (the test clock) is 2026-06-15.

let app: TestApp;
let catalog: CertificationCatalogRow[];
let records: EmployeeCertificationRow[];
const today = '2026-06-15';

beforeAll(async () => {
  app = await startTestApp({ today });
  await seedDemoOrganisationIfEmpty(app.database.db, app.clock);
  catalog = await app.database.db.select().from(certificationCatalog);
  records = await app.database.db.select().from(employeeCertifications);
});
afterAll(() => app.close());

const current = () => records.filter((record) => record.supersededAt === null && record.removedAt === null);
const entryByCode = (code: string) => {
  const entry = catalog.find((row) => row.code === code);
  if (!entry) throw new Error(`no catalog entry ${code}`);
  return entry;
};

interface Qualified {
  qualifiedEmployees: {
    unknownCertifications: string[];
    employees: { employee: { id: string; status: string | null }; matches: { requested: string; certification: { id: string } }[] }[];
  };
}

async function qualified(certifications: string[], extra: Record<string, unknown> = {}): Promise<Qualified['qualifiedEmployees']> {
  const response = await app.gql<Qualified>(
    `query($certifications: [String!]!, $match: CertificationMatchMode, $includeUnverified: Boolean) {
      qualifiedEmployees(certifications: $certifications, match: $match, includeUnverified: $includeUnverified, first: 500) {
        unknownCertifications
        employees { employee { id status } matches { requested certification { id } } }
      }
    }`,
    { certifications, ...extra },
    serviceHeaders.psa,
  );
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.qualifiedEmployees;
}

describe('demo certifications', () => {
  it('has a catalog of networking, cloud, security and service-management certifications', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(12);
    const tagged = (tag: string) => catalog.filter((entry) => entry.tags.includes(tag)).map((entry) => entry.code);
    expect(tagged('networking')).toEqual(expect.arrayContaining(['200-301', '350-401', 'N10-009', 'JN0-105']));
    expect(tagged('cloud')).toEqual(expect.arrayContaining(['AZ-104', 'AZ-900', 'SAA-C03']));
    expect(tagged('cybersecurity')).toEqual(expect.arrayContaining(['SY0-701', 'CISSP', '312-50', 'CISM']));
    expect(catalog.find((entry) => entry.name === 'Google Cloud Certified Associate Cloud Engineer')?.tags).toContain('cloud');
    // Fundamentals and ITIL do not expire; Microsoft's associate certifications are renewed yearly.
    expect(entryByCode('AZ-900').validityMonths).toBeNull();
    expect(catalog.find((entry) => entry.name === 'ITIL 4 Foundation')?.validityMonths).toBeNull();
    expect(entryByCode('AZ-104').validityMonths).toBe(12);
    expect(entryByCode('200-301').aliases).toContain('CCNA');
  });

  it('keeps every entry’s match keys in step, and no name, code or alias answers for two entries', () => {
    for (const entry of catalog) expect(entry.matchKeys).toEqual(catalogMatchKeys(entry));
    const owners = new Map<string, string>();
    for (const entry of catalog) {
      for (const key of [entry.name, entry.code ?? '', ...entry.aliases].map(matchKey).filter((key) => key !== '')) {
        expect([undefined, entry.id]).toContain(owners.get(key));
        owners.set(key, entry.id);
      }
    }
  });

  it('has holders mostly verified, some unverified or rejected, some expiring, some expired, some renewed', () => {
    const held = current();
    expect(held.length).toBeGreaterThanOrEqual(60);
    const byState = (state: string) => held.filter((record) => record.verificationState === state).length;
    expect(byState('VERIFIED')).toBeGreaterThan(held.length * 0.7);
    expect(byState('UNVERIFIED')).toBeGreaterThanOrEqual(5);
    expect(byState('REJECTED')).toBeGreaterThanOrEqual(1);
    const in30Days = plusDays(today, 30);
    const expiring = held.filter((record) => record.expiresOn !== null && record.expiresOn >= today && record.expiresOn <= in30Days);
    const expired = held.filter((record) => record.expiresOn !== null && record.expiresOn < today);
    expect(expiring.length).toBeGreaterThanOrEqual(5);
    expect(expired.length).toBeGreaterThanOrEqual(5);
    // Verified records say by whom and when, never before they were issued or after today.
    for (const record of held.filter((row) => row.verificationState !== 'UNVERIFIED')) {
      expect(record.verifiedByEmployeeId).not.toBeNull();
      expect(record.verifiedAt?.toISOString().slice(0, 10) ?? '').toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((record.verifiedAt?.toISOString().slice(0, 10) ?? '') >= record.issuedOn).toBe(true);
      expect((record.verifiedAt?.toISOString().slice(0, 10) ?? '') <= today).toBe(true);
    }
    // Expiry follows the catalog's validity period.
    const validity = new Map(catalog.map((entry) => [entry.id, entry.validityMonths]));
    for (const record of held) expect(record.expiresOn === null).toBe(validity.get(record.catalogEntryId) === null);
  });

  it('keeps renewed records as history, each replaced by one current renewal issued before it ran out', () => {
    const replaced = records.filter((record) => record.supersededAt !== null);
    expect(replaced.length).toBeGreaterThanOrEqual(5);
    for (const old of replaced) {
      const renewals = records.filter((record) => record.renewedFromId === old.id);
      expect(renewals).toHaveLength(1);
      const [renewal] = renewals;
      expect(renewal?.supersededAt).toBeNull();
      expect(renewal?.employeeId).toBe(old.employeeId);
      expect(renewal?.catalogEntryId).toBe(old.catalogEntryId);
      expect((renewal?.issuedOn ?? '') > old.issuedOn).toBe(true);
      expect((renewal?.issuedOn ?? '') <= (old.expiresOn ?? '')).toBe(true);
    }
  });

  it('routes "Cisco Certified" to active holders of a verified, valid Cisco certification', async () => {
    const cisco = new Set([entryByCode('200-301').id, entryByCode('350-401').id]);
    const result = await qualified(['Cisco Certified']);
    expect(result.unknownCertifications).toEqual([]);
    expect(result.employees.length).toBeGreaterThanOrEqual(5);
    const byId = new Map(records.map((record) => [record.id, record]));
    for (const { employee, matches } of result.employees) {
      expect(employee.status).toBe('ACTIVE');
      const matched = byId.get(matches[0]?.certification.id ?? '');
      expect(cisco.has(matched?.catalogEntryId ?? '')).toBe(true);
      expect(matched?.verificationState).toBe('VERIFIED');
      expect(matched?.expiresOn === null || (matched?.expiresOn ?? '') >= today).toBe(true);
    }
    // Some verified, valid Cisco holders are not dispatchable: they left or are on leave.
    const validHolders = new Set(
      current()
        .filter((record) => cisco.has(record.catalogEntryId) && record.verificationState === 'VERIFIED' && (record.expiresOn ?? '9999') >= today)
        .map((record) => record.employeeId),
    );
    const routed = new Set(result.employees.map((entry) => entry.employee.id));
    expect([...routed].every((id) => validHolders.has(id))).toBe(true);
    expect(validHolders.size).toBeGreaterThan(routed.size);
  });

  it('finds the CompTIA and Azure certifications by their usual names, and more with includeUnverified', async () => {
    const securityPlus = entryByCode('SY0-701').id;
    const plus = await qualified(['Security+']);
    expect(plus.employees.length).toBeGreaterThanOrEqual(3);
    const byId = new Map(records.map((record) => [record.id, record]));
    // "Security+" means the CompTIA certification, not every security certification.
    expect(plus.employees.every((entry) => byId.get(entry.matches[0]?.certification.id ?? '')?.catalogEntryId === securityPlus)).toBe(true);

    const ids = async (names: string[], extra: Record<string, unknown> = {}) => (await qualified(names, extra)).employees.map((entry) => entry.employee.id);
    const azure = await ids(['Azure Administrator']);
    expect(azure.length).toBeGreaterThanOrEqual(3);
    expect(await ids(['AZ-104'])).toEqual(azure);
    expect((await ids(['Azure Administrator'], { includeUnverified: true })).length).toBeGreaterThan(azure.length);
  });
});
