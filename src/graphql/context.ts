import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { createEmployeeLoaders, type EmployeeLoaders } from '../employees/employee.loaders.js';
import { createOrganisationLoaders, type OrganisationLoaders } from '../organisation/organisation.loaders.js';
import type { Caller } from '../auth/caller.js';
import { createCertificationLoaders, type CertificationLoaders } from '../certifications/certification.loaders.js';
import { defaultCertificationSettings, defaultOrgChartMaxNodes, type CertificationSettings } from '../config.js';
import { createTimeOffLoaders, type TimeOffLoaders } from '../timeoff/timeoff.loaders.js';
import type { CalendarDate, Clock } from '../shared/dates.js';

/** Everything one request may use. Built fresh per request, so loader caches never leak between callers. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  /** True when the request carried the gateway's shared secret. */
  viaGateway: boolean;
  db: Database;
  clock: Clock;
  /** Read once per request, so every field of one response describes the same day. */
  today: CalendarDate;
  loaders: EmployeeLoaders & OrganisationLoaders & TimeOffLoaders & CertificationLoaders;
  logger: Logger;
  certifications: CertificationSettings;
  /** The most people one `orgChart` answers (ORG_CHART_MAX_NODES). */
  orgChartMaxNodes: number;
}

export function createRequestContext(options: {
  requestId: string;
  caller: Caller;
  viaGateway?: boolean;
  db: Database;
  clock: Clock;
  logger: Logger;
  certifications?: CertificationSettings;
  orgChartMaxNodes?: number;
}): RequestContext {
  return {
    viaGateway: false,
    ...options,
    certifications: options.certifications ?? defaultCertificationSettings,
    orgChartMaxNodes: options.orgChartMaxNodes ?? defaultOrgChartMaxNodes,
    today: options.clock.today(),
    loaders: createLoaders(options.db),
  };
}

function createLoaders(db: Database): RequestContext['loaders'] {
  return { ...createEmployeeLoaders(db), ...createOrganisationLoaders(db), ...createTimeOffLoaders(db), ...createCertificationLoaders(db) };
}

/** After a write, what the request read before is stale: start its caches afresh. */
export function resetLoaders(ctx: RequestContext): void {
  ctx.loaders = createLoaders(ctx.db);
}
