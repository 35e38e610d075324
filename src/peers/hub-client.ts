import { callPeer, checkIdempotencyKey, discardBody, isBusyStatus, peerConnection, refusalCode, retryAfterMs, type TransportFailure } from './http.js';

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
  if (isBusyStatus(status)) return 'retryable';
  return 'refused';
}

export function createHubClient(options: HubClientOptions): HubClient {
  const connection = peerConnection('Hub', { ...options, timeoutMs: options.timeoutMs ?? defaultHubTimeoutMs });
  const { baseUrl, timeoutMs } = connection;

  async function post(action: 'revoke-access' | 'restore-access', hubUserId: string, body: Record<string, string>, call: HubCallOptions) {
    if (!hubUserId) throw new RangeError('hubUserId is empty');
    checkIdempotencyKey(call.idempotencyKey);
    const sent = await callPeer(connection, {
      method: 'POST',
      path: `/users/${encodeURIComponent(hubUserId)}/${action}`,
      body,
      idempotencyKey: call.idempotencyKey,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    return sent.ok ? answerOf(sent.response) : transportOutcome(sent.failure);
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
      return { outcome: 'retryable', status, error: `Hub answered HTTP ${status}`, retryAfterMs: retryAfterMs(response) };
    case 'refused':
      return { outcome: 'refused', status, code: await refusalCode(response) };
  }
}

function transportOutcome(failure: TransportFailure): HubAccessOutcome {
  // A time-out is in doubt: Hub may have acted and answered late; the retry carries the same Idempotency-Key.
  const error = failure.kind === 'timeout' ? `Hub did not answer within ${failure.timeoutMs} ms` : `Hub unreachable (${failure.code})`;
  return { outcome: 'retryable', status: null, error, retryAfterMs: null };
}
