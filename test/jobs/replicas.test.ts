import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresListener } from '../../src/shared/durable/notifications.js';
import { createSystemTaskRunner, type SystemTaskHandler, type SystemTaskRunner } from '../../src/jobs/runner.js';
import { enqueueSystemTask, systemTaskChannel } from '../../src/jobs/system-tasks.js';
import { systemTasks } from '../../src/jobs/system-tasks.tables.js';
import type { Database } from '../../src/db/database.js';
import { createHubClient } from '../../src/peers/hub-client.js';
import { startHubSimulator, type HubSimulator } from '../simulators/hub.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { postgresUrlOf, secondHandle, sleep } from '../events/helpers.js';

// Two runners on one database, as two replicas would be: on PostgreSQL each with its own
// connection pool (and LISTEN connection); on PGlite, one connection by nature, they share it,
// which still proves their claims never overlap. Either way no task runs twice at once, and Hub
// acts once per task.

let database: TestDatabase;
let hub: HubSimulator;

beforeAll(async () => {
  database = await createTestDatabase();
  hub = await startHubSimulator();
});
afterAll(async () => {
  await hub?.close();
  if (database) await database.drop();
});

describe('several runners on one database', () => {
  it('never run one task twice at once, and Hub revokes each leaver once', async () => {
    const other = await secondHandle(database.handle);
    const url = await postgresUrlOf(database.handle);
    // A generous timeout: PGlite runs queries on the event loop, so on a busy machine a short one
    // can fire before Hub's answer is read, and the retry is then a replay. This test is about
    // claims, not time-outs (those are test/access/hub-access.test.ts's).
    const client = createHubClient({ url: hub.url, integrationKey: hub.integrationKey, timeoutMs: 30_000 });
    const running = new Set<string>();
    const runs = new Map<string, number>();
    let overlaps = 0;
    // A thin revocation handler that notices a task run while it is already running anywhere.
    const handler: SystemTaskHandler<'hub.revoke_access'> = {
      async run(task, { signal }) {
        if (running.has(task.id)) overlaps += 1;
        running.add(task.id);
        runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
        try {
          const answer = await client.revokeAccess(
            { hubUserId: `hub-${task.payload.employeeId}`, employeeId: task.payload.employeeId, email: 'leaver@example.com', workflowId: task.payload.workflowId, reason: task.payload.reason, requestedAt: task.createdAt },
            { idempotencyKey: task.idempotencyKey, signal },
          );
          return answer.outcome === 'done' ? { outcome: 'succeeded', result: { hubStatus: answer.status } } : { outcome: 'retry', error: `Hub: ${answer.outcome}` };
        } finally {
          running.delete(task.id);
        }
      },
    };
    const runner = (db: Database): SystemTaskRunner =>
      createSystemTaskRunner({
        db,
        kind: database.handle.kind,
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        handlers: { 'hub.revoke_access': handler },
        baseDelayMs: 1,
        maxDelayMs: 5,
        random: () => 0,
        batchSize: 4,
        pollIntervalMs: 20,
        ...(url ? { listen: createPostgresListener(url, systemTaskChannel) } : {}),
      });
    const first = runner(database.handle.db);
    const second = runner(other.handle.db);
    try {
      const count = 40;
      await database.handle.db.transaction(async (tx) => {
        for (let index = 0; index < count; index += 1) {
          const employeeId = randomUUID();
          hub.addUser(`hub-${employeeId}`);
          await enqueueSystemTask(tx, {
            kind: 'hub.revoke_access',
            subject: `employee:${employeeId}`,
            payload: { employeeId, workflowId: randomUUID(), reason: 'OFFBOARDING' },
          });
        }
      });
      hub.setLatency(5);
      hub.failNext(12, 503);

      // Both loops run, and independent workers drain beside them, so claims interleave freely.
      await Promise.all([first.start(), second.start()]);
      const deadline = Date.now() + 20_000;
      const settled = async () =>
        (
          await database.handle.db
            .select({ count: sql<number>`count(*)::int` })
            .from(systemTasks)
            .where(sql`${systemTasks.state} = 'SUCCEEDED'`)
        )[0]?.count ?? 0;
      const worker = async (tasks: SystemTaskRunner): Promise<void> => {
        while ((await settled()) < count && Date.now() < deadline) {
          await tasks.runDue();
          await sleep(1);
        }
      };
      await Promise.all([worker(first), worker(second), worker(first), worker(second)]);
      await Promise.all([first.stop(), second.stop()]);

      expect(await settled()).toBe(count);
      expect(overlaps).toBe(0);
      const stored = await database.handle.db.select().from(systemTasks);
      // Every run is an attempt the database counted: none ran behind another's back.
      expect(stored.reduce((sum, task) => sum + task.attempts, 0)).toBe([...runs.values()].reduce((sum, value) => sum + value, 0));
      for (const task of stored) expect(runs.get(task.id), task.id).toBe(task.attempts);
      // Hub acted once per task, every request of a task with its one key.
      const performed = hub.performed('revoke-access').map((request) => request.headers.idempotencyKey);
      expect(performed.sort()).toEqual(stored.map((task) => task.idempotencyKey).sort());
      expect(hub.requests.filter((request) => request.replayed)).toEqual([]);
      expect(hub.requests.filter((request) => request.status === 503)).toHaveLength(12);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await other.close();
    }
  });
});
