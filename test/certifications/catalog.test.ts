import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import {
  createCatalogEntry,
  createCatalogEntryMutation,
  updateCatalogEntryMutation,
  type CatalogEntryResult,
  type CatalogPayload,
} from './fixtures.js';

// The certification catalog: matching by name, code, alias and tag; who may read and write it;
// names, codes and aliases that would make one search find two entries.
let app: TestApp;
let azure: CatalogEntryResult;
let aws: CatalogEntryResult;
let ccna: CatalogEntryResult;

const searchQuery = /* GraphQL */ `
  query Search($search: String, $tag: String) { certificationCatalog(search: $search, tag: $tag) { id name code aliases tags validityMonths } }
`;

async function search(args: { search?: string; tag?: string }, headers?: Record<string, string>) {
  return app.gql<{ certificationCatalog: CatalogEntryResult[] | null }>(searchQuery, args, headers);
}

async function create(input: Record<string, unknown>, headers?: Record<string, string>) {
  return app.gql<{ createCertificationCatalogEntry: CatalogPayload }>(createCatalogEntryMutation, { input: { issuer: 'Issuer', ...input } }, headers);
}

async function update(input: Record<string, unknown>, headers?: Record<string, string>) {
  return app.gql<{ updateCertificationCatalogEntry: CatalogPayload }>(updateCatalogEntryMutation, { input }, headers);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  azure = await createCatalogEntry(app, {
    name: 'Microsoft Certified: Azure Administrator Associate',
    issuer: 'Microsoft',
    code: 'AZ-104',
    aliases: [' Azure Administrator ', 'azure administrator', 'AZ 104', ''],
    validityMonths: 12,
    tags: ['cloud', ' Azure ', 'CLOUD'],
  });
  aws = await createCatalogEntry(app, {
    name: 'AWS Certified Solutions Architect – Associate',
    issuer: 'Amazon Web Services',
    code: 'SAA-C03',
    aliases: ['AWS Solutions Architect'],
    validityMonths: 36,
    tags: ['cloud', 'aws'],
  });
  ccna = await createCatalogEntry(app, {
    name: 'Cisco Certified Network Associate',
    issuer: 'Cisco',
    code: 'CCNA',
    aliases: ['Cisco Certified'],
    validityMonths: 36,
    tags: ['networking'],
  });
});

afterAll(async () => {
  await app?.close();
});

describe('matching', () => {
  it('stores aliases and tags trimmed and without repeats (an alias repeating the code is dropped)', () => {
    expect(azure.aliases).toEqual(['Azure Administrator']);
    expect(azure.tags).toEqual(['cloud', 'Azure']);
    expect(azure.code).toBe('AZ-104');
    expect(azure.validityMonths).toBe(12);
  });

  it.each(['azure administrator', 'Microsoft Certified: Azure Administrator Associate', 'AZ-104', 'az104', '  Az 104 '])(
    'finds the Azure entry, and only it, by %j',
    async (term) => {
      const response = await search({ search: term });
      expect(response.errors).toBeUndefined();
      expect(response.data?.certificationCatalog?.map((entry) => entry.id)).toEqual([azure.id]);
    },
  );

  it('finds nothing for a name no entry has, and matches whole keys only', async () => {
    expect((await search({ search: 'Azure Admin' })).data?.certificationCatalog).toEqual([]);
    expect((await search({ search: 'AZ-10' })).data?.certificationCatalog).toEqual([]);
  });

  it('lists everything by name without arguments, and by tag with `tag`', async () => {
    const all = await search({});
    expect(all.data?.certificationCatalog?.map((entry) => entry.name)).toEqual([aws.name, ccna.name, azure.name]);
    const cloud = await search({ tag: 'Cloud' });
    expect(cloud.data?.certificationCatalog?.map((entry) => entry.id)).toEqual([aws.id, azure.id]);
    // A name is not a tag, even though a search finds the entry by it.
    expect((await search({ tag: 'CCNA' })).data?.certificationCatalog).toEqual([]);
    expect((await search({ search: 'networking' })).data?.certificationCatalog?.map((entry) => entry.id)).toEqual([ccna.id]);
  });
});

