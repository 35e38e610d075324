import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { requestLog } from '../../src/server/request-log.js';

// The request log on its own: a real node:http server whose routes answer as told, and the lines
// the logger wrote. (test/server/process.test.ts reads the same lines from People's own stdout.)

interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
  note?: string;
}

const lines: LogLine[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString().split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
    done();
  },
});

let server: http.Server;
let url: string;

beforeAll(async () => {
  const log = requestLog(createLogger('info', destination));
  server = http.createServer((req, res) => {
    log(req, res);
    if (req.url?.startsWith('/slow')) {
      // Never answers: the caller gives up first.
      return;
    }
    if (req.url?.startsWith('/broken')) {
      res.statusCode = 503;
      res.end();
      return;
    }
    req.log.info({ note: 'inside' }, 'a line of the route');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function linesFor(id: string, count: number): Promise<LogLine[]> {
  // pino writes asynchronously: a line may trail its response by a moment.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = lines.filter((line) => line.req?.id === id);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return lines.filter((line) => line.req?.id === id);
}

describe('the request log', () => {
  it('binds the route’s lines to the request, and ends with one line: method, path without its query, status, time', async () => {
    const response = await fetch(`${url}/people?token=secret-in-query`, { headers: { 'x-request-id': 'req-1', authorization: 'Bearer abc' } });
    expect(response.headers.get('x-request-id')).toBe('req-1');
    const found = await linesFor('req-1', 2);
    expect(found.map((line) => line.msg)).toEqual(['a line of the route', 'request completed']);
    expect(found[0]).toMatchObject({ note: 'inside', req: { id: 'req-1', method: 'GET', path: '/people' } });
    expect(found[1]).toMatchObject({ level: 30, req: { id: 'req-1', method: 'GET', path: '/people' }, res: { statusCode: 200 } });
    expect(found[1]?.responseTime).toEqual(expect.any(Number));
    expect(JSON.stringify(lines)).not.toMatch(/secret-in-query|Bearer abc/);
  });

  it('logs a 5xx answer as an error, and a caller gone before the answer as aborted', async () => {
    await fetch(`${url}/broken`, { headers: { 'x-request-id': 'req-broken' } });
    expect(await linesFor('req-broken', 1)).toEqual([expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 503 } })]);

    await expect(fetch(`${url}/slow`, { headers: { 'x-request-id': 'req-gone' }, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(await linesFor('req-gone', 1)).toEqual([expect.objectContaining({ level: 40, msg: 'request aborted' })]);
  });

  it('keeps probes and scrapes out of the log, and gives a request without a usable id a fresh one', async () => {
    const probe = await fetch(`${url}/health`, { headers: { 'x-request-id': 'req-probe' } });
    expect(probe.status).toBe(200);
    const unnamed = await fetch(`${url}/people`, { headers: { 'x-request-id': 'not valid <script>' } });
    const id = unnamed.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await linesFor(id, 2)).toHaveLength(2);
    expect(lines.filter((line) => line.req?.id === 'req-probe').map((line) => line.msg)).toEqual(['a line of the route']);
  });
});
