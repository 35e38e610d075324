import { assertDirectoryAccess, forbidden, unauthenticated } from '../auth/access.js';
import { hasRole, hrRoles, type Role } from '../auth/caller.js';
import type { RequestContext } from '../graphql/context.js';

// Who sees and changes the organisation: the "Organisation" table of the README's permission
// matrix, as data.
//
//   read        everyone signed in (a person with a role or an employee record; not services):
//               departments and locations, their names, codes, the tree, heads, sites and time
//               zones, people and headcounts. A Department or Location reached through an
//               employee (PSA, Defend) shows the same plain fields.
//   hrRead      HR (Admin, HR Manager, HR Staff): what finance and audit need, cost centres and
//               the history of changes (who, when, why).
//   administer  HR Manager and Admin (and the system): create, change, archive.

export const organisationRules = {
  hrRead: hrRoles,
  administer: ['ADMIN', 'HR_MANAGER'],
} as const satisfies Record<string, readonly Role[]>;

export function assertMayReadOrganisation(ctx: RequestContext): void {
  assertDirectoryAccess(ctx);
}

/** Cost centres and the history: HR's (FORBIDDEN at the field for anyone else). */
export function assertHrRead(ctx: RequestContext, what: string): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system' || hasRole(caller, ...organisationRules.hrRead)) return;
  throw forbidden(`Only HR sees ${what}.`);
}

export function assertMayAdministerOrganisation(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system' || hasRole(caller, ...organisationRules.administer)) return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot change the organisation.`);
  if (hasRole(caller, 'HR_STAFF')) throw forbidden('HR Staff see the organisation but do not change it: ask an HR Manager or Admin.');
  throw forbidden('Only HR Managers and Admins change departments and locations.');
}
