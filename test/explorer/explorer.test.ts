import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerContentSecurityPolicy } from '../../src/server/explorer.js';
import { createOrgBasics } from '../support/fixtures.js';
import { startTestApp, testAdmin, type TestApp } from '../support/server.js';
import { runBrowserTests } from './browser-availability.js';
import { isLoopback, launchChromium } from './chromium.js';

// The explorer as a developer uses it: a real Chromium opens the URL `npm start` prints, GraphiQL
// renders from People's own assets, and a query typed into it runs against the real server.

// Generous: a busy CI machine starts Chromium and parses ~1.5 MB of JavaScript slowly.
const uiTimeoutMs = 60_000;

let app: TestApp;
let browser: Browser;

interface Session {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
  /** Requests that would have left the machine; they were refused. */
  offLoopback: string[];
  /** Console errors, uncaught exceptions and Content-Security-Policy violations. */
  errors: string[];
  /** The Authorization and Content-Type headers of each POST to /graphql. */
  graphqlPosts: { authorization?: string; contentType?: string; body: string | null }[];
}

async function openSession(): Promise<Session> {
  const context = await browser.newContext();
  context.setDefaultTimeout(uiTimeoutMs);
  // Filled in as the page runs; the routes and listeners below are set before it loads anything.
  const session: Omit<Session, 'page'> = { context, requests: [], offLoopback: [], errors: [], graphqlPosts: [] };
  // Routing every request is what makes "nothing left loopback" a fact rather than a hope: a
  // request to anywhere else is refused here, before the network, and recorded.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    session.requests.push(url);
    if (isLoopback(url)) {
      await route.continue();
    } else {
      session.offLoopback.push(url);
      await route.abort('blockedbyclient');
    }
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') session.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => session.errors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
      const headers = request.headers();
      session.graphqlPosts.push({ authorization: headers.authorization, contentType: headers['content-type'], body: request.postData() });
    }
  });
  return Object.assign(session, { page });
}

/** Replaces the query editor's text by typing, as a developer would. */
async function typeQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .CodeMirror');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText, not type(): typed braces would be doubled by the editor's bracket auto-closing.
  await page.keyboard.insertText(query);
}

// Without Chromium, skipped outside CI only (the rule and the line printed: browser-availability.ts).
describe.skipIf(!runBrowserTests)('the explorer in a browser', () => {
  beforeAll(async () => {
    // The browser first: without one, fail at once with the install command.
    browser = await launchChromium();
    app = await startTestApp({ env: { EXPLORER_ENABLED: 'true' } });
    await createOrgBasics(app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('runs a query typed into GraphiQL, signed in by the token in the URL fragment, without leaving loopback', async () => {
    const session = await openSession();
    const { page } = session;
    try {
      const token = await app.tokenFor(testAdmin);
      const response = await page.goto(`${app.url}/explorer#token=${encodeURIComponent(token)}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toBe(explorerContentSecurityPolicy);

      await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
      // The token moved from the address bar into the headers editor.
      expect(await page.evaluate<string>('window.location.href')).toBe(`${app.url}/explorer`);
      expect(new URL(page.url()).hash).toBe('');
      const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').last();
      await expect.poll(() => headersEditor.innerText(), { timeout: uiTimeoutMs }).toContain('Bearer');

      await typeQuery(page, 'query ExplorerTest { departments { name } }');
      await page.getByRole('button', { name: /execute query/i }).click();

      const result = page.locator('.result-window');
      await result.getByText('Engineering').waitFor();
      const shown = await result.innerText();
      for (const name of ['"departments"', '"Engineering"', '"Sales"', '"People"']) expect(shown).toContain(name);
      expect(shown).not.toContain('"errors"');

      const post = session.graphqlPosts.find((sent) => sent.body?.includes('ExplorerTest'));
      expect(post).toMatchObject({ authorization: `Bearer ${token}`, contentType: expect.stringMatching(/^application\/json/) });

      // A dialog inserts a <style> element at run time: the one thing the policy's inline-style
      // allowance is there for. A violation would show up as a console error below.
      await page.getByRole('button', { name: /settings/i }).click();
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });

      expect(session.offLoopback).toEqual([]);
      expect(session.requests.length).toBeGreaterThan(0);
      for (const url of session.requests) expect(isLoopback(url), url).toBe(true);
      expect(session.errors).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it('without a token, the request is sent unauthenticated and People says so', async () => {
    const session = await openSession();
    const { page } = session;
    try {
      await page.goto(`${app.url}/explorer`);
      await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
      await typeQuery(page, '{ __typename }');
      await page.getByRole('button', { name: /execute query/i }).click();
      await page.locator('.result-window').getByText('UNAUTHENTICATED').waitFor();
      expect(session.graphqlPosts.every((sent) => sent.authorization === undefined)).toBe(true);
      expect(session.offLoopback).toEqual([]);
      // The 401s are the answers under test; anything else logged is a fault.
      expect(session.errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    } finally {
      await session.context.close();
    }
  });
});
