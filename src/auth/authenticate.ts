import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { decodeJwt } from 'jose';
import type { Database } from '../db/database.js';
import { findEmployeeForIdentity, terminalStatuses } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { serviceNames, type Caller, type ServiceName } from './caller.js';
import type { ServiceCall, ServiceCallLog } from './service-calls.js';
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
  /**
   * The caller behind a request's credentials: a service key, a bearer token or the session
   * cookie. `unknownKeyOwner` is the service that calls where the request came (default PSA, on
   * /graphql): the diagnostics count a key no service has as that service's.
   */
  authenticate(headers: IncomingHttpHeaders, today: CalendarDate, options?: { unknownKeyOwner?: ServiceName }): Promise<Caller>;
  /** A user's identity from a Hub SSO token, with their employee record resolved ("self"). */
  userFromIdentity(identity: VerifiedIdentity & { sessionId?: string }, today: CalendarDate): Promise<Caller>;
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

  async function userFromIdentity(identity: VerifiedIdentity & { sessionId?: string }, today: CalendarDate): Promise<Caller> {
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
      ...(identity.sessionId !== undefined ? { sessionId: identity.sessionId } : {}),
    };
  }

  async function verifyBearer(token: string): Promise<VerifiedIdentity & { sessionId?: string }> {
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
    async authenticate(headers, today, call = {}) {
      const checked = checkServiceKey(headers, serviceKeys, call.unknownKeyOwner ?? 'PSA');
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
  /** What the diagnostics count: whose call it was and how it went; null when it cannot be told whose. */
  call: ServiceCall | null;
}

/** One key header's value, checked: the service it names, or why not. */
interface HeaderCheck {
  header: string;
  service: ServiceName | null;
  refusal: AuthenticationError | null;
  call: ServiceCall | null;
}

/**
 * The service a request's key headers name, checked; null when it carries none.
 * `X-Integration-Key` takes any service's key (the key says who calls); a dedicated header
 * (Defend's) only its service's; a retired header is refused with what to send instead. Two
 * headers naming two services are refused too: a request has one caller.
 *
 * A key that matches no configured key cannot say whose it is: the diagnostics count it for
 * `unknownKeyOwner`, the service that calls where the request came (PSA on /graphql, Legal on its
 * callback), as a bad key, or as "not configured" when that service has no key here.
 */
function checkServiceKey(headers: IncomingHttpHeaders, keys: ServiceKeys, unknownKeyOwner: ServiceName): ServiceKeyCheck | null {
  for (const [header, instead] of Object.entries(retiredKeyHeaders)) {
    const presented = headers[header];
    if (presented === undefined) continue;
    const owner = typeof presented === 'string' ? serviceOfKey(presented, keys) : null;
    return {
      refusal: new AuthenticationError('UNAUTHENTICATED', `The ${header} header is no longer read: ${instead}.`, 'retired_header'),
      call: owner ? { service: owner, outcome: 'refused', reason: 'wrong_header', header } : { service: 'LEGAL', outcome: 'refused', reason: 'bad_key', header },
    };
  }
  const checks: HeaderCheck[] = [];
  const general = headers[integrationKeyHeader];
  if (general !== undefined) checks.push(checkHeader(integrationKeyHeader, general, keys, null, unknownKeyOwner));
  for (const [header, service] of Object.entries(dedicatedKeyHeaders)) {
    const presented = headers[header];
    if (presented !== undefined) checks.push(checkHeader(header, presented, keys, service, unknownKeyOwner));
  }
  const [first] = checks;
  if (first === undefined) return null;
  const refused = checks.find((check) => check.refusal !== null);
  if (refused?.refusal) return { refusal: refused.refusal, call: refused.call };
  if (checks.some((check) => check.service !== first.service)) {
    return {
      refusal: new AuthenticationError('UNAUTHENTICATED', 'The key headers name two different services; send one key.', 'conflicting_service_keys'),
      call: null,
    };
  }
  return first.service ? { service: first.service, call: first.call } : null;
}

/** One key header: any configured service's key, or `only`'s for a dedicated header. */
function checkHeader(header: string, presented: string | string[], keys: ServiceKeys, only: ServiceName | null, unknownKeyOwner: ServiceName): HeaderCheck {
  const candidates: ServiceKeys = only === null ? keys : { [only]: keys[only] };
  const value = typeof presented === 'string' ? presented : null;
  const service = value === null ? null : serviceOfKey(value, candidates);
  if (service !== null) return { header, service, refusal: null, call: { service, outcome: 'accepted', reason: null, header } };

  // Another service's key in a dedicated header: that service is misconfigured, not this one.
  const owner = value === null ? null : serviceOfKey(value, keys);
  const blamed = only ?? unknownKeyOwner;
  const call: ServiceCall = owner
    ? { service: owner, outcome: 'refused', reason: 'wrong_header', header }
    : { service: blamed, outcome: 'refused', reason: keys[blamed] === undefined ? 'not_configured' : 'bad_key', header };
  if (Object.values(candidates).every((key) => key === undefined)) {
    const what = only === null ? 'Service keys are not' : `${only} access is not`;
    return { header, service: null, refusal: new AuthenticationError('UNAUTHENTICATED', `${what} configured on this People server.`, 'service_not_configured'), call };
  }
  // Which services have no key here helps their operator; it says nothing about the keys that are set.
  const unconfigured = only === null ? serviceNames.filter((name) => keys[name] === undefined) : [];
  const hint = unconfigured.length > 0 ? ` (not configured here: ${unconfigured.map((name) => `${name}, ${serviceKeyVariables[name]}`).join('; ')})` : '';
  const refusal = new AuthenticationError(
    'UNAUTHENTICATED',
    `The ${header} header does not hold ${only === null ? 'a service key this People server knows' : `a valid ${only} key`}${hint}.`,
    'bad_service_key',
  );
  return { header, service: null, refusal, call };
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
    const owner = serviceOfKey(presented, keys);
    if (owner) return { service: owner, outcome: 'refused', reason: 'wrong_header', header: name };
  }
  return null;
}
