// Every statement's duration, for metrics: the drivers are wrapped where drizzle hands them SQL
// (PGlite's `query`, postgres.js's `unsafe`), transactions included, so nothing in the domains
// changes. Metrics keep only the statement's kind (its first keyword); traces also keep its text,
// which drizzle writes with placeholders ($1): the values are never part of it.

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

export interface StatementTiming {
  kind: StatementKind;
  seconds: number;
  failed: boolean;
  /** The statement as sent, placeholders and no values; null when the driver was given no text. */
  text: string | null;
}

export type StatementListener = (timing: StatementTiming) => void;

export interface StatementTimer {
  /** Subscribes to every statement's timing; returns the unsubscribe. */
  observe(listener: StatementListener): () => void;
  /** Statements sent and not answered yet. */
  inFlight(): number;
  /** Runs `send` (which sends one statement) and tells the listeners how long its answer took. */
  time<T>(text: unknown, send: () => PromiseLike<T>): Promise<T>;
}

export function createStatementTimer(): StatementTimer {
  const listeners = new Set<StatementListener>();
  let inFlight = 0;
  const tell = (timing: StatementTiming) => {
    for (const listener of listeners) listener(timing);
  };
  return {
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    inFlight: () => inFlight,
    async time(text, send) {
      const kind = statementKind(text);
      const started = performance.now();
      inFlight += 1;
      let failed = true;
      try {
        const result = await send();
        failed = false;
        return result;
      } finally {
        inFlight -= 1;
        tell({ kind, seconds: (performance.now() - started) / 1000, failed, text: typeof text === 'string' ? text : null });
      }
    },
  };
}

export function statementKind(text: unknown): StatementKind {
  if (typeof text !== 'string') return 'other';
  const keyword = /^[\s(]*(?:\/\*[\s\S]*?\*\/[\s(]*)*([A-Za-z]+)/.exec(text)?.[1]?.toLowerCase();
  return keyword === 'select' || keyword === 'insert' || keyword === 'update' || keyword === 'delete' ? keyword : 'other';
}

type AnyFunction = (...args: unknown[]) => unknown;

function isFunction(value: unknown): value is AnyFunction {
  return typeof value === 'function';
}

/**
 * A PGlite client (or one of its transactions) whose `query` is timed. Other members are the
 * client's own, bound to it (PGlite keeps private state that a proxy must not stand in for).
 */
export function timedPglite<T extends object>(client: T, timer: StatementTimer): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (!isFunction(value)) return value;
      if (property === 'query') {
        return (...args: unknown[]) => timer.time(args[0], () => Promise.resolve(value.apply(target, args)));
      }
      if (property === 'transaction') {
        return (callback: unknown, ...rest: unknown[]) =>
          value.call(target, isFunction(callback) ? (tx: object) => callback(timedPglite(tx, timer)) : callback, ...rest);
      }
      return value.bind(target);
    },
  });
}

/**
 * A postgres.js client (or transaction) whose `unsafe` statements are timed. postgres.js sends a
 * statement when it is awaited (`then`), after drizzle may have asked for `.values()`, so the
 * timing starts there. Transactions (`begin`) and savepoints hand their callback a timed client too.
 */
export function timedPostgres<T extends object>(client: T, timer: StatementTimer): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (!isFunction(value)) return value;
      if (property === 'unsafe') {
        return (...args: unknown[]) => timeOnAwait(value.apply(target, args), args[0], timer);
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) =>
          value.apply(
            target,
            args.map((arg) => (isFunction(arg) ? (tx: object) => arg(timedPostgres(tx, timer)) : arg)),
          );
      }
      return value.bind(target);
    },
  });
}

interface Thenable {
  then: (onFulfilled?: AnyFunction, onRejected?: AnyFunction) => unknown;
}

function isThenable(value: unknown): value is Thenable {
  return typeof value === 'object' && value !== null && 'then' in value && isFunction(value.then);
}

function timeOnAwait(query: unknown, text: unknown, timer: StatementTimer): unknown {
  if (!isThenable(query)) return query;
  const send = query.then;
  let timed: Promise<unknown> | null = null;
  // Awaiting the query sends it; the same answer serves any later `then`.
  query.then = (onFulfilled, onRejected) => {
    timed ??= timer.time(text, () => new Promise((resolve, reject) => send.call(query, resolve, reject)));
    return timed.then(onFulfilled, onRejected);
  };
  return query;
}
