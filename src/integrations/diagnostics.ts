import {
  serviceNames,
  summarizeServiceCalls,
  summarizeSignIns,
  type RefusedServiceCalls,
  type ServiceCallLog,
  type ServiceCallSummary,
  type ServiceName,
  type SignInSummary,
} from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { outboxBacklog, type OutboxDispatcher } from '../events/events.service.js';
import { summarizeSystemTasks, type SystemTaskSummary } from '../jobs/jobs.service.js';
import {
  consequences,
  displayHeader,
  inboundServices,
  integrationTitles,
  signInConfigurationRefusals,
  type IntegrationName,
} from './consequences.js';
import { createJwksProbe, type JwksCheck } from './jwks-probe.js';

// Each integration as this People sees it now: what is configured (never a secret), what the
// shared records say (sign-ins, service calls, SYSTEM tasks, the outbox: the same on every
// replica), and for each problem what breaks for people and the fix.

export type IntegrationState = 'OK' | 'NOT_CONFIGURED' | 'UNHEALTHY';

export interface IntegrationProblem {
  /** Stable, for alerting: NOT_CONFIGURED, BAD_KEY, WRONG_HEADER, JWKS_UNREACHABLE, REVOCATIONS_FAILED… */
  code: string;
  /** What is wrong and what breaks for people because of it. */
  consequence: string;
  fix: string;
}

export interface HubSsoDetails {
  /** PORTAL_SSO_SECRET is set (or, in development, generated). */
  secretConfigured: boolean;
  jwksConfigured: boolean;
  /** Null without HUB_JWKS_URL. */
  jwks: JwksCheck | null;
  lastSuccessfulSignInAt: Date | null;
  refusedSignInsLastHour: SignInSummary['refusedLastHour'];
}

export interface InboundDetails {
  service: ServiceName;
  header: string;
  keyVariable: string;
  keyConfigured: boolean;
  lastAcceptedCallAt: Date | null;
  refusedCallsLastHour: RefusedServiceCalls[];
}

export interface HubApiDetails {
  revocationsPending: number;
  revocationsFailed: number;
  restorationsPending: number;
  restorationsFailed: number;
  /** Why revocations wait, when they do (HUB_API_URL unset). */
  waitingReason: string | null;
}

export interface BusDetails {
  pending: number;
  dead: number;
  oldestPendingAt: Date | null;
  /** This replica's last delivery and failure (null where no dispatcher runs). */
  lastDeliveredAt: Date | null;
  lastFailureAt: Date | null;
  lastFailure: string | null;
  /** Null where no dispatcher runs in this process. */
  delivering: boolean | null;
}

export interface LegalSyncDetails {
  lastSyncAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
}

/** How Legal's sync is doing, as the Legal domain reports it (wired in when People talks to Legal). */
export interface LegalOutboundStatus extends LegalSyncDetails {
  configured: boolean;
}

export interface IntegrationStatus {
  name: IntegrationName;
  title: string;
  configured: boolean;
  state: IntegrationState;
  problems: IntegrationProblem[];
  hubSso: HubSsoDetails | null;
  inboundCalls: InboundDetails | null;
  hubApi: HubApiDetails | null;
  bus: BusDetails | null;
  legalSync: LegalSyncDetails | null;
}

/** What People was started with: only whether each piece is there, never a value (the JWKS URL aside, which is public). */
export interface IntegrationSettings {
  hubSso: { secret: 'configured' | 'generated' | null; jwksUrl: string | null };
  hubApi: { configured: boolean };
  serviceKeys: Readonly<Record<ServiceName, boolean>>;
  bus: { configured: boolean };
}

export interface IntegrationSources {
  db: Database;
  settings: IntegrationSettings;
  /** Flushed before reading, so this replica's own calls are counted. */
  serviceCalls: Pick<ServiceCallLog, 'flush'>;
  /** This process's dispatcher, for Bus delivery status; absent where none runs. */
  outbox?: Pick<OutboxDispatcher, 'status'>;
  /** Legal's sync status; absent until People talks to Legal. */
  legalOutbound?: () => Promise<LegalOutboundStatus>;
  /** How long a JWKS check is reused (default 60 s). */
  jwksCheckCacheMs?: number;
}

