import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/events/outbox.js';
import { serviceHeaders } from '../support/server.js';
import { employeeStatusesQuery, hireSigner, policy, startLegalWorld, type LegalWorld, type StatusesAnswer } from './fixtures.js';

// The signing flow: an employee reads a policy in People and acknowledges it there; People
// records the act and proxies it to Legal through a SYSTEM task: sent once (Idempotency-Key) even
// when Legal is down or slow for a while, SUBMITTED until Legal's callback says ACKNOWLEDGED.

const toSignQuery = /* GraphQL */ `
  query ToSign($id: ID!) {
    policyToSign(policyId: $id) {
      policy { id title version }
      version applies contentError
      content { format body }
      acknowledgement { status dueDate }
      legal { configured reachable lastErrorCode }
    }
  }
`;

const acknowledgeMutation = /* GraphQL */ `
  mutation Acknowledge($input: AcknowledgePolicyInput!) {
    acknowledgePolicy(input: $input) {
      acknowledgement {
        policy { id version } status signedAt acknowledgedAt vaultDocumentId
        submission { state attempts lastError waitingReason legalAcknowledgementId }
      }
      userErrors { field code message }
    }
  }
`;

interface ToSign {
  policyToSign: {
    policy: { id: string; title: string; version: string };
    version: string;
    applies: boolean;
    contentError: string | null;
    content: { format: string; body: string } | null;
    acknowledgement: { status: string; dueDate: string | null } | null;
    legal: { configured: boolean; reachable: boolean | null; lastErrorCode: string | null };
  } | null;
}

interface Acknowledged {
  acknowledgePolicy: {
    acknowledgement: {
      policy: { id: string; version: string };
      status: string;
      signedAt: string | null;
      acknowledgedAt: string | null;
      vaultDocumentId: string | null;
      submission: { state: string; attempts: number; lastError: string | null; waitingReason: string | null; legalAcknowledgementId: string | null } | null;
    } | null;
    userErrors: { field: string[] | null; code: string; message: string }[];
  };
}

let world: LegalWorld;
type Person = Awaited<ReturnType<typeof hireSigner>>;
let ada: Person;
let ben: Person;
let asAda: Record<string, string>;
let asBen: Record<string, string>;

beforeAll(async () => {
  world = await startLegalWorld({ signed: true, env: { LEGAL_TIMEOUT_MS: '300' } });
  const { app, org, legal } = world;
  ada = await hireSigner(app, 'Ada Lovelace', { departmentId: org.departments.engineering, locationId: org.locations.berlin });
  ben = await hireSigner(app, 'Ben Becker', { departmentId: org.departments.sales, locationId: org.locations.newYork });
  asAda = await app.as({ roles: [], email: ada.email, hubUserId: ada.hubUserId });
  asBen = await app.as({ roles: [], email: ben.email, hubUserId: ben.hubUserId });
  legal.setPolicies([
    policy({ id: 'pol-conduct', title: 'Code of Conduct', version: '4' }),
    policy({ id: 'pol-eng', title: 'Engineering Standards', audience: { all: false, departments: ['Engineering'] } }),
    policy({ id: 'pol-gifts', title: 'Gifts Policy' }),
    policy({ id: 'pol-travel', title: 'Travel Policy' }),
  ]);
  legal.setContent('pol-conduct', '4', { format: 'markdown', content: '# Code of Conduct\n\nBe kind.' });
  legal.setContent('pol-gifts', '1', { format: 'html', content: '<p>No gifts over 50 EUR.</p>' });
  legal.setContent('pol-travel', '1', { format: 'html', content: '<p>Book economy.</p>' });
  expect(await world.syncNow()).toMatchObject({ ok: true });
});

afterAll(async () => {
  await world?.close();
});

async function acknowledge(input: Record<string, unknown>, headers: Record<string, string> = asAda) {
  const response = await world.app.gql<Acknowledged>(acknowledgeMutation, { input }, headers);
  return response;
}

async function statusesOf(person: Person, headers: Record<string, string>) {
  const response = await world.app.gql<StatusesAnswer>(employeeStatusesQuery, { id: person.id }, headers);
  expect(response.errors).toBeUndefined();
  return new Map((response.data?.employee?.policyAcknowledgements?.acknowledgements ?? []).map((entry) => [entry.policy.id, entry]));
}

