import path from 'node:path';
import { z } from 'zod';
import { isValidTimeZone } from './shared/dates.js';
import { parseDurationSeconds } from './shared/durations.js';
import { parseWebhookSecret } from './shared/standard-webhooks.js';
import { serviceKeyVariables, sharedServiceKeys } from './auth/service-keys.js';

/**
 * A whole number read from the environment. Not z.coerce.number(): that reads an empty value
 * (`PORT=`) as 0, which silently meant a random port or a zero shutdown timeout.
 */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A duration such as 12h, 90m or 2d (a bare number is seconds), in seconds. */
function duration(minSeconds: number, maxSeconds: number, bounds: string) {
  return z
    .string()
    .refine((text) => parseDurationSeconds(text) !== null, 'must be a duration such as 12h, 90m or 2d (a bare number is seconds)')
    .transform((text) => parseDurationSeconds(text) ?? 0)
    .pipe(z.number().min(minSeconds, `must be ${bounds}`).max(maxSeconds, `must be ${bounds}`));
}

/** A shared secret or key: long enough that guessing is hopeless. */
function secret() {
  return z.string().min(16, 'must be at least 16 characters');
}

/**
 * CORS_ORIGINS: a comma list of browser origins (`https://portal.example.com`), each as a browser
 * sends it in `Origin`: scheme, host and port only (a default port is dropped, the host lower-cased).
 */
function originList() {
  return z.string().transform((text, context) => {
    const origins: string[] = [];
    for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
      const origin = parseOrigin(entry);
      if (origin === null) {
        context.addIssue({
          code: 'custom',
          message: `"${entry}" is not an origin: write scheme, host and optional port, such as https://portal.example.com (no path, no "*")`,
        });
        continue;
      }
      if (!origins.includes(origin)) origins.push(origin);
    }
    return origins;
  });
}

function parseOrigin(entry: string): string | null {
  if (!URL.canParse(entry)) return null;
  const url = new URL(entry);
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : null;
}

/** ORG_CHART_MAX_NODES unless set: the most people one org chart answers. */
export const defaultOrgChartMaxNodes = 2000;

