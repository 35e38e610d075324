import { GraphQLError } from 'graphql';
import type { Database } from '../db/database.js';
import { findEmployeeIdentities } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid } from '../shared/ids.js';
import { pageSize } from '../shared/paging.js';
import { fail, succeed, userError, type Outcome } from '../shared/user-errors.js';
import { writeTransaction } from '../shared/write-transaction.js';
import { describeCaller } from './caller.js';
import { assertCallerAllowed, callerAllowed, type RuleTable } from './permissions.js';
import { endSessions, findLiveSessions, findSession, type SessionEndReason } from './sessions.js';
import type { UserSessionRow } from './sessions.tables.js';

// Listing and ending People sessions: a person their own, Admins and HR Managers anyone's. Every
// ended session is one `session_ended` event, written in the transaction that ends it.

const sessionRules = {
  /** Seeing and ending another person's sessions (a stolen laptop, a leaver's open browser). */
  manageAnyone: ['ADMIN', 'HR_MANAGER'],
} as const satisfies RuleTable;

type Ended = Outcome<UserSessionRow[]>;

/**
 * The most sessions one list answers. Successful sign-ins are not rate-limited, so someone signing
 * in thousands of times within SESSION_TTL_MINUTES would make their own list that long.
 */
export const maxSessionsListed = 200;

const sessionsPage = (first: number | null | undefined) => pageSize(first, { fallback: 50, min: 1, max: maxSessionsListed });

/**
 * Ends the chosen live sessions and records their events, inside the caller's transaction (so an
 * ending and whatever caused it commit together).
 */
async function endAndRecordIn(
  tx: Database,
  which: Parameters<typeof endSessions>[1],
  reason: SessionEndReason,
  endedBy: string,
): Promise<UserSessionRow[]> {
  const ended = await endSessions(tx, which, { reason, endedBy, at: new Date() });
  for (const session of ended) {
    await recordEvent(tx, {
      type: 'session_ended',
      subject: `user:${session.hubUserId}`,
      data: { hubUserId: session.hubUserId, sessionId: session.id, reason, endedBy },
    });
  }
  return ended;
}

/**
 * Inside the caller's transaction: every live session of the employee ends, e.g. when an
 * emergency offboarding suspends their access. Lifting the suspension later does not bring these
 * back: the person signs in again. An employee never linked to a Hub user has none.
 */
export async function endSessionsOfEmployeeIn(tx: Database, employeeId: string, reason: SessionEndReason, endedBy: string): Promise<void> {
  const [employee] = await findEmployeeIdentities(tx, [employeeId]);
  if (employee?.hubUserId) await endAndRecordIn(tx, { hubUserIds: [employee.hubUserId] }, reason, endedBy);
}

/** Sign-out at /auth/logout (outside GraphQL, so without the mutation kit): the session the request came with, if it still counts. */
export async function signOut(db: Database, session: { sessionId: string; hubUserId: string }): Promise<void> {
  await db.transaction((tx) => endAndRecordIn(tx, { sessionIds: [session.sessionId] }, 'signed_out', `user:${session.hubUserId}`));
}

/** The caller's own live sessions (`me.sessions`). */
export async function ownSessions(ctx: RequestContext, args: { first?: number | null }): Promise<UserSessionRow[]> {
  const first = sessionsPage(args.first);
  if (ctx.caller.kind !== 'user') return [];
  return findLiveSessions(ctx.db, [ctx.caller.hubUserId], new Date(), first);
}

/** `sessionsOf`: one person's live sessions, for Admins and HR Managers. */
export async function sessionsOf(
  ctx: RequestContext,
  args: { employeeId?: string | null; hubUserId?: string | null; first?: number | null },
): Promise<UserSessionRow[]> {
  assertCallerAllowed(ctx, sessionRules.manageAnyone, "Only Admins and HR Managers see other people's sessions.");
  const first = sessionsPage(args.first);
  const target = await targetHubUserId(ctx, args);
  if (!target.ok) {
    const [problem] = target.errors;
    throw new GraphQLError(problem?.message ?? 'Name one person.', { extensions: { code: 'BAD_USER_INPUT', argumentName: problem?.field?.at(-1) } });
  }
  return target.value === null ? [] : findLiveSessions(ctx.db, [target.value], new Date(), first);
}

/** `endSession`: one's own, or (Admins, HR Managers) anyone's. */
export async function endOneSession(ctx: RequestContext, sessionId: string): Promise<Ended> {
  const { caller } = ctx;
  const notFound = fail<UserSessionRow[]>(userError('SESSION_NOT_FOUND', ['id'], 'No session of yours with this id still counts.'));
  if (caller.kind !== 'user' || !isUuid(sessionId)) return notFound;
  const session = await findSession(ctx.db, sessionId);
  const own = session?.hubUserId === caller.hubUserId;
  // Someone else's session is "not found" to those who may not end it: its id says nothing.
  if (!session || (!own && !callerAllowed(ctx, sessionRules.manageAnyone))) return notFound;
  const ended = await writeTransaction(ctx, (tx) =>
    endAndRecordIn(tx, { sessionIds: [sessionId] }, own ? 'ended_by_user' : 'ended_by_hr', describeCaller(caller)),
  );
  // Ended meanwhile (or expired): nothing of it still counts.
  return !ended.ok || ended.value.length > 0 ? ended : notFound;
}

/** `endSessionsOf`: every live session of one person (Admins, HR Managers). */
export async function endSessionsOfPerson(ctx: RequestContext, input: { employeeId?: string | null; hubUserId?: string | null }): Promise<Ended> {
  assertCallerAllowed(ctx, sessionRules.manageAnyone, "Only Admins and HR Managers end other people's sessions.");
  const target = await targetHubUserId(ctx, input, ['input']);
  if (!target.ok) return target;
  if (target.value === null) return succeed([]);
  const hubUserId = target.value;
  return writeTransaction(ctx, (tx) => endAndRecordIn(tx, { hubUserIds: [hubUserId] }, 'ended_by_hr', describeCaller(ctx.caller)));
}

/**
 * The Hub user whose sessions are meant: `hubUserId` as given, or the employee's Hub link (null
 * for an employee who never signed in, so has no sessions).
 */
async function targetHubUserId(
  ctx: RequestContext,
  which: { employeeId?: string | null; hubUserId?: string | null },
  path: string[] = [],
): Promise<Outcome<string | null>> {
  const { employeeId, hubUserId } = which;
  if ((employeeId == null) === (hubUserId == null)) {
    return fail(userError('INVALID_VALUE', [...path, 'employeeId'], 'Name one person: `employeeId` or `hubUserId`, not both and not neither.'));
  }
  if (hubUserId != null) {
    if (hubUserId.trim() === '') return fail(userError('INVALID_VALUE', [...path, 'hubUserId'], '`hubUserId` is empty.'));
    return succeed(hubUserId);
  }
  const [employee] = employeeId && isUuid(employeeId) ? await findEmployeeIdentities(ctx.db, [employeeId]) : [];
  if (!employee) return fail(userError('EMPLOYEE_NOT_FOUND', [...path, 'employeeId'], 'No employee has this id.'));
  return succeed(employee.hubUserId);
}