describe('an employee signs a policy', () => {
  it('reads the text of the current version, fetched from Legal once and then kept', async () => {
    const first = await world.app.gql<ToSign>(toSignQuery, { id: 'pol-conduct' }, asAda);
    expect(first.errors).toBeUndefined();
    expect(first.data?.policyToSign).toMatchObject({
      policy: { id: 'pol-conduct', title: 'Code of Conduct', version: '4' },
      version: '4',
      applies: true,
      contentError: null,
      content: { format: 'MARKDOWN', body: '# Code of Conduct\n\nBe kind.' },
      acknowledgement: { status: 'PENDING', dueDate: '2026-01-31' },
    });
    await world.app.gql<ToSign>(toSignQuery, { id: 'pol-conduct' }, asAda);
    expect(world.legal.count('GET', '/policies/pol-conduct/versions/4/content')).toBe(1);
  });

  it('is proxied once, even with Legal down for a while: SUBMITTED, then ACKNOWLEDGED after Legal’s callback', async () => {
    await world.legal.down();
    const signed = await acknowledge({ policyId: 'pol-conduct', policyVersion: '4', typedName: '  ada  LOVELACE ' }, {
      ...asAda,
      'user-agent': 'PortalTest/1.0',
      // Not behind a trusted proxy (TRUST_PROXY unset): a forwarded address is the caller's claim, not recorded.
      'x-forwarded-for': '203.0.113.50',
    });
    expect(signed.errors).toBeUndefined();
    expect(signed.data?.acknowledgePolicy.userErrors).toEqual([]);
    expect(signed.data?.acknowledgePolicy.acknowledgement).toMatchObject({
      policy: { id: 'pol-conduct', version: '4' },
      status: 'SUBMITTED',
      signedAt: world.app.clock.now().toISOString(),
      acknowledgedAt: null,
      submission: { state: 'PENDING', attempts: 0, legalAcknowledgementId: null },
    });

    // Legal down: each attempt fails, is recorded and retried; nothing is lost.
    expect(await world.runner.runDue()).toBe(1);
    expect(await world.runner.runDue()).toBe(1);
    let statuses = await statusesOf(ada, asAda);
    expect(statuses.get('pol-conduct')).toMatchObject({ status: 'SUBMITTED', submission: { state: 'PENDING', attempts: 2 } });
    expect(statuses.get('pol-conduct')?.submission?.lastError).toMatch(/could not be reached at LEGAL_API_URL/);

    // Back, but slow: People stops waiting for the answer, and Legal records the acknowledgement after.
    await world.legal.up();
    world.legal.pause();
    expect(await world.runner.runDue()).toBe(1);
    world.legal.resume();
    await world.legal.waitForPosts(1);
    expect(await world.runner.runDue()).toBe(1);
    statuses = await statusesOf(ada, asAda);
    const submission = statuses.get('pol-conduct')?.submission;
    expect(submission).toMatchObject({ state: 'SUCCEEDED', attempts: 4, legalAcknowledgementId: expect.any(String) });

    // Two requests reached Legal, with one Idempotency-Key: one acknowledgement at Legal.
    const posts = world.legal.acknowledgementPosts.filter((post) => post.body.policyId === 'pol-conduct');
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((post) => post.idempotencyKey)).size).toBe(1);
    expect(new Set(posts.map((post) => post.acknowledgementId))).toEqual(new Set([submission?.legalAcknowledgementId]));
    // What Legal was sent: the act as signed, the signer as People knows them.
    expect(posts[0]?.body).toMatchObject({
      policyId: 'pol-conduct',
      policyVersion: '4',
      signer: { hubUserId: ada.hubUserId, email: ada.email, name: 'Ada Lovelace' },
      typedName: 'ada  LOVELACE',
      signedAt: world.app.clock.now().toISOString(),
      ipAddress: '127.0.0.1',
      userAgent: 'PortalTest/1.0',
    });
    expect(statuses.get('pol-conduct')?.status).toBe('SUBMITTED');

    // Legal records it in its vault and calls back.
    const callback = await world.legal.complete(submission?.legalAcknowledgementId ?? '', 'ACKNOWLEDGED', { vaultDocumentId: 'vault-ada-conduct' });
    expect(callback).toEqual({ status: 200, body: { status: 'applied' } });
    statuses = await statusesOf(ada, asAda);
    expect(statuses.get('pol-conduct')).toMatchObject({
      status: 'ACKNOWLEDGED',
      overdue: false,
      vaultDocumentId: 'vault-ada-conduct',
      acknowledgedAt: world.app.clock.now().toISOString(),
    });
  });

  it('changes nothing on a duplicate or an out-of-order callback, nor on a second signature', async () => {
    const legalId = (await statusesOf(ada, asAda)).get('pol-conduct')?.submission?.legalAcknowledgementId ?? '';
    const record = world.legal.acknowledgements.get(legalId);
    const older = {
      acknowledgementId: legalId,
      policyId: 'pol-conduct',
      policyVersion: '4',
      signer: { hubUserId: ada.hubUserId, email: ada.email },
      status: 'FAILED',
      occurredAt: new Date((record?.updatedAt.getTime() ?? 0) - 60_000).toISOString(),
      vaultDocumentId: null,
    };
    expect((await world.legal.sendCallback(older)).body).toEqual({ status: 'stale' });
    const events = (await listEvents(world.app.database.db, { first: 500, after: null })).events.length;
    const again = await acknowledge({ policyId: 'pol-conduct', policyVersion: '4', typedName: 'Ada Lovelace' });
    expect(again.data?.acknowledgePolicy).toMatchObject({ userErrors: [], acknowledgement: { status: 'ACKNOWLEDGED' } });
    expect(await world.runner.runDue()).toBe(0);
    expect((await listEvents(world.app.database.db, { first: 500, after: null })).events.length).toBe(events);
    expect((await statusesOf(ada, asAda)).get('pol-conduct')?.status).toBe('ACKNOWLEDGED');
  });

  it('emits legal.acknowledgement.submitted and .changed, thin: ids and codes, no name', async () => {
    const { events } = await listEvents(world.app.database.db, { first: 500, after: null });
    const mine = events.filter((event) => event.subject === `employee:${ada.id}` && event.type.startsWith('legal.'));
    expect(mine.map((event) => [event.type, event.data.status ?? null])).toEqual(
      expect.arrayContaining([
        ['legal.acknowledgement.submitted', null],
        ['legal.acknowledgement.changed', 'ACKNOWLEDGED'],
      ]),
    );
    expect(JSON.stringify(mine)).not.toMatch(/Lovelace|127\.0\.0\.1|PortalTest/);
  });
});

