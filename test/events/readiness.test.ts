import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxDispatcher } from '../../src/events/dispatcher.js';
import { createOrgBasics, hire } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

// With BUS_API_URL unset, nothing is lost: events wait in the outbox, and /ready says so.

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    outbox: (database) =>
      createOutboxDispatcher({ db: database.db, kind: database.kind, bus: null, logger: pino({ level: 'silent' }) }),
  });
});
afterAll(() => app.close());

describe('/ready without Bus', () => {
  it('stays ready, reports Bus as not configured, and counts the events waiting', async () => {
    const org = await createOrgBasics(app);
    await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
    const response = await fetch(`${app.url}/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: { database: boolean; events: Record<string, unknown> } };
    expect(body.checks.database).toBe(true);
    expect(body.checks.events).toMatchObject({ busConfigured: false, delivering: false, pending: 2, dead: 0 });
    expect(typeof body.checks.events.oldestPendingAt).toBe('string');
  });
});
