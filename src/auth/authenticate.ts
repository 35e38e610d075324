import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { decodeJwt } from 'jose';
import type { Database } from '../db/database.js';
import { findEmployeeForIdentity, terminalStatuses } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { serviceNames, type Caller, type ServiceName } from './caller.js';
import type { ServiceCall, ServiceCallLog } from './service-calls.js';
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
  /** Told of every service call, accepted or refused (integration diagnostics). */
  serviceCalls?: Pick<ServiceCallLog, 'record'>;
}): Authenticator {
  const { db, hubTokens, sessions, serviceKeys } = options;
  const report = async (call: ServiceCall | null) => {
    if (call && options.serviceCalls) await options.serviceCalls.record(call);
  };
  /** A request that reached no caller may still carry a service's key, in a header People does not read it from. */
  const reportMisplacedKey = (headers: IncomingHttpHeaders) => report(misplacedServiceKey(headers, serviceKeys));

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
      const checked = checkServiceKey(headers, serviceKeys);
      await report(checked?.call ?? null);
      if (checked?.refusal) throw checked.refusal;
      if (checked?.service) return { kind: 'service', service: checked.service };

      const authorization = headers.authorization;
      if (authorization) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match?.[1]) {
          await reportMisplacedKey(headers);
          throw new AuthenticationError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', 'malformed');
        }
        let identity: VerifiedIdentity;
        try {
          identity = await verifyBearer(match[1]);
        } catch (error) {
          if (error instanceof AuthenticationError && error.reason === 'malformed') await reportMisplacedKey(headers);
          throw error;
        }
        return userFromIdentity(identity, today);
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
      await reportMisplacedKey(headers);
      return { kind: 'anonymous' };
    },
  };
}

interface ServiceKeyCheck {
  /** The service the request proved to be. */
  service?: ServiceName;
  refusal?: AuthenticationError;
  /** What the diagnostics count: whose call it was (by the key when it is another service's) and how it went. */
  call: ServiceCall;
}

/** The first service key header the request carries, checked; null when it carries none. */
function checkServiceKey(headers: IncomingHttpHeaders, keys: ServiceKeys): ServiceKeyCheck | null {
  for (const service of serviceNames) {
    const header = serviceKeyHeaders[service];
    const presented = headers[header];
    if (presented === undefined) continue;
    const expected = keys[service];
    if (!expected) {
      return {
        refusal: new AuthenticationError('UNAUTHENTICATED', `${service} access is not configured on this People server.`, 'service_not_configured'),
        call: { service, outcome: 'refused', reason: 'not_configured', header },
      };
    }
    if (typeof presented !== 'string' || !keysMatch(presented, expected)) {
      // Another service's key in this header: that service is misconfigured, not this one.
      const owner = typeof presented === 'string' ? serviceOwningKey(presented, keys) : null;
      return {
        refusal: new AuthenticationError('UNAUTHENTICATED', `The ${header} header does not hold a valid ${service} key.`, 'bad_service_key'),
        call: owner ? { service: owner, outcome: 'refused', reason: 'wrong_header', header } : { service, outcome: 'refused', reason: 'bad_key', header },
      };
    }
    return { service, call: { service, outcome: 'accepted', reason: null, header } };
  }
  return null;
}

function serviceOwningKey(presented: string, keys: ServiceKeys): ServiceName | null {
  return serviceNames.find((service) => {
    const key = keys[service];
    return key !== undefined && keysMatch(presented, key);
  }) ?? null;
}

/** Headers a misconfigured service might send its key in: the bearer token, and anything named like a key. */
const keyLikeHeader = /key|token|secret|auth/i;
const maxHeadersLookedAt = 10;

/**
 * A service's key sent where People does not look for it (`Authorization: Bearer <key>`,
 * `X-Service-Key`, `X-Api-Key`…): the request is refused as anonymous or malformed all the same,
 * but the diagnostics can then say which header that service should use. Cookies are not read.
 */
function misplacedServiceKey(headers: IncomingHttpHeaders, keys: ServiceKeys): ServiceCall | null {
  if (serviceNames.every((service) => keys[service] === undefined)) return null;
  const candidates = Object.entries(headers)
    .filter(([name]) => name !== 'cookie' && keyLikeHeader.test(name))
    .slice(0, maxHeadersLookedAt);
  for (const [name, value] of candidates) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) continue;
    const presented = name === 'authorization' ? (/^Bearer\s+(\S+)$/i.exec(value)?.[1] ?? value) : value;
    const owner = serviceOwningKey(presented, keys);
    if (owner) return { service: owner, outcome: 'refused', reason: 'wrong_header', header: name };
  }
  return null;
}