describe('what signing refuses', () => {
  it('a version other than the current one: the policy changed since it was read', async () => {
    const read = await world.app.gql<ToSign>(toSignQuery, { id: 'pol-gifts' }, asBen);
    expect(read.data?.policyToSign?.version).toBe('1');
    world.legal.setPolicies(world.legal.policies.map((entry) => (entry.id === 'pol-gifts' ? { ...entry, version: '2' } : entry)));
    await world.syncNow();
    const signed = await acknowledge({ policyId: 'pol-gifts', policyVersion: '1', typedName: 'Ben Becker' }, asBen);
    expect(signed.data?.acknowledgePolicy).toMatchObject({ acknowledgement: null, userErrors: [{ code: 'POLICY_VERSION_CHANGED', field: ['input', 'policyVersion'] }] });
    expect(signed.data?.acknowledgePolicy.userErrors[0]?.message).toContain('version 2');
    expect(await world.runner.runDue()).toBe(0);
  });

  it('a typed name that is not the signer’s, an empty one, a policy that does not apply or does not exist', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ policyId: 'pol-travel', policyVersion: '1', typedName: 'Ada Lovelace' }, 'TYPED_NAME_MISMATCH', ['input', 'typedName']],
      [{ policyId: 'pol-travel', policyVersion: '1', typedName: '   ' }, 'REQUIRED', ['input', 'typedName']],
      [{ policyId: 'pol-eng', policyVersion: '1', typedName: 'Ben Becker' }, 'POLICY_NOT_APPLICABLE', ['input', 'policyId']],
      [{ policyId: 'pol-unknown', policyVersion: '1', typedName: 'Ben Becker' }, 'POLICY_NOT_FOUND', ['input', 'policyId']],
    ];
    for (const [input, code, field] of cases) {
      const signed = await acknowledge(input, asBen);
      expect(signed.errors, code).toBeUndefined();
      expect(signed.data?.acknowledgePolicy, code).toMatchObject({ acknowledgement: null, userErrors: [{ code, field }] });
    }
    expect(await world.runner.runDue()).toBe(0);
  });

  it('anyone signing who is not an employee acting for themself: HR without a record, services (FORBIDDEN)', async () => {
    const hr = await world.app.as({ roles: ['HR Manager'] });
    for (const headers of [hr, serviceHeaders.psa, serviceHeaders.defend]) {
      const signed = await acknowledge({ policyId: 'pol-travel', policyVersion: '1', typedName: 'Ben Becker' }, headers);
      expect(signed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const read = await world.app.gql<ToSign>(toSignQuery, { id: 'pol-travel' }, headers);
      expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await acknowledge({ policyId: 'pol-travel', policyVersion: '1', typedName: 'Ben Becker' }, serviceHeaders.legal)).status).toBe(403);
  });
});

