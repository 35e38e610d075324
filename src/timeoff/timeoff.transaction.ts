import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { succeed, type Outcome } from '../shared/user-errors.js';
import { writeTransaction } from '../shared/write-transaction.js';
import type { TimeOffRequestRow } from './timeoff.tables.js';

// Every change to a request runs in one transaction that first locks the employee row, so two
// racing requests (or decisions) for one employee run one after the other: the second sees the
// first's days in the balance and cannot overspend it, nor approve a request twice.

export { abort } from '../shared/write-transaction.js';

export type RequestOutcome = Outcome<TimeOffRequestRow>;

/** Runs `work` (which returns the changed request's id) and answers the request as read afterwards. */
export async function inTransaction(ctx: RequestContext, work: (tx: Database) => Promise<string>): Promise<RequestOutcome> {
  const outcome = await writeTransaction(ctx, work);
  if (!outcome.ok) return outcome;
  const request = await ctx.loaders.timeOff.request.load(outcome.value);
  if (!request) throw new Error(`time-off request ${outcome.value} vanished after its change`);
  return succeed(request);
}
