import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { developmentAdmin, signHubStyleToken } from '../src/auth/tokens.js';
import { cleanUpProcesses, hubAudience, hubIssuer, ssoSecret, startServer, type RunningServer } from '../test/support/process.js';

// `npm run bench:replicas`: what README "Deployment shape" quotes. Starts one, then two People
// processes (as in production, demo data) on one PostgreSQL (BENCH_DATABASE_URL, default the CI
// one), sends the directory's first page with 8 requests in flight for a fixed time, spread
// round-robin over the replicas, and reports requests per second, p50/p95 and the PostgreSQL
// connections the replicas hold. Client and servers share the machine: compare runs, do not plan
// capacity from them.

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? '15');
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '8');
const query = '{ employees(first: 25) { totalCount nodes { id displayName jobTitle manager { displayName } department { name } location { name } } } }';

async function load(replicas: readonly RunningServer[], token: string): Promise<{ rps: number; p50: number; p95: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const replica = replicas[sent++ % replicas.length]!;
        const started = performance.now();
        const response = await fetch(`${replica.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as { errors?: unknown[] };
        if (response.status !== 200 || body.errors) errors += 1;
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (share: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0);
  return { rps: Math.round(latencies.length / seconds), p50: at(0.5), p95: at(0.95), errors };
}

async function main(): Promise<void> {
  const name = `people_bench_replicas_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const replicas: RunningServer[] = [];
  try {
    const environment = { DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' };
    replicas.push(await startServer({ ...environment, DEMO_DATA: 'true' }));
    const token = await signHubStyleToken(ssoSecret, { ...developmentAdmin, issuer: hubIssuer, audience: hubAudience, ttlSeconds: 3600 });
    const connections = async () =>
      Number((await admin`select count(*)::int as n from pg_stat_activity where datname = ${name}`)[0]?.n ?? 0);
    await load(replicas, token); // warm-up
    const one = await load(replicas, token);
    const oneConnections = await connections();
    replicas.push(await startServer({ ...environment, DEMO_DATA: 'false' }));
    await load(replicas.slice(1), token); // warm-up of the second
    const two = await load(replicas, token);
    const twoConnections = await connections();
    process.stdout.write(
      [
        `directory page, ${concurrency} in flight, ${seconds} s each, one machine:`,
        `  1 replica:  ${one.rps} req/s, p50 ${one.p50} ms, p95 ${one.p95} ms, errors ${one.errors}, PostgreSQL connections ${oneConnections}`,
        `  2 replicas: ${two.rps} req/s, p50 ${two.p50} ms, p95 ${two.p95} ms, errors ${two.errors}, PostgreSQL connections ${twoConnections}`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop().catch(() => undefined)));
    await cleanUpProcesses();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
