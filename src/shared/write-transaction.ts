import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { fail, succeed, uniqueViolationConstraint, UserErrorsAbort, type Outcome, type UserError } from './user-errors.js';

// How every domain writes: one transaction; user errors raised inside roll it back and answer the
// payload; afterwards the request's loaders start afresh, so the payload shows the change.

/** Ends the transaction with user errors (rolled back), reported in the payload. */
export function abort(...errors: UserError[]): never {
  throw new UserErrorsAbort(errors);
}

/**
 * Runs `work` in one transaction. A unique violation that `uniqueViolation` recognises (by
 * constraint name) is a race the checks inside could not see yet (another writer committed
 * first): it answers as that user error instead of a 500.
 */
export async function writeTransaction<T>(
  ctx: RequestContext,
  work: (tx: Database) => Promise<T>,
  uniqueViolation: (constraint: string) => UserError | null = () => null,
): Promise<Outcome<T>> {
  let value: T;
  try {
    value = await ctx.db.transaction(work);
  } catch (error) {
    if (error instanceof UserErrorsAbort) return fail(...error.errors);
    const constraint = uniqueViolationConstraint(error);
    const mapped = constraint === null ? null : uniqueViolation(constraint);
    if (mapped) return fail(mapped);
    throw error;
  }
  ctx.resetLoaders();
  return succeed(value);
}
