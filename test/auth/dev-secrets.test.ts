import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
