import type { DestinationStream } from 'pino';
import { createAuthentication, type Authentication } from '../../src/auth/authentication.js';
import { rollCurrentJobs } from '../../src/employees/employment.js';
import { resolveSecrets } from '../../src/auth/dev-secrets.js';
import { signHubStyleToken } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import { integrationSettings } from '../../src/integrations/integrations.service.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createLegalIntegration, type LegalIntegration } from '../../src/legal/legal.service.js';
import { createPeopleServer, type PeopleServer, type ServerOptions } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { startTracing } from '../../src/server/tracing.js';
import { TestClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** Secrets and keys every test server is configured with. */
export const testEnvironment = {
  NODE_ENV: 'test',
  PORTAL_SSO_SECRET: 'test-portal-sso-secret-0123456789abcdef',
  SESSION_SECRET: 'test-session-secret-0123456789abcdef',
  INTEGRATION_KEY: 'test-psa-integration-key-0123456789',
  DEFEND_SERVICE_KEY: 'test-defend-service-key-0123456789',
  LEGAL_INTEGRATION_KEY: 'test-legal-integration-key-0123456789',
} as const;

export const serviceHeaders = {
  psa: { 'x-integration-key': testEnvironment.INTEGRATION_KEY },
  defend: { 'x-defend-service-key': testEnvironment.DEFEND_SERVICE_KEY },
  legal: { 'x-integration-key': testEnvironment.LEGAL_INTEGRATION_KEY },
} as const;

export interface TestIdentity {
  roles: string[];
  email?: string;
  hubUserId?: string;
}

/** The caller tests act as unless they say otherwise: an Admin who is not an employee. */
export const testAdmin: TestIdentity = { roles: ['Admin'], email: 'admin@people.test', hubUserId: 'hub-test-admin' };

export interface TestApp {
  url: string;
  clock: TestClock;
  config: Config;
  database: DatabaseHandle;
  authentication: Authentication;
  server: PeopleServer;
  /** The connection to Legal the server was built with (from LEGAL_* in `env`; not configured by default). */
  legal: LegalIntegration;
  /** Sends one GraphQL operation over real HTTP, as the test Admin unless `headers` say otherwise. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** A Hub SSO token for this identity, signed as Hub would. */
  tokenFor(identity: TestIdentity): Promise<string>;
  /** Request headers that authenticate as this identity. */
  as(identity: TestIdentity): Promise<Record<string, string>>;
  /** SQL statements the server sent while `work` ran. */
  countStatements(work: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    today?: string;
    database?: TestDatabase;
    env?: Record<string, string>;
    /** Variables of testEnvironment to leave unset, e.g. a service key this server should not know. */
    unsetEnv?: readonly (keyof typeof testEnvironment)[];
    /** The event dispatcher /ready reports on, built over the test database. */
    outbox?: (database: DatabaseHandle) => ServerOptions['outbox'];
    /** The system-task runner /ready reports on, built over the test database. */
    systemTasks?: (database: DatabaseHandle) => ServerOptions['systemTasks'];
    /** Where the server's logs go (at level `debug`), for tests that read them. */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestApp> {
  const testDatabase = options.database ?? (await createTestDatabase());
  const clock = new TestClock(options.today ?? '2026-06-15');
  // As People's lifecycle scheduler does when it starts: the current jobs held for the clock's day,
  // so reads of "today" take the maintained table (other days, and a clock moved on, read the history).
  await testDatabase.handle.db.transaction((tx) => rollCurrentJobs(tx, clock.today()));
  const environment: Record<string, string> = { ...testEnvironment, ...options.env };
  for (const name of options.unsetEnv ?? []) delete environment[name];
  const config = loadConfig(environment);
  const secrets = resolveSecrets(config);
  const authentication = createAuthentication(config, testDatabase.handle.db, secrets);
  // Reads retried after 5 ms, not 250: a test's Legal is on loopback.
  const legal = createLegalIntegration(config.legal, { readRetryDelayMs: 5 });
  // Null unless the test sets OTEL_EXPORTER_OTLP_ENDPOINT, as in production.
  const tracing = await startTracing(config.tracing);
  const server = await createPeopleServer({
    database: testDatabase.handle,
    clock,
    // People's own logger (its serializers are under test too), silent unless asked for.
    logger: options.logDestination
      ? createLogger('debug', options.logDestination)
      : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    production: config.environment === 'production',
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    authentication,
    auth: config.auth,
    graphql: config.graphql,
    certifications: config.certifications,
    corsOrigins: config.corsOrigins,
    defend: config.defend,
    outbox: options.outbox?.(testDatabase.handle),
    systemTasks: options.systemTasks?.(testDatabase.handle),
    metricsToken: config.metricsToken,
    tracing,
    // Every check fresh: tests turn integrations unhealthy and back within a second.
    integrations: { settings: integrationSettings(config, secrets), jwksCheckCacheMs: 0 },
    legal,
  });
  const url = await server.listen(0, '127.0.0.1');

  const tokenFor = (identity: TestIdentity) =>
    signHubStyleToken(testEnvironment.PORTAL_SSO_SECRET, {
      hubUserId: identity.hubUserId ?? `hub-${identity.email ?? 'anonymous'}`,
      email: identity.email ?? 'someone@people.test',
      roles: identity.roles,
      issuer: config.auth.hubIssuer,
      audience: config.auth.hubAudience,
    });
  const as = async (identity: TestIdentity) => ({ authorization: `Bearer ${await tokenFor(identity)}` });
  const adminHeaders = await as(testAdmin);

  return {
    url,
    clock,
    config,
    database: testDatabase.handle,
    authentication,
    server,
    legal,
    tokenFor,
    as,
    async gql(query, variables, headers) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(headers ?? adminHeaders) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    async countStatements(work) {
      const before = testDatabase.handle.statementCount();
      await work();
      return testDatabase.handle.statementCount() - before;
    },
    async close() {
      await server.stop();
      await tracing?.shutdown();
      await testDatabase.drop();
    },
  };
}
