import { missingProductionSecrets, resolveSecrets, type ResolvedSecrets } from '../auth/dev-secrets.js';
import { ConfigError, loadConfig, type Config } from '../config.js';

/**
 * The configuration and secrets People starts with. Every problem is reported in one ConfigError:
 * invalid values and, in production, each missing secret, so one attempt lists all there is to fix.
 */
export function loadStartupConfiguration(environment: NodeJS.ProcessEnv = process.env): { config: Config; secrets: ResolvedSecrets } {
  const problems: string[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig(environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  // From the raw environment, so that missing secrets are named even when other values are wrong.
  if (environment.NODE_ENV === 'production') {
    problems.push(
      ...missingProductionSecrets({
        ssoSecret: environment.PORTAL_SSO_SECRET ?? null,
        hubJwksUrl: environment.HUB_JWKS_URL ?? null,
        sessionSecret: environment.SESSION_SECRET ?? null,
      }),
    );
  }
  if (problems.length > 0 || config === null) throw new ConfigError(problems);
  return { config, secrets: resolveSecrets(config) };
}
