import type { Outcome } from '../shared/user-errors.js';
import type { WriteOptions } from '../shared/write-transaction.js';
import { errors } from './certification.errors.js';
import type { CertificationModel } from './certification.model.js';
import { asModel } from './certification.queries.js';

// What every change to an employee's certification shares: one transaction (writeTransaction)
// that locks the employee (adding) or the record (everything else) first, so racing changes run
// one after the other; the partial unique index on current records backs the duplicate check up
// all the same.

export type CertificationOutcome = Outcome<CertificationModel>;

/** Options of every record change: work returns the changed record's id; the answer is the record as read afterwards. */
export const recordWrite = {
  // Two adds racing past the check: the index lets one in, the other hears why.
  uniqueViolations: { employee_certifications_current_uq: errors.held },
  reload: async (ctx, id) => {
    const row = await ctx.loaders.certifications.byId.load(id);
    return row && asModel(row, ctx.today);
  },
} satisfies WriteOptions<string, CertificationModel>;
