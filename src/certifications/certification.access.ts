import { assertNotOwnRecord, forbidden, isSelf, unauthenticated } from '../auth/access.js';
import type { Database } from '../db/database.js';
import { hasRole, hrRoles, type Caller, type Role, type ServiceName } from '../auth/caller.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and do what with certifications, as data (the README's certification matrix).
//
//   catalog      the catalog: every signed-in person, and PSA.
//   records      an employee's certifications (dates, status, verification state): HR, Admin,
//                Viewer, Manager, the employee, and PSA.
//   sensitive    credential id, evidence link, verification comment: HR, Admin, the employee and
//                anyone above them in the reporting line today.
//   report       the expiring report: HR and Admin.
//   catalogWrite the catalog's entries: HR Manager and Admin.
//   verify       verifying and rejecting: HR, never on their own record.

interface ReadRule {
  roles: readonly Role[];
  self: boolean;
  /** Anyone above the employee in the reporting line today. */
  aboveInLine: boolean;
  /** Any signed-in person People knows (a role or an employee record). */
  anyPerson: boolean;
  services: readonly ServiceName[];
}

export type CertificationReadScope = 'catalog' | 'records' | 'sensitive' | 'report';

export const certificationReadRules: Readonly<Record<CertificationReadScope, ReadRule>> = {
  catalog: { roles: [], self: false, aboveInLine: false, anyPerson: true, services: ['PSA'] },
  records: { roles: [...hrRoles, 'VIEWER', 'MANAGER'], self: true, aboveInLine: true, anyPerson: false, services: ['PSA'] },
  sensitive: { roles: hrRoles, self: true, aboveInLine: true, anyPerson: false, services: [] },
  report: { roles: hrRoles, self: false, aboveInLine: false, anyPerson: false, services: [] },
};

/** Roles that change the catalog. */
export const catalogWriterRoles: readonly Role[] = ['ADMIN', 'HR_MANAGER'];

export function isCertificationHr(caller: Caller): boolean {
  return caller.kind === 'system' || hasRole(caller, ...hrRoles);
}

async function isAboveInLine(ctx: RequestContext, employeeId: string): Promise<boolean> {
  const { caller } = ctx;
  if (caller.kind !== 'user' || caller.employeeId === null) return false;
  const chain = await ctx.loaders.employees.reportingChainIds.load({ key: employeeId, asOf: ctx.today });
  return chain.includes(caller.employeeId);
}

/** May the caller read `scope`, about `employeeId` when it concerns one employee? */
export async function mayRead(ctx: RequestContext, scope: CertificationReadScope, employeeId: string | null = null): Promise<boolean> {
  const { caller } = ctx;
  const rule = certificationReadRules[scope];
  switch (caller.kind) {
    case 'anonymous':
      throw unauthenticated();
    case 'system':
      return true;
    case 'service':
      return rule.services.includes(caller.service);
    case 'user':
      if (rule.anyPerson && (caller.roles.length > 0 || caller.employeeId !== null)) return true;
      if (caller.roles.some((role) => rule.roles.includes(role))) return true;
      if (employeeId === null) return false;
      if (rule.self && isSelf(caller, employeeId)) return true;
      return rule.aboveInLine && (await isAboveInLine(ctx, employeeId));
  }
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
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system' || hasRole(caller, ...catalogWriterRoles)) return;
  throw forbidden('Only Admin and HR Manager may change the certification catalog.');
}

/** Adding, renewing and correcting: HR for anyone, the employee for their own. */
export function assertMayRecord(ctx: RequestContext, employeeId: string): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot change certifications.`);
  if (isCertificationHr(caller) || isSelf(caller, employeeId)) return;
  throw forbidden('Only HR, or the employee for their own, may record certifications.');
}

/**
 * Verifying (also `verify: true` when recording) and rejecting: HR, never their own record
 * (`isOwnRecord`; pass the transaction when called inside one).
 */
export async function assertMayDecide(ctx: RequestContext, employeeId: string, tx?: Database): Promise<void> {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (!isCertificationHr(caller)) throw forbidden('Only Admin, HR Manager and HR Staff may verify or reject certifications.');
  await assertNotOwnRecord(ctx, employeeId, 'You cannot verify or reject your own certification; ask someone else in HR.', tx);
}

/** Removing: HR for anyone; the employee for their own while it is unverified. */
export function assertMayRemove(ctx: RequestContext, employeeId: string, verificationState: string): void {
  assertMayRecord(ctx, employeeId);
  const { caller } = ctx;
  if (isCertificationHr(caller)) return;
  if (verificationState !== 'UNVERIFIED') {
    throw forbidden('Your certification has been verified or rejected: ask HR to remove it.');
  }
}
