import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { header, readBody, startSimulatorServer } from './server.js';

/**
 * A stand-in for Bus (the event mesh): a real HTTP server on 127.0.0.1 that accepts
 * `POST /events`, checks `X-Integration-Key`, and remembers what it was sent.
 *
 * Like the real Bus it answers 409 to an Idempotency-Key it already accepted, so a test can tell
 * a duplicate delivery (People sending one id twice) from a first one.
 */
export interface ReceivedEvent {
  envelope: EventEnvelope;
  headers: { integrationKey: string | null; idempotencyKey: string | null; contentType: string | null };
}

export interface BusRequest {
  idempotencyKey: string | null;
  subject: string | null;
  status: number;
}

export interface FailureRule {
  /** HTTP status to answer; default 503. */
  status?: number;
  /** Only requests for events of this subject fail (the rest are served normally). */
  subject?: string;
}

export interface BusSimulator {
  /** Base URL (BUS_API_URL): `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly integrationKey: string;
  /** Accepted events, in the order they were accepted. */
  readonly received: ReceivedEvent[];
  /** Every request answered, with its status (accepted, failed, refused, duplicate). */
  readonly requests: BusRequest[];
  /** Requests being handled right now. */
  inFlight(): number;
  /** Ids of accepted events, in order. */
  receivedIds(): string[];
  /** Fails the next `count` matching requests. */
  failNext(count: number, rule?: FailureRule): void;
  /** Fails every matching request until `recover()`. */
  failUntilRecovered(rule?: FailureRule): void;
  recover(): void;
  /** Delays every answer (to keep requests in flight). */
  setLatency(ms: number): void;
  /** Stops listening and drops open connections: clients get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Resolves when at least `count` events have been accepted (or rejects after `timeoutMs`). */
  waitForReceived(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBusSimulator(options: { integrationKey?: string; port?: number } = {}): Promise<BusSimulator> {
  const integrationKey = options.integrationKey ?? 'bus-test-key-0123456789';
  const received: ReceivedEvent[] = [];
  const requests: BusRequest[] = [];
  const accepted = new Set<string>();
  let failures: { remaining: number; rule: FailureRule } | null = null;
  let latencyMs = 0;

  function failureFor(subject: string | null): number | null {
    if (!failures || failures.remaining <= 0) return null;
    if (failures.rule.subject !== undefined && failures.rule.subject !== subject) return null;
    failures.remaining -= 1;
    return failures.rule.status ?? 503;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const idempotencyKey = header(request, 'idempotency-key');
    const envelope = parseEnvelope(body);
    const answer = (status: number, payload: unknown): void => {
      requests.push({ idempotencyKey, subject: envelope?.subject ?? null, status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };

    if (request.method !== 'POST' || request.url !== '/events') return answer(404, { error: 'not found' });
    if (header(request, 'x-integration-key') !== integrationKey) return answer(401, { error: 'bad integration key' });
    if (!envelope || !idempotencyKey || idempotencyKey !== envelope.id) return answer(400, { error: 'invalid envelope' });
    const failure = failureFor(envelope.subject);
    if (failure !== null) return answer(failure, { error: 'simulated failure' });
    if (accepted.has(envelope.id)) return answer(409, { error: 'duplicate' });
    accepted.add(envelope.id);
    received.push({
      envelope,
      headers: {
        integrationKey: header(request, 'x-integration-key'),
        idempotencyKey,
        contentType: header(request, 'content-type'),
      },
    });
    return answer(202, { accepted: envelope.id });
  }

  const server = await startSimulatorServer({ name: 'Bus', port: options.port, handle, received: () => ({ events: received.map((event) => event.envelope), requests }) });

  return {
    url: server.url,
    integrationKey,
    received,
    requests,
    inFlight: server.inFlight,
    receivedIds: () => received.map((event) => event.envelope.id),
    failNext(count, rule = {}) {
      failures = { remaining: count, rule };
    },
    failUntilRecovered(rule = {}) {
      failures = { remaining: Number.POSITIVE_INFINITY, rule };
    },
    recover() {
      failures = null;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    down: server.down,
    up: server.up,
    async waitForReceived(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`Bus simulator: ${received.length} of ${count} events after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: server.down,
  };
}

function parseEnvelope(body: string): EventEnvelope | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record: Record<string, unknown> = { ...value };
  const { id, type, occurredAt, source, subject, schemaVersion, data } = record;
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof occurredAt !== 'string' ||
    source !== 'people' ||
    typeof subject !== 'string' ||
    typeof schemaVersion !== 'number' ||
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data)
  ) {
    return null;
  }
  return { id, type, occurredAt, source, subject, schemaVersion, data: { ...data } };
}
