import { GraphQLError } from 'graphql';
import type { RequestContext } from '../graphql/context.js';
import type { Caller } from './caller.js';

// Checks shared by every domain: is there a caller, and is it a person People knows.

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError(
    'Sign in first: send "Authorization: Bearer <token>" (a Hub SSO or People session token), the People session cookie, or a service key header.',
    { extensions: { code: 'UNAUTHENTICATED', reason: 'missing_credentials', http: { status: 401 } } },
  );
}

/** A signed-in person People knows something about: a role, or an employee record of their own. */
function isKnownUser(caller: Caller): boolean {
  return caller.kind === 'user' && (caller.roles.length > 0 || caller.employeeId !== null);
}

/** Directory queries (lists, org chart, departments): people, not services. */
export function assertDirectoryAccess(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system') return;
  if (!isKnownUser(caller)) throw forbidden('Your account has no People role and no employee record.');
}

