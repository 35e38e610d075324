import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { decodeJwt } from 'jose';
import type { Database } from '../db/database.js';
import { findEmployeeForIdentity, terminalStatuses } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { serviceNames, type Caller, type ServiceName } from './caller.js';
import { keysMatch, serviceKeyHeaders, type ServiceKeys } from './service-keys.js';
import { sessionIssuer, TokenRejectedError, type HubTokenVerifier, type SessionTokens, type VerifiedIdentity } from './tokens.js';

export const sessionCookieName = 'people_session';

/** Why a request has no caller People will serve; carries the HTTP status and GraphQL code. */
export class AuthenticationError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN',
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }

  get httpStatus(): number {
    return this.code === 'UNAUTHENTICATED' ? 401 : 403;
  }
}

export interface Authenticator {
  /** The caller behind a request's credentials: a service key, a bearer token or the session cookie. */
  authenticate(headers: IncomingHttpHeaders, today: CalendarDate): Promise<Caller>;
  /** A user's identity from a Hub SSO token, with their employee record resolved ("self"). */
  userFromIdentity(identity: VerifiedIdentity, today: CalendarDate): Promise<Caller>;
}

export function createAuthenticator(options: {
  db: Database;
  hubTokens: HubTokenVerifier;
  sessions: SessionTokens;
  serviceKeys: ServiceKeys;
}): Authenticator {
  const { db, hubTokens, sessions, serviceKeys } = options;

  async function userFromIdentity(identity: VerifiedIdentity, today: CalendarDate): Promise<Caller> {
    const employee = await findEmployeeForIdentity(db, identity, today);
    if (employee?.status && terminalStatuses.includes(employee.status)) {
      throw new AuthenticationError(
        'FORBIDDEN',
        'This account belongs to an employee who has left; People access is closed.',
        'employment_ended',
      );
    }
    if (employee?.accessSuspended) {
      throw new AuthenticationError(
        'FORBIDDEN',
        "This account's People access is suspended by an emergency offboarding; HR can reverse it.",
        'access_suspended',
      );
    }
    return {
      kind: 'user',
      hubUserId: identity.hubUserId,
      email: identity.email,
      roles: identity.roles,
      employeeId: employee?.id ?? null,
    };
  }

  async function verifyBearer(token: string): Promise<VerifiedIdentity> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError('UNAUTHENTICATED', 'The bearer token is not a valid JWT.', 'malformed');
    }
    try {
      // The issuer only picks the verifier; each verifier checks signature, issuer and audience itself.
      return issuer === sessionIssuer ? await sessions.verify(token) : await hubTokens.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) throw new AuthenticationError('UNAUTHENTICATED', error.message, error.reason);
      throw error;
    }
  }

  return {
    userFromIdentity,
    async authenticate(headers, today) {
      const service = serviceFromHeaders(headers, serviceKeys);
      if (service) return { kind: 'service', service };

      const authorization = headers.authorization;
      if (authorization) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match?.[1]) {
          throw new AuthenticationError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', 'malformed');
        }
        return userFromIdentity(await verifyBearer(match[1]), today);
      }
      const cookie = headers.cookie ? parseCookies(headers.cookie)[sessionCookieName] : undefined;
      if (cookie) {
        try {
          return await userFromIdentity(await sessions.verify(cookie), today);
        } catch (error) {
          if (error instanceof TokenRejectedError) {
            throw new AuthenticationError('UNAUTHENTICATED', `The session has ended: ${error.message} Sign in again.`, error.reason);
          }
          throw error;
        }
      }
      return { kind: 'anonymous' };
    },
  };
}

function serviceFromHeaders(headers: IncomingHttpHeaders, keys: ServiceKeys): ServiceName | null {
  for (const service of serviceNames) {
    const header = serviceKeyHeaders[service];
    const presented = headers[header];
    if (presented === undefined) continue;
    const expected = keys[service];
    if (!expected) {
      throw new AuthenticationError('UNAUTHENTICATED', `${service} access is not configured on this People server.`, 'service_not_configured');
    }
    if (typeof presented !== 'string' || !keysMatch(presented, expected)) {
      throw new AuthenticationError('UNAUTHENTICATED', `The ${header} header does not hold a valid ${service} key.`, 'bad_service_key');
    }
    return service;
  }
  return null;
}