/**
 * Every setting People reads from the environment, validated once at start.
 * A bad value stops the process with a message naming the variable.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: wholeNumber(0, 65535).default(4001),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .refine((url) => URL.canParse(url), 'is not a valid URL (percent-encode special characters in the user name and password)')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DEMO_DATA: z.enum(['auto', 'true', 'false']).default('auto'),
  BUSINESS_TIMEZONE: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SHUTDOWN_TIMEOUT_MS: wholeNumber(0).default(10_000),
  MAX_BODY_BYTES: wholeNumber(1024).default(1_048_576),

  // Identity: Hub SSO tokens and People sessions.
  PORTAL_SSO_SECRET: secret().optional(),
  HUB_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  // 'people' is the issuer of People's own sessions; a Hub issuer of that name would be ambiguous.
  HUB_TOKEN_ISSUER: z.string().min(1).refine((issuer) => issuer !== 'people', 'must not be "people" (People\'s own session issuer)').default('hub'),
  HUB_TOKEN_AUDIENCE: z.string().min(1).default('people'),
  HUB_TOKEN_MAX_AGE: duration(60, 30 * 86_400, 'between 1m and 30d').default(12 * 3600),
  SESSION_SECRET: secret().optional(),
  SESSION_TTL_MINUTES: wholeNumber(1, 7 * 24 * 60).default(480),
  LOGIN_FAILURES_PER_15_MINUTES: wholeNumber(1).default(10),
  // Which proxies' X-Forwarded-For to believe for the client address (express's "trust proxy").
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/, 'must be true, false, a hop count, or addresses/CIDRs')
    .default('false'),

  // Browser origins (the employee portal, the HR admin UI) that may call /graphql and /auth/* with credentials.
  CORS_ORIGINS: originList().default([]),

  // Service keys of the products that call People.
  INTEGRATION_KEY: secret().optional(),
  DEFEND_SERVICE_KEY: secret().optional(),
  // Defend's emergency offboardings: more than this many in an hour are held for HR (a circuit breaker).
  DEFEND_EMERGENCY_LIMIT: wholeNumber(0, 1_000).default(3),
  LEGAL_INTEGRATION_KEY: secret().optional(),

  // Legal (policies and acknowledgements): People calls it, and it calls People back.
  LEGAL_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  LEGAL_WEBHOOK_SECRET: z
    .string()
    .refine((text) => parseWebhookSecret(text) !== null, 'must be base64 of at least 16 bytes, optionally prefixed whsec_')
    .optional(),
  LEGAL_SYNC_INTERVAL_MS: wholeNumber(1_000).default(300_000),
  LEGAL_TIMEOUT_MS: wholeNumber(100, 60_000).default(5_000),

  // Events to Bus.
  BUS_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  BUS_INTEGRATION_KEY: secret().optional(),
  BUS_TIMEOUT_MS: wholeNumber(100, 60_000).default(5_000),
  OUTBOX_MAX_ATTEMPTS: wholeNumber(1, 100).default(20),
  LIFECYCLE_CHECK_INTERVAL_MS: wholeNumber(1_000).default(60_000),

  // Hub's integration API: revoking and restoring access (SYSTEM tasks).
  HUB_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  HUB_INTEGRATION_KEY: secret().optional(),
  HUB_TIMEOUT_MS: wholeNumber(100, 60_000).default(5_000),

  // GET /metrics: answered only with `Authorization: Bearer <METRICS_TOKEN>` when set.
  METRICS_TOKEN: secret().optional(),

  // OpenTelemetry traces, sent over OTLP/HTTP (JSON) to <endpoint>/v1/traces; off when unset.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('people'),
  OTEL_SLOW_RESOLVER_MS: wholeNumber(0, 60_000).default(50),

  // Certifications: how many days before its expiry a certification counts as EXPIRING.
  CERTIFICATION_EXPIRING_WINDOW_DAYS: wholeNumber(0, 366).default(30),

  // The federation gateway and GraphQL limits.
  GATEWAY_SECRET: secret().optional(),
  MAX_ENTITY_REPRESENTATIONS: wholeNumber(1).default(2000),
  GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).optional(),
  // The GraphiQL explorer at /explorer; on unless NODE_ENV=production.
  EXPLORER_ENABLED: z.enum(['true', 'false']).optional(),
  GRAPHQL_MAX_DEPTH: wholeNumber(1).default(12),
  GRAPHQL_MAX_ALIASES: wholeNumber(1).default(30),
  GRAPHQL_MAX_TOKENS: wholeNumber(100).default(5000),
  GRAPHQL_MAX_COST: wholeNumber(100).default(100000),
  ORG_CHART_MAX_NODES: wholeNumber(1, 1_000_000).default(defaultOrgChartMaxNodes),
});

export interface Config {
  environment: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  /** Seed the demo organisation when the database holds no employee. */
  seedDemoData: boolean;
  businessTimeZone: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** `auto`: readable lines when stdout is a terminal (outside production), JSON otherwise. */
  logFormat: z.infer<typeof environmentSchema>['LOG_FORMAT'];
  shutdownTimeoutMs: number;
  maxBodyBytes: number;
  /** express's "trust proxy": false, true, a hop count, or addresses. */
  trustProxy: boolean | number | string;
  /** The embedded database, its lock (people.lock) and, in development, dev-secrets.json (kept there with DATABASE_URL too). */
  dataDir: string;
  auth: {
    /** Null until resolved: in development People generates and keeps one (see dev-secrets). */
    ssoSecret: string | null;
    hubJwksUrl: string | null;
    hubIssuer: string;
    hubAudience: string;
    /** The longest lifetime (`exp` − `iat`) a Hub token may have, in seconds. */
    hubTokenMaxAgeSeconds: number;
    sessionSecret: string | null;
    sessionTtlMinutes: number;
    loginFailuresPer15Minutes: number;
  };
  /** Origins whose pages may call /graphql and /auth/* with credentials (CORS_ORIGINS); none by default. */
  corsOrigins: readonly string[];
  serviceKeys: { PSA?: string; DEFEND?: string; LEGAL?: string };
  defend: DefendSettings;
  legal: LegalSettings;
  bus: { url: string; integrationKey: string; timeoutMs: number } | null;
  outboxMaxAttempts: number;
  lifecycleCheckIntervalMs: number;
  /** Hub's integration API; null when HUB_API_URL is unset (access revocations wait, visibly). */
  hub: { url: string; integrationKey: string; timeoutMs: number } | null;
  certifications: CertificationSettings;
  /** METRICS_TOKEN; null: /metrics is open (keep it off the public network). */
  metricsToken: string | null;
  /** OpenTelemetry: null (the default) loads no SDK at all. */
  tracing: { endpoint: string; serviceName: string; slowResolverMs: number } | null;
  graphql: {
    introspection: boolean;
    /** Serve the GraphiQL explorer at /explorer (and send browsers from /graphql there). */
    explorer: boolean;
    gatewaySecret: string | null;
    maxEntityRepresentations: number;
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxCost: number;
    /** The most people one `orgChart` answers; the operation cost counts a chart as this many. */
    orgChartMaxNodes: number;
  };
}

