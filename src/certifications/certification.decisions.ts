import { describeCaller } from '../auth/auth.service.js';
import type { CertificationVerificationInput, RemoveCertificationInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, userError } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction } from '../shared/write-transaction.js';
import { assertMayDecide, assertMayRemove } from './certification.access.js';
import * as store from './certification.store.js';
import { errors } from './certification.errors.js';
import { isCurrent } from './certification.status.js';
import { recordWrite, type CertificationOutcome } from './certification.transaction.js';
import { maxCommentLength, optionalText, validateComment } from './certification.validation.js';
import { decidedBy } from './certification.verification.js';

// HR's decisions on a record (verify, reject: never on their own) and soft removal.

export function verifyCertification(ctx: RequestContext, input: CertificationVerificationInput): Promise<CertificationOutcome> {
  return decide(ctx, input, 'VERIFIED');
}

export function rejectCertification(ctx: RequestContext, input: CertificationVerificationInput): Promise<CertificationOutcome> {
  return decide(ctx, input, 'REJECTED');
}

async function decide(
  ctx: RequestContext,
  input: CertificationVerificationInput,
  state: 'VERIFIED' | 'REJECTED',
): Promise<CertificationOutcome> {
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(errors.notFound());
  const comment = optionalText(input.comment);
  return writeTransaction(ctx, async (tx) => {
    const row = await store.lockCertification(tx, id);
    if (!row) abort(errors.notFound());
    await assertMayDecide(ctx, row.employeeId, tx);
    const problems = validateComment(comment, state === 'REJECTED');
    abortIf(problems);
    if (!isCurrent(row)) abort(errors.notCurrent(row));
    if (row.verificationState === state) {
      abort(userError('CONFLICT', ['input', 'id'], `This certification is already ${state.toLowerCase()}.`));
    }
    await store.updateCertification(tx, row.id, {
      verificationState: state,
      ...decidedBy(ctx),
      verificationComment: comment,
    });
    return row.id;
  }, recordWrite);
}

// ---------------------------------------------------------------- remove

export async function removeCertification(ctx: RequestContext, input: RemoveCertificationInput): Promise<CertificationOutcome> {
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(errors.notFound());
  const reason = optionalText(input.reason);
  return writeTransaction(ctx, async (tx) => {
    const row = await store.lockCertification(tx, id);
    if (!row) abort(errors.notFound());
    assertMayRemove(ctx, row.employeeId, row.verificationState);
    if (reason !== null && reason.length > maxCommentLength) {
      abort(userError('INVALID_VALUE', ['input', 'reason'], `The reason is at most ${maxCommentLength} characters.`));
    }
    if (!isCurrent(row)) abort(errors.notCurrent(row));
    await store.updateCertification(tx, row.id, {
      removedAt: ctx.clock.now(),
      removedBy: describeCaller(ctx.caller),
      removalReason: reason,
    });
    return row.id;
  }, recordWrite);
}
