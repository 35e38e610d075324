import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserTests } from '../explorer/browser-availability.js';
import { launchChromium } from '../explorer/chromium.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

// The employee portal as a browser runs it: a page on another origin than People signs in at
// /auth/sso with a Hub token, then reads `me` with the session cookie alone (no Authorization
// header), through real CORS preflights in a real Chromium. A page on an origin not in
// CORS_ORIGINS is refused.
//
// The two origins are http://127.0.0.1:<portal port> and http://127.0.0.1:<People's port>: different
// origins (the port differs) but the same site (the host is the same), as portal.example.com and
// people.example.com are in production. The session cookie is SameSite=Lax: a browser sends it
// on the portal's credentialed requests to People only because the two are same-site.

const uiTimeoutMs = 60_000;

let browser: Browser;
let app: TestApp;
let employee: CreatedEmployee;
let portal: StaticServer;
let stranger: StaticServer;

/** People's request log (method, path, status: src/server/request-log.ts), to see which requests reached it. */
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});

interface RequestLine {
  req?: { method: string; path: string };
  res?: { statusCode: number };
}

/** The requests People answered since line `from`, as "METHOD /path status". */
function answeredSince(from: number): string[] {
  return logLines
    .slice(from)
    .map((line) => JSON.parse(line) as RequestLine)
    .filter((line) => line.req && line.res)
    .map((line) => `${line.req?.method} ${line.req?.path} ${line.res?.statusCode}`);
}

interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** A page server standing in for a frontend: an empty HTML page on its own origin. */
async function servePage(title: string): Promise<StaticServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

interface PageSession {
  context: BrowserContext;
  page: Page;
  /** Every request the page sent towards People (preflights are the browser's, not listed), with whether it carried a cookie or an Authorization header. */
  toPeople: { method: string; path: string; cookie: boolean; authorization: boolean }[];
}

async function openPage(origin: string): Promise<PageSession> {
  const context = await browser.newContext();
  context.setDefaultTimeout(uiTimeoutMs);
  const toPeople: PageSession['toPeople'] = [];
  // No request routing here: with routing on, Playwright answers CORS preflights itself, and
  // the preflights are what is under test. The page is an empty one that loads nothing else.
  const page = await context.newPage();
  page.on('request', async (request) => {
    const url = new URL(request.url());
    if (url.origin !== app.url) return;
    const headers = await request.allHeaders();
    toPeople.push({ method: request.method(), path: url.pathname, cookie: 'cookie' in headers, authorization: 'authorization' in headers });
  });
  await page.goto(`${origin}/`);
  return { context, page, toPeople };
}

/** What the page's script saw: the status and body of each call, or the error fetch threw. */
type Outcome = { status: number; body: unknown } | { error: string };

/** Signs in at People's /auth/sso and reads `me`, as a portal's script would (fetch, credentials included). */
function signInAndReadMe(page: Page, people: string, token: string): Promise<{ signIn: Outcome; me: Outcome }> {
  return page.evaluate(
    async ({ people, token }) => {
      const call = async (path: string, body: unknown): Promise<Outcome> => {
        try {
          const response = await fetch(`${people}${path}`, {
            method: 'POST',
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: response.status, body: await response.json() };
        } catch (error) {
          return { error: String(error) };
        }
      };
      const signIn = await call('/auth/sso', { token });
      const me = await call('/graphql', { query: '{ me { email roles employee { id displayName } capabilities } }' });
      return { signIn, me };
    },
    { people, token },
  );
}

// Without Chromium, skipped outside CI only (the rule and the line printed: test/explorer/browser-availability.ts).
describe.skipIf(!runBrowserTests)('the portal calling People from another origin, in a browser', () => {
  beforeAll(async () => {
    // The browser first: without one, fail at once with the install command.
    browser = await launchChromium();
    portal = await servePage('Employee portal');
    stranger = await servePage('Somewhere else');
    app = await startTestApp({ env: { CORS_ORIGINS: portal.origin }, logDestination: logStream });
    const org = await createOrgBasics(app);
    employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await portal?.close();
    await stranger?.close();
  });

  it('signs in at /auth/sso and reads `me` with the session cookie alone', async () => {
    const session = await openPage(portal.origin);
    try {
      const token = await app.tokenFor({ roles: [], email: employee.email, hubUserId: 'hub-portal-user' });
      const from = logLines.length;
      const { signIn, me } = await signInAndReadMe(session.page, app.url, token);
      expect(signIn).toMatchObject({ status: 200, body: { user: { hubUserId: 'hub-portal-user', employeeId: employee.id } } });
      expect(me).toEqual({
        status: 200,
        body: {
          data: {
            me: {
              email: employee.email,
              roles: [],
              employee: { id: employee.id, displayName: expect.any(String) },
              capabilities: expect.arrayContaining(['BROWSE_DIRECTORY', 'EDIT_OWN_PROFILE']),
            },
          },
        },
      });
      // Real preflights went first; the GraphQL call carried the cookie and no bearer token.
      expect(answeredSince(from)).toEqual(['OPTIONS /auth/sso 204', 'POST /auth/sso 200', 'OPTIONS /graphql 204', 'POST /graphql 200']);
      const graphql = session.toPeople.find((request) => request.method === 'POST' && request.path === '/graphql');
      expect(graphql).toEqual({ method: 'POST', path: '/graphql', cookie: true, authorization: false });
      // The browser keeps the session as People set it: HttpOnly (the portal's script never holds it), SameSite=Lax.
      const cookies = await session.context.cookies(app.url);
      expect(cookies.map(({ name, httpOnly, sameSite }) => ({ name, httpOnly, sameSite }))).toEqual([{ name: 'people_session', httpOnly: true, sameSite: 'Lax' }]);
    } finally {
      await session.context.close();
    }
  });

  it('refuses a page on an origin not in CORS_ORIGINS: its calls never reach People beyond the preflight', async () => {
    const session = await openPage(stranger.origin);
    try {
      const token = await app.tokenFor({ roles: [], email: employee.email, hubUserId: 'hub-portal-user' });
      const from = logLines.length;
      const { signIn, me } = await signInAndReadMe(session.page, app.url, token);
      expect(signIn).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) });
      expect(me).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) });
      expect(answeredSince(from)).toEqual(['OPTIONS /auth/sso 403', 'OPTIONS /graphql 403']);
    } finally {
      await session.context.close();
    }
  });
});
