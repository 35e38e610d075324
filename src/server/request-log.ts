import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

// Every request's id and its one line in the log, for every route (Express's and /graphql's
// alike), set before the request is routed. Written here rather than with pino-http: People needs
// the id, a logger bound to it and one line at the end; pino-http's per-request work (a logger
// child built through its serializers, three listeners) was a twentieth of a small request's CPU
// in issue 14's profile.

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's x-request-id when well formed, else a fresh UUID. */
    id: string;
    /** The server's logger, bound to this request (`req: { id, method, path }`). */
    log: Logger;
  }
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes and scrapes answer every few seconds; a line each would drown the requests people make. */
const quietPaths = new Set(['/health', '/ready', '/metrics']);

/** The path without its query string: query strings can carry tokens and personal data. */
function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

/**
 * Gives the request its id (echoed as `x-request-id`) and a logger bound to it, and logs one line
 * when the answer is sent (`request completed`; `request errored` for a 5xx) or the caller goes
 * away first (`request aborted`). Method, path and status only: never headers or bodies. Returns
 * the request's path, for routing.
 */
export function requestLog(logger: Logger): (req: IncomingMessage, res: ServerResponse) => string {
  return (req, res) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    const path = pathOf(req.url);
    req.id = id;
    req.log = logger.child({ req: { id, method: req.method, path } });
    if (quietPaths.has(path)) return path;
    const started = performance.now();
    // 'close' follows 'finish' on every response, and comes alone when the caller went away.
    res.once('close', () => {
      const fields = { res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) };
      if (!res.writableFinished) req.log.warn(fields, 'request aborted');
      else if (res.statusCode >= 500) req.log.error(fields, 'request errored');
      else req.log.info(fields, 'request completed');
    });
    return path;
  };
}
