import { describeCaller, isOwnRecord } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { lockEmployee } from '../employees/employee.service.js';
import type { AddCertificationInput, RenewCertificationInput, UpdateCertificationInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, userError } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction } from '../shared/write-transaction.js';
import { assertMayDecide, assertMayRecord } from './certification.access.js';
import { errors } from './certification.errors.js';
import { defaultExpiry, isCurrent, isExpiredOn } from './certification.status.js';
import * as store from './certification.store.js';
import type { CertificationCatalogRow, EmployeeCertificationRow } from './certification.tables.js';
import { recordWrite, type CertificationOutcome } from './certification.transaction.js';
import { optionalText, validateDates, validateDetails } from './certification.validation.js';
import { decidedBy, unverified } from './certification.verification.js';

// Recording what an employee holds: adding, renewing (a new record replaces the current one,
// which keeps its dates and points forward) and correcting.

async function catalogEntry(tx: Database, id: string): Promise<CertificationCatalogRow | null> {
  const [entry] = await store.findCatalogEntriesByIds(tx, [id]);
  return entry ?? null;
}

async function assertCredentialFree(
  tx: Database,
  catalogEntryId: string,
  credentialId: string | null,
  employeeId: string,
): Promise<void> {
  if (credentialId === null) return;
  if (await store.findCredentialHeldByOther(tx, catalogEntryId, credentialId, employeeId)) abort(errors.credentialTaken());
}

/** A new current record replacing `previous` (when given): the old one is marked, then the new one goes in. */
async function insertReplacing(
  ctx: RequestContext,
  tx: Database,
  previous: EmployeeCertificationRow | null,
  values: Omit<store.NewCertification, 'createdBy' | 'renewedFromId'>,
  verify: boolean,
): Promise<string> {
  if (previous) await store.updateCertification(tx, previous.id, { supersededAt: ctx.clock.now() });
  const row = await store.insertCertification(tx, {
    ...values,
    ...(verify ? { verificationState: 'VERIFIED', ...decidedBy(ctx) } : unverified),
    renewedFromId: previous?.id ?? null,
    createdBy: describeCaller(ctx.caller),
  });
  return row.id;
}

// ---------------------------------------------------------------- add, renew

export async function addCertification(ctx: RequestContext, input: AddCertificationInput): Promise<CertificationOutcome> {
  const employeeId = normaliseId(input.employeeId);
  const catalogEntryId = normaliseId(input.catalogEntryId);
  assertMayRecord(ctx, employeeId);
  const verify = input.verify === true;
  if (verify) await assertMayDecide(ctx, employeeId);
  const problems = [...validateDates(input.issuedOn, input.expiresOn ?? null, ctx.today), ...validateDetails(input)];
  if (!isUuid(employeeId)) problems.push(employeeNotFound(['input', 'employeeId']));
  if (!isUuid(catalogEntryId)) problems.push(errors.entryNotFound());
  if (problems.length > 0) return fail(...problems);

  return writeTransaction(ctx, async (tx) => {
    if (!(await lockEmployee(tx, employeeId))) abort(employeeNotFound(['input', 'employeeId']));
    const entry = await catalogEntry(tx, catalogEntryId);
    if (!entry) abort(errors.entryNotFound());
    const current = await store.lockCurrentCertification(tx, employeeId, catalogEntryId);
    // An expired current record is renewed by the new one; an unexpired one is a duplicate.
    if (current && !isExpiredOn(current.expiresOn, ctx.today)) abort(errors.held());
    if (current && input.issuedOn <= current.issuedOn) abort(errors.notAfter(current));
    const credentialId = optionalText(input.credentialId);
    await assertCredentialFree(tx, catalogEntryId, credentialId, employeeId);
    return insertReplacing(
      ctx,
      tx,
      current,
      {
        employeeId,
        catalogEntryId,
        credentialId,
        issuedOn: input.issuedOn,
        expiresOn: input.expiresOn ?? defaultExpiry(input.issuedOn, entry.validityMonths),
        evidenceUrl: optionalText(input.evidenceUrl),
      },
      verify,
    );
  }, recordWrite);
}

