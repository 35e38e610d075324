import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat } from '../../src/server/logger.js';

// Logs for a person at a terminal (pino-pretty) and for a collector (JSON lines): the same
// entries, redacted the same way, laid out differently.

const email = 'someone.private@home.test';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** One entry with a token, variables and a database error carrying bound personal values. */
function logEverythingSensitive(format: 'json' | 'pretty'): string {
  const { stream, text } = capture();
  const logger = createLogger('info', stream, format);
  const failed = Object.assign(new Error(`Failed query: insert into employees values ($1)\nparams: ${email}`), {
    query: 'insert into employees values ($1)',
    params: [email],
  });
  logger.error({ err: failed, request: { token: 'eyJhbGciOiJIUzI1NiJ9.secret', variables: { email } } }, 'write failed');
  return text();
}

describe('log format', () => {
  it('is readable at a terminal and JSON otherwise; production logs JSON even at a terminal', () => {
    expect(resolveLogFormat('auto', true, false)).toBe('pretty');
    expect(resolveLogFormat('auto', false, false)).toBe('json');
    expect(resolveLogFormat('auto', true, true)).toBe('json');
    expect(resolveLogFormat('json', true, false)).toBe('json');
    expect(resolveLogFormat('pretty', false, true)).toBe('pretty');
  });

  it('pretty: one readable line with the level and message, not JSON', () => {
    const { stream, text } = capture();
    createLogger('info', stream, 'pretty').info({ employees: 73 }, 'demo organisation loaded');
    const line = text();
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(line.trimStart().startsWith('{')).toBe(false);
    expect(line).toMatch(/INFO/);
    expect(line).toContain('demo organisation loaded');
    expect(line).toContain('employees');
    expect(line).toContain('73');
  });

  it('json: one JSON object a line', () => {
    const { stream, text } = capture();
    createLogger('info', stream, 'json').info({ employees: 73 }, 'demo organisation loaded');
    expect(JSON.parse(text())).toMatchObject({ level: 30, msg: 'demo organisation loaded', employees: 73, service: 'people' });
  });

  it.each(['json', 'pretty'] as const)('%s: tokens, variables and bound values of a failed statement are redacted', (format) => {
    const output = logEverythingSensitive(format);
    expect(output).toContain('write failed');
    expect(output).toContain('insert into employees values ($1)');
    expect(output).toContain('[redacted]');
    expect(output).not.toContain(email);
    expect(output).not.toContain('secret');
  });
});
