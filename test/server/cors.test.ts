import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { preflightMaxAgeSeconds } from '../../src/server/cors.js';
import { startTestApp, testAdmin, type TestApp } from '../support/server.js';

// CORS over real HTTP: the origins of CORS_ORIGINS may call /graphql and /auth/* with
// credentials; any other origin gets no CORS header; preflights are answered here; Apollo's CSRF
// prevention still refuses a simple cross-site request. (The browser's side: test/portal/portal-browser.test.ts.)

const portal = 'https://portal.example.com';
const adminUi = 'http://127.0.0.1:5173';
const stranger = 'https://evil.example.net';

let app: TestApp;
let closed: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: `${portal}, ${adminUi}/` } });
  closed = await startTestApp();
});
afterAll(async () => {
  await app.close();
  await closed.close();
});

function preflight(target: TestApp, path: string, origin: string): Promise<Response> {
  return fetch(`${target.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

async function postGraphQL(target: TestApp, origin: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', ...(await target.as(testAdmin)), ...headers },
    body: JSON.stringify({ query: '{ departments { id } }' }),
  });
}

const corsHeaderNames = ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers'];

function corsHeadersOf(response: Response): string[] {
  return corsHeaderNames.filter((name) => response.headers.has(name));
}

describe('CORS_ORIGINS', () => {
  it('answers a preflight from an allowed origin with its credentials, methods, headers and max age', async () => {
    for (const path of ['/graphql', '/auth/sso', '/auth/logout']) {
      const response = await preflight(app, path, portal);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(portal);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const allowedHeaders = response.headers.get('access-control-allow-headers')?.split(',').map((name) => name.trim()) ?? [];
      expect(allowedHeaders).toEqual(expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight']));
      expect(response.headers.get('access-control-max-age')).toBe(String(preflightMaxAgeSeconds));
      expect(response.headers.get('vary')).toMatch(/origin/i);
    }
    // The second origin of the list, written with a trailing slash in the setting.
    expect((await preflight(app, '/graphql', adminUi)).headers.get('access-control-allow-origin')).toBe(adminUi);
  });

  it('refuses a preflight from another origin with no CORS header, so the browser never sends the request', async () => {
    for (const origin of [stranger, 'https://portal.example.com.evil.example.net', 'http://portal.example.com', 'null']) {
      const response = await preflight(app, '/graphql', origin);
      expect(response.status, origin).toBe(403);
      expect(corsHeadersOf(response), origin).toEqual([]);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    }
  });

  it('lets an allowed origin read answers with credentials, and gives another origin no CORS header', async () => {
    const allowed = await postGraphQL(app, portal);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(portal);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);

    const other = await postGraphQL(app, stranger);
    // Answered (a server-to-server caller sends no Origin anyway), but no browser page may read it.
    expect(other.status).toBe(200);
    expect(corsHeadersOf(other)).toEqual([]);
    expect(other.headers.get('vary')).toMatch(/origin/i);
  });

  it('keeps CSRF prevention on for allowed origins: a simple cross-site POST is refused', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { origin: portal, 'content-type': 'text/plain', ...(await app.as(testAdmin)) },
      body: JSON.stringify({ query: '{ departments { id } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('adds nothing to routes other than /graphql and /auth', async () => {
    const response = await fetch(`${app.url}/health`, { headers: { origin: portal } });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual([]);
  });

  it('allows no origin by default', async () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    const response = await preflight(closed, '/graphql', portal);
    expect(response.status).toBe(403);
    expect(corsHeadersOf(response)).toEqual([]);
    expect(corsHeadersOf(await postGraphQL(closed, portal))).toEqual([]);
  });

  it('reads a comma list of origins, normalised as browsers send them, and refuses what is no origin', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://Portal.Example.com:443, http://localhost:3000,,https://portal.example.com' }).corsOrigins).toEqual([
      'https://portal.example.com',
      'http://localhost:3000',
    ]);
    for (const bad of ['*', 'portal.example.com', 'https://portal.example.com/app', 'ftp://portal.example.com', 'https://portal.example.com?x=1']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
      try {
        loadConfig({ CORS_ORIGINS: bad });
      } catch (error) {
        expect((error as ConfigError).problems.join('\n')).toMatch(/^CORS_ORIGINS: .*is not an origin/);
      }
    }
  });
});