export interface DefendSettings {
  /**
   * DEFEND_EMERGENCY_LIMIT: how many emergency offboardings Defend may trigger in an hour before
   * the next ones are held for an HR Manager or Admin to confirm (a leaked key cannot offboard the
   * company). 0 holds every one.
   */
  emergencyLimit: number;
}

export const defaultDefendSettings: DefendSettings = { emergencyLimit: 3 };

export interface LegalSettings {
  /** LEGAL_API_URL; null: Legal is not configured (the compliance views say so). */
  apiUrl: string | null;
  /** LEGAL_INTEGRATION_KEY: sent to Legal, and what Legal's callback presents (X-Integration-Key). */
  integrationKey: string | null;
  /** LEGAL_WEBHOOK_SECRET, as written (`whsec_…`); null: callbacks are not signed. */
  webhookSecret: string | null;
  syncIntervalMs: number;
  timeoutMs: number;
}

export interface CertificationSettings {
  /** A certification is EXPIRING from this many days before its last valid day. */
  expiringWindowDays: number;
}

export const defaultCertificationSettings: CertificationSettings = { expiringWindowDays: 30 };

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One line per problem, each naming its variable. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list =
      typeof problems === 'string'
        ? problems.replace(/^Invalid configuration:/, '').split('\n').map((line) => line.trim()).filter(Boolean)
        : problems;
    super(`Invalid configuration:\n  ${list.join('\n  ')}`);
    this.problems = list;
  }
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  // Every problem at once, so one attempt tells everything there is to fix.
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (Boolean(environment.BUS_API_URL) !== Boolean(environment.BUS_INTEGRATION_KEY)) {
    problems.push(
      `${environment.BUS_API_URL ? 'BUS_INTEGRATION_KEY' : 'BUS_API_URL'}: set BUS_API_URL and BUS_INTEGRATION_KEY together (or neither, to keep events in the outbox)`,
    );
  }
  if (Boolean(environment.HUB_API_URL) !== Boolean(environment.HUB_INTEGRATION_KEY)) {
    problems.push(
      `${environment.HUB_API_URL ? 'HUB_INTEGRATION_KEY' : 'HUB_API_URL'}: set HUB_API_URL and HUB_INTEGRATION_KEY together (or neither: access revocations then wait, and /ready says so)`,
    );
  }
  if (environment.LEGAL_API_URL && !environment.LEGAL_INTEGRATION_KEY) {
    problems.push('LEGAL_INTEGRATION_KEY: set it with LEGAL_API_URL (People sends it to Legal as X-Integration-Key)');
  }
  // The key says who calls: two services with one key could act as each other.
  const keys = { PSA: environment.INTEGRATION_KEY, DEFEND: environment.DEFEND_SERVICE_KEY, LEGAL: environment.LEGAL_INTEGRATION_KEY };
  for (const [first, second] of sharedServiceKeys(keys)) {
    problems.push(`${serviceKeyVariables[second]}: must differ from ${serviceKeyVariables[first]} (the key is what tells ${first} from ${second})`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  return {
    environment: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR, 'pglite') },
    seedDemoData: env.DEMO_DATA === 'true' || (env.DEMO_DATA === 'auto' && env.NODE_ENV !== 'production'),
    businessTimeZone: env.BUSINESS_TIMEZONE,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    dataDir: path.resolve(env.DATA_DIR),
    auth: {
      ssoSecret: env.PORTAL_SSO_SECRET ?? null,
      hubJwksUrl: env.HUB_JWKS_URL ?? null,
      hubIssuer: env.HUB_TOKEN_ISSUER,
      hubAudience: env.HUB_TOKEN_AUDIENCE,
      hubTokenMaxAgeSeconds: env.HUB_TOKEN_MAX_AGE,
      sessionSecret: env.SESSION_SECRET ?? null,
      sessionTtlMinutes: env.SESSION_TTL_MINUTES,
      loginFailuresPer15Minutes: env.LOGIN_FAILURES_PER_15_MINUTES,
    },
    corsOrigins: env.CORS_ORIGINS,
    serviceKeys: {
      ...(env.INTEGRATION_KEY ? { PSA: env.INTEGRATION_KEY } : {}),
      ...(env.DEFEND_SERVICE_KEY ? { DEFEND: env.DEFEND_SERVICE_KEY } : {}),
      ...(env.LEGAL_INTEGRATION_KEY ? { LEGAL: env.LEGAL_INTEGRATION_KEY } : {}),
    },
    defend: { emergencyLimit: env.DEFEND_EMERGENCY_LIMIT },
    legal: {
      apiUrl: env.LEGAL_API_URL ?? null,
      integrationKey: env.LEGAL_INTEGRATION_KEY ?? null,
      webhookSecret: env.LEGAL_WEBHOOK_SECRET ?? null,
      syncIntervalMs: env.LEGAL_SYNC_INTERVAL_MS,
      timeoutMs: env.LEGAL_TIMEOUT_MS,
    },
    bus:
      env.BUS_API_URL && env.BUS_INTEGRATION_KEY
        ? { url: env.BUS_API_URL, integrationKey: env.BUS_INTEGRATION_KEY, timeoutMs: env.BUS_TIMEOUT_MS }
        : null,
    outboxMaxAttempts: env.OUTBOX_MAX_ATTEMPTS,
    lifecycleCheckIntervalMs: env.LIFECYCLE_CHECK_INTERVAL_MS,
    hub:
      env.HUB_API_URL && env.HUB_INTEGRATION_KEY
        ? { url: env.HUB_API_URL, integrationKey: env.HUB_INTEGRATION_KEY, timeoutMs: env.HUB_TIMEOUT_MS }
        : null,
    certifications: { expiringWindowDays: env.CERTIFICATION_EXPIRING_WINDOW_DAYS },
    metricsToken: env.METRICS_TOKEN ?? null,
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME, slowResolverMs: env.OTEL_SLOW_RESOLVER_MS }
      : null,
    graphql: {
      introspection: env.GRAPHQL_INTROSPECTION ? env.GRAPHQL_INTROSPECTION === 'true' : env.NODE_ENV !== 'production',
      explorer: env.EXPLORER_ENABLED ? env.EXPLORER_ENABLED === 'true' : env.NODE_ENV !== 'production',
      gatewaySecret: env.GATEWAY_SECRET ?? null,
      maxEntityRepresentations: env.MAX_ENTITY_REPRESENTATIONS,
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxCost: env.GRAPHQL_MAX_COST,
      orgChartMaxNodes: env.ORG_CHART_MAX_NODES,
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
