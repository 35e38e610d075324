import type { Database } from '../db/database.js';
import { findEmployeeForIdentity, lockEmployee } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { LegalAcknowledgementStatus } from '../peers/legal-client.js';
import { onPolicyAcknowledged, type Moment } from './legal.onboarding.js';
import * as store from './legal.store.js';
import type { LegalAcknowledgementRow, LegalAcknowledgementStatusValue } from './legal.tables.js';

// Legal's word on an acknowledgement, from its callback or from the sync's pages: one function
// for both, so a callback that was lost is healed by the next sync with the same effect.
//
// Order: each status from Legal carries Legal's time. A status no newer than the one People holds
// from Legal changes nothing (a redelivered or late callback, an old page), so duplicates and
// out-of-order deliveries are harmless. People's own SUBMITTED (the employee signed here) is not
// Legal's word and never stands against it.

/** A status as Legal reports it. */
export interface LegalStatusReport {
  legalAcknowledgementId: string;
  policyId: string;
  policyVersion: string;
  signer: { hubUserId: string; email: string | null };
  status: LegalAcknowledgementStatus;
  /** Legal's time of this status. */
  at: Date;
  vaultDocumentId: string | null;
}

export type ApplyOutcome =
  /** The status was taken (`changed`: it differs from what People held). */
  | { applied: true; changed: boolean; acknowledgementId: string }
  /** People holds a status from Legal at least as new: nothing written. */
  | { applied: false; reason: 'stale' }
  /** No employee has this signer's Hub user id (or e-mail): nothing to record it on. */
  | { applied: false; reason: 'unknown_signer' };

/** Legal's RECEIVED means it has the signature but has not recorded it: People calls that SUBMITTED. */
function peopleStatusOf(status: LegalAcknowledgementStatus): LegalAcknowledgementStatusValue {
  return status === 'RECEIVED' ? 'SUBMITTED' : status;
}

/**
 * Applies one status from Legal inside `tx`: finds the employee by the signer's Hub user id
 * (or e-mail, for a record not linked yet), locks them (signing in People takes the same lock),
 * then records the status unless People already holds a newer one from Legal.
 */
export async function applyLegalStatus(
  tx: Database,
  report: LegalStatusReport,
  source: 'CALLBACK' | 'SYNC',
  when: Moment,
): Promise<ApplyOutcome> {
  // An e-mail Legal does not know matches nobody: the Hub user id then decides alone.
  const employee = await findEmployeeForIdentity(tx, { hubUserId: report.signer.hubUserId, email: report.signer.email ?? '' }, when.today);
  if (!employee || !(await lockEmployee(tx, employee.id))) return { applied: false, reason: 'unknown_signer' };

  const existing =
    (await store.lockAcknowledgementByLegalId(tx, report.legalAcknowledgementId)) ??
    (await store.lockAcknowledgement(tx, { employeeId: employee.id, policyId: report.policyId, policyVersion: report.policyVersion }));
  const status = peopleStatusOf(report.status);

  if (!existing) {
    const row = await store.insertAcknowledgement(tx, {
      employeeId: employee.id,
      policyId: report.policyId,
      policyVersion: report.policyVersion,
      status,
      source: 'LEGAL',
      legalAcknowledgementId: report.legalAcknowledgementId,
      vaultDocumentId: report.vaultDocumentId,
      legalStatusAt: report.at,
    });
    await recordAcknowledgementChange(tx, row, status, null, source, when);
    return { applied: true, changed: true, acknowledgementId: row.id };
  }
  if (existing.legalStatusAt !== null && report.at.getTime() <= existing.legalStatusAt.getTime()) return { applied: false, reason: 'stale' };
  // Legal's RECEIVED says nothing new about a signature People already has in hand.
  const nextStatus = status === 'SUBMITTED' && existing.status !== 'SUBMITTED' && existing.source === 'PEOPLE' ? existing.status : status;
  await store.updateAcknowledgement(tx, existing.id, {
    status: nextStatus,
    legalStatusAt: report.at,
    legalAcknowledgementId: report.legalAcknowledgementId,
    vaultDocumentId: report.vaultDocumentId ?? existing.vaultDocumentId,
  });
  const changed = nextStatus !== existing.status;
  if (changed) await recordAcknowledgementChange(tx, existing, nextStatus, existing.status, source, when);
  return { applied: true, changed, acknowledgementId: existing.id };
}

/** Records an acknowledgement's new status (the event, and the onboarding hook when it is ACKNOWLEDGED). */
export async function recordAcknowledgementChange(
  tx: Database,
  row: Pick<LegalAcknowledgementRow, 'id' | 'employeeId' | 'policyId' | 'policyVersion'>,
  status: LegalAcknowledgementStatusValue,
  previousStatus: LegalAcknowledgementStatusValue | null,
  source: 'CALLBACK' | 'SYNC' | 'PROXY',
  when: Moment,
): Promise<void> {
  await recordEvent(tx, {
    type: 'legal.acknowledgement.changed',
    subject: `employee:${row.employeeId}`,
    data: {
      employeeId: row.employeeId,
      acknowledgementId: row.id,
      policyId: row.policyId,
      policyVersion: row.policyVersion,
      status,
      previousStatus,
      source,
    },
  });
  if (status === 'ACKNOWLEDGED') await onPolicyAcknowledged(tx, row.employeeId, when);
}
