import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { keysMatch } from '../auth/service-keys.js';
import type { DatabaseHandle } from '../db/database.js';
import { outboxBacklog, type OutboxBacklog } from '../events/events.service.js';
import type { RequestContext } from '../graphql/context.js';
import { summarizeSystemTasks, type SystemTaskSummary } from '../jobs/jobs.service.js';

// GET /metrics in Prometheus' text format (prom-client): how People serves (GraphQL requests by
// operation and outcome, errors by code), what waits (outbox, SYSTEM tasks), the database
// (statement durations, statements in flight against the pool) and the process (event-loop lag,
// memory, CPU: prom-client's defaults). Each server has its own registry. Labels carry names and
// codes only: never a value from a request.

/** Distinct operation names kept as labels; later new names count as "other" (each name is a time series). */
export const maxOperationLabels = 200;

const operationNamePattern = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** An unexpected error makes the request a server error; refusals and bad input are the caller's. */
type Outcome = 'ok' | 'client_error' | 'server_error';

export interface PeopleMetrics {
  readonly registry: Registry;
  /** Times each GraphQL operation and counts its errors by code. */
  graphqlPlugin(): ApolloServerPlugin<RequestContext>;
  /** The GET /metrics handler: `Authorization: Bearer <METRICS_TOKEN>` when a token is set. */
  handler: express.RequestHandler;
  /** Stops observing the database. */
  close(): void;
}

export function createMetrics(options: { database: DatabaseHandle; token: string | null }): PeopleMetrics {
  const { database } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'people_graphql_request_duration_seconds',
    help: 'GraphQL operations, from the request to the response, by operation name and outcome (ok, client_error, server_error).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: 'people_graphql_errors_total',
    help: 'Errors in GraphQL answers, by extensions.code (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, INTERNAL_SERVER_ERROR…).',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const statementDuration = new Histogram({
    name: 'people_db_statement_duration_seconds',
    help: 'SQL statements, from sending to the answer (waiting for a pooled connection included), by kind and outcome.',
    labelNames: ['statement', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'people_db_statements_in_flight',
    help: 'SQL statements sent and not answered yet; above people_db_pool_max_connections, statements wait for a connection.',
    registers: [registry],
    collect() {
      this.set(database.statementsInFlight());
    },
  });
  new Gauge({
    name: 'people_db_pool_max_connections',
    help: 'Most database connections People opens at once (1 for the embedded database).',
    registers: [registry],
    collect() {
      this.set(database.poolSize);
    },
  });

  const scrapeErrors = new Counter({
    name: 'people_metrics_read_errors_total',
    help: 'Scrapes whose database reads failed, by what was read (outbox, system_tasks); those gauges keep their last values.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  // One read of each per scrape, however many gauges use it. A failed read (the database down)
  // leaves the gauges as they were and is counted: /metrics still answers.
  const backlog = oncePerScrape<OutboxBacklog>(() => outboxBacklog(database.db));
  const tasks = oncePerScrape<SystemTaskSummary>(() => summarizeSystemTasks(database.db));
  const whenRead = async <T>(source: string, read: () => Promise<T>, use: (value: T) => void) => {
    let value: T;
    try {
      value = await read();
    } catch {
      scrapeErrors.inc({ source });
      return;
    }
    use(value);
  };
  new Gauge({
    name: 'people_outbox_events',
    help: 'Events in the outbox by state: pending (not yet delivered to Bus) and dead (given up, waiting for a re-drive).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      await whenRead('outbox', backlog, ({ pending, dead }) => {
        this.set({ state: 'pending' }, pending);
        this.set({ state: 'dead' }, dead);
      });
    },
  });
  new Gauge({
    name: 'people_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest event not yet delivered to Bus; 0 when none waits.',
    registers: [registry],
    async collect() {
      await whenRead('outbox', backlog, ({ oldestPendingAt }) => {
        this.set(oldestPendingAt ? Math.max(0, (Date.now() - oldestPendingAt.getTime()) / 1000) : 0);
      });
    },
  });
  new Gauge({
    name: 'people_system_tasks',
    help: 'Unfinished SYSTEM tasks by kind and state (PENDING, RUNNING, FAILED); finished ones are not counted.',
    labelNames: ['kind', 'state'] as const,
    registers: [registry],
    async collect() {
      await whenRead('system_tasks', tasks, (summary) => {
        this.reset();
        for (const state of ['PENDING', 'RUNNING', 'FAILED'] as const) this.set({ kind: 'all', state }, 0);
        for (const { kind, state, count } of summary.byKind) {
          this.inc({ kind, state }, count);
          this.inc({ kind: 'all', state }, count);
        }
      });
    },
  });
  new Gauge({
    name: 'people_system_tasks_waiting',
    help: 'PENDING SYSTEM tasks that cannot run until something outside them is fixed (configuration), by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      await whenRead('system_tasks', tasks, (summary) => {
        this.reset();
        for (const { kind, count } of summary.waiting) this.inc({ kind }, count);
      });
    },
  });

  const stopObserving = database.observeStatements(({ kind, seconds, failed }) => {
    statementDuration.observe({ statement: kind, outcome: failed ? 'error' : 'ok' }, seconds);
  });

  const operationNames = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!operationNamePattern.test(name)) return 'other';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= maxOperationLabels) return 'other';
    operationNames.add(name);
    return name;
  };

  return {
    registry,
    graphqlPlugin: () => ({
      // Refused before an operation starts (no or bad credentials): only the error is counted.
      async contextCreationDidFail({ error }) {
        graphqlErrors.inc({ code: errorCode(error) });
      },
      async requestDidStart() {
        const started = performance.now();
        return {
          async willSendResponse({ operationName, errors }) {
            const codes = errors?.map(errorCode) ?? [];
            for (const code of codes) graphqlErrors.inc({ code });
            const outcome: Outcome =
              codes.length === 0 ? 'ok' : codes.includes('INTERNAL_SERVER_ERROR') ? 'server_error' : 'client_error';
            requestDuration.observe({ operation: operationLabel(operationName), outcome }, (performance.now() - started) / 1000);
          },
        };
      },
    }),
    handler: async (req, res) => {
      if (options.token !== null && !bearerMatches(req.get('authorization'), options.token)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        res.status(401).json({
          errors: [{ message: 'Send "Authorization: Bearer <METRICS_TOKEN>" to read the metrics.', extensions: { code: 'UNAUTHENTICATED' } }],
        });
        return;
      }
      const text = await registry.metrics();
      res.setHeader('content-type', registry.contentType);
      res.send(text);
    },
    close: () => {
      stopObserving();
    },
  };
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && keysMatch(presented, token);
}

function errorCode(error: unknown): string {
  const extensions: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'extensions') : undefined;
  const code: unknown = typeof extensions === 'object' && extensions !== null ? Reflect.get(extensions, 'code') : undefined;
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/** The value of `read` shared by the gauges of one scrape (they collect within the same moment). */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let current: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!current || now - current.at > 1_000) current = { at: now, value: read() };
    return current.value;
  };
}
