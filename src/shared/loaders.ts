import DataLoader from 'dataloader';
import { groupBy } from './collections.js';
import type { CalendarDate } from './dates.js';
import { isUuid } from './ids.js';

// The one kit every domain builds its per-request loaders from: by id (or another unique key),
// grouped by key, and keyed by an id plus arguments many ids share (a day, a range). A batch costs
// one statement (per distinct day or range), however many keys it holds.

/**
 * Keys per batch, for every loader. Stores bind each key as a parameter (some twice), so this keeps
 * one statement well under PostgreSQL's 65,535 bind parameters; more keys split into more batches.
 */
export const maxBatchSize = 5000;

/** Rows by a unique key (in the order asked, null where none). Non-UUID keys never reach SQL. */
export function byKeyLoader<T>(find: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (keys) => {
      const rows = new Map((await find(keys.filter(isUuid))).map((row) => [keyOf(row), row]));
      return keys.map((key) => rows.get(key) ?? null);
    },
    { maxBatchSize },
  );
}

/** Rows by id (in the order asked, null where none). Non-UUID ids never reach SQL. */
export function byIdLoader<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return byKeyLoader(find, (row) => row.id);
}

/** Lists of rows per key (in their order, [] where none). Non-UUID keys never reach SQL. */
export function groupedLoader<T>(find: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(
    async (keys) => {
      const grouped = groupBy(await find(keys.filter(isUuid)), keyOf);
      return keys.map((key) => grouped.get(key) ?? []);
    },
    { maxBatchSize },
  );
}

/**
 * Keys that are an id plus arguments many ids share (a day, a range): one `load` per distinct
 * arguments (in practice one), with the ids that asked for them. `argumentsOf` spells the
 * arguments as a string (part of the cache key); `load` answers by id, `missing` where it does not.
 */
export function partitionedLoader<K, V>(options: {
  idOf: (key: K) => string;
  argumentsOf: (key: K) => string;
  load: (ids: string[], sample: K) => Promise<ReadonlyMap<string, V>>;
  missing: V;
}): DataLoader<K, V, string> {
  const { idOf, argumentsOf, load, missing } = options;
  const cacheKey = (partition: string, id: string): string => `${partition}|${id}`;
  return new DataLoader<K, V, string>(
    async (keys) => {
      const results = new Map<string, V>();
      for (const [partition, group] of groupBy(keys, argumentsOf)) {
        const [sample] = group;
        if (!sample) continue;
        const found = await load([...new Set(group.map(idOf))], sample);
        for (const [id, value] of found) results.set(cacheKey(partition, id), value);
      }
      return keys.map((key) => results.get(cacheKey(argumentsOf(key), idOf(key))) ?? missing);
    },
    { cacheKeyFn: (key) => cacheKey(argumentsOf(key), idOf(key)), maxBatchSize },
  );
}

/** A key for data that depends on the day it is read for. */
export interface DatedKey {
  key: string;
  asOf: CalendarDate;
}

/** Values by key as of a day: one `load` per distinct day asked for (in practice one). */
export function datedLoader<V>(
  load: (keys: string[], asOf: CalendarDate) => Promise<ReadonlyMap<string, V>>,
  missing: V,
): DataLoader<DatedKey, V, string> {
  return partitionedLoader<DatedKey, V>({
    idOf: ({ key }) => key,
    argumentsOf: ({ asOf }) => asOf,
    load: (keys, { asOf }) => load(keys, asOf),
    missing,
  });
}
