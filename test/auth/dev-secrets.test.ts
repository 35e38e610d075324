import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecrets } from '../../src/auth/dev-secrets.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const directories: string[] = [];
function dataDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'people-secrets-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('secrets at start', () => {
  it('refuses to start in production without PORTAL_SSO_SECRET, naming it', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'session-secret-0123456789' });
    expect(() => resolveSecrets(config)).toThrow(ConfigError);
    expect(() => resolveSecrets(config)).toThrow(/PORTAL_SSO_SECRET/);
  });

  it('refuses to start in production without SESSION_SECRET, naming it', () => {
    const config = loadConfig({ NODE_ENV: 'production', PORTAL_SSO_SECRET: 'portal-secret-0123456789' });
    expect(() => resolveSecrets(config)).toThrow(/SESSION_SECRET/);
  });

  it('names every missing production secret at once, with what to set', () => {
    const config = loadConfig({ NODE_ENV: 'production' });
    const problems = (() => {
      try {
        resolveSecrets(config);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^PORTAL_SSO_SECRET: required in production \(or HUB_JWKS_URL\).*set it to/),
      expect.stringMatching(/^SESSION_SECRET: required in production.*openssl rand/),
    ]);
  });

  it('accepts HUB_JWKS_URL instead of the shared secret in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HUB_JWKS_URL: 'https://hub.example/.well-known/jwks.json',
      SESSION_SECRET: 'session-secret-0123456789',
    });
    expect(resolveSecrets(config)).toEqual({ ssoSecret: null, sessionSecret: 'session-secret-0123456789', developmentSecretsFile: null });
  });

  it('in development, generates missing secrets once, keeps them private beside the data, and reuses them', () => {
    const directory = dataDir();
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: directory });
    const first = resolveSecrets(config);
    expect(first.developmentSecretsFile).toBe(path.join(directory, 'dev-secrets.json'));
    expect(first.ssoSecret?.length).toBeGreaterThanOrEqual(32);
    expect(first.sessionSecret).not.toBe(first.ssoSecret);
    expect(statSync(first.developmentSecretsFile ?? '').mode & 0o777).toBe(0o600);
    expect(resolveSecrets(config)).toEqual(first);
    expect(JSON.parse(readFileSync(first.developmentSecretsFile ?? '', 'utf8'))).toEqual({
      PORTAL_SSO_SECRET: first.ssoSecret,
      SESSION_SECRET: first.sessionSecret,
    });
  });

  it('with DATABASE_URL, keeps them in DATA_DIR all the same: then the only file there', () => {
    const directory = dataDir();
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: directory, DATABASE_URL: 'postgres://people@db.internal/people' });
    const secrets = resolveSecrets(config);
    // Tokens stay valid across restarts, and `npm run token` signs with the server's secret.
    expect(secrets.developmentSecretsFile).toBe(path.join(directory, 'dev-secrets.json'));
    expect(resolveSecrets(config)).toEqual(secrets);
    expect(readdirSync(directory)).toEqual(['dev-secrets.json']);
  });

  it('prefers secrets from the environment and then writes nothing', () => {
    const directory = dataDir();
    const config = loadConfig({
      NODE_ENV: 'development',
      DATA_DIR: directory,
      PORTAL_SSO_SECRET: 'portal-secret-0123456789',
      SESSION_SECRET: 'session-secret-0123456789',
    });
    expect(resolveSecrets(config)).toEqual({
      ssoSecret: 'portal-secret-0123456789',
      sessionSecret: 'session-secret-0123456789',
      developmentSecretsFile: null,
    });
  });
});
