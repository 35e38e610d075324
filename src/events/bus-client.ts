import { callPeer, discardBody, isBusyStatus, peerConnection, retryAfterMs, type TransportFailure } from '../peers/http.js';
import type { EventEnvelope } from './envelope.js';

/**
 * How a failed publish should be handled:
 * - `retryable`: the Bus (or the way to it) is unwell: 5xx, 408, 425, 429, a network error or a
 *   timeout. Retry with back-off; counts as an attempt. A timeout is also `inDoubt`: the Bus may
 *   have taken the event and just answered late, so the retry is likely a duplicate (which the Bus
 *   answers 409) and the next attempt should wait longer (the dispatcher's job).
 * - `permanent`: the Bus refused THIS event (400, 410, 413, 422 and other 4xx not listed
 *   elsewhere). Sending the same bytes again cannot succeed, so the dispatcher dead-letters it at
 *   once; fix the cause, then re-drive it.
 * - `configuration`: the Bus refused PEOPLE, not the event: 401/403 (key wrong or revoked),
 *   404/405 (BUS_API_URL points at the wrong place), 407, or a redirect (never followed: it would
 *   carry the key elsewhere). Every event would fail alike, so the dispatcher keeps them pending
 *   without using up attempts (dead-lettering the whole stream over a set-up mistake would be
 *   worse) and retries at the slowest back-off, logging at error level.
 * 2xx is delivered; 409 means the Bus already has this id (Idempotency-Key), also delivered.
 */
export type BusFailureKind = 'retryable' | 'permanent' | 'configuration';

export class BusPublishError extends Error {
  override readonly name = 'BusPublishError';

  constructor(
    message: string,
    readonly kind: BusFailureKind,
    /** The HTTP status, or null when there was no response (network error, timeout). */
    readonly status: number | null,
    /** From a `Retry-After` header, when the Bus sent one. */
    readonly retryAfterMs: number | null = null,
    /** No answer in time: the Bus may have the event (a timeout), as opposed to a definite refusal. */
    readonly inDoubt = false,
  ) {
    super(message);
  }
}

export interface BusClient {
  /** `${url}/events`. */
  readonly endpoint: string;
  /** Default per-request timeout (BUS_TIMEOUT_MS); the dispatcher lengthens it for retries. */
  readonly timeoutMs: number;
  /**
   * Resolves when the Bus has the event (2xx or 409); else throws BusPublishError. `timeoutMs`
   * overrides the default for this request.
   */
  publish(envelope: EventEnvelope, options?: { timeoutMs?: number }): Promise<void>;
}

export interface BusClientOptions {
  /** BUS_API_URL, e.g. `https://bus.example.com/api`. */
  url: string;
  /** BUS_INTEGRATION_KEY, sent as `X-Integration-Key`. Never logged or put in an error. */
  integrationKey: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
}

export const defaultBusTimeoutMs = 10_000;

export function classifyBusStatus(status: number): 'delivered' | BusFailureKind {
  if ((status >= 200 && status < 300) || status === 409) return 'delivered';
  if (isBusyStatus(status) || status === 425) return 'retryable';
  if (status >= 300 && status < 400) return 'configuration';
  if ([401, 403, 404, 405, 407].includes(status)) return 'configuration';
  return 'permanent';
}

export function createBusClient(options: BusClientOptions): BusClient {
  const connection = peerConnection('Bus', { ...options, timeoutMs: options.timeoutMs ?? defaultBusTimeoutMs });
  const endpoint = `${connection.baseUrl}/events`;
  const { key, timeoutMs } = connection;

  /** Whatever the Bus says goes through here before reaching a message: never echo the key. */
  const scrub = (text: string): string => text.split(key).join('[redacted]');

  return {
    endpoint,
    timeoutMs,
    async publish(envelope, publishOptions = {}) {
      const sent = await callPeer(connection, {
        method: 'POST',
        path: '/events',
        body: envelope,
        idempotencyKey: envelope.id,
        ...(publishOptions.timeoutMs === undefined ? {} : { timeoutMs: publishOptions.timeoutMs }),
      });
      if (!sent.ok) throw transportError(sent.failure);
      const { response } = sent;
      const outcome = classifyBusStatus(response.status);
      if (outcome === 'delivered') {
        await discardBody(response);
        return;
      }
      // Only a refusal of the event itself says why in a way worth keeping (e.g. a 422's reason).
      const detail = outcome === 'permanent' ? await readSnippet(response, scrub) : (await discardBody(response), '');
      throw new BusPublishError(`Bus answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`, outcome, response.status, retryAfterMs(response));
    },
  };
}

function transportError(failure: TransportFailure): BusPublishError {
  if (failure.kind === 'timeout') {
    return new BusPublishError(`Bus did not answer within ${failure.timeoutMs} ms (in doubt: it may have the event)`, 'retryable', null, null, true);
  }
  return new BusPublishError(`Bus unreachable (${failure.code})`, 'retryable', null);
}

async function readSnippet(response: Response, scrub: (text: string) => string): Promise<string> {
  try {
    const text = await response.text();
    // Printable and short: it ends up in last_error and logs.
    return scrub(text)
      .replace(/[^\x20-\x7e]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
  } catch {
    return '';
  }
}
