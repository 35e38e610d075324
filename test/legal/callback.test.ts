import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/events/outbox.js';
import { signWebhook } from '../../src/shared/standard-webhooks.js';
import { testEnvironment } from '../support/server.js';
import {
  employeeStatusesQuery,
  hireSigner,
  policy,
  readAcknowledgementStatus,
  startLegalWorld,
  webhookSecret,
  type LegalWorld,
  type StatusesAnswer,
} from './fixtures.js';

// Legal's callback, POST /integrations/legal/acknowledgements: Legal's key only, a Standard
// Webhooks signature when LEGAL_WEBHOOK_SECRET is set, idempotent on webhook-id, and an older
// status never replacing a newer one.

let world: LegalWorld;
let signer: Awaited<ReturnType<typeof hireSigner>>;
let sequence = 0;

beforeAll(async () => {
  world = await startLegalWorld({ signed: true });
  signer = await hireSigner(world.app, 'Sam Signer', { departmentId: world.org.departments.engineering, locationId: world.org.locations.berlin });
  world.legal.setPolicies([policy({ id: 'pol-handbook', title: 'Handbook', version: '3' })]);
  expect(await world.syncNow()).toMatchObject({ ran: true, ok: true });
});

afterAll(async () => {
  await world?.close();
});

/** A fresh policy per test, so statuses do not carry over. */
let policyId = '';
beforeEach(() => {
  sequence += 1;
  policyId = `pol-${sequence}`;
});

function body(overrides: Record<string, unknown> = {}) {
  return {
    acknowledgementId: `ack-${policyId}`,
    policyId,
    policyVersion: '1',
    signer: { hubUserId: signer.hubUserId, email: signer.email },
    status: 'ACKNOWLEDGED',
    occurredAt: '2026-06-15T11:00:00.000Z',
    vaultDocumentId: `vault-${policyId}`,
    ...overrides,
  };
}

function statusOf(id: string): Promise<string | undefined> {
  return readAcknowledgementStatus(world.app, signer.id, id);
}

async function changeEvents(): Promise<number> {
  const page = await listEvents(world.app.database.db, { first: 500, type: 'legal.acknowledgement.changed', after: null });
  return page.events.length;
}

describe('a signed callback from Legal', () => {
  it('records the status, once per webhook-id', async () => {
    const before = await changeEvents();
    const first = await world.legal.sendCallback(body(), { webhookId: `msg-${policyId}` });
    expect(first).toEqual({ status: 200, body: { status: 'applied' } });
    expect(await statusOf(policyId)).toBe('ACKNOWLEDGED');
    expect(await changeEvents()).toBe(before + 1);

    const again = await world.legal.sendCallback(body(), { webhookId: `msg-${policyId}` });
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(await changeEvents()).toBe(before + 1);
  });

  it('never lets an older status replace a newer one, whatever its webhook-id', async () => {
    await world.legal.sendCallback(body({ status: 'ACKNOWLEDGED', occurredAt: '2026-06-15T11:30:00.000Z' }));
    const late = await world.legal.sendCallback(body({ status: 'DECLINED', occurredAt: '2026-06-15T11:00:00.000Z', vaultDocumentId: null }));
    expect(late).toEqual({ status: 200, body: { status: 'stale' } });
    expect(await statusOf(policyId)).toBe('ACKNOWLEDGED');
    // The same status at the same time again (a redelivery with a new id) changes nothing either.
    const same = await world.legal.sendCallback(body({ status: 'ACKNOWLEDGED', occurredAt: '2026-06-15T11:30:00.000Z' }));
    expect(same.body).toEqual({ status: 'stale' });
    // A newer one does.
    const newer = await world.legal.sendCallback(body({ status: 'DECLINED', occurredAt: '2026-06-15T11:45:00.000Z', vaultDocumentId: null }));
    expect(newer.body).toEqual({ status: 'applied' });
    expect(await statusOf(policyId)).toBe('DECLINED');
  });

  it('accepts a delivery whose signature list holds the right one among others (secret rotation)', async () => {
    const text = JSON.stringify(body());
    const timestamp = Math.floor(world.app.clock.now().getTime() / 1000);
    const webhookId = `msg-rotation-${policyId}`;
    const good = signWebhook(webhookSecret, webhookId, timestamp, text);
    const old = signWebhook(Buffer.alloc(32, 1), webhookId, timestamp, text);
    const answer = await world.legal.sendCallback(body(), { webhookId, timestamp, signature: `${old} ${good}` });
    expect(answer.status).toBe(200);
  });

  it('ignores a signer People does not know (200, nothing recorded: a retry cannot help)', async () => {
    const answer = await world.legal.sendCallback(body({ signer: { hubUserId: 'hub-nobody', email: null } }));
    expect(answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'unknown_signer' } });
  });
});

