import type { Resolvers } from '../generated/graphql.js';
import * as integrations from './integrations.service.js';

export const integrationResolvers: Resolvers = {
  Query: {
    integrations: (_root, _args, ctx) => integrations.listIntegrations(ctx),
  },
  Integration: {
    hubSso: (integration) =>
      integration.hubSso && {
        secretConfigured: integration.hubSso.secretConfigured,
        jwksConfigured: integration.hubSso.jwksConfigured,
        jwksReachable: integration.hubSso.jwks?.reachable ?? null,
        jwksProblem: integration.hubSso.jwks?.problem ?? null,
        jwksCheckedAt: integration.hubSso.jwks?.checkedAt ?? null,
        lastSuccessfulSignInAt: integration.hubSso.lastSuccessfulSignInAt,
        refusedSignInsLastHour: integration.hubSso.refusedSignInsLastHour,
      },
    inboundCalls: (integration) =>
      integration.inboundCalls && {
        ...integration.inboundCalls,
        refusedCallsLastHour: integration.inboundCalls.refusedCallsLastHour.map((refused) => ({
          ...refused,
          reason: refused.reason === 'bad_key' ? 'BAD_KEY' : refused.reason === 'not_configured' ? 'NOT_CONFIGURED' : 'WRONG_HEADER',
        })),
      },
  },
};
