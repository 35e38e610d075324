import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import proxyaddr from 'proxy-addr';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { unauthenticated } from '../auth/access.js';
import { AuthenticationError, type Authenticator } from '../auth/authenticate.js';
import type { Authentication } from '../auth/authentication.js';
import { createLoginRouter } from '../auth/login.js';
import type { AuthenticatedCaller, Caller } from '../auth/caller.js';
import { auditText } from '../auth/claim-text.js';
import { keysMatch, servicesOnGraphql } from '../auth/service-keys.js';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { OutboxDispatcher } from '../events/events.service.js';
import { createLegalCallbackRouter, legalNotConfigured, legalOutboundStatus, type LegalIntegration } from '../legal/legal.service.js';
import type { RequestContext } from '../graphql/context.js';
import {
  createIntegrationDiagnostics,
  readinessSummary,
  type IntegrationDiagnostics,
  type IntegrationSettings,
  type IntegrationSources,
} from '../integrations/integrations.service.js';
import type { SystemTaskRunner } from '../jobs/jobs.service.js';
import { refuseHostileText } from '../graphql/hostile-text.js';
import { operationCostLimit } from '../graphql/operation-cost.js';
import { createRequestContext } from '../graphql/request-context.js';
import { compiledExecutionGateway } from '../graphql/compiled-executor.js';
import { buildPeopleSchema } from '../graphql/schema.js';
import { isVariableErrorLimit, variableErrorLimitAsUserInput } from '../graphql/variable-errors.js';
import type { Clock } from '../shared/dates.js';
import { corsForOrigins } from './cors.js';
import { createExplorerRouter } from './explorer.js';
import { graphqlHttpHandler, isGraphQLRequest } from './graphql-http.js';
import { createMetrics } from './metrics.js';
import { requestLog } from './request-log.js';
import type { Tracing } from './tracing.js';

export interface ServerOptions {
  database: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  production: boolean;
  maxBodyBytes: number;
  /** express's "trust proxy", so rate limits and login records see the client's address. */
  trustProxy?: Config['trustProxy'];
  authentication: Authentication;
  auth: Config['auth'];
  graphql: Config['graphql'];
  /** Certification rules; the defaults when absent. */
  certifications?: Config['certifications'];
  /** Defend's flows (the emergency circuit breaker); the defaults when absent. */
  defend?: Config['defend'];
  /** The event dispatcher, reported in /ready; absent in tests that run none. */
  outbox?: Pick<OutboxDispatcher, 'status' | 'backlog'>;
  /** The system-task runner, reported in /ready; absent in tests that run none. */
  systemTasks?: Pick<SystemTaskRunner, 'status' | 'summary'>;
  /** Browser origins that may call /graphql and /auth/* with credentials (CORS_ORIGINS); none when absent. */
  corsOrigins?: readonly string[];
  /** METRICS_TOKEN: GET /metrics answers only `Authorization: Bearer <it>`; open when null or absent. */
  metricsToken?: string | null;
  /** OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT); null or absent: nothing traced, nothing installed. */
  tracing?: Tracing | null;
  /** What the integration diagnostics (Admin `integrations`, /ready) need; without it they are not served. */
  integrations?: { settings: IntegrationSettings } & Pick<IntegrationSources, 'legalOutbound' | 'jwksCheckCacheMs'>;
  /** People's connection to Legal; not configured when absent. */
  legal?: LegalIntegration;
}

export interface PeopleServer {
  httpServer: http.Server;
  /** Starts listening; resolves to the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, then resolves. The database is the caller's to close. */
  stop(): Promise<void>;
}

