import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { createPglite, migrationsFolder } from '../../src/db/database.js';
import { migrateUpTo } from '../support/migrations.js';

// Migration 0005 moves each policy's terms into time_off_policy_terms. Run on a database that
// holds policies from before it (migrated to 0004, then a policy inserted the old way), it must
// leave every policy one term, in force since 1900-01-01, with the values the policy had.
const client = createPglite();
const db = drizzle(client);
let removeCopy: (() => Promise<void>) | null = null;

afterAll(async () => {
  await client.close();
  if (removeCopy) await removeCopy();
});

describe('migration 0005_time_off_policy_terms', () => {
  it('backfills one term per existing policy from its old columns, then drops them', async () => {
    removeCopy = await migrateUpTo(db, 4);
    await client.query(
      `insert into time_off_policies (code, name, category, accrual_kind, amount_per_year, carry_over_cap, negative_balance_limit)
       values ('OLD-VAC', 'Vacation', 'VACATION', 'ANNUAL_GRANT', 27.5, 5, 2), ('OLD-SICK', 'Sick', 'SICK', 'UNLIMITED', 0, null, 0)`,
    );

    await migrate(db, { migrationsFolder });

    const terms = await client.query<Record<string, unknown>>(
      `select p.code, t.effective_from::text as effective_from, t.accrual_kind, t.amount_per_year::float8 as amount,
              t.carry_over_cap::float8 as cap, t.negative_balance_limit::float8 as limit, t.recorded_by
       from time_off_policy_terms t join time_off_policies p on p.id = t.policy_id order by p.code`,
    );
    expect(terms.rows).toEqual([
      { code: 'OLD-SICK', effective_from: '1900-01-01', accrual_kind: 'UNLIMITED', amount: 0, cap: null, limit: 0, recorded_by: 'migration:0005_time_off_policy_terms' },
      { code: 'OLD-VAC', effective_from: '1900-01-01', accrual_kind: 'ANNUAL_GRANT', amount: 27.5, cap: 5, limit: 2, recorded_by: 'migration:0005_time_off_policy_terms' },
    ]);
    const columns = await client.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'time_off_policies' and column_name in ('accrual_kind', 'amount_per_year', 'carry_over_cap', 'negative_balance_limit')`,
    );
    expect(columns.rows).toEqual([]);
  });
});
