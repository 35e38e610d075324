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

/** What resolvers use of a loader whose keys are an id plus arguments (see `partitionedLoader`). */
export interface PartitionedLoader<K, V> {
  load(key: K): Promise<V>;
  loadMany(keys: readonly K[]): Promise<(V | Error)[]>;
  prime(key: K, value: V): void;
}

/**
 * Keys that are an id plus arguments many ids share (a day, a range): one DataLoader per distinct
 * arguments (in practice one), keyed by the id alone, so a batch of hundreds of keys builds no
 * composite cache key and groups nothing (issue 14: those keys and groups were about a seventh of
 * PSA's batch). `argumentsOf` spells the arguments as a string; `load` receives the distinct
 * ids that asked for them and a key carrying the arguments, and answers by id, `missing` where it
 * does not.
 */
export function partitionedLoader<K, V>(options: {
  idOf: (key: K) => string;
  argumentsOf: (key: K) => string;
  load: (ids: string[], sample: K) => Promise<ReadonlyMap<string, V>>;
  missing: V;
}): PartitionedLoader<K, V> {
  const { idOf, argumentsOf, load, missing } = options;
  const partitions = new Map<string, DataLoader<string, V>>();
  const loaderFor = (key: K): DataLoader<string, V> => {
    const partition = argumentsOf(key);
    let loader = partitions.get(partition);
    if (!loader) {
      loader = new DataLoader<string, V>(
        async (ids) => {
          const found = await load([...ids], key);
          return ids.map((id) => found.get(id) ?? missing);
        },
        { maxBatchSize },
      );
      partitions.set(partition, loader);
    }
    return loader;
  };
  return {
    load: (key) => loaderFor(key).load(idOf(key)),
    loadMany: (keys) => Promise.all(keys.map((key) => loaderFor(key).load(idOf(key)).catch((error: unknown) => toError(error)))),
    prime: (key, value) => {
      loaderFor(key).prime(idOf(key), value);
    },
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
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
): PartitionedLoader<DatedKey, V> {
  return partitionedLoader<DatedKey, V>({
    idOf: ({ key }) => key,
    argumentsOf: ({ asOf }) => asOf,
    load: (keys, { asOf }) => load(keys, asOf),
    missing,
  });
}
