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

/** The secrets production cannot do without, as given (null: not set). */
export interface ProductionSecrets {
  ssoSecret: string | null;
  hubJwksUrl: string | null;
  sessionSecret: string | null;
}

/** Every secret production still needs, each with what it is for and how to set it; empty when complete. */
export function missingProductionSecrets({ ssoSecret, hubJwksUrl, sessionSecret }: ProductionSecrets): string[] {
  const missing: string[] = [];
  if (ssoSecret === null && hubJwksUrl === null) {
    missing.push(
      'PORTAL_SSO_SECRET: required in production (or HUB_JWKS_URL), so Hub SSO logins can be verified: set it to the secret Hub signs SSO tokens with',
    );
  }
  if (sessionSecret === null) {
    missing.push('SESSION_SECRET: required in production, to sign People sessions: set it to a random value of 32 characters or more (openssl rand -base64 32)');
  }
  return missing;
}

/**
 * Secrets from the environment; in production a missing one stops People. In development and
 * test, People generates what is missing once and keeps it in DATA_DIR/dev-secrets.json (with
 * DATABASE_URL too: the file is then all DATA_DIR holds), so tokens survive restarts and
 * `npm run token` signs with the same secret as the server.
 */
export function resolveSecrets(config: Config): ResolvedSecrets {
  const { ssoSecret, sessionSecret, hubJwksUrl } = config.auth;
  if (config.environment === 'production') {
    const missing = missingProductionSecrets(config.auth);
    if (missing.length > 0 || sessionSecret === null) throw new ConfigError(missing);
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
