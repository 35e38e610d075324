import type { Logger } from 'pino';
import type { AuthenticatedCaller } from '../auth/caller.js';
import { defaultCertificationSettings, defaultDefendSettings, defaultOrgChartMaxNodes, type CertificationSettings, type DefendSettings } from '../config.js';
import type { Database } from '../db/database.js';
import type { IntegrationDiagnostics } from '../integrations/integrations.service.js';
import { legalNotConfigured, type LegalIntegration } from '../legal/legal.service.js';
import type { Clock } from '../shared/dates.js';
import type { RequestContext } from './context.js';
import { organisationEmploymentListener } from '../organisation/organisation.service.js';
import { timeOffEmploymentListener } from '../timeoff/timeoff.service.js';
import { workflowEmploymentListener } from '../workflows/workflow.service.js';
import { createRequestLoaders } from './loaders.js';

/** A request's context, with its own loaders (so caches never leak between callers). */
export function createRequestContext(options: {
  requestId: string;
  caller: AuthenticatedCaller;
  viaGateway?: boolean;
  db: Database;
  clock: Clock;
  logger: Logger;
  certifications?: CertificationSettings;
  defend?: DefendSettings;
  orgChartMaxNodes?: number;
  integrations?: IntegrationDiagnostics | null;
  legal?: LegalIntegration;
  origin?: RequestContext['origin'];
}): RequestContext {
  const { loaders, reset } = createRequestLoaders(options.db);
  return {
    viaGateway: false,
    ...options,
    certifications: options.certifications ?? defaultCertificationSettings,
    defend: options.defend ?? defaultDefendSettings,
    orgChartMaxNodes: options.orgChartMaxNodes ?? defaultOrgChartMaxNodes,
    integrations: options.integrations ?? null,
    // Hires start onboarding and leavers offboarding, in the transaction that records them; a
    // corrected hire date moves onboarding due dates, and time off and the organisation say which
    // of their records it would contradict.
    employmentListeners: [workflowEmploymentListener, timeOffEmploymentListener, organisationEmploymentListener],
    legal: options.legal ?? legalNotConfigured,
    origin: options.origin ?? { ip: null, userAgent: null },
    today: options.clock.today(),
    loaders,
    resetLoaders: reset,
  };
}
