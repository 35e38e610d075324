import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';

/*
 * People against its floor (bench/floor.ts), read by read: both answers checked deep-equal first,
 * then throughput timed in alternating rounds (People, floor, floor, People, …) so drift on a
 * shared machine falls on both alike, with 1 and with 16 requests in flight.
 */

export interface Target {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface ABRead {
  name: string;
  people: Target;
  floor: Target;
}

export interface ABOptions {
  concurrencies: readonly number[];
  rounds: number;
  roundMs: number;
  requestTimeoutMs: number;
}

export interface ABResult {
  read: string;
  concurrency: number;
  people: { requestsPerSecond: number; p50: number };
  floor: { requestsPerSecond: number; p50: number };
  bytes: number;
}

async function post(target: Target, timeoutMs: number): Promise<string> {
  const response = await fetch(`${target.url}${target.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: JSON.stringify(target.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  // A cheap check on every answer (the full comparison ran before timing): a failure never looks fast.
  if (response.status !== 200 || text.startsWith('{"errors"') || text.includes('"errors":[')) {
    throw new Error(`${target.url}${target.path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  return text;
}

/** The first path where two JSON values differ, for a readable failure. */
function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    if (Array.isArray(a) !== Array.isArray(b)) return `${path}: list vs object`;
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return `${path}: ${a.length} vs ${b.length} items`;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: People ${JSON.stringify(a)?.slice(0, 200)} vs floor ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Both answers, parsed, must be equal: otherwise the floor answers another question and the ratio means nothing. */
export async function checkEqual(read: ABRead, timeoutMs: number): Promise<number> {
  const [people, floor] = await Promise.all([post(read.people, timeoutMs), post(read.floor, timeoutMs)]);
  const peopleData = (JSON.parse(people) as { data?: unknown }).data;
  const floorData = (JSON.parse(floor) as { data?: unknown }).data;
  const difference = firstDifference(peopleData, floorData);
  if (difference) throw new Error(`${read.name}: People and the floor answer differently at ${difference}`);
  return Buffer.byteLength(people);
}

interface Tally {
  completed: number;
  elapsedMs: number;
  latencies: number[];
}

async function load(target: Target, concurrency: number, durationMs: number, timeoutMs: number, tally: Tally): Promise<void> {
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      await post(target, timeoutMs);
      tally.latencies.push(performance.now() - sent);
      tally.completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  tally.elapsedMs += performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)] ?? 0;
}

export async function compare(reads: readonly ABRead[], options: ABOptions, progress: (message: string) => void): Promise<ABResult[]> {
  const results: ABResult[] = [];
  for (const read of reads) {
    const bytes = await checkEqual(read, options.requestTimeoutMs);
    progress(`floor: ${read.name}: answers equal (${(bytes / 1024).toFixed(1)} KB)`);
    for (const concurrency of options.concurrencies) {
      const people: Tally = { completed: 0, elapsedMs: 0, latencies: [] };
      const floor: Tally = { completed: 0, elapsedMs: 0, latencies: [] };
      // Warm both (JIT, prepared statements, pools) before the first timed round.
      await load(read.people, concurrency, Math.min(1000, options.roundMs), options.requestTimeoutMs, { completed: 0, elapsedMs: 0, latencies: [] });
      await load(read.floor, concurrency, Math.min(1000, options.roundMs), options.requestTimeoutMs, { completed: 0, elapsedMs: 0, latencies: [] });
      for (let round = 0; round < options.rounds; round += 1) {
        const order = round % 2 === 0 ? ([[read.people, people], [read.floor, floor]] as const) : ([[read.floor, floor], [read.people, people]] as const);
        for (const [target, tally] of order) await load(target, concurrency, options.roundMs, options.requestTimeoutMs, tally);
      }
      const result: ABResult = {
        read: read.name,
        concurrency,
        people: { requestsPerSecond: (people.completed / people.elapsedMs) * 1000, p50: median(people.latencies) },
        floor: { requestsPerSecond: (floor.completed / floor.elapsedMs) * 1000, p50: median(floor.latencies) },
        bytes,
      };
      progress(
        `floor: ${read.name} x${concurrency}: People ${result.people.requestsPerSecond.toFixed(1)} req/s, floor ${result.floor.requestsPerSecond.toFixed(1)} req/s`,
      );
      results.push(result);
    }
  }
  return results;
}

export function formatComparison(results: readonly ABResult[]): string {
  const header = ['read', 'in flight', 'People req/s', 'floor req/s', 'People/floor', 'People p50 ms', 'floor p50 ms', 'KB'];
  const rows = results.map((result) => [
    result.read,
    String(result.concurrency),
    result.people.requestsPerSecond.toFixed(1),
    result.floor.requestsPerSecond.toFixed(1),
    (result.people.requestsPerSecond / result.floor.requestsPerSecond).toFixed(3),
    result.people.p50.toFixed(1),
    result.floor.p50.toFixed(1),
    (result.bytes / 1024).toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
