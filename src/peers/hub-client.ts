// People's client of Hub's integration API (the identity provider): revoking and restoring a
// user's access. The contract Hub implements is in the README ("Hub: access revocation").
// Answers come back as typed outcomes, never thrown, so the caller decides what each one means
// for its task. The integration key is never logged and never put in an outcome.

/** How Hub answered one request. */
export type HubAccessOutcome =
  /** Any 2xx: Hub has done it (or had already, for this Idempotency-Key). */
  | { outcome: 'done'; status: number }
  /** 404: Hub does not know this user. A person must look (the employee's Hub link). */
  | { outcome: 'notFound'; status: 404 }
  /**
   * Any other refusal a retry cannot fix: 4xx (401/403: People's key), a redirect (not followed,
   * it would carry the key elsewhere). `code` is Hub's error code when its body had one.
   */
  | { outcome: 'refused'; status: number; code: string | null }
  /** 5xx, 408, 429, no answer in time, Hub unreachable: worth retrying (at least `retryAfterMs`). */
  | { outcome: 'retryable'; status: number | null; error: string; retryAfterMs: number | null };

export interface RevokeAccessRequest {
  /** Hub's id of the user, from the employee's `hubUserId`. */
  hubUserId: string;
  employeeId: string;
  /** The employee's work e-mail, for Hub to check it revokes the right person. */
  email: string;
  workflowId: string;
  /** A code, e.g. `OFFBOARDING` or `EMERGENCY_OFFBOARDING`. */
  reason: string;
  /** When People decided it (the task's creation): the same on every attempt. */
  requestedAt: Date;
}

export interface RestoreAccessRequest {
  hubUserId: string;
  employeeId: string;
  /** The workflow whose revocation is undone. */
  workflowId: string;
  reason: string;
  requestedAt: Date;
}

export interface HubCallOptions {
  /** Sent as `Idempotency-Key`: the same on every attempt of one task, so Hub acts once. */
  idempotencyKey: string;
  /** Aborts the request (the runner's deadline); counts as a time-out. */
  signal?: AbortSignal;
}

export interface HubClient {
  /** HUB_API_URL without a trailing slash. */
  readonly baseUrl: string;
  /** HUB_TIMEOUT_MS: how long one request waits for Hub's answer. */
  readonly timeoutMs: number;
  /** `POST {HUB_API_URL}/users/{hubUserId}/revoke-access`. */
  revokeAccess(request: RevokeAccessRequest, options: HubCallOptions): Promise<HubAccessOutcome>;
  /** `POST {HUB_API_URL}/users/{hubUserId}/restore-access`. */
  restoreAccess(request: RestoreAccessRequest, options: HubCallOptions): Promise<HubAccessOutcome>;
}

export interface HubClientOptions {
  /** HUB_API_URL, e.g. `https://hub.example.com/api/integration`. */
  url: string;
  /** HUB_INTEGRATION_KEY, sent as `X-Integration-Key`. */
  integrationKey: string;
  /** Per-request timeout; default 5 s. */
  timeoutMs?: number;
}

export const defaultHubTimeoutMs = 5_000;

/** What an HTTP status means for a revoke or restore request. */
export function classifyHubStatus(status: number): 'done' | 'notFound' | 'refused' | 'retryable' {
  if (status >= 200 && status < 300) return 'done';
  if (status === 404) return 'notFound';
  // Asked to come back later: Hub is busy, not refusing.
  if (status >= 500 || status === 408 || status === 429) return 'retryable';
  return 'refused';
}

export function createHubClient(options: HubClientOptions): HubClient {
  const baseUrl = parseBaseUrl(options.url);
  const timeoutMs = options.timeoutMs ?? defaultHubTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError('Hub timeoutMs must be a positive whole number');
  const key = options.integrationKey;
  if (!key.trim()) throw new RangeError('Hub integration key is empty');
  if (/[\r\n]/.test(key)) throw new RangeError('Hub integration key contains a line break');

  async function post(action: 'revoke-access' | 'restore-access', hubUserId: string, body: Record<string, string>, call: HubCallOptions) {
    if (!hubUserId) throw new RangeError('hubUserId is empty');
    if (!/^[\x21-\x7e]{1,200}$/.test(call.idempotencyKey)) throw new RangeError('the Idempotency-Key must be 1 to 200 printable ASCII characters');
    const endpoint = `${baseUrl}/users/${encodeURIComponent(hubUserId)}/${action}`;
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-integration-key': key,
          'idempotency-key': call.idempotencyKey,
        },
        body: JSON.stringify(body),
        // A redirect would forward X-Integration-Key to wherever it points.
        redirect: 'manual',
        signal: call.signal ? AbortSignal.any([deadline, call.signal]) : deadline,
      });
    } catch (error) {
      return transportFailure(error, timeoutMs);
    }
    return answerOf(response);
  }

  return {
    baseUrl,
    timeoutMs,
    revokeAccess: (request, call) =>
      post(
        'revoke-access',
        request.hubUserId,
        {
          employeeId: request.employeeId,
          email: request.email,
          workflowId: request.workflowId,
          reason: request.reason,
          requestedAt: request.requestedAt.toISOString(),
        },
        call,
      ),
    restoreAccess: (request, call) =>
      post(
        'restore-access',
        request.hubUserId,
        {
          employeeId: request.employeeId,
          workflowId: request.workflowId,
          reason: request.reason,
          requestedAt: request.requestedAt.toISOString(),
        },
        call,
      ),
  };
}

async function answerOf(response: Response): Promise<HubAccessOutcome> {
  const status = response.status;
  switch (classifyHubStatus(status)) {
    case 'done':
      await discardBody(response);
      return { outcome: 'done', status };
    case 'notFound':
      await discardBody(response);
      return { outcome: 'notFound', status: 404 };
    case 'retryable':
      await discardBody(response);
      return {
        outcome: 'retryable',
        status,
        error: `Hub answered HTTP ${status}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    case 'refused':
      return { outcome: 'refused', status, code: status >= 400 ? await readErrorCode(response) : (await discardBody(response), null) };
  }
}

function transportFailure(error: unknown, timeoutMs: number): HubAccessOutcome {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    // In doubt: Hub may have acted and answered late; the retry carries the same Idempotency-Key.
    return { outcome: 'retryable', status: null, error: `Hub did not answer within ${timeoutMs} ms`, retryAfterMs: null };
  }
  // fetch wraps the socket error ("fetch failed", cause: { code: 'ECONNREFUSED', … }). Keep only
  // the code: the rest can hold addresses.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const safeCode = code && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'network error';
  return { outcome: 'retryable', status: null, error: `Hub unreachable (${safeCode})`, retryAfterMs: null };
}

function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError('Hub URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError('Hub URL must be http(s)');
  if (url.username || url.password) throw new RangeError('Hub URL must not carry credentials; use the integration key');
  if (url.search || url.hash) throw new RangeError('Hub URL must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}

/**
 * Hub's error code from a JSON body `{ "error": "<code>" }`, when it looks like a code. Nothing
 * else of the body is kept: it could echo the e-mail address People sent, and it ends up in the
 * task's last error and in logs.
 */
async function readErrorCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = JSON.parse((await response.text()).slice(0, 4_096));
    const code = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
