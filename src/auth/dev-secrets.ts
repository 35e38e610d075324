import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';

export interface ResolvedSecrets {
  ssoSecret: string | null;
  sessionSecret: string;
  /** Set when development secrets were generated or read from the data directory. */
  developmentSecretsFile: string | null;
}

interface StoredSecrets {
  PORTAL_SSO_SECRET: string;
  SESSION_SECRET: string;
}

/**
 * Secrets from the environment; in production a missing one stops People. In development and
 * test, People generates what is missing once and keeps it beside the embedded data, so tokens
 * survive restarts and `npm run token` signs with the same secret as the server.
 */
export function resolveSecrets(config: Config): ResolvedSecrets {
  const { ssoSecret, sessionSecret, hubJwksUrl } = config.auth;
  if (config.environment === 'production') {
    if (!ssoSecret && !hubJwksUrl) {
      throw new ConfigError('Invalid configuration:\n  PORTAL_SSO_SECRET: required in production (or HUB_JWKS_URL), so Hub SSO logins can be verified');
    }
    if (!sessionSecret) {
      throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required in production, to sign People sessions');
    }
    return { ssoSecret, sessionSecret, developmentSecretsFile: null };
  }
  if (ssoSecret && sessionSecret) return { ssoSecret, sessionSecret, developmentSecretsFile: null };
  const file = path.join(config.dataDir, 'dev-secrets.json');
  const stored = readOrCreate(file);
  return {
    ssoSecret: ssoSecret ?? (hubJwksUrl ? null : stored.PORTAL_SSO_SECRET),
    sessionSecret: sessionSecret ?? stored.SESSION_SECRET,
    developmentSecretsFile: file,
  };
}

function readOrCreate(file: string): StoredSecrets {
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isStoredSecrets(parsed)) return parsed;
  }
  const fresh: StoredSecrets = {
    PORTAL_SSO_SECRET: randomBytes(32).toString('base64url'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  return fresh;
}

function isStoredSecrets(value: unknown): value is StoredSecrets {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).PORTAL_SSO_SECRET === 'string' &&
    typeof (value as Record<string, unknown>).SESSION_SECRET === 'string'
  );
}
