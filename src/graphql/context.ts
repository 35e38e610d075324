import type { Logger } from 'pino';
import type { AuthenticatedCaller } from '../auth/caller.js';
import type { CertificationLoaders } from '../certifications/certification.loaders.js';
import type { CertificationSettings, DefendSettings } from '../config.js';
import type { Database } from '../db/database.js';
import type { EmployeeLoaders } from '../employees/employee.loaders.js';
import type { EmploymentListener } from '../employees/employee.service.js';
import type { IntegrationDiagnostics } from '../integrations/integrations.service.js';
import type { LegalIntegration } from '../legal/legal.service.js';
import type { LegalLoaders } from '../legal/legal.loaders.js';
import type { DefendLoaders } from '../defend/defend.loaders.js';
import type { OrganisationLoaders } from '../organisation/organisation.loaders.js';
import type { ReviewLoaders } from '../reviews/review.loaders.js';
import type { CalendarDate, Clock } from '../shared/dates.js';
import type { TimeOffLoaders } from '../timeoff/timeoff.loaders.js';
import type { TrainingLoaders } from '../training/training.loaders.js';
import type { WorkflowLoaders } from '../workflows/workflow.loaders.js';

// Types only: every domain imports this file, so it imports no domain's code (the loaders are
// built in ./loaders.ts, the context in ./request-context.ts).

/** The request's DataLoaders, one namespace per domain, each built the first time it is used. */
export interface RequestLoaders {
  readonly employees: EmployeeLoaders;
  readonly organisation: OrganisationLoaders;
  readonly timeOff: TimeOffLoaders;
  readonly certifications: CertificationLoaders;
  readonly reviews: ReviewLoaders;
  readonly training: TrainingLoaders;
  readonly workflows: WorkflowLoaders;
  readonly legal: LegalLoaders;
  readonly defend: DefendLoaders;
}

/** Everything one request may use. Built fresh per request, so loader caches never leak between callers. */
export interface RequestContext {
  requestId: string;
  /** Never anonymous: the server refuses those before building a context. */
  caller: AuthenticatedCaller;
  /** True when the request carried the gateway's shared secret. */
  viaGateway: boolean;
  db: Database;
  clock: Clock;
  /** Read once per request, so every field of one response describes the same day. */
  today: CalendarDate;
  loaders: RequestLoaders;
  /** After a write, what the request read before is stale: its loaders start afresh. */
  resetLoaders: () => void;
  logger: Logger;
  certifications: CertificationSettings;
  /** Defend's flows: the emergency circuit breaker (DEFEND_EMERGENCY_LIMIT). */
  defend: DefendSettings;
  /** The most people one `orgChart` answers (ORG_CHART_MAX_NODES). */
  orgChartMaxNodes: number;
  /** The integration diagnostics (Admin `integrations`); null where the server was built without them. */
  integrations: IntegrationDiagnostics | null;
  /** What other domains do, in the same transaction, when someone is hired or leaves (wired in request-context.ts). */
  employmentListeners: readonly EmploymentListener[];
  /** People's connection to Legal (its client is null when Legal is not configured). */
  legal: LegalIntegration;
  /** Where the request came from, as a signature records it; null when unknown. */
  origin: { ip: string | null; userAgent: string | null };
}
