import type { IncomingMessage, ServerResponse } from 'node:http';
import type express from 'express';
import { sendJson } from './json-response.js';

// Cross-origin calls from the browser UIs People trusts (the employee portal, the HR admin UI),
// named in CORS_ORIGINS. A small middleware rather than a dependency: People needs one exact
// behaviour. An allowed origin may call with credentials (the session cookie); any other origin
// gets no CORS header at all, so the browser keeps the answer from its page. CORS only lets a
// page READ answers: Apollo's CSRF prevention (a JSON content type or a preflight header) stays
// what keeps other sites from making a browser send a request that changes something.

/** Methods People's browser routes answer. */
const allowedMethods = 'GET, POST, OPTIONS';

/**
 * Request headers a page may send: JSON bodies, a bearer token (a portal that keeps the session
 * token rather than the cookie), Apollo's CSRF headers and a request id to correlate logs.
 */
const allowedHeaders = 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id';

/** Response headers a page may read beyond the safelisted ones: the request id, and when to retry a refused sign-in. */
const exposedHeaders = 'x-request-id, retry-after';

/** How long a browser may reuse a preflight's answer, in seconds (Chromium caps it at 2 hours). */
export const preflightMaxAgeSeconds = 600;

/** The origins of CORS_ORIGINS, compared with a request's `Origin` header exactly (both serialised). */
export type AllowedOrigins = ReadonlySet<string>;

/**
 * Answers CORS for a route: `Vary: Origin` always (the answer depends on it), the allow headers for
 * an allowed origin, and preflights (OPTIONS with `Access-Control-Request-Method`) itself: 204 for
 * an allowed origin, 403 without any CORS header for another, so the browser never sends the real
 * request. True when it answered (a preflight): the route has nothing more to do.
 */
export function answerCors(origins: AllowedOrigins, req: IncomingMessage, res: ServerResponse): boolean {
  // The routes it guards set no Vary of their own: this is the only one.
  res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  const allowed = origin !== undefined && origins.has(origin);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', exposedHeaders);
  }
  if (!preflight) return false;
  if (!allowed) {
    sendJson(res, 403, {
      errors: [
        {
          message: 'This origin may not call People from a browser: it is not in CORS_ORIGINS.',
          extensions: { code: 'FORBIDDEN', reason: 'origin_not_allowed' },
        },
      ],
    });
    return true;
  }
  res.setHeader('vary', 'Origin, Access-Control-Request-Headers');
  res.setHeader('access-control-allow-methods', allowedMethods);
  res.setHeader('access-control-allow-headers', allowedHeaders);
  res.setHeader('access-control-max-age', String(preflightMaxAgeSeconds));
  res.statusCode = 204;
  res.end();
  return true;
}

/** `answerCors` for Express routes (/auth). */
export function corsForOrigins(origins: AllowedOrigins): express.RequestHandler {
  return (req, res, next) => {
    if (!answerCors(origins, req, res)) next();
  };
}
