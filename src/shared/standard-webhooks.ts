import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com) signatures, as a sender signs and a
// receiver checks them: HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the
// shared secret (base64, usually written with a `whsec_` prefix), sent in `webhook-signature` as
// `v1,<base64>`, possibly several separated by spaces (while a secret is rotated).

/** How far a `webhook-timestamp` may be from now, either way, before the delivery is refused (replays). */
export const webhookToleranceSeconds = 5 * 60;

/** The secret's bytes, or null when it is not base64 of at least 16 bytes (with or without `whsec_`). */
export function parseWebhookSecret(text: string): Buffer | null {
  const encoded = text.startsWith('whsec_') ? text.slice('whsec_'.length) : text;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  const bytes = Buffer.from(encoded, 'base64');
  return bytes.length >= 16 ? bytes : null;
}

/** `v1,<base64>` for one delivery: what a sender puts in `webhook-signature`. */
export function signWebhook(secret: Buffer, id: string, timestampSeconds: number, body: string | Buffer): string {
  return `v1,${digest(secret, id, timestampSeconds, body).toString('base64')}`;
}

function digest(secret: Buffer, id: string, timestampSeconds: number, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${id}.${timestampSeconds}.`).update(body).digest();
}

export type WebhookVerification =
  | { ok: true; id: string; timestampSeconds: number }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature'; message: string };

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Checks one delivery: the three headers are there, the timestamp is within the tolerance of
 * `now` (a captured delivery cannot be replayed later), and one of the `v1` signatures is the
 * HMAC of the body exactly as received. Compared in constant time.
 */
export function verifyWebhook(secret: Buffer, headers: WebhookHeaders, body: Buffer, now: Date): WebhookVerification {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: 'missing_headers', message: 'Signed deliveries need the webhook-id, webhook-timestamp and webhook-signature headers.' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'bad_timestamp', message: 'webhook-timestamp must be whole seconds since 1970.' };
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - timestampSeconds) > webhookToleranceSeconds) {
    return {
      ok: false,
      reason: 'stale_timestamp',
      message: `webhook-timestamp is more than ${webhookToleranceSeconds / 60} minutes from People's clock: refused as a possible replay.`,
    };
  }
  const expected = digest(secret, id, timestampSeconds, body);
  let matched = false;
  for (const part of signature.split(' ')) {
    const [version, encoded] = part.split(',', 2);
    if (version !== 'v1' || !encoded) continue;
    const presented = Buffer.from(encoded, 'base64');
    // Every signature is compared (no early exit); lengths differ only for garbage.
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad_signature', message: 'webhook-signature does not match the body with the configured secret.' };
  return { ok: true, id, timestampSeconds };
}
