// The HTTP plumbing People's clients of its peers (Hub, Legal, Bus) have in common: checking the
// settings, one request with its time-out, telling a time-out from an unreachable peer, and
// reading what a refusal says without keeping anything that could be personal or secret. What an
// answer MEANS (done, retry, dead-letter, a person must look) stays with each client: the peers'
// contracts differ there.

export interface PeerConnection {
  /** The peer's URL without a trailing slash. */
  readonly baseUrl: string;
  /** Sent as `X-Integration-Key`; never logged, never put in an error or outcome. */
  readonly key: string;
  /** How long one request waits for its answer, unless the request says otherwise. */
  readonly timeoutMs: number;
}

/**
 * Checks a peer's settings, naming the peer (`Hub`, `Legal`, `Bus`) in the RangeError: a mistake
 * here is a deployment's, found at start-up rather than on the first request.
 */
export function peerConnection(peer: string, options: { url: string; integrationKey: string; timeoutMs: number }): PeerConnection {
  const baseUrl = parseBaseUrl(peer, options.url);
  const { timeoutMs } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`${peer} timeoutMs must be a positive whole number`);
  const key = options.integrationKey;
  if (!key.trim()) throw new RangeError(`${peer} integration key is empty`);
  if (/[\r\n]/.test(key)) throw new RangeError(`${peer} integration key contains a line break`);
  return { baseUrl, key, timeoutMs };
}

function parseBaseUrl(peer: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`${peer} URL is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`${peer} URL must be http(s)`);
  if (url.username || url.password) throw new RangeError(`${peer} URL must not carry credentials; use the integration key`);
  if (url.search || url.hash) throw new RangeError(`${peer} URL must not have a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}

/** Throws unless `key` can be sent as an `Idempotency-Key` header. */
export function checkIdempotencyKey(key: string): void {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new RangeError('the Idempotency-Key must be 1 to 200 printable ASCII characters');
}

/** No answer: both are worth retrying. */
export type TransportFailure =
  /** No answer within `timeoutMs`, or the caller's signal fired: the peer may still have acted. */
  | { kind: 'timeout'; timeoutMs: number }
  /** No connection (refused, reset, DNS): `code` is the socket error's code only. */
  | { kind: 'unreachable'; code: string };

export interface PeerRequest {
  method: 'GET' | 'POST';
  /** Appended to the base URL: starts with `/`, already encoded. */
  path: string;
  /** Sent as JSON; none for undefined. */
  body?: unknown;
  idempotencyKey?: string;
  /** This request's time-out; default the connection's. */
  timeoutMs?: number;
  /** Aborts the request (e.g. a task's deadline); counts as a time-out. */
  signal?: AbortSignal;
}

/** Sends one request; any answer (whatever its status) is the caller's to read or discard. */
export async function callPeer(
  connection: PeerConnection,
  request: PeerRequest,
): Promise<{ ok: true; response: Response } | { ok: false; failure: TransportFailure }> {
  const timeoutMs = request.timeoutMs ?? connection.timeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(`${connection.baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        accept: 'application/json',
        'x-integration-key': connection.key,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      // A redirect would forward X-Integration-Key to wherever it points.
      redirect: 'manual',
      signal: request.signal ? AbortSignal.any([deadline, request.signal]) : deadline,
    });
    return { ok: true, response };
  } catch (error) {
    return { ok: false, failure: transportFailure(error, timeoutMs) };
  }
}

function transportFailure(error: unknown, timeoutMs: number): TransportFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { kind: 'timeout', timeoutMs };
  // fetch wraps the socket error ("fetch failed", cause: { code: 'ECONNREFUSED', … }). Keep only
  // the code: the rest can hold addresses.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  return { kind: 'unreachable', code: code && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'network error' };
}

/** 5xx, 408, 429: the peer is there but cannot answer now (asked to come back later, not refusing). */
export function isBusyStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** How long the peer asked to be left alone (`Retry-After`: seconds or a date), or null. */
export function retryAfterMs(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Frees the connection of an answer whose body is not read. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}

/** The body as text, or null when it is longer than `maxBytes` (reading stops there). */
export async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The peer's error code for a refusal: from a 4xx's JSON body `{ "error": "<code>" }` when it
 * looks like a code, else null (a redirect's body is discarded). Nothing else of the body is
 * kept: it could echo what People sent (names, e-mail addresses), and it ends up in logs.
 */
export async function refusalCode(response: Response): Promise<string | null> {
  if (response.status < 400) {
    await discardBody(response);
    return null;
  }
  try {
    const text = await readCapped(response, 4_096);
    const body: unknown = text === null ? null : JSON.parse(text);
    const code = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}
