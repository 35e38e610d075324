import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, testAdmin, type TestApp } from '../support/server.js';

// The HTTP surface around GraphQL: probes, error shapes, limits, CSRF prevention, request ids.

interface ErrorBody {
  errors?: { message: string; extensions?: { code?: string; stacktrace?: unknown } }[];
}

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  // Guarded: if startup failed, the real error is the one to see.
  if (app) await app.close();
});

async function readJson(response: Response): Promise<{ text: string; body: unknown }> {
  const text = await response.text();
  return { text, body: JSON.parse(text) as unknown };
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain('/src/');
}

describe('probes', () => {
  it('GET /health answers 200 {status: ok}', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 with the database check passing', async () => {
    const response = await fetch(`${app.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { database: true } });
  });
});

describe('unknown paths', () => {
  it('answers 404 in JSON', async () => {
    const response = await fetch(`${app.url}/no/such/path`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const { body } = await readJson(response);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});

describe('request bodies', () => {
  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE and no stack', async () => {
    const query = `{ __typename }`;
    const padding = 'x'.repeat(1_048_576 + 1024);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { padding } }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const { text, body } = await readJson(response);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    expectNoStack(text);
  });

  it('answers malformed JSON with 400 in JSON and no stack', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ __typename }"',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const { text, body } = await readJson(response);
    const errors = (body as ErrorBody).errors;
    expect(errors).toHaveLength(1);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expectNoStack(text);
  });

  it('refuses a body over the limit sent without a length (chunked), with 413 and the connection closed', async () => {
    const padding = 'x'.repeat(64 * 1024);
    // 20 chunks of 64 KiB: over the 1 MiB limit, and no Content-Length to refuse it by up front.
    const chunks = Array.from({ length: 20 }, (_, index) => (index === 0 ? `{"query":"{ __typename }","variables":{"p":"${padding}` : padding));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.enqueue(new TextEncoder().encode('"}}'));
        else controller.enqueue(new TextEncoder().encode(next));
        if (next === undefined) controller.close();
      },
    });
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await app.as(testAdmin)) },
      body,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    const { text, body: answer } = await readJson(response);
    expect(answer).toEqual({ errors: [{ message: 'Request body is larger than 1048576 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    expectNoStack(text);
  });

  it('reads a gzip- or deflate-compressed body, and refuses an encoding it does not know with 415', async () => {
    const operation = Buffer.from(JSON.stringify({ query: '{ __typename }' }));
    for (const [encoding, compressed] of [
      ['gzip', gzipSync(operation)],
      ['deflate', deflateSync(operation)],
    ] as const) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding, ...(await app.as(testAdmin)) },
        body: compressed,
      });
      expect(response.status, encoding).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
    const unknown = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd', ...(await app.as(testAdmin)) },
      body: operation,
    });
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/zstd/), extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
  });

  it('counts a compressed body once inflated: a small gzip over the limit when inflated gets 413', async () => {
    // 4 MiB of one character compresses to a few KiB: under the limit as sent, over it inflated.
    const inflated = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(4 * 1_048_576) } }));
    const compressed = gzipSync(inflated);
    expect(compressed.length).toBeLessThan(1_048_576);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...(await app.as(testAdmin)) },
      body: compressed,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('answers a compressed body that does not inflate as not JSON, with 400', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...(await app.as(testAdmin)) },
      body: Buffer.from('not gzip at all'),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses a JSON body in a charset other than UTF-8 with 415, naming it', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=latin1', ...(await app.as(testAdmin)) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/latin1/), extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    const utf8 = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8', ...(await app.as(testAdmin)) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(utf8.status).toBe(200);
  });

  it('answers a GraphQL syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const result = await app.gql('{ departments { name ');
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace/i);
  });

  it('still answers a well-formed operation afterwards', async () => {
    const result = await app.gql('{ __typename }');
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ __typename: 'Query' });
  });
});

describe('CSRF prevention', () => {
  it('blocks a simple GET without a preflight-forcing header', async () => {
    const response = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/CSRF/);
    expect(text).not.toContain('"__typename"');
  });

  it('blocks a POST whose content-type is not application/json', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/CSRF/);
    expect(text).not.toContain('"__typename"');
  });

  it('blocks a POST form submission', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('lets a GET through when it carries apollo-require-preflight', async () => {
    const response = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true', ...(await app.as(testAdmin)) },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('request ids', () => {
  it('sets an x-request-id on every response', async () => {
    const first = await fetch(`${app.url}/health`);
    const second = await fetch(`${app.url}/health`);
    const firstId = first.headers.get('x-request-id');
    const secondId = second.headers.get('x-request-id');
    expect(firstId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(secondId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(firstId).not.toBe(secondId);
  });

  it('echoes a valid incoming x-request-id', async () => {
    const id = 'trace-abc.123:XYZ_9';
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id, ...(await app.as(testAdmin)) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
  });

  it('replaces an invalid incoming x-request-id with a fresh one', async () => {
    const invalid = 'not valid <script>';
    const response = await fetch(`${app.url}/health`, { headers: { 'x-request-id': invalid } });
    const id = response.headers.get('x-request-id');
    expect(id).not.toBe(invalid);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  it('replaces an over-long incoming x-request-id', async () => {
    const tooLong = 'a'.repeat(129);
    const response = await fetch(`${app.url}/health`, { headers: { 'x-request-id': tooLong } });
    const id = response.headers.get('x-request-id');
    expect(id).not.toBe(tooLong);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });
});

describe('readiness when the database is gone', () => {
  // Its own app: closing the database must not break the other tests, and cleanup must still run.
  let broken: TestApp | undefined;

  afterEach(async () => {
    const current = broken;
    broken = undefined;
    // close() is idempotent on the handle, so dropping the test database after the test closed it is safe.
    if (current) await current.close();
  });

  it('answers /ready with 503 after the database handle is closed, while /health stays 200', async () => {
    broken = await startTestApp();
    const before = await fetch(`${broken.url}/ready`);
    expect(before.status).toBe(200);

    await broken.database.close();

    const after = await fetch(`${broken.url}/ready`);
    expect(after.status).toBe(503);
    expect(await after.json()).toMatchObject({ status: 'unavailable', checks: { database: false } });

    const health = await fetch(`${broken.url}/health`);
    expect(health.status).toBe(200);
  });
});