export async function createPeopleServer(options: ServerOptions): Promise<PeopleServer> {
  const { database, clock, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  // One compiled rule for both: Express's routes (req.ip) and /graphql's (proxyaddr).
  const trustProxy = compileTrustProxy(options.trustProxy ?? false);
  app.set('trust proxy', trustProxy);
  const logRequest = requestLog(logger);
  // /graphql is answered once Apollo has started (below); until then, like any unknown path.
  let graphql: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const httpServer = http.createServer((req, res) => {
    const path = logRequest(req, res);
    if (graphql && isGraphQLRequest(path)) graphql(req, res);
    else app(req, res);
  });

  const metrics = createMetrics({ database, token: options.metricsToken ?? null });
  const tracing = options.tracing ?? null;
  const stopTracingStatements = tracing ? database.observeStatements(tracing.statement) : () => undefined;
  app.get('/metrics', metrics.handler);

  const legal = options.legal ?? legalNotConfigured;
  const integrations = options.integrations
    ? createIntegrationDiagnostics({
        legalOutbound: () => legalOutboundStatus(database.db, legal),
        ...options.integrations,
        db: database.db,
        serviceCalls: options.authentication.serviceCalls,
        ...(options.outbox ? { outbox: options.outbox } : {}),
      })
    : null;

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await database.isReady();
    // Bus being absent or down does not make People unready (events wait in the outbox), but it shows.
    const outbox = ready && options.outbox ? await describeOutbox(options.outbox) : undefined;
    // Likewise SYSTEM tasks that wait or failed: People serves on, and /ready lists them.
    const systemTasks = ready && options.systemTasks ? await describeSystemTasks(options.systemTasks) : undefined;
    // Integrations with problems do not make People unready either: each says what breaks and the fix.
    const integrationSummary = ready && integrations ? await describeIntegrations(integrations, logger) : undefined;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: {
        database: ready,
        ...(outbox ? { events: outbox } : {}),
        ...(systemTasks ? { systemTasks } : {}),
        ...(integrationSummary ? { integrations: integrationSummary } : {}),
      },
    });
  });

  // Before the routes they guard: preflights are answered here, and every answer varies by Origin.
  const corsOrigins = new Set(options.corsOrigins ?? []);
  app.use('/auth', corsForOrigins(corsOrigins));

  app.use(
    '/auth',
    createLoginRouter({
      db: database.db,
      clock,
      logger,
      hubTokens: options.authentication.hubTokens,
      sessions: options.authentication.sessions,
      authenticator: options.authentication.authenticator,
      failuresPer15Minutes: options.auth.loginFailuresPer15Minutes,
      secureCookies: options.production,
    }),
  );

  // Legal's callback: its key only, its own body parser (the signature covers the raw bytes).
  app.use(
    createLegalCallbackRouter({
      db: database.db,
      clock,
      authenticator: options.authentication.authenticator,
      legal,
    }),
  );

  const limits = options.graphql;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // Off here: armor's token plugin re-parses in a plugin hook, which turns every syntax error
    // into an HTTP 500. graphql-js enforces the same limit in the parser (parseOptions below).
    maxTokens: { enabled: false },
    // Off here: armor counts only a literal `first`; operationCostLimit (below) counts variables too.
    costLimit: { enabled: false },
    maxDirectives: { n: 50 },
    // Suggestions ("did you mean personalEmail?") map the schema for callers who cannot introspect it.
    blockFieldSuggestion: { enabled: options.production },
  }).protect();
  const apollo = new ApolloServer<RequestContext>({
    // The schema, executed by compiled operations (graphql-jit): see compiled-executor.ts.
    gateway: compiledExecutionGateway(
      buildPeopleSchema({
        maxRepresentations: limits.maxEntityRepresentations,
        requireGateway: limits.gatewaySecret !== null,
      }),
    ),
    introspection: limits.introspection,
    includeStacktraceInErrorResponses: false,
    // Over the limit is a syntax error: 400 GRAPHQL_PARSE_FAILED, before any work is done.
    parseOptions: { maxTokens: limits.maxTokens },
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    // main.ts owns SIGTERM/SIGINT (drain, close the database, exit). Apollo's own handler would
    // race it: its second stop() call never settles, so the database was never closed.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskInternalError(formatted, error, logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Timing traces are for Apollo's hosted tooling, which People does not use.
      ApolloServerPluginInlineTraceDisabled(),
      // Nothing sets cache hints (no @cacheControl in the schema, no resolver hint), so the
      // default plugin's hook on every field of every row was pure cost (issue 14's profile).
      ApolloServerPluginCacheControlDisabled(),
      // The default landing page loads Apollo Sandbox from a CDN; People must work offline.
      // Its own explorer (GraphiQL from node_modules) is at /explorer instead.
      ApolloServerPluginLandingPageDisabled(),
      // graphql-armor's types come from @apollo/server's CommonJS build; the objects are the same.
      ...(armor.plugins as unknown as ApolloServerPlugin<RequestContext>[]),
      operationCostLimit<RequestContext>({
        maxCost: limits.maxCost,
        orgChartMaxNodes: limits.orgChartMaxNodes,
        maxRepresentations: limits.maxEntityRepresentations,
      }),
      operationLogging(),
      metrics.graphqlPlugin(),
      ...(tracing ? [tracing.plugin] : []),
      // NUL and lone surrogates, in any variable or literal, are refused before anything resolves.
      refuseHostileText(),
    ],
  });
  await apollo.start();

  if (limits.explorer) app.use(createExplorerRouter());

  graphql = graphqlHttpHandler({
    apollo,
    maxBodyBytes: options.maxBodyBytes,
    corsOrigins,
    explorer: limits.explorer,
    traced: tracing ? tracing.middleware : null,
    context: async (req) => {
      const caller = await authenticateRequest(options.authentication.authenticator, req.headers, clock);
      const gatewaySecret = req.headers['x-gateway-secret'];
      const ip = proxyaddr(req, trustProxy);
      return createRequestContext({
        requestId: req.id,
        caller,
        viaGateway:
          limits.gatewaySecret !== null && typeof gatewaySecret === 'string' && keysMatch(gatewaySecret, limits.gatewaySecret),
        db: database.db,
        clock,
        logger: req.log,
        certifications: options.certifications,
        defend: options.defend,
        orgChartMaxNodes: limits.orgChartMaxNodes,
        integrations,
        legal,
        origin: { ip: isIP(ip) ? ip : null, userAgent: auditText(req.headers['user-agent'], 512) },
      });
    },
  });

  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
  });
  // Body parser failures (size, malformed JSON) answer in GraphQL's error shape, without a stack.
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message =
      status === 413
        ? `Request body is larger than ${bodyLimitOf(error) ?? options.maxBodyBytes} bytes.`
        : status < 500
          ? 'Request body is not valid JSON.'
          : 'Internal server error';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    stop: async () => {
      await apollo.stop();
      metrics.close();
      stopTracingStatements();
      // Accepted service calls still being batched are written before the database closes.
      await options.authentication.serviceCalls.stop();
    },
  };
}

