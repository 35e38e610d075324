import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { createPglite, migrationsFolder } from '../../src/db/database.js';
import { migrateUpTo } from '../support/migrations.js';

// The organisation migration dates department names. Run on a database holding departments from
// before it (their name a column of `departments`), each must keep its name since 1900-01-01, with
// a CREATED change in the organisation's history, and the column goes.

const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
const organisation = journal.entries.find((entry) => entry.tag.endsWith('_organisation'));
const client = createPglite();
const db = drizzle(client);
let removeCopy: (() => Promise<void>) | null = null;

afterAll(async () => {
  await client.close();
  if (removeCopy) await removeCopy();
});

describe(`migration ${organisation?.tag ?? '(organisation)'}`, () => {
  it('keeps the name of every department since 1900-01-01, with its history', async () => {
    if (!organisation) throw new Error('no organisation migration in the journal');
    removeCopy = await migrateUpTo(db, organisation.idx - 1);
    await client.exec(`
      insert into departments (id, name, code) values
        ('00000000-0000-4000-8000-0000000000d1', 'Engineering', 'ENG'),
        ('00000000-0000-4000-8000-0000000000d2', 'Sales', 'SAL');
    `);

    await migrate(db, { migrationsFolder });

    const versions = await client.query<Record<string, unknown>>(
      `select department_id, effective_from::text as effective_from, fields, name, parent_id from department_versions order by name`,
    );
    expect(versions.rows).toEqual([
      { department_id: '00000000-0000-4000-8000-0000000000d1', effective_from: '1900-01-01', fields: ['name'], name: 'Engineering', parent_id: null },
      { department_id: '00000000-0000-4000-8000-0000000000d2', effective_from: '1900-01-01', fields: ['name'], name: 'Sales', parent_id: null },
    ]);
    const changes = await client.query<Record<string, unknown>>(
      `select c.department_id, c.kind, c.recorded_by, c.changes from organisation_changes c
        join department_versions v on v.change_id = c.id order by c.department_id`,
    );
    expect(changes.rows[0]).toEqual({
      department_id: '00000000-0000-4000-8000-0000000000d1',
      kind: 'CREATED',
      recorded_by: `migration:${organisation.tag}`,
      changes: [
        { field: 'name', before: null, after: 'Engineering' },
        { field: 'code', before: null, after: 'ENG' },
      ],
    });
    const columns = await client.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'departments' order by column_name`);
    expect(columns.rows.map((row) => row.column_name)).toEqual(['archived_on', 'code', 'created_at', 'id', 'updated_at']);
  });
});
