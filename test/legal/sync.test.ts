import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLegalSync } from '../../src/legal/legal.service.js';
import { createLogger } from '../../src/server/logger.js';
import {
  captureLogs,
  complianceQuery,
  employeeStatusesQuery,
  hireSigner,
  policy,
  startLegalWorld,
  type ComplianceAnswer,
  type LegalWorld,
  type StatusesAnswer,
} from './fixtures.js';

// The sync keeps People's copy of Legal's policies and statuses: it heals a lost callback, and when
// Legal is down, refuses the key or is not configured, the answers keep the last known statuses
// and say what is wrong, with one log line per change of state, never a storm.

let world: LegalWorld;
let sam: Awaited<ReturnType<typeof hireSigner>>;

beforeAll(async () => {
  // Short time-outs: a slow Legal is one that does not answer within 200 ms.
  world = await startLegalWorld({ env: { LEGAL_TIMEOUT_MS: '200' } });
  sam = await hireSigner(world.app, 'Sam Sync', { departmentId: world.org.departments.engineering, locationId: world.org.locations.berlin });
  world.legal.setPolicies([policy({ id: 'pol-conduct', title: 'Code of Conduct' }), policy({ id: 'pol-travel', title: 'Travel Policy' })]);
  world.legal.record({
    acknowledgementId: 'l-conduct',
    policyId: 'pol-conduct',
    policyVersion: '1',
    signer: { hubUserId: sam.hubUserId, email: sam.email },
    status: 'ACKNOWLEDGED',
    vaultDocumentId: 'vault-conduct',
  });
  expect(await world.syncNow()).toMatchObject({ ran: true, ok: true, policies: 2, acknowledgements: 1 });
});

afterAll(async () => {
  await world?.close();
});

async function statuses(): Promise<Map<string, string>> {
  const response = await world.app.gql<StatusesAnswer>(employeeStatusesQuery, { id: sam.id });
  expect(response.errors).toBeUndefined();
  return new Map((response.data?.employee?.policyAcknowledgements?.acknowledgements ?? []).map((entry) => [entry.policy.id, entry.status]));
}

async function dashboard() {
  const response = await world.app.gql<ComplianceAnswer>(complianceQuery, {});
  expect(response.errors).toBeUndefined();
  const report = response.data?.policyCompliance;
  if (!report) throw new Error('no report');
  return report;
}

function warnings(): Record<string, unknown>[] {
  return world.syncLogs.lines.filter((line) => Number(line.level) >= 40);
}

describe('healing', () => {
  it('picks up a status whose callback was lost at the next sync', async () => {
    world.legal.record({
      acknowledgementId: 'l-travel',
      policyId: 'pol-travel',
      policyVersion: '1',
      signer: { hubUserId: sam.hubUserId, email: sam.email },
      status: 'RECEIVED',
      vaultDocumentId: null,
    });
    await world.legal.complete('l-travel', 'ACKNOWLEDGED', { notify: false, at: new Date('2026-06-15T12:00:01Z') });
    expect((await statuses()).get('pol-travel')).toBe('PENDING');
    expect(await world.syncNow()).toMatchObject({ ran: true, ok: true, acknowledgements: 1 });
    expect((await statuses()).get('pol-travel')).toBe('ACKNOWLEDGED');
  });

  it('reads acknowledgements page by page from where it left off', async () => {
    const before = world.legal.count('GET', '/acknowledgements');
    // Nothing new: one page, nothing applied.
    expect(await world.syncNow()).toMatchObject({ ok: true, acknowledgements: 0 });
    expect(world.legal.count('GET', '/acknowledgements')).toBe(before + 1);
  });

  it('drops a policy Legal no longer lists from the dashboard', async () => {
    world.legal.setPolicies([policy({ id: 'pol-conduct', title: 'Code of Conduct' }), policy({ id: 'pol-travel', title: 'Travel Policy' }), policy({ id: 'pol-old', title: 'Old Policy' })]);
    await world.syncNow();
    expect((await dashboard()).policies.map((entry) => entry.policy.id)).toContain('pol-old');
    world.legal.setPolicies([policy({ id: 'pol-conduct', title: 'Code of Conduct' }), policy({ id: 'pol-travel', title: 'Travel Policy' })]);
    await world.syncNow();
    expect((await dashboard()).policies.map((entry) => entry.policy.id)).toEqual(['pol-conduct', 'pol-travel']);
  });
});

