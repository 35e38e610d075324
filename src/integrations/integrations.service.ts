import { assertCallerAllowed, serviceNames, type RuleTable, type ServiceName } from '../auth/auth.service.js';
import type { Config } from '../config.js';
import type { RequestContext } from '../graphql/context.js';
import { integrationTitles, inboundServices } from './consequences.js';
import type { IntegrationSettings, IntegrationStatus } from './diagnostics.js';

// The integrations domain's public surface: diagnostics of every integration People depends on
// (Admin `integrations`, `/ready`), and the start-up summary of what is configured.

export {
  createIntegrationDiagnostics,
  type IntegrationDiagnostics,
  type IntegrationProblem,
  type IntegrationSettings,
  type IntegrationSources,
  type IntegrationState,
  type IntegrationStatus,
  type LegalOutboundStatus,
} from './diagnostics.js';
export type { IntegrationName } from './consequences.js';

const rules = {
  diagnose: ['ADMIN'],
} as const satisfies RuleTable;

/** Admin `integrations`: every integration's state, problems and details. */
export async function listIntegrations(ctx: RequestContext): Promise<IntegrationStatus[]> {
  assertCallerAllowed(ctx, rules.diagnose, 'Only an Admin may see the integration diagnostics.');
  if (!ctx.integrations) throw new Error('integration diagnostics are not wired into this server');
  return ctx.integrations.report();
}

/** What People was started with, as the diagnostics need it: whether each piece is there, never its value. */
export function integrationSettings(config: Config, secrets: { ssoSecret: string | null; developmentSecretsFile: string | null }): IntegrationSettings {
  const serviceKeys: Record<ServiceName, boolean> = {
    PSA: Boolean(config.serviceKeys.PSA),
    DEFEND: Boolean(config.serviceKeys.DEFEND),
    LEGAL: Boolean(config.serviceKeys.LEGAL),
  };
  return {
    hubSso: {
      secret: config.auth.ssoSecret ? 'configured' : secrets.ssoSecret ? 'generated' : null,
      jwksUrl: config.auth.hubJwksUrl,
    },
    hubApi: { configured: config.hub !== null },
    serviceKeys,
    bus: { configured: config.bus !== null },
  };
}

/** `/ready`'s view: each integration's state and problems, no counts, never a secret. */
export function readinessSummary(statuses: readonly IntegrationStatus[]) {
  return statuses.map(({ name, state, problems }) => ({ name, state, problems }));
}

/**
 * One line for the start-up log: which integrations are configured and which are not, with the
 * variables that are missing, e.g. "Integrations: configured Hub SSO, PSA, Defend; not configured:
 * Hub API (set HUB_API_URL, HUB_INTEGRATION_KEY), Bus (set BUS_API_URL, BUS_INTEGRATION_KEY)".
 */
export function describeConfiguration(settings: IntegrationSettings): {
  message: string;
  configured: string[];
  notConfigured: { integration: string; set: string[] }[];
} {
  const entries: { integration: string; configured: boolean; set: string[]; note?: string }[] = [
    {
      integration: integrationTitles.HUB_SSO,
      configured: settings.hubSso.secret !== null || settings.hubSso.jwksUrl !== null,
      set: ['PORTAL_SSO_SECRET or HUB_JWKS_URL'],
      ...(settings.hubSso.secret === 'generated' ? { note: 'development secret' } : {}),
    },
    { integration: integrationTitles.HUB_API, configured: settings.hubApi.configured, set: ['HUB_API_URL', 'HUB_INTEGRATION_KEY'] },
    ...serviceNames.map((service) => ({
      integration: integrationTitles[inboundServices[service].integration],
      configured: settings.serviceKeys[service],
      set: [inboundServices[service].variable],
    })),
    { integration: integrationTitles.BUS, configured: settings.bus.configured, set: ['BUS_API_URL', 'BUS_INTEGRATION_KEY'] },
  ];
  const configured = entries.filter((entry) => entry.configured).map((entry) => (entry.note ? `${entry.integration} (${entry.note})` : entry.integration));
  const notConfigured = entries.filter((entry) => !entry.configured).map(({ integration, set }) => ({ integration, set }));
  const message = [
    `Integrations: configured ${configured.length > 0 ? configured.join(', ') : 'none'}`,
    notConfigured.length > 0 ? `; not configured: ${notConfigured.map((entry) => `${entry.integration} (set ${entry.set.join(', ')})`).join(', ')}` : '; nothing missing',
    notConfigured.length > 0 ? '. Query `integrations` (Admin) or GET /ready for what breaks and how to fix it.' : '.',
  ].join('');
  return { message, configured, notConfigured };
}
