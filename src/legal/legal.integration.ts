import type { LegalSettings } from '../config.js';
import { createLegalClient, type LegalClient, type LegalFailure } from '../peers/legal-client.js';
import { parseWebhookSecret } from '../shared/standard-webhooks.js';
import type { LegalSyncStateRow } from './legal.tables.js';

// What People knows about its connection to Legal: whether it is configured (the client), the
// callback's signature secret, and how Legal is doing, as the dashboards show it.

export interface LegalIntegration {
  /** Null when LEGAL_API_URL is not set: nothing is asked of Legal, and every answer says so. */
  readonly client: LegalClient | null;
  /** LEGAL_WEBHOOK_SECRET's bytes; null: callbacks are not signed. */
  readonly webhookSecret: Buffer | null;
  readonly syncIntervalMs: number;
}

export function createLegalIntegration(settings: LegalSettings, overrides: { readAttempts?: number; readRetryDelayMs?: number } = {}): LegalIntegration {
  const client =
    settings.apiUrl && settings.integrationKey
      ? createLegalClient({ url: settings.apiUrl, integrationKey: settings.integrationKey, timeoutMs: settings.timeoutMs, ...overrides })
      : null;
  return {
    client,
    webhookSecret: settings.webhookSecret ? parseWebhookSecret(settings.webhookSecret) : null,
    syncIntervalMs: settings.syncIntervalMs,
  };
}

/** For servers built without Legal (tests of other domains): not configured. */
export const legalNotConfigured: LegalIntegration = { client: null, webhookSecret: null, syncIntervalMs: 300_000 };

export type LegalErrorCodeValue = 'NOT_CONFIGURED' | 'KEY_REFUSED' | 'UNREACHABLE' | 'TIMEOUT' | 'UNAVAILABLE' | 'REJECTED' | 'BAD_ANSWER' | 'NOT_FOUND';

export const notConfiguredMessage =
  'Legal is not configured: set LEGAL_API_URL and LEGAL_INTEGRATION_KEY on the People API. Until then People cannot show Legal\'s policies or send acknowledgements (signatures wait and are sent once it is).';

export function errorCodeOf(failure: LegalFailure): LegalErrorCodeValue {
  switch (failure.kind) {
    case 'keyRefused':
      return 'KEY_REFUSED';
    case 'unreachable':
      return 'UNREACHABLE';
    case 'timeout':
      return 'TIMEOUT';
    case 'unavailable':
      return 'UNAVAILABLE';
    case 'notFound':
      return 'NOT_FOUND';
    case 'rejected':
      return 'REJECTED';
    case 'badAnswer':
      return 'BAD_ANSWER';
  }
}

/** Codes of failures where Legal did not answer at all (or could not): it is not reachable. */
const unreachableCodes: readonly string[] = ['UNREACHABLE', 'TIMEOUT', 'UNAVAILABLE'];

/** How Legal is doing, as every compliance answer carries it (`legal { configured reachable lastError }`). */
export interface LegalConnectionModel {
  configured: boolean;
  /** Whether Legal answered the last sync; null before the first attempt (or when not configured). */
  reachable: boolean | null;
  lastErrorCode: LegalErrorCodeValue | null;
  /** The cause and the fix, in a line; null when the last sync worked. */
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** When the last sync completed: the statuses shown are as of then. */
  syncedAt: Date | null;
}

function isErrorCode(code: string): code is LegalErrorCodeValue {
  return ['NOT_CONFIGURED', 'KEY_REFUSED', 'UNREACHABLE', 'TIMEOUT', 'UNAVAILABLE', 'REJECTED', 'BAD_ANSWER', 'NOT_FOUND'].includes(code);
}

export function connectionOf(integration: LegalIntegration, state: LegalSyncStateRow | null): LegalConnectionModel {
  const syncedAt = state?.syncedAt ?? null;
  if (!integration.client) {
    return { configured: false, reachable: null, lastErrorCode: 'NOT_CONFIGURED', lastError: notConfiguredMessage, lastAttemptAt: state?.lastAttemptAt ?? null, syncedAt };
  }
  if (!state?.lastAttemptAt) return { configured: true, reachable: null, lastErrorCode: null, lastError: null, lastAttemptAt: null, syncedAt };
  const code = state.lastErrorCode !== null && isErrorCode(state.lastErrorCode) ? state.lastErrorCode : null;
  return {
    configured: true,
    reachable: code === null || !unreachableCodes.includes(code),
    lastErrorCode: code,
    lastError: code === null ? null : state.lastError,
    lastAttemptAt: state.lastAttemptAt,
    syncedAt,
  };
}