describe('Legal failing', () => {
  it('down: the answers say so and keep the last known statuses; one warning however many syncs fail', async () => {
    const syncedBefore = (await dashboard()).syncedAt;
    const warningsBefore = warnings().length;
    await world.legal.down();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await world.syncNow()).toMatchObject({ ran: true, ok: false, errorCode: 'UNREACHABLE' });
    }
    const report = await dashboard();
    expect(report.legal).toMatchObject({ configured: true, reachable: false, lastErrorCode: 'UNREACHABLE' });
    expect(report.legal.lastError).toMatch(/could not be reached at LEGAL_API_URL \(ECONNREFUSED\)/);
    expect(report.syncedAt).toBe(syncedBefore);
    expect(report.policies.map((entry) => [entry.policy.id, entry.acknowledged])).toEqual([
      ['pol-conduct', 1],
      ['pol-travel', 1],
    ]);
    expect(await statuses()).toEqual(new Map([['pol-conduct', 'ACKNOWLEDGED'], ['pol-travel', 'ACKNOWLEDGED']]));
    expect(warnings().length - warningsBefore).toBe(1);
    // The Admin's integration diagnostics say the same, from the sync's row.
    const diagnostics = await world.app.gql<{ integrations: { name: string; state: string; problems: { code: string; consequence: string }[] }[] }>(
      /* GraphQL */ `{ integrations { name state problems { code consequence } } }`,
    );
    expect(diagnostics.errors).toBeUndefined();
    const outbound = diagnostics.data?.integrations.find((entry) => entry.name === 'LEGAL_OUTBOUND');
    expect(outbound).toMatchObject({ state: 'UNHEALTHY', problems: [{ code: 'SYNC_FAILING' }] });
    expect(outbound?.problems[0]?.consequence).toMatch(/could not be reached at LEGAL_API_URL/);
    // The seed's "What Breaks" for Legal, in plain words.
    expect(outbound?.problems[0]?.consequence).toMatch(/compliance dashboard shows no policies/);
    await world.legal.up();
  });

  it('refusing the key: a message naming LEGAL_INTEGRATION_KEY; Legal is reachable', async () => {
    const warningsBefore = warnings().length;
    world.legal.refuseKey();
    await world.syncNow();
    await world.syncNow();
    const report = await dashboard();
    expect(report.legal).toMatchObject({ configured: true, reachable: true, lastErrorCode: 'KEY_REFUSED' });
    expect(report.legal.lastError).toMatch(/refused People's key \(HTTP 401\).*LEGAL_INTEGRATION_KEY/);
    expect(report.policies).toHaveLength(2);
    expect(warnings().length - warningsBefore).toBe(1);
    world.legal.acceptKey();
  });

  it('slow: a time-out, named with LEGAL_TIMEOUT_MS', async () => {
    world.legal.setLatency(400);
    expect(await world.syncNow()).toMatchObject({ ok: false, errorCode: 'TIMEOUT' });
    world.legal.setLatency(0);
    const report = await dashboard();
    expect(report.legal).toMatchObject({ reachable: false, lastErrorCode: 'TIMEOUT' });
    expect(report.legal.lastError).toMatch(/did not answer within 200 ms \(LEGAL_TIMEOUT_MS\)/);
  });

  it('retries a read that fails once, within the same sync', async () => {
    world.legal.failNext(1, 503, '/policies');
    expect(await world.syncNow()).toMatchObject({ ran: true, ok: true });
  });

  it('recovers: the error is cleared, and one line says so', async () => {
    const report = await dashboard();
    expect(report.legal).toEqual({ configured: true, reachable: true, lastErrorCode: null, lastError: null });
    expect(world.syncLogs.lines.filter((line) => String(line.msg).includes('answers again'))).toHaveLength(1);
    // And the Admin's diagnostics are healthy again, with the last sync and no error.
    const diagnostics = await world.app.gql<{
      integrations: { name: string; state: string; problems: unknown[]; legalSync: { lastSyncAt: string | null; lastError: string | null } | null }[];
    }>(/* GraphQL */ `{ integrations { name state problems { code } legalSync { lastSyncAt lastError } } }`);
    expect(diagnostics.errors).toBeUndefined();
    const outbound = diagnostics.data?.integrations.find((entry) => entry.name === 'LEGAL_OUTBOUND');
    expect(outbound).toMatchObject({ state: 'OK', problems: [], legalSync: { lastError: null } });
    expect(outbound?.legalSync?.lastSyncAt).toEqual(expect.any(String));
  });

  it('never logs the key', () => {
    expect(JSON.stringify(world.syncLogs.lines)).not.toContain(world.legal.integrationKey);
  });
});

describe('several replicas', () => {
  it('one sync at a time: a second replica skips while the first holds the claim, and nothing is due right after', async () => {
    const other = createLegalSync({ db: world.app.database.db, legal: world.app.legal, clock: world.app.clock, logger: createLogger('silent') });
    world.legal.pause();
    const first = world.syncNow();
    // The first replica has claimed the sync and is waiting for Legal.
    await world.legal.waitForHeld(1);
    expect(await other.syncNow({ force: true })).toEqual({ ran: false, reason: 'not_due_or_claimed' });
    world.legal.resume();
    expect(await first).toMatchObject({ ran: true, ok: true });
    // Not forced: the next sync is due an interval later.
    expect(await other.syncNow()).toEqual({ ran: false, reason: 'not_due_or_claimed' });
    await other.stop();
  });
});

describe('Legal not configured', () => {
  let bare: LegalWorld;
  const serverLogs = captureLogs();

  beforeAll(async () => {
    bare = await startLegalWorld({ configured: false, logDestination: serverLogs.destination });
    await hireSigner(bare.app, 'Nora Nobody', { departmentId: bare.org.departments.sales, locationId: bare.org.locations.berlin });
  });

  afterAll(async () => {
    await bare?.close();
  });

  it('answers with a clear message, not an empty dashboard or an error; one line at start, then silence', async () => {
    bare.sync.start();
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await bare.sync.syncNow({ force: true })).toEqual({ ran: false, reason: 'not_configured' });
    for (let request = 0; request < 3; request += 1) {
      const response = await bare.app.gql<ComplianceAnswer>(complianceQuery, {});
      expect(response.errors).toBeUndefined();
      expect(response.data?.policyCompliance).toMatchObject({ syncedAt: null, policies: [] });
      expect(response.data?.policyCompliance.legal).toMatchObject({ configured: false, reachable: null, lastErrorCode: 'NOT_CONFIGURED' });
      expect(response.data?.policyCompliance.legal.lastError).toMatch(/Legal is not configured: set LEGAL_API_URL and LEGAL_INTEGRATION_KEY/);
    }
    expect(bare.syncLogs.lines.map((line) => line.msg)).toEqual([expect.stringMatching(/^Legal is not configured/)]);
    expect(serverLogs.lines.filter((line) => Number(line.level) >= 40)).toEqual([]);
  });
});
