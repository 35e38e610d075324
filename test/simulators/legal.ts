import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signWebhook } from '../../src/shared/standard-webhooks.js';
import { header, readBody, startSimulatorServer } from './server.js';

/**
 * A stand-in for Legal: a real HTTP server on 127.0.0.1 serving the contract People's Legal client
 * speaks (README, "Legal: policies and acknowledgements"), checking `X-Integration-Key`, and able
 * to be down, slow, to fail or to refuse People's key. It also plays Legal's side of the callback:
 * `complete()` records a status and calls People back (signed when it has the secret).
 *
 * Like Legal it records an acknowledgement once per Idempotency-Key: a repeated POST answers the
 * same id, and `acknowledgementPosts` lets a test count what People sent.
 */

export interface SimulatedPolicy {
  id: string;
  title: string;
  version: string;
  category: string;
  effectiveDate: string;
  audience: { all: boolean; departments?: string[]; locations?: string[]; employmentTypes?: string[] };
  daysToAcknowledge: number | null;
}

export type SimulatedStatus = 'RECEIVED' | 'ACKNOWLEDGED' | 'DECLINED' | 'FAILED';

export interface SimulatedAcknowledgement {
  acknowledgementId: string;
  policyId: string;
  policyVersion: string;
  signer: { hubUserId: string; email: string | null; name?: string };
  status: SimulatedStatus;
  updatedAt: Date;
  vaultDocumentId: string | null;
  /** What People sent, for proxied ones. */
  submitted?: Record<string, unknown>;
}

export interface SimulatedDocument {
  id: string;
  title: string;
  kind?: string | null;
  dueDate?: string | null;
  signingUrl: string;
}

export interface LegalRequest {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
}

export interface CallbackOptions {
  /** Default: a new id per call. */
  webhookId?: string;
  /** Seconds since 1970; default: the simulator's clock. */
  timestamp?: number;
  /** Override the signature header (e.g. a forged one). */
  signature?: string;
  /** Override X-Integration-Key (e.g. PSA's key); null sends none. */
  key?: string | null;
  /** Sign even when the simulator was given no secret, or not sign when it was. */
  sign?: boolean;
}

export interface CallbackAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface LegalSimulator {
  /** LEGAL_API_URL: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly integrationKey: string;
  readonly policies: SimulatedPolicy[];
  readonly acknowledgements: Map<string, SimulatedAcknowledgement>;
  readonly requests: LegalRequest[];
  /** Every POST /acknowledgements that was answered 2xx, in order (a repeat of a key included). */
  readonly acknowledgementPosts: { idempotencyKey: string; acknowledgementId: string; body: Record<string, unknown> }[];
  setPolicies(policies: SimulatedPolicy[]): void;
  setContent(policyId: string, version: string, content: { format: 'html' | 'markdown'; content: string }): void;
  setDocuments(hubUserId: string, documents: SimulatedDocument[]): void;
  /** Records an acknowledgement made in Legal itself (not through People). */
  record(acknowledgement: Omit<SimulatedAcknowledgement, 'updatedAt'> & { updatedAt?: Date }): SimulatedAcknowledgement;
  /** Where People listens, with the key (and secret) Legal calls it with. */
  connectPeople(peopleUrl: string, options: { key: string; secret?: Buffer }): void;
  /**
   * Sets an acknowledgement's status (now, on the simulator's clock, unless `at`) and, unless
   * `notify: false` (a lost callback), calls People back. Answers People's answer, or null.
   */
  complete(
    acknowledgementId: string,
    status: Exclude<SimulatedStatus, 'RECEIVED'>,
    options?: { at?: Date; vaultDocumentId?: string; notify?: boolean },
  ): Promise<CallbackAnswer | null>;
  /** Sends People one callback body, as Legal would (signed, keyed) unless options say otherwise. */
  sendCallback(body: unknown, options?: CallbackOptions): Promise<CallbackAnswer>;
  /** Every request gets 401 until `acceptKey()`. */
  refuseKey(): void;
  acceptKey(): void;
  /** Answers the next `count` requests (matching `path`, a prefix) with `status`. */
  failNext(count: number, status?: number, path?: string): void;
  /** Delays every answer. */
  setLatency(ms: number): void;
  /** Holds every request (after reading it) until `resume()`. */
  pause(): void;
  resume(): void;
  /** Resolves once at least `count` requests are held by `pause()`. */
  waitForHeld(count: number): Promise<void>;
  /** Resolves once at least `count` acknowledgement POSTs have been answered (or recorded after People gave up). */
  waitForPosts(count: number): Promise<void>;
  /** Stops listening and drops open connections: People gets ECONNREFUSED. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
  /** Requests answered for `method path` (path without the query). */
  count(method: string, path: string): number;
}

