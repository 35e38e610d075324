import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from '../../src/server/tracing.js';
import { startTestApp, testAdmin, type TestApp } from '../support/server.js';
import { peopleSubgraph, startGateway } from '../federation/supergraph.js';

// OpenTelemetry with OTEL_EXPORTER_OTLP_ENDPOINT set: spans reach an OTLP/HTTP endpoint (a small
// receiver here, decoding the JSON export), continue the gateway's W3C trace context, and carry
// statements without their values.

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; arrayValue?: { values: { stringValue?: string }[] } };
}

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}

interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: ReceivedSpan[] }[] }[];
}

/** A local OTLP/HTTP traces endpoint: POST /v1/traces with JSON bodies, kept as they came. */
async function startReceiver(): Promise<{ url: string; bodies: string[]; spans(): ReceivedSpan[]; resources(): OtlpAttribute[][]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces' && request.headers['content-type']?.startsWith('application/json')) {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(415).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const exports = () => bodies.map((body) => JSON.parse(body) as OtlpExport);
  return {
    url: `http://127.0.0.1:${address.port}`,
    bodies,
    spans: () => exports().flatMap((item) => (item.resourceSpans ?? []).flatMap((resource) => (resource.scopeSpans ?? []).flatMap((scope) => scope.spans ?? []))),
    resources: () => exports().flatMap((item) => (item.resourceSpans ?? []).map((resource) => resource.resource?.attributes ?? [])),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function attribute(span: ReceivedSpan | undefined, key: string): unknown {
  const value = span?.attributes?.find((entry) => entry.key === key)?.value;
  if (!value) return undefined;
  if (value.arrayValue) return value.arrayValue.values.map((entry) => entry.stringValue);
  return value.stringValue ?? value.intValue ?? value.boolValue;
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let app: TestApp;

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestApp({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'people-under-test', OTEL_SLOW_RESOLVER_MS: '0' } });
});

afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

async function spansOfTrace(traceId: string, until: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const spans = receiver.spans().filter((span) => span.traceId === traceId);
    if (until(spans)) return spans;
    if (Date.now() > deadline) throw new Error(`spans of trace ${traceId} after 15 s: ${spans.map((span) => span.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('traces (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it("continues the gateway's traceparent: the operation, its resolvers and statements, with no parameter values", async () => {
    const traceId = randomBytes(16).toString('hex');
    const gatewaySpanId = randomBytes(8).toString('hex');
    const secretEmail = `trace-secret-${randomBytes(4).toString('hex')}@example.com`;
    const response = await app.gql<{ employeeByEmail: null }>(
      'query FindColleague($email: String!) { employeeByEmail(email: $email) { id } }',
      { email: secretEmail },
      { ...(await app.as(testAdmin)), traceparent: `00-${traceId}-${gatewaySpanId}-01` },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.employeeByEmail).toBeNull();

    const spans = await spansOfTrace(traceId, (found) => found.some((span) => span.name === 'query FindColleague') && found.some((span) => span.name.startsWith('db ')));
    const operation = spans.find((span) => span.name === 'query FindColleague');
    // A child of the gateway's span, in the gateway's trace.
    expect(operation?.parentSpanId).toBe(gatewaySpanId);
    expect(attribute(operation, 'graphql.operation.type')).toBe('query');
    expect(attribute(operation, 'graphql.operation.name')).toBe('FindColleague');
    expect(attribute(operation, 'graphql.outcome')).toBe('ok');
    // With OTEL_SLOW_RESOLVER_MS=0 every resolver is "slow": the root field has its span.
    const resolver = spans.find((span) => span.name === 'resolve Query.employeeByEmail');
    expect(resolver?.parentSpanId).toBe(operation?.spanId);
    const statements = spans.filter((span) => span.name.startsWith('db '));
    expect(statements.every((span) => span.parentSpanId === operation?.spanId)).toBe(true);
    const texts = statements.map((span) => String(attribute(span, 'db.query.text')));
    // The lookup by e-mail was sent with a placeholder; its value is in no span, attribute or export.
    expect(texts.some((text) => /\$1/.test(text))).toBe(true);
    expect(receiver.bodies.join('\n')).not.toContain(secretEmail);
    expect(receiver.resources().flat().find((entry) => entry.key === 'service.name')?.value.stringValue).toBe('people-under-test');
  });

  it("continues the trace through the example gateway, which forwards the caller's traceparent", async () => {
    const gateway = await startGateway([peopleSubgraph(app.url)]);
    try {
      const traceId = randomBytes(16).toString('hex');
      const callerSpanId = randomBytes(8).toString('hex');
      const response = await gateway.gql('query ThroughGateway { departments { id } }', undefined, {
        ...(await app.as(testAdmin)),
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      });
      expect(response.errors).toBeUndefined();
      // The gateway names its fetch after the operation (ThroughGateway__people__0).
      const spans = await spansOfTrace(traceId, (found) => found.some((span) => span.name.startsWith('query ThroughGateway')));
      const operation = spans.find((span) => span.name.startsWith('query ThroughGateway'));
      expect(operation?.parentSpanId).toBe(callerSpanId);
    } finally {
      await gateway.close();
    }
  });

  it('starts a trace of its own without a traceparent; a request refused before its operation is read keeps its HTTP name', async () => {
    const before = new Set(receiver.spans().map((span) => span.traceId));
    const response = await app.gql('query Nobody { employees { totalCount } }', undefined, {});
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const deadline = Date.now() + 15_000;
    let operation: ReceivedSpan | undefined;
    while (!operation && Date.now() < deadline) {
      operation = receiver.spans().find((span) => span.name === 'POST /graphql' && !before.has(span.traceId));
      if (!operation) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(operation?.parentSpanId ?? '').toBe('');
    expect(attribute(operation, 'graphql.outcome')).toBe('client_error');
    expect(attribute(operation, 'graphql.error.codes')).toEqual(['UNAUTHENTICATED']);
    expect(attribute(operation, 'http.response.status_code')).toEqual(expect.anything());
  });
});

describe('traces off (the default)', () => {
  it('loads no SDK: startTracing(null) is null, and only tracing-sdk.ts imports OpenTelemetry, on demand', async () => {
    expect(await startTracing(null)).toBeNull();
    const sourceRoot = path.resolve(import.meta.dirname, '../../src');
    const importers = (readdirSync(sourceRoot, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /from '@opentelemetry\//.test(readFileSync(path.join(sourceRoot, file), 'utf8')));
    expect(importers).toEqual([path.join('server', 'tracing-sdk.ts')]);
    expect(readFileSync(path.join(sourceRoot, 'server', 'tracing.ts'), 'utf8')).toMatch(/await import\('\.\/tracing-sdk\.js'\)/);
  });
});
