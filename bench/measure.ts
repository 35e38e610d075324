import { performance } from 'node:perf_hooks';

/** One GraphQL request a scenario sends; `iteration` counts from 0 over warm-ups and measured runs. */
export interface BenchRequest {
  query: string;
  variables?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  headers: Record<string, string>;
  request(iteration: number): BenchRequest;
  /** Throws when the answer is not what the scenario expects (so a broken query never looks fast). */
  check?(data: Record<string, unknown>): void;
  /** The error code the answer must carry instead of data: the scenario times a refusal. */
  expectedErrorCode?: string;
}

export interface ScenarioResult {
  name: string;
  iterations: number;
  p50: number;
  p95: number;
  max: number;
  requestsPerSecond: number;
  statementsPerRequest: number;
  /** Fewest and most statements one measured request cost: equal when the count is constant. */
  statementsMin: number;
  statementsMax: number;
  responseBytes: number;
}

export interface MeasureOptions {
  url: string;
  warmups: number;
  iterations: number;
  /** Stop measuring a scenario after this long (but not before `minIterations`). */
  budgetMs: number;
  minIterations: number;
  requestTimeoutMs: number;
  statementCount(): number;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown; extensions?: { code?: unknown } }[];
}

async function send(options: MeasureOptions, scenario: Scenario, iteration: number): Promise<{ ms: number; bytes: number }> {
  const body = JSON.stringify(scenario.request(iteration));
  const started = performance.now();
  const response = await fetch(`${options.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body,
    signal: AbortSignal.timeout(options.requestTimeoutMs),
  });
  const text = await response.text();
  const ms = performance.now() - started;

  let parsed: GraphQLBody;
  try {
    parsed = JSON.parse(text) as GraphQLBody;
  } catch {
    throw new Error(`${scenario.name}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (scenario.expectedErrorCode !== undefined) {
    const code = parsed.errors?.[0]?.extensions?.code;
    if (code !== scenario.expectedErrorCode) {
      throw new Error(`${scenario.name}: expected ${scenario.expectedErrorCode}, got HTTP ${response.status} and ${String(code)}`);
    }
    return { ms, bytes: Buffer.byteLength(text) };
  }
  if (response.status !== 200 || parsed.errors?.length || !parsed.data) {
    const problems = (parsed.errors ?? []).slice(0, 3).map((error) => `${String(error.extensions?.code)}: ${error.message}`);
    throw new Error(`${scenario.name}: HTTP ${response.status}, ${problems.join('; ') || 'no data'}`);
  }
  scenario.check?.(parsed.data);
  return { ms, bytes: Buffer.byteLength(text) };
}

/** Warm-ups, then up to `iterations` sequential requests (one client, one request in flight). */
export async function measure(options: MeasureOptions, scenario: Scenario): Promise<ScenarioResult> {
  let iteration = 0;
  for (let warm = 0; warm < options.warmups; warm += 1) await send(options, scenario, iteration++);

  const latencies: number[] = [];
  let bytes = 0;
  // One request in flight: the counter's movement during a request is that request's statements.
  const statementCounts: number[] = [];
  const started = performance.now();
  while (
    latencies.length < options.iterations &&
    (latencies.length < options.minIterations || performance.now() - started < options.budgetMs)
  ) {
    const statementsBefore = options.statementCount();
    const sample = await send(options, scenario, iteration++);
    statementCounts.push(options.statementCount() - statementsBefore);
    latencies.push(sample.ms);
    bytes += sample.bytes;
  }
  const elapsed = performance.now() - started;
  const statements = statementCounts.reduce((total, count) => total + count, 0);

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name: scenario.name,
    iterations: latencies.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted[sorted.length - 1] ?? 0,
    requestsPerSecond: (latencies.length / elapsed) * 1000,
    statementsPerRequest: statements / latencies.length,
    statementsMin: Math.min(...statementCounts),
    statementsMax: Math.max(...statementCounts),
    responseBytes: bytes / latencies.length,
  };
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? 0;
}

export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'n', 'p50 ms', 'p95 ms', 'max ms', 'req/s', 'SQL/request', 'KB/response'];
  const rows = results.map((result) => [
    result.name,
    String(result.iterations),
    result.p50.toFixed(1),
    result.p95.toFixed(1),
    result.max.toFixed(1),
    result.requestsPerSecond.toFixed(1),
    result.statementsMin === result.statementsMax
      ? String(result.statementsMin)
      : `${result.statementsPerRequest.toFixed(2)} (${result.statementsMin}-${result.statementsMax})`,
    (result.responseBytes / 1024).toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
