import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { loadStartupConfiguration } from '../../src/startup/configuration.js';

// loadConfig reads only the environment object it is given, so these never touch process.env.

function configError(environment: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig to reject ${JSON.stringify(environment)}`);
}

describe('loadConfig defaults', () => {
  it('runs on port 4001 with the embedded database under .data and demo data in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      environment: 'development',
      port: 4001,
      host: '0.0.0.0',
      database: { kind: 'pglite', dataDir: path.resolve('.data', 'pglite') },
      seedDemoData: true,
      businessTimeZone: 'UTC',
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      maxBodyBytes: 1_048_576,
    });
  });

  it('keeps the embedded database inside DATA_DIR, as an absolute path', () => {
    const config = loadConfig({ DATA_DIR: 'var/people' });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('var/people', 'pglite') });
    expect(path.isAbsolute(config.database.kind === 'pglite' ? config.database.dataDir : '')).toBe(true);
  });

  it('loads demo data by default in development and test, never by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemoData).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).seedDemoData).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemoData).toBe(false);
  });

  it('lets DEMO_DATA override the default either way', () => {
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DEMO_DATA: 'false' }).seedDemoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'auto' }).seedDemoData).toBe(false);
  });

  it('reads explicit values', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      BUSINESS_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '2500',
      MAX_BODY_BYTES: '65536',
    });
    expect(config).toMatchObject({
      environment: 'production',
      port: 8080,
      host: '127.0.0.1',
      businessTimeZone: 'Europe/Berlin',
      logLevel: 'warn',
      shutdownTimeoutMs: 2500,
      maxBodyBytes: 65_536,
    });
  });

  it('caps an org chart at 2000 people unless ORG_CHART_MAX_NODES says otherwise', () => {
    expect(loadConfig({}).graphql.orgChartMaxNodes).toBe(2000);
    expect(loadConfig({ ORG_CHART_MAX_NODES: '500' }).graphql.orgChartMaxNodes).toBe(500);
  });

  it('accepts PORT=0 (any free port)', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });
});

describe('HUB_TOKEN_MAX_AGE', () => {
  it('is 12 hours unless set', () => {
    expect(loadConfig({}).auth.hubTokenMaxAgeSeconds).toBe(12 * 3600);
  });

  it.each([
    ['90m', 5400],
    ['8h', 8 * 3600],
    ['2d', 2 * 86_400],
    ['3600', 3600],
    [' 12H ', 12 * 3600],
  ])('reads %j as %i seconds', (value, seconds) => {
    expect(loadConfig({ HUB_TOKEN_MAX_AGE: value }).auth.hubTokenMaxAgeSeconds).toBe(seconds);
  });

  it.each([['soon'], [''], ['-1h'], ['1.5h'], ['12 hours'], ['30s'], ['31d']])('rejects %j, naming HUB_TOKEN_MAX_AGE', (value) => {
    expect(configError({ HUB_TOKEN_MAX_AGE: value }).message).toMatch(/\bHUB_TOKEN_MAX_AGE\b/);
  });
});

describe('DATABASE_URL', () => {
  it('switches to PostgreSQL', () => {
    const url = 'postgres://people:secret@db.internal:5432/people';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
  });

  it('accepts the postgresql:// spelling', () => {
    const url = 'postgresql://people@localhost/people';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
  });

  it('wins over DATA_DIR', () => {
    const url = 'postgres://localhost/people';
    expect(loadConfig({ DATABASE_URL: url, DATA_DIR: '/somewhere' }).database.kind).toBe('postgres');
  });
});

describe('invalid configuration', () => {
  it.each([
    ['abc'],
    ['-1'],
    ['65536'],
    ['4001.5'],
    ['1e3'],
    // Empty must not quietly become port 0 (a random port).
    [''],
  ])('rejects PORT=%j, naming PORT', (value) => {
    expect(configError({ PORT: value }).message).toMatch(/\bPORT\b/);
  });

  it.each([['mysql://localhost/people'], ['localhost:5432'], ['']])(
    'rejects DATABASE_URL=%j, naming DATABASE_URL',
    (value) => {
      const error = configError({ DATABASE_URL: value });
      expect(error.message).toMatch(/\bDATABASE_URL\b/);
    },
  );

  it('does not echo a rejected DATABASE_URL, which may hold a password', () => {
    const error = configError({ DATABASE_URL: 'mysql://people:hunter2@db/people' });
    expect(error.message).not.toContain('hunter2');
  });

  it.each([['Mars/Olympus_Mons'], ['Berlin'], ['']])(
    'rejects BUSINESS_TIMEZONE=%j, naming BUSINESS_TIMEZONE',
    (value) => {
      expect(configError({ BUSINESS_TIMEZONE: value }).message).toMatch(/\bBUSINESS_TIMEZONE\b/);
    },
  );

  it.each([['staging'], ['prod'], ['PRODUCTION']])('rejects NODE_ENV=%j, naming NODE_ENV', (value) => {
    expect(configError({ NODE_ENV: value }).message).toMatch(/\bNODE_ENV\b/);
  });

  it.each([
    ['LOG_LEVEL', 'verbose'],
    ['DEMO_DATA', 'yes'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon'],
    ['SHUTDOWN_TIMEOUT_MS', ''],
    ['MAX_BODY_BYTES', '10'],
    ['MAX_BODY_BYTES', ''],
    ['HOST', ''],
    ['ORG_CHART_MAX_NODES', '0'],
    ['ORG_CHART_MAX_NODES', 'all'],
  ])('rejects %s=%j, naming it', (name, value) => {
    expect(configError({ [name]: value }).message).toContain(name);
  });

  it('names every bad variable at once', () => {
    const message = configError({ PORT: 'abc', NODE_ENV: 'staging', BUSINESS_TIMEZONE: 'Nowhere' }).message;
    expect(message).toMatch(/\bPORT\b/);
    expect(message).toMatch(/\bNODE_ENV\b/);
    expect(message).toMatch(/\bBUSINESS_TIMEZONE\b/);
  });

  it('names a lone BUS_API_URL together with the other bad values', () => {
    const error = configError({ PORT: 'abc', BUS_API_URL: 'http://bus.example' });
    expect(error.problems).toEqual([expect.stringMatching(/^PORT: /), expect.stringMatching(/^BUS_INTEGRATION_KEY: set BUS_API_URL and BUS_INTEGRATION_KEY together/)]);
  });

  it('rejects a DATABASE_URL that is no URL, without echoing its password', () => {
    const error = configError({ DATABASE_URL: 'postgres://people:hunter2@db.internal:port/people' });
    expect(error.message).toMatch(/\bDATABASE_URL: is not a valid URL/);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses two services with one key, naming both variables and never the key', () => {
    const shared = 'one-key-for-two-services-0123456789';
    const error = configError({ INTEGRATION_KEY: shared, LEGAL_INTEGRATION_KEY: shared, DEFEND_SERVICE_KEY: 'defend-own-key-0123456789' });
    expect(error.problems).toEqual(['LEGAL_INTEGRATION_KEY: must differ from INTEGRATION_KEY (the key is what tells PSA from LEGAL)']);
    expect(error.message).not.toContain(shared);
  });

  it('names a LEGAL_API_URL set without LEGAL_INTEGRATION_KEY, and a webhook secret that is no base64 secret', () => {
    const error = configError({ LEGAL_API_URL: 'https://legal.example/api', LEGAL_WEBHOOK_SECRET: 'whsec_not base64!' });
    expect(error.problems).toEqual([
      expect.stringMatching(/^LEGAL_WEBHOOK_SECRET: must be base64 of at least 16 bytes/),
      expect.stringMatching(/^LEGAL_INTEGRATION_KEY: set it with LEGAL_API_URL/),
    ]);
    expect(error.message).not.toContain('not base64!');
  });

  it('reads the Legal settings, with a 5-minute sync and a 5-second time-out unless set', () => {
    const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    const config = loadConfig({
      LEGAL_API_URL: 'https://legal.example/api',
      LEGAL_INTEGRATION_KEY: 'legal-key-0123456789abcdef',
      LEGAL_WEBHOOK_SECRET: secret,
    });
    expect(config.legal).toEqual({
      apiUrl: 'https://legal.example/api',
      integrationKey: 'legal-key-0123456789abcdef',
      webhookSecret: secret,
      syncIntervalMs: 300_000,
      timeoutMs: 5_000,
    });
    expect(loadConfig({}).legal).toMatchObject({ apiUrl: null, integrationKey: null, webhookSecret: null });
  });

  it('is a ConfigError, so main can tell it from a crash', () => {
    const error = configError({ PORT: 'abc' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
  });
});

describe('the configuration People starts with (loadStartupConfiguration)', () => {
  function startupProblems(environment: NodeJS.ProcessEnv): readonly string[] {
    try {
      loadStartupConfiguration(environment);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error(`expected the start to be refused with ${JSON.stringify(environment)}`);
  }

  it('in production, lists the bad values and every missing secret in one go', () => {
    expect(startupProblems({ NODE_ENV: 'production', PORT: 'abc', LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^LOG_LEVEL: /),
      expect.stringMatching(/^PORTAL_SSO_SECRET: required in production/),
      expect.stringMatching(/^SESSION_SECRET: required in production/),
    ]);
  });

  it('does not call a secret that is set but too short missing', () => {
    expect(startupProblems({ NODE_ENV: 'production', PORTAL_SSO_SECRET: 'short', SESSION_SECRET: 'session-secret-0123456789' })).toEqual([
      'PORTAL_SSO_SECRET: must be at least 16 characters',
    ]);
  });

  it('starts with a complete production configuration', () => {
    const { config, secrets } = loadStartupConfiguration({
      NODE_ENV: 'production',
      PORTAL_SSO_SECRET: 'portal-secret-0123456789',
      SESSION_SECRET: 'session-secret-0123456789',
    });
    expect(config.environment).toBe('production');
    expect(secrets).toEqual({ ssoSecret: 'portal-secret-0123456789', sessionSecret: 'session-secret-0123456789', developmentSecretsFile: null });
  });
});
