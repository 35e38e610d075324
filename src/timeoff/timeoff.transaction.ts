import type { Outcome } from '../shared/user-errors.js';
import type { WriteOptions } from '../shared/write-transaction.js';
import type { TimeOffRequestRow } from './timeoff.tables.js';

// Every change to a request runs in one transaction (writeTransaction) that first locks the
// employee row, so two racing requests (or decisions) for one employee run one after the other:
// the second sees the first's days in the balance and cannot overspend it, nor approve a request
// twice.

export type RequestOutcome = Outcome<TimeOffRequestRow>;

/** Options of every request change: work returns the changed request's id; the answer is the request as read afterwards. */
export const requestWrite = {
  reload: (ctx, id) => ctx.loaders.timeOff.request.load(id),
} satisfies WriteOptions<string, TimeOffRequestRow>;