export interface IntegrationDiagnostics {
  report(): Promise<IntegrationStatus[]>;
}

const revokeKind = 'hub.revoke_access';
const restoreKind = 'hub.restore_access';

export function createIntegrationDiagnostics(sources: IntegrationSources): IntegrationDiagnostics {
  const { db, settings } = sources;
  const jwksUrl = settings.hubSso.jwksUrl;
  const jwks = jwksUrl ? createJwksProbe(jwksUrl, sources.jwksCheckCacheMs !== undefined ? { cacheMs: sources.jwksCheckCacheMs } : {}) : null;
  return {
    async report() {
      await sources.serviceCalls.flush();
      const [signIns, calls, tasks, backlog, jwksCheck, legal] = await Promise.all([
        summarizeSignIns(db),
        summarizeServiceCalls(db),
        summarizeSystemTasks(db),
        outboxBacklog(db),
        jwks ? jwks.check() : Promise.resolve(null),
        sources.legalOutbound ? sources.legalOutbound() : Promise.resolve(null),
      ]);
      const statuses = [
        hubSso(settings, signIns, jwksCheck),
        hubApi(settings, tasks),
        ...serviceNames.map((service) => inbound(settings, service, calls)),
        ...(legal ? [legalOutbound(legal)] : []),
        bus(settings, backlog, sources.outbox?.status() ?? null),
      ];
      const order: IntegrationName[] = ['HUB_SSO', 'HUB_API', 'PSA', 'DEFEND', 'LEGAL_INBOUND', 'LEGAL_OUTBOUND', 'BUS'];
      return statuses.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    },
  };
}