export async function renewCertification(ctx: RequestContext, input: RenewCertificationInput): Promise<CertificationOutcome> {
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(errors.notFound());
  const verify = input.verify === true;
  return writeTransaction(ctx, async (tx) => {
    const previous = await store.lockCertification(tx, id);
    if (!previous) abort(errors.notFound());
    assertMayRecord(ctx, previous.employeeId);
    if (verify) await assertMayDecide(ctx, previous.employeeId, tx);
    const problems = [...validateDates(input.issuedOn, input.expiresOn ?? null, ctx.today), ...validateDetails(input)];
    abortIf(problems);
    if (!isCurrent(previous)) abort(errors.notCurrent(previous));
    if (input.issuedOn <= previous.issuedOn) abort(errors.notAfter(previous));
    const entry = await catalogEntry(tx, previous.catalogEntryId);
    if (!entry) throw new Error(`catalog entry ${previous.catalogEntryId} is missing`);
    // The credential id usually survives a renewal; the evidence is new.
    const credentialId = input.credentialId === undefined ? previous.credentialId : optionalText(input.credentialId);
    await assertCredentialFree(tx, previous.catalogEntryId, credentialId, previous.employeeId);
    return insertReplacing(
      ctx,
      tx,
      previous,
      {
        employeeId: previous.employeeId,
        catalogEntryId: previous.catalogEntryId,
        credentialId,
        issuedOn: input.issuedOn,
        expiresOn: input.expiresOn ?? defaultExpiry(input.issuedOn, entry.validityMonths),
        evidenceUrl: optionalText(input.evidenceUrl),
      },
      verify,
    );
  }, recordWrite);
}

// ---------------------------------------------------------------- update

export async function updateCertification(ctx: RequestContext, input: UpdateCertificationInput): Promise<CertificationOutcome> {
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(errors.notFound());
  return writeTransaction(ctx, async (tx) => {
    const row = await store.lockCertification(tx, id);
    if (!row) abort(errors.notFound());
    assertMayRecord(ctx, row.employeeId);
    if (input.issuedOn === null) abort(userError('REQUIRED', ['input', 'issuedOn'], 'The issue date cannot be cleared.'));
    const problems = validateDetails(input);
    abortIf(problems);
    if (!isCurrent(row)) abort(errors.notCurrent(row));
    const issuedOn = input.issuedOn ?? row.issuedOn;
    const expiresOn = await correctedExpiry(tx, row, issuedOn, input.expiresOn);
    const dateProblems = validateDates(issuedOn, expiresOn, ctx.today);
    abortIf(dateProblems);
    const credentialId = input.credentialId === undefined ? row.credentialId : optionalText(input.credentialId);
    if (credentialId !== row.credentialId) await assertCredentialFree(tx, row.catalogEntryId, credentialId, row.employeeId);
    // A holder's own correction needs checking again, whoever they are.
    const resetsVerification = row.verificationState !== 'UNVERIFIED' && (await isOwnRecord(ctx, row.employeeId, tx));
    await store.updateCertification(tx, row.id, {
      issuedOn,
      expiresOn,
      credentialId,
      evidenceUrl: input.evidenceUrl === undefined ? row.evidenceUrl : optionalText(input.evidenceUrl),
      ...(resetsVerification ? unverified : {}),
    });
    return row.id;
  }, recordWrite);
}

/**
 * The expiry after a correction: as given (null: none); else, when the issue date moves and the
 * expiry was the catalog's default, the default for the new date; else unchanged.
 */
async function correctedExpiry(
  tx: Database,
  row: EmployeeCertificationRow,
  issuedOn: string,
  given: string | null | undefined,
): Promise<string | null> {
  if (given !== undefined) return given;
  if (issuedOn === row.issuedOn) return row.expiresOn;
  const entry = await catalogEntry(tx, row.catalogEntryId);
  const months = entry?.validityMonths ?? null;
  return row.expiresOn === defaultExpiry(row.issuedOn, months) ? defaultExpiry(issuedOn, months) : row.expiresOn;
}