describe('what the callback refuses', () => {
  it('a wrong signature, a missing one, and a delivery more than 5 minutes old or ahead', async () => {
    const now = Math.floor(world.app.clock.now().getTime() / 1000);
    const cases: [string, Parameters<LegalWorld['legal']['sendCallback']>[1], string][] = [
      ['forged', { signature: signWebhook(Buffer.alloc(32, 9), 'x', now, 'y') }, 'bad_signature'],
      ['unsigned', { sign: false }, 'missing_headers'],
      ['old', { timestamp: now - 301 }, 'stale_timestamp'],
      ['future', { timestamp: now + 301 }, 'stale_timestamp'],
    ];
    for (const [name, options, reason] of cases) {
      const answer = await world.legal.sendCallback(body(), options);
      expect(answer.status, name).toBe(401);
      expect(answer.body.error, name).toBe(reason);
    }
    expect(await statusOf(policyId)).toBeUndefined();
  });

  it('a body that is signed but altered', async () => {
    const timestamp = Math.floor(world.app.clock.now().getTime() / 1000);
    const signature = signWebhook(webhookSecret, 'msg-altered', timestamp, JSON.stringify(body({ status: 'DECLINED' })));
    const answer = await world.legal.sendCallback(body(), { webhookId: 'msg-altered', timestamp, signature });
    expect(answer).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
  });

  it('any key but Legal’s: none (401), a wrong one (401), PSA’s or Defend’s (403)', async () => {
    expect((await world.legal.sendCallback(body(), { key: null })).status).toBe(401);
    const wrong = await world.legal.sendCallback(body(), { key: 'wrong-key-0123456789abcdef' });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'bad_service_key' } });
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-key');
    for (const key of [testEnvironment.INTEGRATION_KEY, testEnvironment.DEFEND_SERVICE_KEY]) {
      const answer = await world.legal.sendCallback(body(), { key });
      expect(answer).toMatchObject({ status: 403, body: { error: 'not_legal' } });
    }
    // A person's token is no key either.
    const token = await world.app.tokenFor({ roles: ['Admin'] });
    const response = await fetch(`${world.app.url}/integrations/legal/acknowledgements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body()),
    });
    expect(response.status).toBe(403);
    expect(await statusOf(policyId)).toBeUndefined();
  });

  it('a body that does not fit the contract (400), naming the field and never echoing values', async () => {
    const answer = await world.legal.sendCallback(body({ status: 'MAYBE', signer: { hubUserId: signer.hubUserId, email: 'private.person@example.com' }, occurredAt: 'yesterday' }));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('bad_body');
    expect(String(answer.body.message)).toMatch(/status/);
    expect(String(answer.body.message)).toMatch(/occurredAt/);
    expect(JSON.stringify(answer.body)).not.toContain('private.person');
    expect(JSON.stringify(answer.body)).not.toContain('MAYBE');
  });
});

describe('an unsigned deployment (no LEGAL_WEBHOOK_SECRET)', () => {
  let unsigned: LegalWorld;
  let person: Awaited<ReturnType<typeof hireSigner>>;

  beforeAll(async () => {
    unsigned = await startLegalWorld({ signed: false });
    person = await hireSigner(unsigned.app, 'Una Unsigned', { departmentId: unsigned.org.departments.sales, locationId: unsigned.org.locations.berlin });
  });

  afterAll(async () => {
    await unsigned?.close();
  });

  it('takes Legal’s key alone, and still refuses PSA’s', async () => {
    const payload = { ...body(), signer: { hubUserId: person.hubUserId, email: person.email } };
    expect(await unsigned.legal.sendCallback(payload)).toEqual({ status: 200, body: { status: 'applied' } });
    expect((await unsigned.legal.sendCallback(payload, { key: testEnvironment.INTEGRATION_KEY })).status).toBe(403);
  });
});

describe('the statuses it feeds', () => {
  it('shows the acknowledgement on the employee, with Legal’s time and vault document', async () => {
    await world.legal.sendCallback(body({ policyId: 'pol-handbook', policyVersion: '3', acknowledgementId: 'ack-handbook', vaultDocumentId: 'vault-handbook' }));
    const response = await world.app.gql<StatusesAnswer>(employeeStatusesQuery, { id: signer.id });
    expect(response.data?.employee?.policyAcknowledgements?.acknowledgements).toEqual([
      expect.objectContaining({
        policy: { id: 'pol-handbook', version: '3' },
        status: 'ACKNOWLEDGED',
        acknowledgedAt: '2026-06-15T11:00:00.000Z',
        vaultDocumentId: 'vault-handbook',
        submission: null,
      }),
    ]);
  });
});
