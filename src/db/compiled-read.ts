import { getTableColumns, sql, type InferSelectModel, type Placeholder, type Query, type SQL } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';

/*
 * Reads on the hot paths (a batch of employees by id, their time off) with their statement text
 * built once and their rows decoded without drizzle's general mapper. Issue 14's profile: for a
 * one-row lookup drizzle spent more time building the statement (walking its SQL chunks, an
 * `is()` class check per column) than PostgreSQL spent answering it, and for 500 rows its mapper
 * ran the same class checks again per column and row. Here the statement is built (by drizzle,
 * from the same schema objects) the first time it runs, with placeholders for its values; each
 * run fills them, PostgreSQL keeps it prepared per connection, and rows are decoded by each
 * column's own `mapFromDriverValue`, the decoder drizzle itself would apply.
 */

/** A row as the driver returns it, keyed by the statement's column aliases. */
export type RawRow = Record<string, unknown>;

/** Both drivers' result shapes: postgres.js an array of rows, PGlite `{ rows }`. */
function rowsOf(result: unknown): RawRow[] {
  if (Array.isArray(result)) return result;
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) return result.rows;
  throw new Error('compiled read: the driver returned no rows');
}

// Both drivers speak PostgreSQL with drizzle's default naming: one dialect turns any statement into text.
const dialect = new PgDialect();

/**
 * A statement built once from `build` (which receives a database only to use its query builder,
 * and puts `sql.placeholder(name)` where values go), run with `values` for the placeholders.
 * `name` marks it for PostgreSQL to prepare once per connection; it must be unique per statement.
 */
export function compiledRead<Values extends Record<string, unknown>>(
  name: string,
  build: (db: Database) => SQL,
): (db: Database, values: Values) => Promise<RawRow[]> {
  let query: Query | undefined;
  return async (db, values) => {
    query ??= dialect.sqlToQuery(build(db));
    return rowsOf(await db._.session.prepareQuery(query, undefined, name, false).execute(values));
  };
}

/** A placeholder typed by the value it stands for, for store functions that take either. */
export function placeholder<TValue>(name: string): Placeholder<string, TValue> {
  return sql.placeholder(name);
}

/**
 * Every column of `table` as `qualifier.column as "<prefix><key>"`, and the decoder turning such a
 * row back into the table's select model (the columns' own decoders; null stays null).
 */
export function tableColumns<TTable extends PgTable>(
  table: TTable,
  qualifier: SQL,
  prefix = '',
): { select: SQL; decode: (row: RawRow) => InferSelectModel<TTable> } {
  const columns = Object.entries(getTableColumns(table));
  const select = sql.join(
    columns.map(([key, column]) => sql`${qualifier}.${sql.identifier(column.name)} as ${sql.identifier(`${prefix}${key}`)}`),
    sql`, `,
  );
  const decoders = columns.map(([key, column]) => ({ key, alias: `${prefix}${key}`, column }));
  const decode = (row: RawRow): InferSelectModel<TTable> => {
    const decoded: RawRow = {};
    for (const { key, alias, column } of decoders) {
      const value = row[alias];
      decoded[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    // The keys and decoders are the table's own, so the object is its select model.
    return decoded as InferSelectModel<TTable>;
  };
  return { select, decode };
}
