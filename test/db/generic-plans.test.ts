import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/database.js';
import { findEmployeesByEmailsWithManagers, findEmployeesByIds, findEveryoneOn } from '../../src/employees/employee.store.js';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { sql } from 'drizzle-orm';
import { TestClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The hot lookups keep one generic plan per connection on PostgreSQL: their values reach the
// planner only through subqueries, so PostgreSQL costs every run alike and, after its first five
// runs, stops planning each one anew. Planning Defend's lookup by e-mail took 0.8 ms a time, four
// times the lookup itself (issue 14). Prepared statements are PostgreSQL's (PGlite runs these
// unnamed), hence PostgreSQL only; one connection, so every run is on the session asked about.

const clock = new TestClock('2026-06-15');
const today = clock.today();
let database: TestDatabase;

describe.skipIf(!process.env.TEST_DATABASE_URL)('generic plans for the hot lookups (PostgreSQL)', () => {
  beforeAll(async () => {
    database = await createTestDatabase({ connections: 1 });
    expect(await seedDemoOrganisationIfEmpty(database.handle.db, clock)).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function plans(statementStart: string): Promise<{ generic: number; custom: number }> {
    const rows = await queryRows<{ generic: number; custom: number }>(
      database.handle.db,
      sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like ${`${statementStart}%`}`,
    );
    expect(rows.length).toBeLessThanOrEqual(1);
    return rows[0] ?? { generic: 0, custom: 0 };
  }

  it('keeps one plan for the lookup by e-mail, whichever e-mails are asked, and for the batch by id', async () => {
    const { db } = database.handle;
    const everyone = await findEveryoneOn(db, today);
    const byEmail = 'with asked as (select "employees"."id"';
    const before = await plans(byEmail);
    for (const [index, record] of everyone.slice(0, 8).entries()) {
      const found = await findEmployeesByEmailsWithManagers(db, [index % 2 === 0 ? record.email : record.email.toUpperCase()], today);
      expect(found.map((employee) => employee.id)).toContain(record.id);
    }
    // At most five custom plans (while PostgreSQL learns the statement's cost), then the generic one each time.
    const after = await plans(byEmail);
    expect(after.generic + after.custom - before.generic - before.custom).toBe(8);
    expect(after.custom).toBeLessThanOrEqual(5);

    const byIds = 'with asked as (select $1::uuid[] as ids)';
    for (let size = 1; size <= 8; size += 1) {
      expect(await findEmployeesByIds(db, everyone.slice(0, size * 3).map((record) => record.id), today)).toHaveLength(size * 3);
    }
    const batches = await plans(byIds);
    expect(batches.generic).toBeGreaterThanOrEqual(3);
    expect(batches.custom).toBeLessThanOrEqual(5);
  });
});
