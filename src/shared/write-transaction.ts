import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { fail, succeed, type Outcome, type UserError } from './user-errors.js';

// The mutation kit: how every domain writes. One transaction; `abort` inside it rolls it back and
// answers the payload with user errors; a unique violation the domain names is a user error too;
// afterwards the request's loaders start afresh, and `reload` reads the result through them, so
// the payload shows the change. Row locks are the work's first statements (each domain knows
// which row serialises its writers); the kit adds none.

/** Thrown by `abort` only, caught by `writeTransaction` only: the one way to end a write with user errors. */
class UserErrorsAbort extends Error {
  constructor(readonly errors: UserError[]) {
    super('user errors');
  }
}

/** Ends the transaction with user errors (rolled back), reported in the payload. */
export function abort(...errors: UserError[]): never {
  throw new UserErrorsAbort(errors);
}

/** Ends the transaction with these user errors, if there are any. */
export function abortIf(errors: readonly UserError[]): void {
  if (errors.length > 0) abort(...errors);
}

export interface WriteOptions<T, R> {
  /**
   * Unique constraints (by name) a racing writer can trip after the checks inside passed (it
   * committed first), each with the user error it answers instead of a 500.
   */
  uniqueViolations?: Readonly<Record<string, () => UserError>>;
  /** Reads the result after the commit, through the fresh loaders; `value` is what `work` returned (usually an id). */
  reload?: (ctx: RequestContext, value: T) => Promise<R | null | undefined>;
}

/** Runs `work` in one transaction and answers what it returned. */
export function writeTransaction<T>(
  ctx: RequestContext,
  work: (tx: Database) => Promise<T>,
  options?: { uniqueViolations?: WriteOptions<T, never>['uniqueViolations']; reload?: undefined },
): Promise<Outcome<T>>;
/** Runs `work` in one transaction and answers the result as `reload` reads it after the commit. */
export function writeTransaction<T, R>(
  ctx: RequestContext,
  work: (tx: Database) => Promise<T>,
  options: WriteOptions<T, R> & { reload: NonNullable<WriteOptions<T, R>['reload']> },
): Promise<Outcome<R>>;
export async function writeTransaction<T, R>(
  ctx: RequestContext,
  work: (tx: Database) => Promise<T>,
  options: WriteOptions<T, R> = {},
): Promise<Outcome<T | R>> {
  let value: T;
  try {
    value = await ctx.db.transaction(work);
  } catch (error) {
    if (error instanceof UserErrorsAbort) return fail(...error.errors);
    const constraint = uniqueViolationConstraint(error);
    const known = options.uniqueViolations ?? {};
    // Own names only: a constraint called `constructor` is no user error.
    const answer = constraint !== null && Object.hasOwn(known, constraint) ? known[constraint] : undefined;
    if (answer) return fail(answer());
    throw error;
  }
  ctx.resetLoaders();
  if (!options.reload) return succeed(value);
  const reloaded = await options.reload(ctx, value);
  // Committed a moment ago: not finding it is a bug, not user input. Only an id goes in the message.
  if (reloaded === null || reloaded === undefined) {
    throw new Error(`the result of a write${typeof value === 'string' ? ` (${value})` : ''} vanished after its commit`);
  }
  return succeed(reloaded);
}

/** The Postgres unique-violation behind a driver error, if that is what it is. */
export function uniqueViolationConstraint(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (candidate.code === '23505') {
      const name = candidate.constraint_name ?? candidate.constraint;
      return typeof name === 'string' ? name : '';
    }
    current = candidate.cause;
  }
  return null;
}
