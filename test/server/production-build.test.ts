import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUpProcesses,
  exitTimeoutMs,
  hubAudience,
  hubIssuer,
  jsonLines,
  oneStart,
  repositoryRoot,
  ssoSecret,
  startServer,
  temporaryDataDir,
  unexpectedStderr,
} from '../support/process.js';

// The production build as README's "Running in production" describes it: `npm run build`, then
// the build started on its own, beside package.json and node_modules only (no sources, no tsx),
// with `npm run start:prod`, as an image built from it would run.

afterAll(cleanUpProcesses);

const buildTimeoutMs = 240_000;

describe('the production build', () => {
  it('starts from the build alone with NODE_ENV=production, applies its migrations, serves, and stops on SIGTERM', async () => {
    const release = await temporaryDataDir();
    const { stdout } = await promisify(execFile)('npm', ['run', 'build', '--', '--out-dir', path.join(release, 'dist')], {
      cwd: repositoryRoot,
      timeout: buildTimeoutMs,
    });
    expect(stdout).toContain(`NODE_ENV=production node ${path.join(release, 'dist', 'src', 'main.js')}`);
    // What an image holds: the build, package.json and the installed dependencies.
    copyFileSync(path.join(repositoryRoot, 'package.json'), path.join(release, 'package.json'));
    symlinkSync(realpathSync(path.join(repositoryRoot, 'node_modules')), path.join(release, 'node_modules'));
    expect(existsSync(path.join(release, 'src'))).toBe(false);

    const dataDir = path.join(release, 'data');
    // start:prod sets NODE_ENV=production itself: an operator's leftover development setting must not win.
    const server = await startServer({ DATA_DIR: dataDir, NODE_ENV: 'development' }, { command: ['npm', 'run', 'start:prod'], cwd: release });
    try {
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: true } });
      // Production: no explorer, no development token.
      expect(server.stdout()).not.toContain('Explorer:');
      expect(server.stdout()).not.toContain('Dev token');

      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ email: 'hr.manager@example.com', roles: ['HR Manager'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(hubIssuer)
        .setAudience(hubAudience)
        .setSubject('hub-user-production-build-test')
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(ssoSecret));
      const answer = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ departments { name } }' }),
      });
      expect(await answer.json()).toEqual({ data: { departments: [] } });
    } finally {
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    expect(jsonLines(server.stdout()).logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['migrations applied', 'People is listening', 'stopped']),
    );
    expect(unexpectedStderr(server.stderr())).toBe('');
  }, buildTimeoutMs + oneStart + exitTimeoutMs);
});
