import { asc, desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEmployeesByEmailsWithManagers, findEmployeesByIds, findEveryoneOn } from '../../src/employees/employee.store.js';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { addDays } from '../../src/shared/dates.js';
import { findRequestsInRange, findRequestsOfEmployees } from '../../src/timeoff/timeoff.store.js';
import { timeOffRequests, type TimeOffRequestSummary } from '../../src/timeoff/timeoff.tables.js';
import { TestClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The hot reads compiled once and decoded by hand (src/db/compiled-read.ts) against drizzle's own
// query builder and mapper over the same demo data: every column of every row, the same values
// (timestamps, which travel as epoch milliseconds, to the millisecond).

const clock = new TestClock('2026-06-15');
const today = clock.today();
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  expect(await seedDemoOrganisationIfEmpty(database.handle.db, clock)).toBeGreaterThan(0);
});

afterAll(async () => {
  await database.drop();
});

describe('compiled reads decode what drizzle decodes', () => {
  for (const [label, day] of [
    ['today (the current-jobs table)', today],
    ['a past day (the history, folded)', addDays(today, -200)],
  ] as const) {
    it(`employees by id and by e-mail, with their job ${label}`, async () => {
      const { db } = database.handle;
      const expected = await findEveryoneOn(db, day);
      expect(expected.length).toBeGreaterThan(20);
      expect(expected.some((record) => record.job === null) || day === today).toBe(true);
      const byId = await findEmployeesByIds(db, expected.map((record) => record.id), day);
      expect(byId).toHaveLength(expected.length);
      expect(new Map(byId.map((record) => [record.id, record]))).toEqual(new Map(expected.map((record) => [record.id, record])));
      // A record leaves the row's timestamps out (EmployeeRecord): neither read decodes them.
      for (const record of [...byId, ...expected]) expect(Object.keys(record)).not.toContain('createdAt');

      // By e-mail, any case: the employee and the manager they have on the day, nobody else.
      const byIdMap = new Map(expected.map((record) => [record.id, record]));
      const managed = expected.filter((record) => record.job?.managerId);
      const someone = managed[3];
      const theirManager = someone?.job?.managerId ? byIdMap.get(someone.job.managerId) : undefined;
      if (!someone || !theirManager) throw new Error('no employee with a manager');
      const found = await findEmployeesByEmailsWithManagers(db, [someone.email.toUpperCase()], day);
      expect(new Map(found.map((record) => [record.id, record]))).toEqual(new Map([someone, theirManager].map((record) => [record.id, record])));
      const top = expected.find((record) => !record.job?.managerId);
      if (!top) throw new Error('nobody without a manager');
      expect(await findEmployeesByEmailsWithManagers(db, [top.email], day)).toEqual([top]);
      expect(await findEmployeesByEmailsWithManagers(db, ['nobody@example.com'], day)).toEqual([]);
    });
  }

  it('binds a batch of ids once, however many places of the statement use them', async () => {
    // PostgreSQL parses an array parameter each time it appears (the calendar's 944 employees
    // cost 2.3 ms three times over), and the driver serialises it each time.
    const { db } = database.handle;
    const ids = (await findEveryoneOn(db, today)).map((record) => record.id);
    const texts: string[] = [];
    const stop = database.handle.observeStatements((timing) => {
      if (timing.text) texts.push(timing.text);
    });
    try {
      expect(await findEmployeesByIds(db, ids, today)).toHaveLength(ids.length);
    } finally {
      stop();
    }
    expect(texts).toHaveLength(1);
    expect(texts[0]?.match(/\$\d+::uuid\[\]/g)).toHaveLength(1);
  });

  it('time off of employees and in a range, whatever bounds and statuses are given', async () => {
    const { db } = database.handle;
    const all = await db.select().from(timeOffRequests).orderBy(desc(timeOffRequests.startDate), desc(timeOffRequests.createdAt));
    expect(all.length).toBeGreaterThan(10);
    const employeeIds = [...new Set(all.map((request) => request.employeeId))];
    // Newest first; requests seeded together tie on both keys, so compare them in id order.
    const inIdOrder = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    // The hot reads carry a request's summary: every column but the chain, reason and bookkeeping.
    const summaries = (rows: typeof all): TimeOffRequestSummary[] =>
      rows.map(({ approvalChain: _chain, reason: _reason, createdBy: _by, createdAt: _at, updatedAt: _updated, ...summary }) => summary);
    const found = await findRequestsOfEmployees(db, employeeIds, { from: null, to: null, statuses: null });
    expect(found.map((request) => request.startDate)).toEqual(all.map((request) => request.startDate));
    expect(inIdOrder(found)).toEqual(inIdOrder(summaries(all)));
    for (const request of found) expect(Object.keys(request)).not.toContain('approvalChain');

    const from = addDays(today, -30);
    const to = addDays(today, 30);
    const inRange = (request: (typeof all)[number]) => request.endDate >= from && request.startDate <= to;
    expect(inIdOrder(await findRequestsOfEmployees(db, employeeIds, { from, to: null, statuses: ['APPROVED'] }))).toEqual(
      inIdOrder(summaries(all.filter((request) => request.endDate >= from && request.status === 'APPROVED'))),
    );

    const byStart = await db
      .select()
      .from(timeOffRequests)
      .orderBy(asc(timeOffRequests.startDate), asc(timeOffRequests.employeeId), asc(timeOffRequests.id));
    const open = byStart.filter((request) => inRange(request) && ['APPROVED', 'PENDING'].includes(request.status));
    expect(open.length).toBeGreaterThan(0);
    expect(await findRequestsInRange(db, null, from, to, ['APPROVED', 'PENDING'])).toEqual(summaries(open));
    const two = employeeIds.slice(0, 2);
    expect(await findRequestsInRange(db, two, from, to, ['APPROVED', 'PENDING'])).toEqual(
      summaries(open.filter((request) => two.includes(request.employeeId))),
    );
  });
});