async function describeOutbox(outbox: Pick<OutboxDispatcher, 'status' | 'backlog'>) {
  const status = outbox.status();
  const backlog = await outbox.backlog();
  return {
    busConfigured: status.busConfigured,
    delivering: status.busConfigured && status.consecutiveFailures === 0,
    pending: backlog.pending,
    dead: backlog.dead,
    oldestPendingAt: backlog.oldestPendingAt,
    lastDeliveredAt: status.lastDeliveredAt,
    lastFailureAt: status.lastFailureAt,
  };
}

async function describeIntegrations(diagnostics: IntegrationDiagnostics, logger: Logger) {
  try {
    return readinessSummary(await diagnostics.report());
  } catch (error) {
    logger.error({ err: error }, 'integration diagnostics could not be read for /ready');
    return { error: 'The integration diagnostics could not be read; see the log.' };
  }
}

async function describeSystemTasks(runner: Pick<SystemTaskRunner, 'status' | 'summary'>) {
  const status = runner.status();
  const summary = await runner.summary();
  return {
    runnerRunning: status.running,
    pending: summary.pending,
    running: summary.running,
    failed: summary.failed,
    waiting: summary.waiting,
    oldestPendingAt: summary.oldestPendingAt,
    // Tasks a person must know about until done (a leaver's Hub access not yet revoked), ids only.
    unfinished: summary.unfinished.map((task) => ({
      taskId: task.taskId,
      kind: task.kind,
      subject: task.subject,
      payload: task.payload,
      state: task.state,
      attempts: task.attempts,
      lastError: task.lastError,
      waitingReason: task.waitingReason,
      nextAttemptAt: task.nextAttemptAt,
    })),
    unfinishedCount: summary.unfinishedCount,
    lastFailureAt: status.lastFailureAt,
  };
}

