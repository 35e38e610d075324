import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { decodeJwt } from 'jose';
import type { Database } from '../db/database.js';
import { findEmployeeForIdentity, terminalStatuses } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { serviceNames, type Caller, type ServiceName } from './caller.js';
import {
  dedicatedKeyHeaders,
  integrationKeyHeader,
  retiredKeyHeaders,
  serviceKeyVariables,
  serviceOfKey,
  type ServiceKeys,
} from './service-keys.js';
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

/**
 * The service a request's key headers name, or null when it carries none. `X-Integration-Key`
 * takes any service's key (the key says who calls); a dedicated header (Defend's) only its
 * service's; a retired header is refused with what to send instead. Two headers naming two
 * services are refused too: a request has one caller.
 */
function serviceFromHeaders(headers: IncomingHttpHeaders, keys: ServiceKeys): ServiceName | null {
  for (const [header, instead] of Object.entries(retiredKeyHeaders)) {
    if (headers[header] !== undefined) {
      throw new AuthenticationError('UNAUTHENTICATED', `The ${header} header is no longer read: ${instead}.`, 'retired_header');
    }
  }
  const named: ServiceName[] = [];
  const general = headers[integrationKeyHeader];
  if (general !== undefined) named.push(serviceOfHeader(integrationKeyHeader, general, keys, null));
  for (const [header, service] of Object.entries(dedicatedKeyHeaders)) {
    const presented = headers[header];
    if (presented !== undefined) named.push(serviceOfHeader(header, presented, keys, service));
  }
  const [first] = named;
  if (first === undefined) return null;
  if (named.some((service) => service !== first)) {
    throw new AuthenticationError('UNAUTHENTICATED', 'The key headers name two different services; send one key.', 'conflicting_service_keys');
  }
  return first;
}

/** The service a key header's value names: any configured service, or `only` for a dedicated header. */
function serviceOfHeader(header: string, presented: string | string[], keys: ServiceKeys, only: ServiceName | null): ServiceName {
  const candidates: ServiceKeys = only === null ? keys : { [only]: keys[only] };
  if (Object.values(candidates).every((key) => key === undefined)) {
    const what = only === null ? 'Service keys are not' : `${only} access is not`;
    throw new AuthenticationError('UNAUTHENTICATED', `${what} configured on this People server.`, 'service_not_configured');
  }
  const service = typeof presented === 'string' ? serviceOfKey(presented, candidates) : null;
  if (service !== null) return service;
  // Which services have no key here helps their operator; it says nothing about the keys that are set.
  const unconfigured = only === null ? serviceNames.filter((name) => keys[name] === undefined) : [];
  const hint = unconfigured.length > 0 ? ` (not configured here: ${unconfigured.map((name) => `${name}, ${serviceKeyVariables[name]}`).join('; ')})` : '';
  throw new AuthenticationError(
    'UNAUTHENTICATED',
    `The ${header} header does not hold ${only === null ? 'a service key this People server knows' : `a valid ${only} key`}${hint}.`,
    'bad_service_key',
  );
}
