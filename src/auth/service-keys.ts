import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServiceName } from './caller.js';

/**
 * The header each service sends its key in. The header names the service and the key proves
 * it, so one service's key sent in another's header is refused rather than mistaken.
 */
export const serviceKeyHeaders: Readonly<Record<ServiceName, string>> = {
  PSA: 'x-integration-key',
  DEFEND: 'x-defend-service-key',
  LEGAL: 'x-legal-integration-key',
};

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
