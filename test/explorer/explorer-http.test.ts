import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { explorerContentSecurityPolicy } from '../../src/server/explorer.js';
import { startTestApp, testAdmin, type TestApp } from '../support/server.js';

// The explorer over plain HTTP: what is served, with which headers, and nothing when it is off.

const assets = {
  'react.production.min.js': 'text/javascript; charset=utf-8',
  'react-dom.production.min.js': 'text/javascript; charset=utf-8',
  'graphiql.min.js': 'text/javascript; charset=utf-8',
  'graphiql.min.css': 'text/css; charset=utf-8',
  'bootstrap.js': 'text/javascript; charset=utf-8',
  'explorer.css': 'text/css; charset=utf-8',
} as const;

describe('with the explorer enabled', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { EXPLORER_ENABLED: 'true' } });
  });
  afterAll(() => app.close());

  it('serves the page with a strict Content-Security-Policy and no-sniff, no-referrer, no-framing headers', async () => {
    const response = await fetch(`${app.url}/explorer`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(explorerContentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');

    const policy = explorerContentSecurityPolicy.split('; ');
    expect(policy).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "connect-src 'self'"]));
    expect(explorerContentSecurityPolicy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(explorerContentSecurityPolicy).not.toMatch(/https?:/);

    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^(\/explorer\/assets\/[\w.-]+|data:,)$/);
  });

  it('serves every asset from its own origin with the right content type', async () => {
    for (const [name, contentType] of Object.entries(assets)) {
      const response = await fetch(`${app.url}/explorer/assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe(contentType);
      expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect((await response.text()).length, name).toBeGreaterThan(100);
    }
  });

  it('serves GraphiQL exactly as its package ships it', async () => {
    const packageJson = createRequire(import.meta.url).resolve('graphiql/package.json');
    const shipped = await readFile(path.join(path.dirname(packageJson), 'graphiql.min.js'), 'utf8');
    const served = await (await fetch(`${app.url}/explorer/assets/graphiql.min.js`)).text();
    expect(served).toBe(shipped);
  });

  it('serves nothing else from node_modules or the source tree', async () => {
    for (const probe of [
      '/explorer/assets/package.json',
      '/explorer/assets/..%2F..%2Fpackage.json',
      '/explorer/assets/../../package.json',
      '/explorer/assets/index.html',
      '/explorer/assets/graphiql.min.js.map',
      '/explorer/react/umd/react.production.min.js',
    ]) {
      const response = await fetch(`${app.url}${probe}`);
      expect(response.status, probe).toBe(404);
    }
  });

  it('sends a browser opening /graphql to the explorer, and leaves API clients alone', async () => {
    const browser = await fetch(`${app.url}/graphql`, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/explorer');

    const client = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      redirect: 'manual',
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true', ...(await app.as(testAdmin)) },
    });
    expect(client.status).toBe(200);
    expect(await client.json()).toEqual({ data: { __typename: 'Query' } });

    const anything = await fetch(`${app.url}/graphql`, { redirect: 'manual', headers: { accept: '*/*' } });
    expect(anything.status).not.toBe(302);
    expect((await app.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

describe('with the explorer disabled', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { EXPLORER_ENABLED: 'false' } });
  });
  afterAll(() => app.close());

  it('serves neither the page nor its assets, and does not redirect /graphql', async () => {
    for (const probe of ['/explorer', '/explorer/assets/graphiql.min.js', '/explorer/assets/bootstrap.js']) {
      const response = await fetch(`${app.url}${probe}`);
      expect(response.status, probe).toBe(404);
    }
    const browser = await fetch(`${app.url}/graphql`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(browser.status).not.toBe(302);
    expect(browser.headers.get('location')).toBeNull();
    expect((await app.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

describe('EXPLORER_ENABLED', () => {
  it('defaults to on, except with NODE_ENV=production, like introspection', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).graphql.explorer).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).graphql.explorer).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).graphql.explorer).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', EXPLORER_ENABLED: 'true' }).graphql.explorer).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', EXPLORER_ENABLED: 'false' }).graphql.explorer).toBe(false);
  });

  it('accepts only true or false', () => {
    expect(() => loadConfig({ EXPLORER_ENABLED: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ EXPLORER_ENABLED: 'yes' })).toThrow(/EXPLORER_ENABLED/);
  });
});
