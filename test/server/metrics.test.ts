import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/server.js';

// GET /metrics over real HTTP: Prometheus' text format (0.0.4), read with a strict parser below,
// after real GraphQL traffic and sign-in refusals. On PGlite and (TEST_DATABASE_URL) PostgreSQL.

const metricsToken = 'test-metrics-token-0123456789abcdef';

// ---- A strict reader of the Prometheus text exposition format.

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws on any line that is not HELP, TYPE or a sample of a declared family, as Prometheus would refuse it. */
function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (sampleName: string): Family => {
    const exact = families.get(sampleName);
    if (exact) return exact;
    for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
      if (!sampleName.endsWith(suffix)) continue;
      const family = families.get(sampleName.slice(0, -suffix.length));
      if (family && (family.type === 'histogram' || family.type === 'summary' || suffix === '_total')) return family;
    }
    throw new Error(`sample ${sampleName} has no # TYPE before it`);
  };
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const at = `line ${index + 1}: ${line}`;
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      const [, name, help] = /^# HELP (\S+) (.*)$/.exec(line) ?? [];
      if (!name || !metricName.test(name) || help === undefined) throw new Error(`bad HELP, ${at}`);
      const family = families.get(name);
      if (family) family.help = help;
      else families.set(name, { name, type: 'untyped', help, samples: [] });
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name, type] = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line) ?? [];
      if (!name || !metricName.test(name) || !type) throw new Error(`bad TYPE, ${at}`);
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (family.samples.length > 0) throw new Error(`TYPE after samples, ${at}`);
      family.type = type as MetricType;
      families.set(name, family);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!match?.[1] || !match[3]) throw new Error(`bad sample, ${at}`);
    const labels = parseLabels(match[2] ?? '', at);
    const value = parseValue(match[3], at);
    familyOf(match[1]).samples.push({ name: match[1], labels, value });
  }
  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family);
  }
  return families;
}

function parseLabels(text: string, at: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,?)/.exec(rest);
    if (!match?.[1] || match[2] === undefined) throw new Error(`bad labels, ${at}`);
    if (!labelName.test(match[1]) || match[1] in labels) throw new Error(`bad or repeated label ${match[1]}, ${at}`);
    labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(match[0].length);
    if (!match[3] && rest.length > 0) throw new Error(`labels not separated by commas, ${at}`);
  }
  return labels;
}

/** As Prometheus reads a value (Go's ParseFloat): a decimal number, or NaN and ±Inf in any letter case. */
function parseValue(text: string, at: string): number {
  if (/^[+]?inf(inity)?$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${text}, ${at}`);
  return Number(text);
}

/** Per label set: buckets rise with `le` up to +Inf, which equals `_count`; `_sum` is there. */
function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: { le: number; value: number }[]; sum?: number; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${family.name}_bucket without le`);
      entry.buckets.push({ le: parseValue(le, family.name), value: sample.value });
    } else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
    else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    else throw new Error(`${sample.name} is not a histogram sample of ${family.name}`);
  }
  for (const entry of series.values()) {
    const last = entry.buckets.at(-1);
    if (!last || last.le !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}: no +Inf bucket`);
    if (entry.sum === undefined || entry.count !== last.value) throw new Error(`${family.name}: _count must equal the +Inf bucket, with a _sum`);
    entry.buckets.reduce((previous, bucket) => {
      if (bucket.le <= previous.le || bucket.value < previous.value) throw new Error(`${family.name}: buckets must rise`);
      return bucket;
    });
  }
}

// ---- The server

let app: TestApp;

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${metricsToken}` }): Promise<Response> {
  return fetch(`${app.url}/metrics`, { headers });
}

async function metrics(): Promise<Map<string, Family>> {
  const response = await scrape();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await response.text());
}

function family(families: Map<string, Family>, name: string, type: MetricType): Family {
  const found = families.get(name);
  expect(found, name).toBeDefined();
  expect(found?.type, name).toBe(type);
  expect(found?.help, name).not.toBe('');
  return found as Family;
}

