import { GraphQLError } from 'graphql';
import type { Database } from '../db/database.js';
import { findEmployeeIdentities } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid } from '../shared/ids.js';
import type { Caller } from './caller.js';
import { assertCallerAllowed, callerAllowed, forbidden, type RuleTable } from './permissions.js';

// Checks shared by every domain: may the caller browse the directory, and is the record they act
// on their own. (Whether there is a caller at all is settled before any domain runs: the server
// refuses anonymous requests when it builds their context.)

export function unauthenticated(): GraphQLError {
  return new GraphQLError(
    'Sign in first: send "Authorization: Bearer <token>" (a Hub SSO or People session token), the People session cookie, or a service key header.',
    { extensions: { code: 'UNAUTHENTICATED', reason: 'missing_credentials', http: { status: 401 } } },
  );
}

const directoryRules = {
  /** Lists, the org chart, departments and locations: people People knows, not services. */
  browse: ['knownUser'],
} as const satisfies RuleTable;

/** Whether the caller may browse the directory (lists, org chart, departments): people People knows, not services. */
export function mayBrowseDirectory(ctx: Pick<RequestContext, 'caller'>): boolean {
  return callerAllowed(ctx, directoryRules.browse);
}

/** Directory queries (lists, org chart, departments): people, not services. */
export function assertDirectoryAccess(ctx: RequestContext): void {
  assertCallerAllowed(ctx, directoryRules.browse, 'Your account has no People role and no employee record.');
}

// ---- separation of duties

/** The ways People ties a person to an employee record: its id, its Hub link and its login e-mail. */
export interface EmployeeIdentity {
  id: string;
  email: string;
  hubUserId: string | null;
}

/**
 * Whether a record is the calling user's own by ANY of the ways People ties a person to a record,
 * not only the one authentication settled on (`caller.employeeId`): its id, its Hub user id or
 * its e-mail (case-insensitive). Should a record ever carry someone else's link or e-mail, the
 * person is still kept off their own record, whichever of the two they are taken for.
 */
export function identifiesCaller(caller: Caller, record: EmployeeIdentity): boolean {
  if (caller.kind !== 'user') return false;
  return (
    caller.employeeId === record.id ||
    (record.hubUserId !== null && record.hubUserId === caller.hubUserId) ||
    record.email.toLowerCase() === caller.email.toLowerCase()
  );
}

/**
 * Separation of duties: is employee `employeeId` the caller's own record (see `identifiesCaller`)?
 * Used only to REFUSE (nobody changes their own job, status or manager, adjusts their own
 * balance or policies, decides their own time off or verifies their own certification); what a
 * person may do as "self" is still granted on `caller.employeeId` alone. Inside a transaction pass
 * it as `tx` (PGlite has one connection: a read outside the transaction would wait for it).
 */
export async function isOwnRecord(ctx: RequestContext, employeeId: string, tx?: Database): Promise<boolean> {
  const { caller } = ctx;
  if (caller.kind !== 'user') return false;
  if (caller.employeeId === employeeId) return true;
  if (!isUuid(employeeId)) return false;
  const record = tx
    ? (await findEmployeeIdentities(tx, [employeeId]))[0]
    : await ctx.loaders.employees.byId.load({ key: employeeId, asOf: ctx.today });
  return record != null && identifiesCaller(caller, record);
}

/** Refuses (FORBIDDEN, with `message`) when `employeeId` is the caller's own record. */
export async function assertNotOwnRecord(ctx: RequestContext, employeeId: string, message: string, tx?: Database): Promise<void> {
  if (await isOwnRecord(ctx, employeeId, tx)) throw forbidden(message);
}
