import { createHash, timingSafeEqual } from 'node:crypto';
import { serviceNames, type ServiceName } from './caller.js';

/**
 * The header every service sends its key in. The KEY says who calls: it is compared with each
 * configured service key, and the one it matches names the service (keys must differ, which
 * config.ts checks at start).
 */
export const integrationKeyHeader = 'x-integration-key';

/**
 * Headers of one service each, kept because that service's documentation names them (Defend's
 * `X-Defend-Service-Key`): only that service's key is accepted there.
 */
export const dedicatedKeyHeaders: Readonly<Record<string, ServiceName>> = {
  'x-defend-service-key': 'DEFEND',
};

/**
 * Headers People used to read and no longer does, with what to send instead. Refused rather
 * than read: no Legal client ever sent `X-Legal-Integration-Key` (the Legal integration did not
 * exist before it), so accepting it would only keep a second door open.
 */
export const retiredKeyHeaders: Readonly<Record<string, string>> = {
  'x-legal-integration-key': 'send the Legal key as X-Integration-Key',
};

/** Where each service's key is configured, for messages that tell an operator what to set. */
export const serviceKeyVariables: Readonly<Record<ServiceName, string>> = {
  PSA: 'INTEGRATION_KEY',
  DEFEND: 'DEFEND_SERVICE_KEY',
  LEGAL: 'LEGAL_INTEGRATION_KEY',
};

/**
 * Where each service's key is good. PSA and Defend read through GraphQL; Legal reaches its
 * callback (`POST /integrations/legal/acknowledgements`) only, never the API.
 */
export const servicesOnGraphql: readonly ServiceName[] = ['PSA', 'DEFEND'];

export type ServiceKeys = Readonly<Partial<Record<ServiceName, string>>>;

/**
 * Compares in constant time. Both sides are hashed first so that neither the length nor the
 * content of the expected key leaks through timing.
 */
export function keysMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * The service whose key this is, or null. Every configured key is compared (no early exit), so
 * the time taken says nothing about which key, if any, came close.
 */
export function serviceOfKey(presented: string, keys: ServiceKeys): ServiceName | null {
  let found: ServiceName | null = null;
  for (const service of serviceNames) {
    const expected = keys[service];
    if (expected !== undefined && keysMatch(presented, expected) && found === null) found = service;
  }
  return found;
}

/** Pairs of services configured with the same key: People refuses to start with any (the key would not say who calls). */
export function sharedServiceKeys(keys: ServiceKeys): [ServiceName, ServiceName][] {
  const pairs: [ServiceName, ServiceName][] = [];
  serviceNames.forEach((first, index) => {
    for (const second of serviceNames.slice(index + 1)) {
      const a = keys[first];
      const b = keys[second];
      if (a !== undefined && b !== undefined && keysMatch(a, b)) pairs.push([first, second]);
    }
  });
  return pairs;
}
