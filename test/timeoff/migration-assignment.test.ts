import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { createPglite, migrationsFolder } from '../../src/db/database.js';
import { migrateUpTo } from '../support/migrations.js';

// Migration 0006 dates assignment. Run on a database holding rules and overrides from before it
// (migrated to 0005, then rows inserted the old way), it must keep them in force since
// 1900-01-01: each policy with rules gets one rule set from that day, overrides start that day.
const client = createPglite();
const db = drizzle(client);
let removeCopy: (() => Promise<void>) | null = null;

afterAll(async () => {
  await client.close();
  if (removeCopy) await removeCopy();
});

describe('migration 0006_time_off_assignment_history', () => {
  it('backfills rule sets and override start dates from 1900-01-01', async () => {
    removeCopy = await migrateUpTo(db, 5);
    await client.exec(`
      insert into locations (id, name, city, country_code, timezone) values ('00000000-0000-4000-8000-0000000000a1', 'Berlin', 'Berlin', 'DE', 'Europe/Berlin');
      insert into time_off_policies (id, code, name, category) values
        ('00000000-0000-4000-8000-000000000001', 'OLD-VAC', 'Vacation', 'VACATION'),
        ('00000000-0000-4000-8000-000000000002', 'OLD-NONE', 'No rules', 'VACATION');
      insert into time_off_policy_rules (policy_id, location_id, employment_type) values
        ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', null),
        ('00000000-0000-4000-8000-000000000001', null, 'PART_TIME');
    `);

    await migrate(db, { migrationsFolder });

    const sets = await client.query<Record<string, unknown>>(
      `select policy_id, effective_from::text as effective_from, recorded_by from time_off_policy_rule_sets order by policy_id`,
    );
    expect(sets.rows).toEqual([
      { policy_id: '00000000-0000-4000-8000-000000000001', effective_from: '1900-01-01', recorded_by: 'migration:0006_time_off_assignment_history' },
    ]);
    const rules = await client.query<{ effective_from: string }>(`select effective_from::text as effective_from from time_off_policy_rules`);
    expect(rules.rows).toEqual([{ effective_from: '1900-01-01' }, { effective_from: '1900-01-01' }]);
    const overrideColumns = await client.query<{ column_name: string; is_nullable: string }>(
      `select column_name, is_nullable from information_schema.columns where table_name = 'time_off_policy_overrides' order by column_name`,
    );
    expect(overrideColumns.rows).toEqual(
      expect.arrayContaining([
        { column_name: 'assigned', is_nullable: 'YES' },
        { column_name: 'effective_from', is_nullable: 'NO' },
      ]),
    );
  });
});