export async function startLegalSimulator(
  options: { integrationKey?: string; pageSize?: number; clock?: () => Date; port?: number } = {},
): Promise<LegalSimulator> {
  const integrationKey = options.integrationKey ?? 'test-legal-integration-key-0123456789';
  const pageSize = options.pageSize ?? 2;
  const now = options.clock ?? (() => new Date());
  const policies: SimulatedPolicy[] = [];
  const contents = new Map<string, { format: 'html' | 'markdown'; content: string }>();
  const documents = new Map<string, SimulatedDocument[]>();
  const acknowledgements = new Map<string, SimulatedAcknowledgement>();
  const byIdempotencyKey = new Map<string, string>();
  const requests: LegalRequest[] = [];
  const acknowledgementPosts: LegalSimulator['acknowledgementPosts'] = [];
  let refusing = false;
  let failures: { remaining: number; status: number; path: string | null } | null = null;
  let latencyMs = 0;
  let held: (() => void)[] | null = null;
  let people: { url: string; key: string; secret?: Buffer } | null = null;
  let sequence = 0;

  function failureFor(path: string): number | null {
    if (!failures || failures.remaining <= 0) return null;
    if (failures.path !== null && !path.startsWith(failures.path)) return null;
    failures.remaining -= 1;
    return failures.status;
  }

  function wire(record: SimulatedAcknowledgement) {
    return {
      acknowledgementId: record.acknowledgementId,
      policyId: record.policyId,
      policyVersion: record.policyVersion,
      signer: { hubUserId: record.signer.hubUserId, email: record.signer.email },
      status: record.status,
      updatedAt: record.updatedAt.toISOString(),
      vaultDocumentId: record.vaultDocumentId,
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (held) {
      const queue = held;
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    const url = new URL(request.url ?? '/', 'http://legal.test');
    const path = url.pathname;
    const idempotencyKey = header(request, 'idempotency-key');
    const answer = (status: number, payload: unknown): void => {
      requests.push({ method: request.method ?? '', path, status, idempotencyKey });
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };

    if (refusing || header(request, 'x-integration-key') !== integrationKey) return answer(401, { error: 'invalid_key' });
    const failure = failureFor(path);
    if (failure !== null) return answer(failure, { error: 'simulated_failure' });

    let match: RegExpExecArray | null;
    if (request.method === 'GET' && path === '/policies') {
      if (url.searchParams.get('status') !== 'active') return answer(400, { error: 'status_required' });
      return answer(200, { policies });
    }
    if (request.method === 'GET' && (match = /^\/policies\/([^/]+)\/versions\/([^/]+)\/content$/.exec(path))) {
      const [policyId, version] = [decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? '')];
      const content = contents.get(`${policyId}|${version}`);
      if (!content) return answer(404, { error: 'not_found' });
      return answer(200, { policyId, version, ...content });
    }
    if (request.method === 'POST' && path === '/acknowledgements') {
      if (!idempotencyKey) return answer(400, { error: 'idempotency_key_required' });
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return answer(400, { error: 'bad_json' });
      }
      const known = byIdempotencyKey.get(idempotencyKey);
      if (known) {
        acknowledgementPosts.push({ idempotencyKey, acknowledgementId: known, body: parsed });
        return answer(202, { acknowledgementId: known });
      }
      const signer = (parsed.signer ?? {}) as { hubUserId?: string; email?: string; name?: string };
      sequence += 1;
      const record: SimulatedAcknowledgement = {
        acknowledgementId: `ack-${sequence}`,
        policyId: String(parsed.policyId),
        policyVersion: String(parsed.policyVersion),
        signer: { hubUserId: String(signer.hubUserId), email: signer.email ?? null, ...(signer.name ? { name: signer.name } : {}) },
        status: 'RECEIVED',
        updatedAt: now(),
        vaultDocumentId: null,
        submitted: parsed,
      };
      acknowledgements.set(record.acknowledgementId, record);
      byIdempotencyKey.set(idempotencyKey, record.acknowledgementId);
      acknowledgementPosts.push({ idempotencyKey, acknowledgementId: record.acknowledgementId, body: parsed });
      return answer(202, { acknowledgementId: record.acknowledgementId });
    }
    if (request.method === 'GET' && path === '/acknowledgements') {
      const since = url.searchParams.get('updatedSince');
      const offset = Number(url.searchParams.get('cursor') ?? '0');
      const all = [...acknowledgements.values()]
        .filter((record) => !since || record.updatedAt.getTime() >= Date.parse(since))
        .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.acknowledgementId.localeCompare(b.acknowledgementId));
      const page = all.slice(offset, offset + pageSize);
      return answer(200, { acknowledgements: page.map(wire), nextCursor: offset + pageSize < all.length ? String(offset + pageSize) : null });
    }
    if (request.method === 'GET' && (match = /^\/signers\/([^/]+)\/documents$/.exec(path))) {
      const hubUserId = decodeURIComponent(match[1] ?? '');
      return answer(200, { documents: documents.get(hubUserId) ?? [] });
    }
    return answer(404, { error: 'not_found' });
  }

  const server = await startSimulatorServer({
    name: 'Legal',
    port: options.port,
    handle,
    received: () => ({ requests, acknowledgementPosts, acknowledgements: [...acknowledgements.values()] }),
  });

  async function sendCallback(payload: unknown, call: CallbackOptions = {}): Promise<CallbackAnswer> {
    if (!people) throw new Error('Legal simulator: connectPeople() first');
    const text = JSON.stringify(payload);
    const webhookId = call.webhookId ?? `msg_${randomUUID()}`;
    const timestamp = call.timestamp ?? Math.floor(now().getTime() / 1000);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': webhookId, 'webhook-timestamp': String(timestamp) };
    const key = call.key === undefined ? people.key : call.key;
    if (key !== null) headers['x-integration-key'] = key;
    const sign = call.sign ?? people.secret !== undefined;
    if (call.signature !== undefined) headers['webhook-signature'] = call.signature;
    else if (sign && people.secret) headers['webhook-signature'] = signWebhook(people.secret, webhookId, timestamp, text);
    const response = await fetch(`${people.url}/integrations/legal/acknowledgements`, { method: 'POST', headers, body: text });
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body };
  }

  return {
    url: server.url,
    integrationKey,
    policies,
    acknowledgements,
    requests,
    acknowledgementPosts,
    setPolicies(next) {
      policies.splice(0, policies.length, ...next);
    },
    setContent(policyId, version, content) {
      contents.set(`${policyId}|${version}`, content);
    },
    setDocuments(hubUserId, list) {
      documents.set(hubUserId, list);
    },
    record(acknowledgement) {
      const record = { ...acknowledgement, updatedAt: acknowledgement.updatedAt ?? now() };
      acknowledgements.set(record.acknowledgementId, record);
      return record;
    },
    connectPeople(peopleUrl, connection) {
      people = { url: peopleUrl, key: connection.key, ...(connection.secret ? { secret: connection.secret } : {}) };
    },
    async complete(acknowledgementId, status, call = {}) {
      const record = acknowledgements.get(acknowledgementId);
      if (!record) throw new Error(`Legal simulator: no acknowledgement ${acknowledgementId}`);
      record.status = status;
      record.updatedAt = call.at ?? now();
      record.vaultDocumentId = status === 'ACKNOWLEDGED' ? (call.vaultDocumentId ?? `vault-${acknowledgementId}`) : null;
      if (call.notify === false) return null;
      return sendCallback({
        acknowledgementId: record.acknowledgementId,
        policyId: record.policyId,
        policyVersion: record.policyVersion,
        signer: { hubUserId: record.signer.hubUserId, email: record.signer.email },
        status,
        occurredAt: record.updatedAt.toISOString(),
        vaultDocumentId: record.vaultDocumentId,
      });
    },
    sendCallback,
    refuseKey() {
      refusing = true;
    },
    acceptKey() {
      refusing = false;
    },
    failNext(count, status = 503, path) {
      failures = { remaining: count, status, path: path ?? null };
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    pause() {
      held ??= [];
    },
    resume() {
      const queue = held ?? [];
      held = null;
      for (const release of queue) release();
    },
    async waitForPosts(count) {
      const deadline = Date.now() + 10_000;
      while (acknowledgementPosts.length < count) {
        if (Date.now() > deadline) throw new Error(`Legal simulator: ${acknowledgementPosts.length} of ${count} acknowledgement posts after 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async waitForHeld(count) {
      const deadline = Date.now() + 10_000;
      while ((held?.length ?? 0) < count) {
        if (Date.now() > deadline) throw new Error(`Legal simulator: ${held?.length ?? 0} of ${count} requests held after 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    down: server.down,
    up: server.up,
    close: server.down,
    count: (method, path) => requests.filter((entry) => entry.method === method && entry.path === path).length,
  };
}