describe('who may read the catalog', () => {
  it('lets any signed-in person and PSA read it', async () => {
    for (const headers of [await app.as({ roles: ['Viewer'], email: 'viewer@people.test' }), await app.as({ roles: ['Manager'], email: 'm@people.test' }), serviceHeaders.psa]) {
      const response = await search({ search: 'CCNA' }, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data?.certificationCatalog?.map((entry) => entry.id)).toEqual([ccna.id]);
    }
  });

  it('refuses Defend and Legal, and asks the anonymous to sign in', async () => {
    for (const headers of [serviceHeaders.defend, serviceHeaders.legal]) {
      const response = await search({}, headers);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data?.certificationCatalog ?? null).toBeNull();
    }
    const anonymous = await search({}, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('writing the catalog', () => {
  it('is for HR Manager and Admin: HR Staff, Managers and services are refused', async () => {
    const hrManager = await create({ name: 'CompTIA Security+', code: 'SY0-701', tags: ['security'] }, await app.as({ roles: ['HR Manager'], email: 'hrm@people.test' }));
    expect(hrManager.data?.createCertificationCatalogEntry.userErrors).toEqual([]);
    expect(hrManager.data?.createCertificationCatalogEntry.entry?.name).toBe('CompTIA Security+');
    for (const headers of [await app.as({ roles: ['HR Staff'], email: 'hrs@people.test' }), await app.as({ roles: ['Manager'], email: 'm2@people.test' }), serviceHeaders.psa]) {
      const response = await create({ name: 'Something Else' }, headers);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await search({ search: 'Something Else' })).data?.certificationCatalog).toEqual([]);
  });

  it.each([
    [{ name: 'Azure Admin Course', code: 'az104' }, 'code'],
    [{ name: 'Azure Administrator' }, 'name'],
    [{ name: 'Cloud Architecture', aliases: ['AWS solutions-architect'] }, 'aliases'],
    [{ name: 'CCNA' }, 'name'],
  ])('refuses %j: it collides with another entry (DUPLICATE_CATALOG_ENTRY at %s)', async (input, field) => {
    const response = await create(input);
    expect(response.data?.createCertificationCatalogEntry.entry).toBeNull();
    expect(response.data?.createCertificationCatalogEntry.userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_CATALOG_ENTRY', field: ['input', field] }),
    ]);
  });

  it('lets a name equal another entry\'s tag: tags describe, they do not name', async () => {
    const response = await create({ name: 'Networking', tags: ['cloud'] });
    expect(response.data?.createCertificationCatalogEntry.userErrors).toEqual([]);
  });

  it.each([
    [{ name: '  ' }, 'REQUIRED', 'name'],
    [{ name: 'Valid Name', issuer: ' ' }, 'REQUIRED', 'issuer'],
    [{ name: 'Zero Months', validityMonths: 0 }, 'INVALID_VALUE', 'validityMonths'],
    [{ name: 'Too Many Months', validityMonths: 601 }, 'INVALID_VALUE', 'validityMonths'],
    [{ name: 'Bad Code', code: '--' }, 'INVALID_VALUE', 'code'],
  ])('refuses %j with %s at %s', async (input, code, field) => {
    const response = await create(input);
    expect(response.data?.createCertificationCatalogEntry.userErrors).toEqual([expect.objectContaining({ code, field: ['input', field] })]);
  });

  it('accepts the validity bounds 1 and 600, and none', async () => {
    for (const validityMonths of [1, 600, null]) {
      const response = await create({ name: `Bound ${validityMonths ?? 'none'}`, validityMonths });
      expect(response.data?.createCertificationCatalogEntry.entry?.validityMonths).toBe(validityMonths);
    }
  });

  it('updates only the fields given, keeps matching in step, and clears with null', async () => {
    const entry = await createCatalogEntry(app, { name: 'Google Professional Cloud Architect', code: 'PCA', aliases: ['GCP Architect'], validityMonths: 24, tags: ['gcp'] });
    const response = await update({ id: entry.id, aliases: ['Google Cloud Architect', 'google cloud architect'], code: null });
    const updated = response.data?.updateCertificationCatalogEntry;
    expect(updated?.userErrors).toEqual([]);
    expect(updated?.entry).toMatchObject({ name: entry.name, code: null, aliases: ['Google Cloud Architect'], validityMonths: 24, tags: ['gcp'] });
    expect((await search({ search: 'google cloud architect' })).data?.certificationCatalog?.map((e) => e.id)).toEqual([entry.id]);
    expect((await search({ search: 'GCP Architect' })).data?.certificationCatalog).toEqual([]);
    expect((await search({ search: 'PCA' })).data?.certificationCatalog).toEqual([]);
  });

  it('refuses an update that collides, one that clears the name, and an unknown id', async () => {
    const collide = await update({ id: ccna.id, aliases: ['Azure Administrator'] });
    expect(collide.data?.updateCertificationCatalogEntry.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_CATALOG_ENTRY', field: ['input', 'aliases'] })]);
    // An entry does not collide with itself.
    const same = await update({ id: ccna.id, name: 'Cisco Certified Network Associate', code: 'ccna' });
    expect(same.data?.updateCertificationCatalogEntry.userErrors).toEqual([]);
    const cleared = await update({ id: ccna.id, name: null });
    expect(cleared.data?.updateCertificationCatalogEntry.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'name'] })]);
    const unknown = await update({ id: '00000000-0000-4000-8000-000000000000', name: 'Whatever' });
    expect(unknown.data?.updateCertificationCatalogEntry.userErrors).toEqual([expect.objectContaining({ code: 'CATALOG_ENTRY_NOT_FOUND' })]);
    const hrStaff = await update({ id: ccna.id, validityMonths: 12 }, await app.as({ roles: ['HR Staff'], email: 'hrs2@people.test' }));
    expect(hrStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
