import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { RequestContext } from '../graphql/context.js';
import { answerCors, type AllowedOrigins } from './cors.js';
import { sendBrowserToExplorer } from './explorer.js';
import { sendJson } from './json-response.js';

// /graphql, served on node:http directly, in front of Express (which serves every other route).
// Express's router, its JSON body parser and Apollo's Express integration were a fifth of the
// CPU of a small GraphQL request (Defend's lookup by e-mail) in issue 14's profile; /graphql
// needs none of what they offer besides reading a JSON body, which is done here.

const graphqlPath = '/graphql';

/** Whether a request's path (its query string taken off) is /graphql's; a trailing slash is the same route. */
export function isGraphQLRequest(path: string): boolean {
  return path === graphqlPath || path === `${graphqlPath}/`;
}

export interface GraphQLHttpOptions {
  apollo: ApolloServer<RequestContext>;
  /** Who calls and from where; what it throws, Apollo answers (401 and 403 included). */
  context: (req: IncomingMessage) => Promise<RequestContext>;
  maxBodyBytes: number;
  corsOrigins: AllowedOrigins;
  /** Browsers opening /graphql are sent to the explorer. */
  explorer: boolean;
  /** Runs the rest of the request inside its trace span; null without tracing. */
  traced: ((req: IncomingMessage, res: ServerResponse, next: () => void) => void) | null;
}

type BodyRead =
  | { kind: 'read'; value: unknown }
  | { kind: 'none' }
  | { kind: 'too-large' }
  | { kind: 'not-json' }
  | { kind: 'unsupported'; message: string }
  | { kind: 'aborted' };

const decompressors: Record<string, (() => Transform) | undefined> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The body of a POST with a JSON content type, parsed; any other request's body is not read
 * (Apollo refuses what it cannot take, CSRF prevention first). At most `limit` bytes once
 * decompressed; UTF-8 only, as JSON is (RFC 8259).
 */
function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const contentType = req.headers['content-type'] ?? '';
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase();
  if (req.method !== 'POST' || mediaType !== 'application/json') return Promise.resolve({ kind: 'none' });
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return Promise.resolve({ kind: 'unsupported', message: `Request bodies are read as UTF-8 only, not ${charset}.` });
  }
  if (Number(req.headers['content-length']) > limit) return Promise.resolve({ kind: 'too-large' });
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decompressor = decompressors[encoding];
  if (encoding !== 'identity' && !decompressor) {
    return Promise.resolve({ kind: 'unsupported', message: `Content-Encoding "${encoding}" is not supported: send gzip, deflate, br or none.` });
  }
  const inflating = decompressor ? req.pipe(decompressor()) : null;
  const stream: Readable = inflating ?? req;

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      settle({ kind: 'too-large' });
      // Nothing more is inflated; what is left of the body is not read (the connection closes).
      if (inflating) {
        req.unpipe(inflating);
        inflating.destroy();
      }
    });
    stream.on('end', () => {
      try {
        settle({ kind: 'read', value: JSON.parse(Buffer.concat(chunks, size).toString('utf8')) });
      } catch {
        settle({ kind: 'not-json' });
      }
    });
    // A corrupt compressed body; a request cut off is 'close' without the whole body.
    stream.on('error', () => settle({ kind: 'not-json' }));
    req.on('close', () => {
      if (!req.complete) settle({ kind: 'aborted' });
    });
  });
}

function refuseBody(res: ServerResponse, read: Exclude<BodyRead, { kind: 'read' | 'none' | 'aborted' }>, limit: number): void {
  if (read.kind === 'too-large') {
    // The rest of the body is not read: the connection closes once the answer is sent.
    res.setHeader('connection', 'close');
    sendJson(res, 413, { errors: [{ message: `Request body is larger than ${limit} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  } else if (read.kind === 'unsupported') {
    sendJson(res, 415, { errors: [{ message: read.message, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
  } else {
    sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  }
}

async function answer(options: GraphQLHttpOptions, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: query < 0 ? '' : url.slice(query), body },
    context: () => options.context(req),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Serves /graphql: CORS, the explorer for browsers, the JSON body, then Apollo. */
export function graphqlHttpHandler(options: GraphQLHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const failed = (req: IncomingMessage, res: ServerResponse) => (error: unknown) => {
    req.log.error({ err: error }, 'request failed');
    if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    else res.destroy();
  };
  return (req, res) => {
    if (answerCors(options.corsOrigins, req, res)) return;
    if (options.explorer && sendBrowserToExplorer(req, res)) return;
    readJsonBody(req, options.maxBodyBytes).then((read) => {
      if (read.kind === 'aborted') return;
      if (read.kind !== 'read' && read.kind !== 'none') {
        refuseBody(res, read, options.maxBodyBytes);
        return;
      }
      const body = read.kind === 'read' ? read.value : undefined;
      const run = () => void answer(options, req, res, body).catch(failed(req, res));
      if (options.traced) options.traced(req, res, run);
      else run();
    }, failed(req, res));
  };
}