describe('Legal refusing a signature', () => {
  it('marks it FAILED, and the employee signs again: a new submission, sent with a new key', async () => {
    const first = await acknowledge({ policyId: 'pol-travel', policyVersion: '1', typedName: 'Ben Becker' }, asBen);
    expect(first.data?.acknowledgePolicy.acknowledgement?.status).toBe('SUBMITTED');
    world.legal.failNext(1, 422, '/acknowledgements');
    expect(await world.runner.runDue()).toBe(1);
    const failed = (await statusesOf(ben, asBen)).get('pol-travel');
    expect(failed).toMatchObject({ status: 'FAILED', submission: { state: 'FAILED' } });
    expect(failed?.submission?.lastError).toMatch(/Legal refused the request \(HTTP 422/);

    const second = await acknowledge({ policyId: 'pol-travel', policyVersion: '1', typedName: 'Ben Becker' }, asBen);
    expect(second.data?.acknowledgePolicy.acknowledgement).toMatchObject({ status: 'SUBMITTED', submission: { state: 'PENDING', attempts: 0 } });
    expect(await world.runner.runDue()).toBe(1);
    const posts = world.legal.acknowledgementPosts.filter((post) => post.body.policyId === 'pol-travel');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.idempotencyKey).toMatch(/:2$/);
    expect((await statusesOf(ben, asBen)).get('pol-travel')).toMatchObject({ status: 'SUBMITTED', submission: { state: 'SUCCEEDED' } });
  });

  it('refusing People’s key: the proxy waits, saying why, without spending attempts, and goes once the key is accepted', async () => {
    const signed = await acknowledge({ policyId: 'pol-gifts', policyVersion: '2', typedName: 'Ben Becker' }, asBen);
    expect(signed.data?.acknowledgePolicy.acknowledgement?.status).toBe('SUBMITTED');
    world.legal.refuseKey();
    await world.runner.runDue();
    const waiting = (await statusesOf(ben, asBen)).get('pol-gifts')?.submission;
    expect(waiting).toMatchObject({ state: 'PENDING', attempts: 0 });
    expect(waiting?.waitingReason).toMatch(/refused People's key.*LEGAL_INTEGRATION_KEY/);
    world.legal.acceptKey();
    await world.runner.runDue();
    expect((await statusesOf(ben, asBen)).get('pol-gifts')?.submission).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
  });
});

describe('pending signatures, for the portal', () => {
  const pendingQuery = /* GraphQL */ `
    query Pending($id: ID!) {
      employee(id: $id) {
        pendingSignatures {
          policies { policy { id } status dueDate }
          documents { id title kind dueDate signingUrl }
          documentsError
          legal { configured }
        }
      }
    }
  `;
  type Pending = {
    employee: {
      pendingSignatures: {
        policies: { policy: { id: string }; status: string; dueDate: string | null }[];
        documents: { id: string; title: string; kind: string | null; dueDate: string | null; signingUrl: string }[];
        documentsError: string | null;
      } | null;
    } | null;
  };

  it('lists the policies still to sign and Legal’s other documents awaiting the employee’s signature', async () => {
    world.legal.setDocuments(ada.hubUserId, [
      { id: 'doc-nda', title: 'Mutual NDA', kind: 'NDA', dueDate: '2026-06-30', signingUrl: 'https://legal.example/sign/doc-nda' },
      { id: 'doc-contract', title: 'Employment contract amendment', kind: 'CONTRACT', dueDate: '2026-06-20', signingUrl: 'https://legal.example/sign/doc-contract' },
    ]);
    const response = await world.app.gql<Pending>(pendingQuery, { id: ada.id }, asAda);
    expect(response.errors).toBeUndefined();
    const pending = response.data?.employee?.pendingSignatures;
    // Code of Conduct is acknowledged; the others apply to Ada and are not signed.
    expect(pending?.policies.map((entry) => entry.policy.id).sort()).toEqual(['pol-eng', 'pol-gifts', 'pol-travel']);
    expect(pending?.documents.map((document) => document.id)).toEqual(['doc-contract', 'doc-nda']);
    expect(pending?.documentsError).toBeNull();
  });

  it('is on the portal’s home page: `me.pendingSignatures` answers the same, and null for a Hub user with no employee record', async () => {
    world.legal.setDocuments(ada.hubUserId, [
      { id: 'doc-nda', title: 'Mutual NDA', kind: 'NDA', dueDate: '2026-06-30', signingUrl: 'https://legal.example/sign/doc-nda' },
    ]);
    const meQuery = /* GraphQL */ `
      query {
        me { pendingSignatures { policies { policy { id } } documents { id } documentsError } }
      }
    `;
    type MeAnswer = { me: { pendingSignatures: { policies: { policy: { id: string } }[]; documents: { id: string }[]; documentsError: string | null } | null } };
    const mine = await world.app.gql<MeAnswer>(meQuery, {}, asAda);
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.me.pendingSignatures?.policies.map((entry) => entry.policy.id).sort()).toEqual(['pol-eng', 'pol-gifts', 'pol-travel']);
    expect(mine.data?.me.pendingSignatures?.documents.map((document) => document.id)).toEqual(['doc-nda']);
    const nobody = await world.app.gql<MeAnswer>(meQuery, {}, await world.app.as({ hubUserId: 'hub-no-record', email: 'visitor@example.com', roles: ['Viewer'] }));
    expect(nobody.errors).toBeUndefined();
    expect(nobody.data?.me.pendingSignatures).toBeNull();
  });

  it('says why Legal’s documents are missing when it is down, and still lists the policies', async () => {
    await world.legal.down();
    const response = await world.app.gql<Pending>(pendingQuery, { id: ada.id }, asAda);
    await world.legal.up();
    expect(response.errors).toBeUndefined();
    expect(response.data?.employee?.pendingSignatures?.documents).toEqual([]);
    expect(response.data?.employee?.pendingSignatures?.documentsError).toMatch(/could not be reached/);
    expect(response.data?.employee?.pendingSignatures?.policies).toHaveLength(3);
  });

  it('is the employee’s alone: HR, their manager and services get FORBIDDEN', async () => {
    for (const headers of [await world.app.as({ roles: ['Admin'] }), await world.app.as({ roles: ['HR Manager'] }), asBen, serviceHeaders.psa]) {
      const response = await world.app.gql<Pending>(pendingQuery, { id: ada.id }, headers);
      expect(response.errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toEqual([['FORBIDDEN', 'employee.pendingSignatures']]);
    }
  });
});

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  let proxied: LegalWorld;

  beforeAll(async () => {
    proxied = await startLegalWorld({ signed: true, env: { TRUST_PROXY: 'loopback' } });
    proxied.legal.setPolicies([policy({ id: 'pol-proxy', title: 'Proxy Policy' })]);
    expect(await proxied.syncNow()).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await proxied?.close();
  });

  it('records the address the proxy forwarded as the signer’s, as the login does', async () => {
    const person = await hireSigner(proxied.app, 'Pia Proxy', { departmentId: proxied.org.departments.sales, locationId: proxied.org.locations.berlin });
    const headers = await proxied.app.as({ roles: [], email: person.email, hubUserId: person.hubUserId });
    const signed = await proxied.app.gql<Acknowledged>(
      acknowledgeMutation,
      { input: { policyId: 'pol-proxy', policyVersion: '1', typedName: 'Pia Proxy' } },
      { ...headers, 'x-forwarded-for': '203.0.113.7' },
    );
    expect(signed.data?.acknowledgePolicy.userErrors).toEqual([]);
    expect(await proxied.runner.runDue()).toBe(1);
    expect(proxied.legal.acknowledgementPosts.find((post) => post.body.policyId === 'pol-proxy')?.body).toMatchObject({ ipAddress: '203.0.113.7' });
  });
});

describe('Legal not configured', () => {
  let bare: LegalWorld;

  beforeAll(async () => {
    bare = await startLegalWorld({ configured: false });
  });

  afterAll(async () => {
    await bare?.close();
  });

  it('shows no policy to sign, and says why, instead of failing', async () => {
    const person = await hireSigner(bare.app, 'Cleo Config', { departmentId: bare.org.departments.sales, locationId: bare.org.locations.berlin });
    const headers = await bare.app.as({ roles: [], email: person.email, hubUserId: person.hubUserId });
    const read = await bare.app.gql<ToSign>(toSignQuery, { id: 'pol-conduct' }, headers);
    expect(read.errors).toBeUndefined();
    expect(read.data?.policyToSign).toBeNull();
    const statuses = await bare.app.gql<StatusesAnswer>(employeeStatusesQuery, { id: person.id }, headers);
    expect(statuses.data?.employee?.policyAcknowledgements).toMatchObject({ acknowledgements: [], syncedAt: null, legal: { configured: false, lastErrorCode: 'NOT_CONFIGURED' } });
    expect(statuses.data?.employee?.policyAcknowledgements?.legal.lastError).toMatch(/LEGAL_API_URL/);
  });
});
