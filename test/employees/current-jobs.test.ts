import { asc, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/database.js';
import { runLifecycleCheck } from '../../src/employees/employee.lifecycle.js';
import { employeeCurrentJobs, employeeCurrentJobsDay, employeeJobChanges } from '../../src/employees/employee.tables.js';
import { rebuildCurrentJobs, rollCurrentJobs } from '../../src/employees/employment.js';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { addDays } from '../../src/shared/dates.js';
import { startTestApp, type TestApp } from '../support/server.js';

// Issue 14: `employee_current_jobs` is a derived copy of the job history as of one day. It must
// equal the history folded on that day, for every employee and every day, however it got there
// (written with a change, rolled forward or back by the scheduler).

const today = '2026-06-15';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ today });
  await seedDemoOrganisationIfEmpty(app.database.db, app.clock);
  // The demo organisation takes a while to seed on a busy machine.
}, 300_000);
afterAll(() => app.close());

type JobChange = typeof employeeJobChanges.$inferSelect;
const fieldNames = ['status', 'jobTitle', 'departmentId', 'locationId', 'employmentType', 'managerId'] as const;

/**
 * The history folded in TypeScript, independently of the SQL under test: per employee and field,
 * the latest row on or before `day` (effective date, then recording order) that names the field.
 */
function foldHistory(rows: readonly JobChange[], day: string): Map<string, Record<string, string | null>> {
  const ordered = rows.filter((row) => row.effectiveFrom <= day).sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? a.sequence - b.sequence : a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const states = new Map<string, Record<string, string | null>>();
  for (const row of ordered) {
    const state = states.get(row.employeeId) ?? {
      status: null,
      jobTitle: null,
      departmentId: null,
      locationId: null,
      employmentType: null,
      managerId: null,
      terminationDate: null,
    };
    for (const name of fieldNames) if (row.fields.includes(name)) state[name] = row[name];
    if (row.fields.includes('status')) {
      state.terminationDate = row.status === 'TERMINATED' || row.status === 'RESIGNED' ? row.effectiveFrom : null;
    }
    states.set(row.employeeId, state);
  }
  return states;
}

async function tableState(): Promise<{ day: string | undefined; rows: Map<string, Record<string, string | null>> }> {
  const db = app.database.db;
  const [held] = await db.select().from(employeeCurrentJobsDay);
  const rows = await db.select().from(employeeCurrentJobs).orderBy(asc(employeeCurrentJobs.employeeId));
  return {
    day: held?.asOf,
    rows: new Map(rows.map(({ employeeId, ...state }) => [employeeId, state])),
  };
}

async function history(): Promise<JobChange[]> {
  return app.database.db.select().from(employeeJobChanges);
}

describe('current jobs (employee_current_jobs)', () => {
  it('equals the history folded on every day the demo data changes on, and the day before each, rolled forward and back', async () => {
    const rows = await history();
    expect(rows.length).toBeGreaterThan(20);
    const changeDays = [...new Set(rows.map((row) => row.effectiveFrom))];
    // Between two change days nothing can change: these days stand for every day.
    const days = [...new Set([...changeDays, ...changeDays.map((day) => addDays(day, -1)), today])].sort();
    expect(days.length).toBeGreaterThan(5);
    const compareOn = async (day: string) => {
      await app.database.db.transaction((tx) => rollCurrentJobs(tx, day));
      const table = await tableState();
      expect(table.day).toBe(day);
      expect(Object.fromEntries(table.rows), `current jobs on ${day}`).toEqual(Object.fromEntries(foldHistory(rows, day)));
    };
    for (const day of days) await compareOn(day);
    // Back again (a clock may go back in tests), in big steps.
    for (const day of days.filter((_, index) => index % 7 === 0).reverse()) await compareOn(day);
    await compareOn(today);
  });

  it('answers the same through the table as through the history', async () => {
    const query = `query($asOf: Date) {
      employees(first: 100, asOf: $asOf) { totalCount edges { node { id jobTitle status department { id } location { id } manager { id } terminationDate } } }
      orgChart(depth: 2) { employee { id } reports { employee { id } directReportCount } }
    }`;
    await app.database.db.transaction((tx) => rollCurrentJobs(tx, today));
    const throughTable = await app.gql(query, { asOf: today });
    expect(throughTable.errors).toBeUndefined();
    await app.database.db.transaction((tx) => rollCurrentJobs(tx, addDays(today, -400)));
    const throughHistory = await app.gql(query, { asOf: today });
    expect(throughHistory.data).toEqual(throughTable.data);
    await app.database.db.transaction((tx) => rollCurrentJobs(tx, today));

    // Reads of today do take the table: a value only the table holds shows (restored by a rebuild).
    const [first] = await app.database.db.select().from(employeeCurrentJobs).limit(1);
    if (!first) throw new Error('no current jobs');
    await app.database.db.execute(sql`update employee_current_jobs set job_title = 'Only In The Table' where employee_id = ${first.employeeId}`);
    const read = `query($id: ID!, $asOf: Date) { employee(id: $id) { jobTitle other: jobTitle(asOf: $asOf) } }`;
    const answer = await app.gql<{ employee: { jobTitle: string | null; other: string | null } }>(read, { id: first.employeeId, asOf: addDays(today, -1) });
    expect(answer.data?.employee.jobTitle).toBe('Only In The Table');
    expect(answer.data?.employee.other).not.toBe('Only In The Table');
    await app.database.db.transaction((tx) => rebuildCurrentJobs(tx, today));
    const restored = await app.gql<{ employee: { jobTitle: string | null } }>(read, { id: first.employeeId });
    expect(restored.data?.employee.jobTitle).toBe(first.jobTitle);
  });

  it('is written in the transaction of a job change, and a future-dated change shows when the scheduler rolls to its day', async () => {
    const [someone] = await queryRows<{ id: string }>(
      app.database.db,
      sql`select employee_id as id from employee_current_jobs where status = 'ACTIVE' and manager_id is not null order by employee_id limit 1`,
    );
    if (!someone) throw new Error('the demo organisation has no active employee with a manager');
    const update = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code message } } }`;
    const now = await app.gql(update, { input: { id: someone.id, jobTitle: 'Title Today', effectiveDate: today, reason: 'Test' } });
    expect(now.errors).toBeUndefined();
    const later = addDays(today, 10);
    const scheduled = await app.gql(update, { input: { id: someone.id, jobTitle: 'Title Later', effectiveDate: later, reason: 'Test' } });
    expect(scheduled.errors).toBeUndefined();

    const titleInTable = async () => (await tableState()).rows.get(someone.id)?.jobTitle;
    expect(await titleInTable()).toBe('Title Today');
    expect(Object.fromEntries((await tableState()).rows)).toEqual(Object.fromEntries(foldHistory(await history(), today)));

    app.clock.set(later);
    try {
      await runLifecycleCheck({ db: app.database.db, clock: app.clock, logger: pino({ level: 'silent' }) });
      expect((await tableState()).day).toBe(later);
      expect(await titleInTable()).toBe('Title Later');
      expect(Object.fromEntries((await tableState()).rows)).toEqual(Object.fromEntries(foldHistory(await history(), later)));
    } finally {
      app.clock.set(today);
      await app.database.db.transaction((tx) => rollCurrentJobs(tx, today));
    }
  });
});
