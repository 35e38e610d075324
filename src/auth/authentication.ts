import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createAuthenticator, type Authenticator } from './authenticate.js';
import type { ResolvedSecrets } from './dev-secrets.js';
import { createStoredSessions } from './sessions.js';
import { createServiceCallLog, type ServiceCallLog } from './service-calls.js';
import { createHubTokenVerifier, createSessionTokens, type HubTokenVerifier, type SessionTokens } from './tokens.js';

export interface Authentication {
  hubTokens: HubTokenVerifier;
  sessions: SessionTokens;
  authenticator: Authenticator;
  /** PSA, Defend and Legal's calls, accepted and refused, counted in the database (integration diagnostics). */
  serviceCalls: ServiceCallLog;
}

/** Everything that decides who a caller is, built from configuration once at start. */
export function createAuthentication(
  config: Config,
  db: Database,
  secrets: ResolvedSecrets,
  options: { logger?: Logger; acceptedCallsFlushMs?: number } = {},
): Authentication {
  const hubTokens = createHubTokenVerifier({
    secret: secrets.ssoSecret,
    jwksUrl: config.auth.hubJwksUrl,
    issuer: config.auth.hubIssuer,
    audience: config.auth.hubAudience,
    maxAgeSeconds: config.auth.hubTokenMaxAgeSeconds,
  });
  const sessions = createStoredSessions(db, createSessionTokens(secrets.sessionSecret, config.auth.sessionTtlMinutes));
  const serviceCalls = createServiceCallLog({
    db,
    logger: options.logger ?? pino({ level: 'silent' }),
    ...(options.acceptedCallsFlushMs !== undefined ? { acceptedFlushMs: options.acceptedCallsFlushMs } : {}),
  });
  return {
    hubTokens,
    sessions,
    serviceCalls,
    authenticator: createAuthenticator({ db, hubTokens, sessions, serviceKeys: config.serviceKeys, serviceCalls }),
  };
}
