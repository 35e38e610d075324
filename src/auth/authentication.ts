import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createAuthenticator, type Authenticator } from './authenticate.js';
import type { ResolvedSecrets } from './dev-secrets.js';
import { createHubTokenVerifier, createSessionTokens, type HubTokenVerifier, type SessionTokens } from './tokens.js';

export interface Authentication {
  hubTokens: HubTokenVerifier;
  sessions: SessionTokens;
  authenticator: Authenticator;
}

/** Everything that decides who a caller is, built from configuration once at start. */
export function createAuthentication(config: Config, db: Database, secrets: ResolvedSecrets): Authentication {
  const hubTokens = createHubTokenVerifier({
    secret: secrets.ssoSecret,
    jwksUrl: config.auth.hubJwksUrl,
    issuer: config.auth.hubIssuer,
    audience: config.auth.hubAudience,
    maxAgeSeconds: config.auth.hubTokenMaxAgeSeconds,
  });
  const sessions = createSessionTokens(secrets.sessionSecret, config.auth.sessionTtlMinutes);
  return {
    hubTokens,
    sessions,
    authenticator: createAuthenticator({ db, hubTokens, sessions, serviceKeys: config.serviceKeys }),
  };
}
