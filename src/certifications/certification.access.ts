import {
  allowedNow,
  allowedOn,
  assertCallerAllowed,
  assertNotOwnRecord,
  callerAllowed,
  forbidden,
  type RuleTable,
} from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and do what with certifications, as data (the README's certification matrix).

export const certificationRules = {
  /** The catalog: every signed-in person, and PSA. */
  catalog: ['knownUser', 'service:PSA'],
  /** An employee's certifications (dates, status, verification state). */
  records: ['hr', 'VIEWER', 'MANAGER', 'self', 'line', 'service:PSA'],
  /** Credential id, evidence link, verification comment. */
  sensitive: ['hr', 'self', 'line'],
  /** The expiring report. */
  report: ['hr'],
  writeCatalog: ['ADMIN', 'HR_MANAGER'],
  /** Adding, renewing and correcting: HR for anyone, the employee for their own. */
  record: ['hr', 'self'],
  /** Verifying and rejecting: HR, never on their own record (`isOwnRecord`). */
  decide: ['hr'],
  /** Removing a record that has been verified or rejected (the employee removes their own only while unverified). */
  removeDecided: ['hr'],
} as const satisfies RuleTable;

export type CertificationReadScope = 'catalog' | 'records' | 'sensitive' | 'report';

/** May the caller read `scope`, about `employeeId` when it concerns one employee? */
export function mayRead(ctx: RequestContext, scope: CertificationReadScope, employeeId: string | null = null): boolean | Promise<boolean> {
  const rule = certificationRules[scope];
  return employeeId === null ? callerAllowed(ctx, rule) : allowedOn(ctx, rule, employeeId);
}

export async function assertMayRead(
  ctx: RequestContext,
  scope: CertificationReadScope,
  employeeId: string | null,
  what: string,
): Promise<void> {
  if (!(await mayRead(ctx, scope, employeeId))) throw forbidden(`You may not see ${what}.`);
}

export function assertMayWriteCatalog(ctx: RequestContext): void {
  assertCallerAllowed(ctx, certificationRules.writeCatalog, 'Only Admin and HR Manager may change the certification catalog.');
}

/** Adding, renewing and correcting: HR for anyone, the employee for their own. */
export function assertMayRecord(ctx: RequestContext, employeeId: string): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot change certifications.`);
  if (!allowedNow(ctx, certificationRules.record, employeeId)) {
    throw forbidden('Only HR, or the employee for their own, may record certifications.');
  }
}

/**
 * Verifying (also `verify: true` when recording) and rejecting: HR, never their own record
 * (`isOwnRecord`; pass the transaction when called inside one).
 */
export async function assertMayDecide(ctx: RequestContext, employeeId: string, tx?: Database): Promise<void> {
  assertCallerAllowed(ctx, certificationRules.decide, 'Only Admin, HR Manager and HR Staff may verify or reject certifications.');
  await assertNotOwnRecord(ctx, employeeId, 'You cannot verify or reject your own certification; ask someone else in HR.', tx);
}

/** Removing: HR for anyone; the employee for their own while it is unverified. */
export function assertMayRemove(ctx: RequestContext, employeeId: string, verificationState: string): void {
  assertMayRecord(ctx, employeeId);
  if (callerAllowed(ctx, certificationRules.removeDecided)) return;
  if (verificationState !== 'UNVERIFIED') {
    throw forbidden('Your certification has been verified or rejected: ask HR to remove it.');
  }
}
