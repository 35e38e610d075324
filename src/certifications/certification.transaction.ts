import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { succeed, userError, type Outcome } from '../shared/user-errors.js';
import { writeTransaction } from '../shared/write-transaction.js';
import type { CertificationModel } from './certification.model.js';
import { asModel } from './certification.queries.js';
import type { EmployeeCertificationRow } from './certification.tables.js';

// What every change to an employee's certification shares: one transaction that locks the
// employee (adding) or the record (everything else) first, so racing changes run one after the
// other; the partial unique index on current records backs the duplicate check up all the same.

export type CertificationOutcome = Outcome<CertificationModel>;

const currentUniqueIndex = 'employee_certifications_current_uq';

export const errors = {
  employeeNotFound: () => userError('EMPLOYEE_NOT_FOUND', ['input', 'employeeId'], 'No employee has this id.'),
  entryNotFound: () => userError('CATALOG_ENTRY_NOT_FOUND', ['input', 'catalogEntryId'], 'No catalog entry has this id.'),
  notFound: () => userError('CERTIFICATION_NOT_FOUND', ['input', 'id'], 'No certification has this id.'),
  notCurrent: (row: EmployeeCertificationRow) =>
    userError(
      'CONFLICT',
      ['input', 'id'],
      row.removedAt ? 'This certification was removed.' : 'This certification was renewed: change its renewal instead.',
    ),
  held: () =>
    userError(
      'DUPLICATE_CERTIFICATION',
      ['input', 'catalogEntryId'],
      'The employee already holds this certification and it has not expired: renew it instead.',
    ),
  credentialTaken: () =>
    userError('DUPLICATE_CERTIFICATION', ['input', 'credentialId'], 'This credential id is already recorded for someone else.'),
  notAfter: (previous: EmployeeCertificationRow) =>
    userError('INVALID_VALUE', ['input', 'issuedOn'], `A renewal is issued after the record it renews (issued ${previous.issuedOn}).`),
};

export { abort } from '../shared/write-transaction.js';

export const isCurrent = (row: EmployeeCertificationRow): boolean => row.supersededAt === null && row.removedAt === null;

/** Who decided, as the verification records it. */
export function decidedBy(ctx: RequestContext) {
  const { caller } = ctx;
  return {
    verifiedByEmployeeId: caller.kind === 'user' ? caller.employeeId : null,
    verifiedBy: describeCaller(caller),
    verifiedAt: ctx.clock.now(),
  };
}

export const unverified = {
  verificationState: 'UNVERIFIED',
  verifiedByEmployeeId: null,
  verifiedBy: null,
  verifiedAt: null,
  verificationComment: null,
} as const;

/** Runs `work` (returning the changed record's id) and answers the record as read afterwards. */
export async function inTransaction(ctx: RequestContext, work: (tx: Database) => Promise<string>): Promise<CertificationOutcome> {
  // Two adds racing past the check: the index lets one in, the other hears why.
  const outcome = await writeTransaction(ctx, work, (constraint) => (constraint === currentUniqueIndex ? errors.held() : null));
  if (!outcome.ok) return outcome;
  const row = await ctx.loaders.certifications.byId.load(outcome.value);
  if (!row) throw new Error(`certification ${outcome.value} vanished after its change`);
  return succeed(asModel(row, ctx.today));
}

