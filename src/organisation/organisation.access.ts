import { assertCallerAllowed, callerAllowed, forbidden, type RuleTable } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';

// Who sees and changes the organisation: the "Organisation" table of the README's permission
// matrix, as data in the permission vocabulary (auth/permissions.ts).

export const organisationRules = {
  /**
   * Departments and locations, their names, codes, the tree, heads, sites and time zones, and
   * their people and headcounts: everyone signed in (a person with a role or an employee record).
   * Services do not list the organisation; a Department or Location they reach through an
   * employee (PSA, Defend) shows its plain fields, not its people.
   */
  read: ['knownUser'],
  /** What finance and audit need: cost centres and the history of changes (who, when, why). */
  readHr: ['hr'],
  /** Create, change and archive departments and locations. */
  administer: ['ADMIN', 'HR_MANAGER'],
} as const satisfies RuleTable;

export function assertMayReadOrganisation(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key does not read the organisation.`);
  assertCallerAllowed(ctx, organisationRules.read, 'Your account has no People role and no employee record.');
}

/** Cost centres and the history: HR's (FORBIDDEN at the field for anyone else). */
export function assertHrRead(ctx: RequestContext, what: string): void {
  assertCallerAllowed(ctx, organisationRules.readHr, `Only HR sees ${what}.`);
}

export function assertMayAdministerOrganisation(ctx: RequestContext): void {
  const { caller } = ctx;
  if (callerAllowed(ctx, organisationRules.administer)) return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot change the organisation.`);
  if (callerAllowed(ctx, organisationRules.readHr)) throw forbidden('HR Staff see the organisation but do not change it: ask an HR Manager or Admin.');
  throw forbidden('Only HR Managers and Admins change departments and locations.');
}