function status(
  name: IntegrationName,
  configured: boolean,
  problems: IntegrationProblem[],
  details: Partial<Pick<IntegrationStatus, 'hubSso' | 'inboundCalls' | 'hubApi' | 'bus' | 'legalSync'>>,
): IntegrationStatus {
  return {
    name,
    title: integrationTitles[name],
    configured,
    state: !configured ? 'NOT_CONFIGURED' : problems.length > 0 ? 'UNHEALTHY' : 'OK',
    problems,
    hubSso: null,
    inboundCalls: null,
    hubApi: null,
    bus: null,
    legalSync: null,
    ...details,
  };
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function hubSso(settings: IntegrationSettings, signIns: SignInSummary, jwks: JwksCheck | null): IntegrationStatus {
  const { secret, jwksUrl } = settings.hubSso;
  const configured = secret !== null || jwksUrl !== null;
  const problems: IntegrationProblem[] = [];
  if (!configured) {
    problems.push({
      code: 'NOT_CONFIGURED',
      consequence: `No Hub token can be checked: ${consequences.HUB_SSO}`,
      fix: "Set PORTAL_SSO_SECRET to the secret Hub signs SSO tokens with (or HUB_JWKS_URL to Hub's key set).",
    });
  }
  if (jwks && !jwks.reachable) {
    problems.push({
      code: 'JWKS_UNREACHABLE',
      consequence: `Hub's key set (HUB_JWKS_URL) does not answer (${jwks.problem ?? 'unreachable'}): tokens Hub signs with its keys cannot be checked, so ${consequences.HUB_SSO}`,
      fix: "Check that HUB_JWKS_URL is Hub's key set and answers from People's network.",
    });
  }
  // A setting People and Hub disagree on, unless someone has signed in since: then it was one bad token.
  for (const refused of signIns.refusedLastHour) {
    const known = signInConfigurationRefusals[refused.reason];
    if (!known || (signIns.lastSuccessAt && signIns.lastSuccessAt >= refused.lastAt)) continue;
    problems.push({
      code: `SIGN_INS_REFUSED_${refused.reason.toUpperCase()}`,
      consequence: `Sign-ins are refused because ${known.what} (${plural(refused.count, 'refusal')} in the last hour, none signed in since): ${consequences.HUB_SSO}`,
      fix: known.fix,
    });
  }
  return status('HUB_SSO', configured, problems, {
    hubSso: {
      secretConfigured: secret !== null,
      jwksConfigured: jwksUrl !== null,
      jwks,
      lastSuccessfulSignInAt: signIns.lastSuccessAt,
      refusedSignInsLastHour: signIns.refusedLastHour,
    },
  });
}

function countOf(tasks: SystemTaskSummary, kind: string, state: 'PENDING' | 'RUNNING' | 'FAILED'): number {
  return tasks.byKind.filter((entry) => entry.kind === kind && entry.state === state).reduce((sum, entry) => sum + entry.count, 0);
}

function hubApi(settings: IntegrationSettings, tasks: SystemTaskSummary): IntegrationStatus {
  const details: HubApiDetails = {
    revocationsPending: countOf(tasks, revokeKind, 'PENDING') + countOf(tasks, revokeKind, 'RUNNING'),
    revocationsFailed: countOf(tasks, revokeKind, 'FAILED'),
    restorationsPending: countOf(tasks, restoreKind, 'PENDING') + countOf(tasks, restoreKind, 'RUNNING'),
    restorationsFailed: countOf(tasks, restoreKind, 'FAILED'),
    waitingReason: tasks.waiting.find((waiting) => waiting.kind === revokeKind || waiting.kind === restoreKind)?.reason ?? null,
  };
  const problems: IntegrationProblem[] = [];
  if (!settings.hubApi.configured) {
    const waiting = details.revocationsPending > 0 ? ` ${plural(details.revocationsPending, 'revocation')} waiting now.` : '';
    problems.push({
      code: 'NOT_CONFIGURED',
      consequence: `People cannot reach Hub's API, so ${consequences.HUB_API}${waiting}`,
      fix: 'Set HUB_API_URL and HUB_INTEGRATION_KEY (the key Hub expects in X-Integration-Key); waiting revocations then run.',
    });
  }
  if (details.revocationsFailed > 0) {
    problems.push({
      code: 'REVOCATIONS_FAILED',
      consequence: `${plural(details.revocationsFailed, 'departing employee keeps', 'departing employees keep')} their Hub access: revoking it failed. Until it is fixed, ${consequences.HUB_API}`,
      fix: 'Read each task\'s lastError in systemTasks(kind: "hub.revoke_access", state: FAILED) (a missing or wrong hubUserId; Hub refusing People\'s key: make HUB_INTEGRATION_KEY the same on People and Hub), fix it, then redriveSystemTask.',
    });
  }
  if (details.restorationsFailed > 0) {
    problems.push({
      code: 'RESTORATIONS_FAILED',
      consequence: `${plural(details.restorationsFailed, 'employee', 'employees')} whose offboarding was called off still ${details.restorationsFailed === 1 ? 'has' : 'have'} no Hub access: giving it back failed.`,
      fix: 'Read each task\'s lastError in systemTasks(kind: "hub.restore_access", state: FAILED), fix it, then redriveSystemTask.',
    });
  }
  return status('HUB_API', settings.hubApi.configured, problems, { hubApi: details });
}

function inbound(settings: IntegrationSettings, service: ServiceName, calls: ServiceCallSummary[]): IntegrationStatus {
  const { integration, product, variable, header } = inboundServices[service];
  const summary = calls.find((entry) => entry.service === service);
  const refused = summary?.refusedLastHour ?? [];
  const lastAcceptedCallAt = summary?.lastAcceptedAt ?? null;
  const configured = settings.serviceKeys[service];
  const problems: IntegrationProblem[] = [];
  if (!configured) {
    const calling = refused.filter((entry) => entry.reason === 'not_configured').reduce((sum, entry) => sum + entry.count, 0);
    problems.push({
      code: 'NOT_CONFIGURED',
      consequence: `People refuses every ${product} call (${variable} is not set${calling > 0 ? `; ${product} is calling: ${plural(calling, 'call')} refused in the last hour` : ''}): ${consequences[integration]}`,
      fix: `Set ${variable} on People to the key ${product} sends in ${header}.`,
    });
  } else {
    // Refused since the last call that got through: the integration is broken now, not earlier.
    for (const entry of refused.filter((entry) => entry.reason !== 'not_configured' && (!lastAcceptedCallAt || entry.lastAt > lastAcceptedCallAt))) {
      const shown = displayHeader(entry.header);
      if (entry.reason === 'bad_key') {
        problems.push({
          code: 'BAD_KEY',
          consequence: `${product}'s calls are refused with a bad key (${plural(entry.count, 'call')} in the last hour, in ${shown}): ${capitalised(consequences[integration])}`,
          fix: `Make ${variable} the same on People and ${product}.`,
        });
      } else {
        const owner = Object.values(inboundServices).find((other) => other.header.toLowerCase() === entry.header.toLowerCase());
        problems.push({
          code: 'WRONG_HEADER',
          consequence: `${product}'s key arrives in ${shown}, where People does not take it${owner ? ` (it is ${owner.product}'s header)` : ''}: ${plural(entry.count, 'call')} refused in the last hour. ${capitalised(consequences[integration])}`,
          fix: `Make ${product} send its key in ${header}${owner ? ` (if the caller is ${owner.product}, give it its own key, ${owner.variable})` : ''}.`,
        });
      }
    }
  }
  return status(integration, configured, problems, {
    inboundCalls: { service, header, keyVariable: variable, keyConfigured: configured, lastAcceptedCallAt, refusedCallsLastHour: refused },
  });
}

function legalOutbound(legal: LegalOutboundStatus): IntegrationStatus {
  const problems: IntegrationProblem[] = [];
  if (!legal.configured) {
    problems.push({
      code: 'NOT_CONFIGURED',
      consequence: `People cannot reach Legal: ${consequences.LEGAL_OUTBOUND}`,
      fix: 'Set LEGAL_API_URL and LEGAL_INTEGRATION_KEY on People.',
    });
  } else if (legal.lastError !== null && (!legal.lastSyncAt || !legal.lastAttemptAt || legal.lastAttemptAt > legal.lastSyncAt)) {
    problems.push({
      code: 'SYNC_FAILING',
      consequence: `The last sync with Legal failed (${legal.lastError}): ${capitalised(consequences.LEGAL_OUTBOUND)}`,
      fix: 'Check that Legal is up at LEGAL_API_URL and that LEGAL_INTEGRATION_KEY is the same on People and Legal.',
    });
  }
  return status('LEGAL_OUTBOUND', legal.configured, problems, {
    legalSync: { lastSyncAt: legal.lastSyncAt, lastAttemptAt: legal.lastAttemptAt, lastError: legal.lastError },
  });
}

function bus(
  settings: IntegrationSettings,
  backlog: { pending: number; dead: number; oldestPendingAt: Date | null },
  delivery: ReturnType<OutboxDispatcher['status']> | null,
): IntegrationStatus {
  const problems: IntegrationProblem[] = [];
  if (!settings.bus.configured) {
    problems.push({
      code: 'NOT_CONFIGURED',
      consequence: `Events wait in People's outbox (${backlog.pending} now; nothing is lost), so ${consequences.BUS}`,
      fix: 'Set BUS_API_URL and BUS_INTEGRATION_KEY; waiting events are then delivered in order.',
    });
  } else if (delivery && delivery.consecutiveFailures > 0) {
    const refusedKey = /\b40[13]\b/.test(delivery.lastFailure ?? '');
    problems.push({
      code: 'DELIVERY_FAILING',
      consequence: `Bus is not taking People's events (last failure: ${delivery.lastFailure ?? 'unknown'}; ${backlog.pending} waiting): until it does, ${consequences.BUS}`,
      fix: refusedKey
        ? "Bus refuses People's key: make BUS_INTEGRATION_KEY the same on People and Bus."
        : 'Check that Bus is up and that BUS_API_URL is its address; waiting events are retried and delivered once it answers.',
    });
  }
  if (backlog.dead > 0) {
    problems.push({
      code: 'DEAD_EVENTS',
      consequence: `${plural(backlog.dead, 'event was', 'events were')} given up: their consumers never got ${backlog.dead === 1 ? 'it' : 'them'}.`,
      fix: 'Read lastError in outboxEvents(state: DEAD), fix the cause, then redriveDeadOutboxEvents.',
    });
  }
  return status('BUS', settings.bus.configured, problems, {
    bus: {
      pending: backlog.pending,
      dead: backlog.dead,
      oldestPendingAt: backlog.oldestPendingAt,
      lastDeliveredAt: delivery?.lastDeliveredAt ?? null,
      lastFailureAt: delivery?.lastFailureAt ?? null,
      lastFailure: delivery?.lastFailure ?? null,
      delivering: delivery ? settings.bus.configured && delivery.consecutiveFailures === 0 : null,
    },
  });
}
