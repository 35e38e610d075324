import type { Database } from '../db/database.js';
import { resetLoaders, type RequestContext } from '../graphql/context.js';
import { fail, succeed, UserErrorsAbort, type Outcome, type UserError } from '../shared/user-errors.js';
import type { TimeOffRequestRow } from './timeoff.tables.js';

// Every change to a request runs in one transaction that first locks the employee row, so two
// racing requests (or decisions) for one employee run one after the other: the second sees the
// first's days in the balance and cannot overspend it, nor approve a request twice.

export type RequestOutcome = Outcome<TimeOffRequestRow>;

/** Runs `work` (which returns the changed request's id) and answers the request as read afterwards. */
export async function inTransaction(ctx: RequestContext, work: (tx: Database) => Promise<string>): Promise<RequestOutcome> {
  let requestId: string;
  try {
    requestId = await ctx.db.transaction(work);
  } catch (error) {
    if (error instanceof UserErrorsAbort) return fail(...error.errors);
    throw error;
  }
  resetLoaders(ctx);
  const request = await ctx.loaders.timeOffRequest.load(requestId);
  if (!request) throw new Error(`time-off request ${requestId} vanished after its change`);
  return succeed(request);
}


/** Ends the transaction with user errors (rolled back), reported in the payload. */
export function abort(...errors: UserError[]): never {
  throw new UserErrorsAbort(errors);
}