/** The caller, or an UNAUTHENTICATED/FORBIDDEN answer (HTTP 401/403) naming what is wrong, never a secret. */
async function authenticateRequest(
  authenticator: Authenticator,
  headers: http.IncomingHttpHeaders,
  clock: Clock,
): Promise<AuthenticatedCaller> {
  let caller: Caller;
  try {
    caller = await authenticator.authenticate(headers, clock.today());
  } catch (error) {
    if (error instanceof AuthenticationError) {
      throw new GraphQLError(error.message, {
        extensions: { code: error.code, reason: error.reason, http: { status: error.httpStatus } },
      });
    }
    throw error;
  }
  // The one place anonymous callers are refused: the context's caller type leaves them out.
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'service' && !servicesOnGraphql.includes(caller.service)) {
    // Legal's key opens its callback only (src/legal/legal.callback.ts), never the API.
    throw new GraphQLError(`The ${caller.service} key is not accepted on /graphql: it reaches only its own integration endpoint.`, {
      extensions: { code: 'FORBIDDEN', reason: 'wrong_endpoint', http: { status: 403 } },
    });
  }
  return caller;
}

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** TRUST_PROXY as Express reads it (true, false, a hop count, or addresses and subnets), compiled once. */
function compileTrustProxy(setting: boolean | number | string): (address: string, hop: number) => boolean {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting.split(',').map((entry) => entry.trim()));
}

/** The limit of the body parser that refused the body: routes have their own (/auth/sso takes 16 KiB). */
function bodyLimitOf(error: unknown): number | null {
  const limit = (error as { limit?: unknown } | null)?.limit;
  return typeof limit === 'number' && limit > 0 ? limit : null;
}

const clientErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/**
 * Unexpected errors are logged (through the logger's redacting `err` serializer, which follows
 * `originalError`) and answered with a code and a plain message only: their text can hold SQL or
 * stored values, which callers must not see.
 */
function maskInternalError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
  // Apollo prefixes errors thrown while building the context; for sign-in errors it is noise.
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
    return { ...formatted, message: formatted.message.replace(/^Context creation failed: /, '') };
  }
  // graphql-armor reports its limits (depth, aliases, directives) as "Syntax Error: …", which
  // sends a caller looking for a typo in a query that is well formed but too big.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message.startsWith('Syntax Error: ')) {
    const message = formatted.message.slice('Syntax Error: '.length);
    if (/limit|depth|aliases|tokens/i.test(message)) return { ...formatted, message: `Refused before running: ${message}` };
  }
  if (isVariableErrorLimit(error)) return variableErrorLimitAsUserInput(formatted);
  if (clientErrorCodes.has(code)) return formatted;
  logger.error({ err: thrownByResolver(error), path: formatted.path }, 'unexpected error while resolving');
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * What a resolver threw, under the GraphQLError layers graphql-js and Apollo wrap it in. By name,
 * not `instanceof`: the layers can come from different copies of graphql (its CJS and ESM builds).
 */
function thrownByResolver(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.name === 'GraphQLError'; depth += 1) {
    const original: unknown = Reflect.get(current, 'originalError');
    if (!(original instanceof Error)) break;
    current = original;
  }
  return current;
}

function operationLogging(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors }) {
          contextValue.logger.info(
            {
              operationName: operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              errorCodes: errors?.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') ?? [],
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
