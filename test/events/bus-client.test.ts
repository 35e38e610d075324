import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusPublishError, classifyBusStatus, createBusClient, type BusClient } from '../../src/events/bus-client.js';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { startBusSimulator, type BusSimulator } from '../simulators/bus.js';

// The HTTP client to Bus: request shape, and how each answer is classified.

let bus: BusSimulator;
let client: BusClient;

beforeEach(async () => {
  bus = await startBusSimulator();
  client = createBusClient({ url: `${bus.url}/`, integrationKey: bus.integrationKey, timeoutMs: 2_000 });
});
afterEach(async () => {
  await bus.close();
});

function envelope(): EventEnvelope {
  const employeeId = randomUUID();
  return {
    id: randomUUID(),
    type: 'employee.hired',
    occurredAt: '2026-06-15T09:30:00.000Z',
    source: 'people',
    subject: `employee:${employeeId}`,
    schemaVersion: 1,
    data: { employeeId },
  };
}

async function publishError(publish: Promise<void>): Promise<BusPublishError> {
  const error: unknown = await publish.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof BusPublishError)) throw new Error(`expected a BusPublishError, got ${String(error)}`);
  return error;
}

describe('publish', () => {
  it('POSTs the envelope as JSON to /events with the key and the event id as Idempotency-Key', async () => {
    const event = envelope();
    await client.publish(event);
    expect(client.endpoint).toBe(`${bus.url}/events`);
    expect(bus.received).toEqual([
      {
        envelope: event,
        headers: { integrationKey: bus.integrationKey, idempotencyKey: event.id, contentType: 'application/json' },
      },
    ]);
  });

  it('treats 409 (the Bus already has this id) as delivered', async () => {
    const event = envelope();
    await client.publish(event);
    await client.publish(event);
    expect(bus.requests.map((request) => request.status)).toEqual([202, 409]);
    expect(bus.receivedIds()).toEqual([event.id]);
  });

  it('reports 503 as retryable with its status', async () => {
    bus.failNext(1, { status: 503 });
    const error = await publishError(client.publish(envelope()));
    expect(error).toMatchObject({ kind: 'retryable', status: 503, message: 'Bus answered HTTP 503' });
  });

  it('reports 429 and 408 as retryable, 422 as permanent, 401 and 404 as configuration', async () => {
    for (const [status, kind] of [
      [429, 'retryable'],
      [408, 'retryable'],
      [422, 'permanent'],
      [400, 'permanent'],
      [404, 'configuration'],
    ] as const) {
      bus.failNext(1, { status });
      expect(await publishError(client.publish(envelope()))).toMatchObject({ kind, status });
    }
    const wrongKey = createBusClient({ url: bus.url, integrationKey: 'wrong-key-abcdef', timeoutMs: 2_000 });
    const error = await publishError(wrongKey.publish(envelope()));
    expect(error).toMatchObject({ kind: 'configuration', status: 401, message: 'Bus answered HTTP 401' });
    expect(error.message).not.toContain('wrong-key-abcdef');
  });

  it('classifies every status', () => {
    expect(classifyBusStatus(200)).toBe('delivered');
    expect(classifyBusStatus(202)).toBe('delivered');
    expect(classifyBusStatus(409)).toBe('delivered');
    expect(classifyBusStatus(500)).toBe('retryable');
    expect(classifyBusStatus(502)).toBe('retryable');
    expect(classifyBusStatus(425)).toBe('retryable');
    expect(classifyBusStatus(302)).toBe('configuration');
    expect(classifyBusStatus(403)).toBe('configuration');
    expect(classifyBusStatus(413)).toBe('permanent');
  });

  it('reports an unreachable Bus as retryable, without a status', async () => {
    await bus.down();
    const error = await publishError(client.publish(envelope()));
    expect(error).toMatchObject({ kind: 'retryable', inDoubt: false, status: null, message: 'Bus unreachable (ECONNREFUSED)' });
  });

  it('gives up after the timeout, as retryable and in doubt (the Bus may have the event)', async () => {
    bus.setLatency(1_000);
    const quick = createBusClient({ url: bus.url, integrationKey: bus.integrationKey, timeoutMs: 50 });
    const started = Date.now();
    const error = await publishError(quick.publish(envelope()));
    expect(Date.now() - started).toBeLessThan(900);
    expect(error).toMatchObject({
      kind: 'retryable',
      inDoubt: true,
      status: null,
      message: 'Bus did not answer within 50 ms (in doubt: it may have the event)',
    });
  });

  it('takes a longer timeout for one request when asked', async () => {
    bus.setLatency(200);
    const quick = createBusClient({ url: bus.url, integrationKey: bus.integrationKey, timeoutMs: 50 });
    await quick.publish(envelope(), { timeoutMs: 2_000 });
    expect(bus.received).toHaveLength(1);
  });
});

describe('a Bus that misbehaves', () => {
  let url = '';
  let close: () => Promise<void> = async () => undefined;
  const key = 'secret-integration-key-42';

  beforeEach(async () => {
    // Echoes the request headers back in a 422 body and redirects /redirect/events.
    const server = createServer((request, response) => {
      if (request.url?.startsWith('/redirect')) {
        response.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' }).end();
        return;
      }
      response.writeHead(422, { 'content-type': 'application/json', 'retry-after': '7' });
      response.end(JSON.stringify({ error: 'bad envelope', echoed: request.headers }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterEach(async () => {
    await close();
  });

  it('never puts the key in an error, even when the Bus echoes it', async () => {
    const echo = createBusClient({ url, integrationKey: key, timeoutMs: 2_000 });
    const error = await publishError(echo.publish(envelope()));
    expect(error).toMatchObject({ kind: 'permanent', status: 422, retryAfterMs: 7_000 });
    expect(error.message).toMatch(/^Bus answered HTTP 422: /);
    expect(error.message).toContain('bad envelope');
    expect(error.message).not.toContain(key);
    expect(error.message.length).toBeLessThan(260);
  });

  it('does not follow redirects (they would carry the key elsewhere)', async () => {
    const redirected = createBusClient({ url: `${url}/redirect`, integrationKey: key, timeoutMs: 2_000 });
    const error = await publishError(redirected.publish(envelope()));
    expect(error).toMatchObject({ kind: 'configuration', status: 307 });
  });
});

describe('createBusClient', () => {
  it('refuses a bad URL or key without echoing the key', () => {
    expect(() => createBusClient({ url: 'not a url', integrationKey: 'k' })).toThrow(RangeError);
    expect(() => createBusClient({ url: 'ftp://bus.example', integrationKey: 'k' })).toThrow(RangeError);
    expect(() => createBusClient({ url: 'https://user:pw@bus.example', integrationKey: 'k' })).toThrow(RangeError);
    expect(() => createBusClient({ url: 'https://bus.example', integrationKey: '  ' })).toThrow(RangeError);
    expect(() => createBusClient({ url: 'https://bus.example', integrationKey: 'k', timeoutMs: 0 })).toThrow(RangeError);
    expect(createBusClient({ url: 'https://bus.example/api//', integrationKey: 'k' }).endpoint).toBe(
      'https://bus.example/api/events',
    );
  });
});
