import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSecrets } from '../../src/auth/dev-secrets.js';
import { createHubTokenVerifier } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';

// `npm run token` as a developer runs it: a real child process, its stdout captured.

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Settings a developer's shell might carry that would change what the CLI signs with. */
const inheritedAuthSettings = ['PORTAL_SSO_SECRET', 'SESSION_SECRET', 'HUB_JWKS_URL', 'HUB_TOKEN_ISSUER', 'HUB_TOKEN_AUDIENCE', 'HUB_TOKEN_MAX_AGE', 'DATABASE_URL'];

function run(command: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const name of inheritedAuthSettings) delete environment[name];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repositoryRoot, env: { ...environment, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dataDir: string;

/**
 * Runs the CLI with tsx as a loader in one Node process: what `npx tsx src/cli/token.ts` does,
 * minus npx and tsx's own wrapper process, which made each run seconds slower on a busy machine.
 * The first test goes through `npx tsx` itself, and one through `npm run -s token`.
 */
const tokenCli = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', ...args], { NODE_ENV: 'development', DATA_DIR: dataDir, ...env });

function storedSecret(): string {
  const stored: unknown = JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8'));
  if (typeof stored !== 'object' || stored === null || !('PORTAL_SSO_SECRET' in stored) || typeof stored.PORTAL_SSO_SECRET !== 'string') {
    throw new Error('dev-secrets.json holds no PORTAL_SSO_SECRET');
  }
  return stored.PORTAL_SSO_SECRET;
}

function verifierFor(secret: string, issuer = 'hub', audience = 'people') {
  return createHubTokenVerifier({ secret, jwksUrl: null, issuer, audience, maxAgeSeconds: loadConfig({}).auth.hubTokenMaxAgeSeconds });
}

/** The one line a successful run prints: the token, nothing else. */
function printedToken(result: Run): string {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  return result.stdout.trim();
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'people-token-cli-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('prints only a Hub-style token, signed with the development secret kept in DATA_DIR', async () => {
    const result = await run('npx', ['tsx', 'src/cli/token.ts', '--role', 'HR Manager', '--email', 'Someone@Example.com'], {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
    });
    const token = printedToken(result);
    expect(existsSync(path.join(dataDir, 'dev-secrets.json'))).toBe(true);

    await expect(verifierFor(storedSecret()).verify(token)).resolves.toEqual({
      hubUserId: 'local-someone@example.com',
      email: 'someone@example.com',
      roles: ['HR_MANAGER'],
      unknownRoles: [],
    });
    const claims = decodeJwt(token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(8 * 3600);
  });

  it('reuses the same secret file on the next run (and the server reads the same file)', async () => {
    const secretBefore = readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8');
    const token = printedToken(await tokenCli(['--role', 'Viewer', '--email', 'viewer@example.com']));
    expect(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')).toBe(secretBefore);
    await expect(verifierFor(storedSecret()).verify(token)).resolves.toMatchObject({ roles: ['VIEWER'] });

    // The server resolves its secrets the same way at start (main.ts), so it verifies with this one.
    const serverSecrets = resolveSecrets(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }));
    expect(serverSecrets.ssoSecret).toBe(storedSecret());
    expect(serverSecrets.developmentSecretsFile).toBe(path.join(dataDir, 'dev-secrets.json'));
  });

  it('takes a Hub user id, several roles and a lifetime', async () => {
    const token = printedToken(
      await tokenCli(['--email', 'boss@example.com', '--hub-user-id', 'hub-42', '--role', 'Manager', '--role', 'HR Staff', '--ttl', '90m']),
    );
    await expect(verifierFor(storedSecret()).verify(token)).resolves.toEqual({
      hubUserId: 'hub-42',
      email: 'boss@example.com',
      roles: ['MANAGER', 'HR_STAFF'],
      unknownRoles: [],
    });
    const claims = decodeJwt(token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(90 * 60);
  });

  it('signs the development Admin when no identity is given, and works through npm run -s', async () => {
    const result = await run('npm', ['run', '-s', 'token'], { NODE_ENV: 'development', DATA_DIR: dataDir });
    await expect(verifierFor(storedSecret()).verify(printedToken(result))).resolves.toEqual({
      hubUserId: 'dev-admin',
      email: 'dev-admin@people.local',
      roles: ['ADMIN'],
      unknownRoles: [],
    });
  });

  it('notes unknown role names on stderr and still prints the token', async () => {
    const result = await tokenCli(['--email', 'x@example.com', '--role', 'Wizard']);
    const token = printedToken(result);
    expect(result.stderr).toContain('"Wizard"');
    await expect(verifierFor(storedSecret()).verify(token)).resolves.toMatchObject({ roles: [], unknownRoles: ['Wizard'] });
  });

  it('uses PORTAL_SSO_SECRET, HUB_TOKEN_ISSUER and HUB_TOKEN_AUDIENCE when they are set', async () => {
    const secret = 'configured-sso-secret-0123456789';
    const token = printedToken(
      await tokenCli(['--email', 'x@example.com'], { PORTAL_SSO_SECRET: secret, HUB_TOKEN_ISSUER: 'hub.test', HUB_TOKEN_AUDIENCE: 'people.test' }),
    );
    await expect(verifierFor(secret, 'hub.test', 'people.test').verify(token)).resolves.toMatchObject({ email: 'x@example.com' });
    await expect(verifierFor(storedSecret()).verify(token)).rejects.toMatchObject({ reason: 'bad_signature' });
  });

  it('keeps within HUB_TOKEN_MAX_AGE: a shorter default lifetime, and a longer --ttl refused', async () => {
    const shortened = decodeJwt(printedToken(await tokenCli(['--email', 'x@example.com'], { HUB_TOKEN_MAX_AGE: '1h' })));
    expect((shortened.exp ?? 0) - (shortened.iat ?? 0)).toBe(3600);

    const tooLong = await tokenCli(['--email', 'x@example.com', '--ttl', '2d']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stdout).toBe('');
    expect(tooLong.stderr).toMatch(/--ttl 2d is longer than HUB_TOKEN_MAX_AGE \(12h\)/);
  });

  it('refuses in production, with a clear message and no token', async () => {
    const productionDir = mkdtempSync(path.join(os.tmpdir(), 'people-token-cli-prod-'));
    try {
      const result = await tokenCli(['--email', 'x@example.com', '--role', 'Admin'], {
        NODE_ENV: 'production',
        DATA_DIR: productionDir,
        PORTAL_SSO_SECRET: 'production-sso-secret-0123456789',
        SESSION_SECRET: 'production-session-secret-0123456789',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/development only.*NODE_ENV=production/);
      expect(result.stderr).not.toContain('production-sso-secret');
      expect(existsSync(path.join(productionDir, 'dev-secrets.json'))).toBe(false);
    } finally {
      rmSync(productionDir, { recursive: true, force: true });
    }
  });

  it('prints usage for --help', async () => {
    const result = await tokenCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run -s token -- \[options\]/);
    for (const option of ['--email', '--role', '--hub-user-id', '--ttl']) expect(result.stdout).toContain(option);
  });

  it('rejects bad arguments on stderr, with exit code 2 and nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['--email', 'x@example.com', '--ttl', 'soon'], /--ttl "soon"/],
      [['--email', 'x@example.com', '--ttl', '0'], /longer than zero/],
      [['--role', 'Admin'], /need --email/],
      [['--email', 'not-an-address'], /not an e-mail address/],
      [['--email', 'x@example.com', '--colour', 'blue'], /Unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      const result = await tokenCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});
