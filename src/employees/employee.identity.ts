import { describeCaller, type Caller, type UserCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events/events.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { userError, type UserError } from '../shared/user-errors.js';
import { uniqueViolationConstraint } from '../shared/write-transaction.js';
import * as store from './employee.store.js';

// The link between an employee and a Hub user decides who a caller is (see
// `findEmployeeForIdentity`), so it is guarded like a privilege: set by Hub at first sign-in or
// by an Admin, never to the caller's own identity, and every change is recorded and announced.

export const identityLinkChangedEvent = 'employee.identity_link.changed';

/** How a link came to change: an Admin's createEmployee/updateEmployee, or the person's first sign-in. */
export type IdentityLinkSource = 'API' | 'FIRST_SIGN_IN';

/**
 * A Hub user id or e-mail that is the caller's own, given to an employee: that employee would
 * then be the caller (the caller's own record is refused earlier, by the permission check).
 */
export function checkNotCallersIdentity(
  caller: Caller,
  values: { email?: string | null | undefined; hubUserId?: string | null | undefined },
): UserError[] {
  if (caller.kind !== 'user') return [];
  const errors: UserError[] = [];
  if (values.email && values.email.toLowerCase() === caller.email.toLowerCase()) {
    errors.push(
      userError(
        'OWN_IDENTITY',
        ['input', 'email'],
        'This is the e-mail you sign in with: giving it to an employee would make you that employee.',
      ),
    );
  }
  if (values.hubUserId && values.hubUserId === caller.hubUserId) {
    errors.push(
      userError(
        'OWN_IDENTITY',
        ['input', 'hubUserId'],
        'This is your own Hub user id: linking an employee to it would make you that employee.',
      ),
    );
  }
  return errors;
}

/**
 * Announces a change of an existing employee's Hub link, in the transaction that makes it (a
 * link given at hire is in the CREATED history row and in `employee.hired`). Thin: whether a
 * link was there before and after, never the Hub user ids or anything about the person.
 */
export function recordIdentityLinkChange(
  tx: Database,
  change: { employeeId: string; before: string | null; after: string | null; source: IdentityLinkSource },
): Promise<string> {
  const kind = change.after === null ? 'UNLINKED' : change.before === null ? 'LINKED' : 'RELINKED';
  return recordEvent(tx, {
    type: identityLinkChangedEvent,
    subject: `employee:${change.employeeId}`,
    data: {
      employeeId: change.employeeId,
      change: kind,
      previouslyLinked: change.before !== null,
      linked: change.after !== null,
      source: change.source,
    },
  });
}

/**
 * At sign-in, an employee found by e-mail and linked to nobody yet is linked to the Hub user
 * signing in, with a history row and the event, so later e-mail changes cannot move the person
 * to another record. Returns whether it linked. Nothing happens when the record is linked
 * already (to this user or, meanwhile, to another) or no longer carries this e-mail; a race with
 * another link of the same Hub user loses to the unique index and leaves this record as it was.
 */
export async function linkAtFirstSignIn(db: Database, user: UserCaller, today: CalendarDate): Promise<boolean> {
  const { employeeId } = user;
  if (employeeId === null) return false;
  try {
    return await db.transaction(async (tx) => {
      const row = await store.lockEmployee(tx, employeeId);
      if (!row || row.hubUserId !== null || row.email.toLowerCase() !== user.email.toLowerCase()) return false;
      await store.updateEmployeeRow(tx, row.id, { hubUserId: user.hubUserId });
      await store.insertChange(tx, {
        employeeId: row.id,
        kind: 'UPDATED',
        recordedBy: describeCaller(user),
        effectiveFrom: today,
        reason: 'Linked to the Hub user at their first sign-in',
        changes: [{ field: 'hubUserId', before: null, after: user.hubUserId }],
      });
      await recordIdentityLinkChange(tx, { employeeId: row.id, before: null, after: user.hubUserId, source: 'FIRST_SIGN_IN' });
      return true;
    });
  } catch (error) {
    if (uniqueViolationConstraint(error) !== null) return false;
    throw error;
  }
}
