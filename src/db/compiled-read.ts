import { Column, is, sql, type Placeholder, type Query, type SQL } from 'drizzle-orm';
import { PgDialect, PgTimestamp, type PgColumn } from 'drizzle-orm/pg-core';
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

/** A row as the driver returns it: the statement's columns in their order (drizzle's array mode). */
export type RawRow = readonly unknown[];

// Both drivers speak PostgreSQL with drizzle's default naming: one dialect turns any statement into text.
const dialect = new PgDialect();

// Rows as arrays: postgres.js then fills each row by index instead of adding one named property
// per column (about a quarter of reading the calendar's 977 wide rows), and PGlite the same.
const asArrays = (rows: unknown[][]): RawRow[] => rows;

/**
 * A statement built once from `build` (which receives a database only to use its query builder,
 * and puts `sql.placeholder(name)` where values go), run with `values` for the placeholders.
 * `name` (what the statement reads, for a reader) also asks the driver to keep it prepared:
 * postgres.js prepares it once per connection, and PostgreSQL then neither parses nor plans it again.
 */
export function compiledRead<Values extends Record<string, unknown>>(
  name: string,
  build: (db: Database) => SQL,
): (db: Database, values: Values) => Promise<RawRow[]> {
  let query: Query | undefined;
  return async (db, values) => {
    query ??= dialect.sqlToQuery(build(db));
    // Without selected fields, drizzle returns the driver's rows in array mode to the mapper as they are.
    const rows: unknown = await db._.session.prepareQuery(query, undefined, name, true, asArrays).execute(values);
    return rows as RawRow[];
  };
}

/** A placeholder typed by the value it stands for, for store functions that take either. */
export function placeholder<TValue>(name: string): Placeholder<string, TValue> {
  return sql.placeholder(name);
}

/** What a record of columns decodes to: each column's value, null where it may be null. */
export type ColumnValues<TColumns extends Record<string, PgColumn>> = {
  [K in keyof TColumns]: TColumns[K]['_']['notNull'] extends true ? TColumns[K]['_']['data'] : TColumns[K]['_']['data'] | null;
};

export interface ColumnsReader<TColumns extends Record<string, PgColumn>> {
  /** `qualifier.column`, for each column, in the order `decode` reads them. */
  select: SQL;
  /** The position in the row just after these columns: where the statement's next ones start. */
  end: number;
  /** These columns of a row of such a statement, back into their values. */
  decode(row: RawRow): ColumnValues<TColumns>;
}

/**
 * Reads `columns` of the relation named `qualifier` in a compiled read, from position `start` of
 * the statement's select list: the select list, and the decoder turning a row back into their
 * values with each column's own decoder (null stays null). Timestamps read as Dates travel as
 * epoch milliseconds instead of text: the same instant, without `new Date` parsing PostgreSQL's
 * text form, the slowest decoder on the hot reads.
 */
export function columnsReader<TColumns extends Record<string, PgColumn>>(
  columns: TColumns,
  qualifier: SQL,
  start = 0,
): ColumnsReader<TColumns> {
  const entries = Object.entries(columns).map(([key, column], index) => {
    const value = sql`${qualifier}.${sql.identifier(column.name)}`;
    const asDate = is(column, PgTimestamp);
    // Text, uuid and enum columns keep drizzle's base decoder, which returns the value as it is:
    // copied without a call (hundreds of rows times a dozen such columns per batch).
    const kept = column.mapFromDriverValue === Column.prototype.mapFromDriverValue;
    return {
      key,
      position: start + index,
      expression: asDate ? sql`(extract(epoch from ${value}) * 1000)::float8` : value,
      decode: asDate ? (raw: unknown) => new Date(Number(raw)) : kept ? null : (raw: unknown) => column.mapFromDriverValue(raw),
    };
  });
  const select = sql.join(
    entries.map(({ expression }) => expression),
    sql`, `,
  );
  const decode = (row: RawRow): ColumnValues<TColumns> => {
    const decoded: Record<string, unknown> = {};
    for (const entry of entries) {
      const value = row[entry.position];
      decoded[entry.key] = value === null || value === undefined ? null : entry.decode === null ? value : entry.decode(value);
    }
    // The keys and decoders are the columns' own, so the object holds their values.
    return decoded as ColumnValues<TColumns>;
  };
  return { select, end: start + entries.length, decode };
}