function sampleOf(found: Family, name: string, labels: Record<string, string>): Sample | undefined {
  return found.samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

beforeAll(async () => {
  app = await startTestApp({ env: { METRICS_TOKEN: metricsToken } });
  // Traffic: a named operation, an anonymous one, a parse error, a refused caller, a refused sign-in.
  expect((await app.gql('query DepartmentList { departments { id } }')).errors).toBeUndefined();
  expect((await app.gql('{ locations { id } }')).errors).toBeUndefined();
  expect((await app.gql('query Broken { departments { id ')).status).toBe(400);
  expect((await app.gql('{ departments { id } }', {}, {})).status).toBe(401);
  const refused = await fetch(`${app.url}/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: 'not-a-jwt' }),
  });
  expect(refused.status).toBe(401);
});
afterAll(async () => {
  if (app) await app.close();
});

describe('GET /metrics', () => {
  it('answers only with the METRICS_TOKEN bearer when one is set', async () => {
    const refused: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token-0123456789' }, { authorization: metricsToken }];
    for (const headers of refused) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0]?.message).toContain('METRICS_TOKEN');
      expect(JSON.stringify(body)).not.toContain(metricsToken);
    }
  });

  it('parses as Prometheus text, with each family typed and described', async () => {
    const families = await metrics();
    expect(families.size).toBeGreaterThan(10);
    for (const found of families.values()) expect(found.type, found.name).not.toBe('untyped');
  });

  it('times GraphQL operations by operation name and outcome, and counts errors by code', async () => {
    const families = await metrics();
    const duration = family(families, 'people_graphql_request_duration_seconds', 'histogram');
    expect(sampleOf(duration, 'people_graphql_request_duration_seconds_count', { operation: 'DepartmentList', outcome: 'ok' })?.value).toBe(1);
    expect(sampleOf(duration, 'people_graphql_request_duration_seconds_count', { operation: 'anonymous', outcome: 'ok' })?.value).toBe(1);
    expect(
      duration.samples.filter((sample) => sample.labels.outcome === 'client_error' && sample.name.endsWith('_count')).reduce((sum, sample) => sum + sample.value, 0),
    ).toBe(1);
    expect(new Set(duration.samples.map((sample) => Object.keys(sample.labels).sort().join(',')))).toEqual(
      new Set(['le,operation,outcome', 'operation,outcome']),
    );

    const errors = family(families, 'people_graphql_errors_total', 'counter');
    expect(sampleOf(errors, 'people_graphql_errors_total', { code: 'GRAPHQL_PARSE_FAILED' })?.value).toBe(1);
    expect(sampleOf(errors, 'people_graphql_errors_total', { code: 'UNAUTHENTICATED' })?.value).toBe(1);
  });

  it('reports the outbox, SYSTEM tasks by state, the database and the event loop', async () => {
    const families = await metrics();
    // The refused sign-in wrote a login_failed event, which waits in the outbox (no dispatcher runs).
    const outbox = family(families, 'people_outbox_events', 'gauge');
    expect(sampleOf(outbox, 'people_outbox_events', { state: 'pending' })?.value).toBeGreaterThanOrEqual(1);
    expect(sampleOf(outbox, 'people_outbox_events', { state: 'dead' })?.value).toBe(0);
    expect(family(families, 'people_outbox_oldest_pending_age_seconds', 'gauge').samples[0]?.value).toBeGreaterThanOrEqual(0);

    const tasks = family(families, 'people_system_tasks', 'gauge');
    expect(tasks.samples.map((sample) => sample.labels.state).sort()).toEqual(['FAILED', 'PENDING', 'RUNNING']);
    expect(tasks.samples.every((sample) => sample.labels.kind === 'all' && sample.value === 0)).toBe(true);
    family(families, 'people_system_tasks_waiting', 'gauge');

    const statements = family(families, 'people_db_statement_duration_seconds', 'histogram');
    expect(sampleOf(statements, 'people_db_statement_duration_seconds_count', { statement: 'select', outcome: 'ok' })?.value).toBeGreaterThan(0);
    expect(sampleOf(statements, 'people_db_statement_duration_seconds_count', { statement: 'insert', outcome: 'ok' })?.value).toBeGreaterThan(0);
    expect(family(families, 'people_db_statements_in_flight', 'gauge').samples[0]?.value).toBeGreaterThanOrEqual(0);
    expect(family(families, 'people_db_pool_max_connections', 'gauge').samples[0]?.value).toBe(app.database.kind === 'postgres' ? 10 : 1);

    expect(family(families, 'nodejs_eventloop_lag_seconds', 'gauge').samples[0]?.value).toBeGreaterThanOrEqual(0);
  });

  it('is open without METRICS_TOKEN', async () => {
    const open = await startTestApp();
    try {
      const response = await fetch(`${open.url}/metrics`);
      expect(response.status).toBe(200);
      expect(parsePrometheusText(await response.text()).has('people_graphql_errors_total')).toBe(true);
    } finally {
      await open.close();
    }
  });
});

describe('the parser', () => {
  it('refuses what Prometheus refuses', () => {
    expect(() => parsePrometheusText('people_x 1\n')).toThrow(/no # TYPE/);
    expect(() => parsePrometheusText('# TYPE people_x gauge\npeople_x{a="1",a="2"} 1\n')).toThrow(/repeated/);
    expect(() => parsePrometheusText('# TYPE people_x gauge\npeople_x{a=1} 1\n')).toThrow(/bad labels/);
    expect(() => parsePrometheusText('# TYPE people_x gauge\npeople_x one\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('# TYPE people_h histogram\npeople_h_bucket{le="1"} 2\npeople_h_sum 1\npeople_h_count 2\n')).toThrow(/\+Inf/);
    expect(parsePrometheusText('# HELP people_x The x.\n# TYPE people_x gauge\npeople_x{a="q\\"uote"} 1.5e3\n').get('people_x')?.samples[0]).toEqual({
      name: 'people_x',
      labels: { a: 'q"uote' },
      value: 1500,
    });
  });
});
