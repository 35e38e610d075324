import { isIP } from 'node:net';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type Request } from 'express';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { linkAtFirstSignIn } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { Clock } from '../shared/dates.js';
import { AuthenticationError, sessionCookieName, type Authenticator } from './authenticate.js';
import type { UserCaller } from './caller.js';
import { auditText, isAcceptableHubUserId, maxEmailLength, maxHubUserIdLength } from './claim-text.js';
import { createLoginFailureLimit, type LoginSource } from './login-limits.js';
import { loginAttempts } from './login.tables.js';
import { signOut } from './session-management.js';
import { sessionIssuer, TokenRejectedError, type HubTokenVerifier, type SessionTokens, type VerifiedIdentity } from './tokens.js';

// POST /auth/sso: a Hub SSO token in, a People session out (cookie for browsers, bearer token
// for API clients). Every attempt is recorded with its Bus event (login_success, login_failed)
// in one transaction; repeated failures from one source are refused for a while, counted from
// those records so every replica refuses alike (login-limits.ts). A refusal is recorded whatever
// the token holds (see claim-text.ts), and counted in memory when it cannot be recorded.
// An employee found by e-mail and linked to no Hub user yet is linked to the one signing in
// (first sign-in).

export interface LoginOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  hubTokens: HubTokenVerifier;
  sessions: SessionTokens;
  authenticator: Authenticator;
  /** Failed attempts one source may make per 15 minutes before it is refused (HTTP 429). */
  failuresPer15Minutes: number;
  secureCookies: boolean;
}

interface Attempt {
  /** The client address as the inet column takes it; null when X-Forwarded-For held something else. */
  ip: string | null;
  userAgent: string | null;
}

/** Who an attempt says it is for: as the token claims on failure (sanitised), as verified on success. */
interface Claimed {
  hubUserId: string | null;
  email: string | null;
  /** The claimed Hub user id can name the event subject (`user:<id>`); false when it was cleaned or cut. */
  hubUserIdIsExact: boolean;
}

type Failure = { reason: string; status: number; message: string; claimed: Claimed };

const nobodyClaimed: Claimed = { hubUserId: null, email: null, hubUserIdIsExact: false };

export function createLoginRouter(options: LoginOptions): express.Router {
  const router = express.Router();
  const failures = createLoginFailureLimit({
    db: options.db,
    limit: options.failuresPer15Minutes,
    onCountFailed: (error) =>
      options.logger.error({ error: databaseErrorCode(error) }, 'recent sign-in failures could not be counted; only this replica’s own are'),
  });

  router.post('/sso', express.json({ limit: '16kb' }), async (req, res) => {
    const attempt: Attempt = {
      ip: req.ip && isIP(req.ip) ? req.ip : null,
      userAgent: auditText(req.get('user-agent'), 512),
    };
    const source: LoginSource = { ip: attempt.ip, key: req.ip ?? 'unknown' };
    const token = tokenFrom(req);
    const retryAfter = await failures.blockedFor(source);
    if (retryAfter !== null) {
      await recordFailure(options, attempt, {
        reason: 'rate_limited',
        status: 429,
        message: 'Too many failed sign-ins from here.',
        claimed: claimedIdentity(token),
      });
      res.setHeader('retry-after', String(retryAfter));
      res.status(429).json(errorBody('TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${retryAfter} s.`, 'rate_limited'));
      return;
    }

    let outcome: Awaited<ReturnType<typeof signIn>>;
    try {
      outcome = token
        ? await signIn(options, token)
        : {
            reason: 'missing_token',
            status: 400,
            message: 'Send the Hub SSO token as JSON `{ "token": "…" }` or as "Authorization: Bearer <token>".',
            claimed: nobodyClaimed,
          };
    } catch (error) {
      // Not a refusal People could name (the database, most likely): still one attempt that did not
      // succeed, and nothing recorded it.
      await failures.countUnrecorded(source);
      throw error;
    }

    if ('reason' in outcome) {
      if (!(await recordFailure(options, attempt, outcome))) await failures.countUnrecorded(source);
      res.status(outcome.status).json(errorBody(outcome.status === 403 ? 'FORBIDDEN' : 'UNAUTHENTICATED', outcome.message, outcome.reason));
      return;
    }

    const { user, identity } = outcome;
    // Found by e-mail and linked to nobody yet: from now on the Hub user id ties them to it.
    await linkAtFirstSignIn(options.db, user, options.clock.today());
    // Wall-clock time, as the token's expiry is checked against it (the business clock only names days).
    const session = await options.sessions.issue(identity, new Date(), attempt);
    await options.db.transaction(async (tx) => {
      await tx.insert(loginAttempts).values({
        outcome: 'success',
        hubUserId: user.hubUserId,
        email: user.email,
        employeeId: user.employeeId,
        sessionId: session.sessionId,
        ip: attempt.ip,
        userAgent: attempt.userAgent,
      });
      await recordEvent(tx, {
        type: 'login_success',
        subject: `user:${user.hubUserId}`,
        data: {
          hubUserId: user.hubUserId,
          employeeId: user.employeeId,
          sessionId: session.sessionId,
          roles: user.roles,
          ip: attempt.ip,
          userAgent: attempt.userAgent,
          method: 'hub_sso',
        },
      });
    });
    res.setHeader(
      'set-cookie',
      serializeCookie(sessionCookieName, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: '/',
        expires: session.expiresAt,
      }),
    );
    res.json({
      token: session.token,
      tokenType: 'Bearer',
      expiresAt: session.expiresAt.toISOString(),
      user: { hubUserId: user.hubUserId, email: user.email, roles: user.roles, employeeId: user.employeeId },
    });
  });

  router.post('/logout', async (req, res) => {
    // The session is ended in the database, so the token stops counting on every replica, also
    // where it was copied; clearing the cookie only tidies this browser.
    const clearCookie = serializeCookie(sessionCookieName, '', { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', maxAge: 0 });
    const token = sessionTokenFrom(req);
    try {
      const session = token ? await options.sessions.verify(token) : null;
      if (session) await signOut(options.db, session);
    } catch (error) {
      // Expired, ended already, or no People session at all: there is nothing left to end.
      if (!(error instanceof TokenRejectedError)) {
        options.logger.error({ error: databaseErrorCode(error) }, 'sign-out could not end the session');
        res.status(503).json(errorBody('SERVICE_UNAVAILABLE', 'The session could not be ended; it still counts. Try again.', 'not_recorded'));
        return;
      }
    }
    res.setHeader('set-cookie', clearCookie);
    res.status(204).end();
  });

  return router;
}

async function signIn(
  options: LoginOptions,
  token: string,
): Promise<{ user: UserCaller; identity: VerifiedIdentity } | Failure> {
  const claimed = claimedIdentity(token);
  let identity: VerifiedIdentity;
  try {
    identity = await options.hubTokens.verify(token);
  } catch (error) {
    if (error instanceof TokenRejectedError) return { reason: error.reason, status: 401, message: error.message, claimed };
    throw error;
  }
  try {
    const user = await options.authenticator.userFromIdentity(identity, options.clock.today());
    if (user.kind !== 'user') throw new Error('userFromIdentity returned a non-user caller');
    if (user.roles.length === 0 && user.employeeId === null) {
      return {
        reason: 'no_access',
        status: 403,
        message: 'This account has no People role and no employee record.',
        claimed: verifiedClaim(identity),
      };
    }
    return { user, identity };
  } catch (error) {
    if (error instanceof AuthenticationError) {
      return { reason: error.reason, status: error.httpStatus, message: error.message, claimed: verifiedClaim(identity) };
    }
    throw error;
  }
}

/**
 * The audit row and its event; true once written. Never throws: the refusal stands whether or not
 * the database could record it, and the log says which (the caller then counts it in memory).
 */
async function recordFailure(options: LoginOptions, attempt: Attempt, failure: Failure): Promise<boolean> {
  const { hubUserId, email, hubUserIdIsExact } = failure.claimed;
  try {
    await options.db.transaction(async (tx) => {
      await tx.insert(loginAttempts).values({
        outcome: 'failure',
        hubUserId,
        email,
        ip: attempt.ip,
        userAgent: attempt.userAgent,
        reason: failure.reason,
      });
      await recordEvent(tx, {
        type: 'login_failed',
        subject: hubUserId && hubUserIdIsExact ? `user:${hubUserId}` : `login:${attempt.ip ?? 'unknown'}`,
        // Security monitoring needs the login that was tried: the Hub user id, or the e-mail when
        // that is all there is. Never the token.
        data: {
          hubUserId,
          email: hubUserId ? null : email,
          reason: failure.reason,
          ip: attempt.ip,
          userAgent: attempt.userAgent,
          method: 'hub_sso',
        },
      });
    });
  } catch (error) {
    // Not the error itself: a failed query's message lists its parameters, the claimed e-mail among them.
    options.logger.error(
      { error: databaseErrorCode(error), reason: failure.reason, ip: attempt.ip },
      'sign-in refused, but the refusal could not be recorded',
    );
    return false;
  }
  options.logger.warn({ reason: failure.reason, ip: attempt.ip }, 'sign-in refused');
  return true;
}

/** The error's name and SQLSTATE (e.g. "DrizzleQueryError 42P01"): enough to diagnose, no values. */
function databaseErrorCode(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = [cause, error].map((candidate) => (candidate as { code?: unknown } | undefined)?.code).find((value) => typeof value === 'string');
  return typeof code === 'string' ? `${name} ${code}` : name;
}

/** The People session a request carries: its bearer token when that is one, else the cookie. */
function sessionTokenFrom(req: Request): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer) {
    try {
      if (decodeJwt(bearer).iss === sessionIssuer) return bearer;
    } catch {
      // Not a JWT: no session to end.
    }
  }
  const cookie = req.get('cookie');
  return cookie ? (parseCookies(cookie)[sessionCookieName] ?? null) : null;
}

function tokenFrom(req: Request): string | null {
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string' && body.token) {
    return body.token;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1] ?? null;
}

/** What an unverified token says about who it is for, made storable; recorded on failure, trusted for nothing. */
function claimedIdentity(token: string | null): Claimed {
  if (!token) return nobodyClaimed;
  let claims;
  try {
    claims = decodeJwt(token);
  } catch {
    return nobodyClaimed;
  }
  const hubUserId = auditText(claims.sub, maxHubUserIdLength);
  return {
    hubUserId,
    email: auditText(claims.email, maxEmailLength)?.toLowerCase() ?? null,
    hubUserIdIsExact: typeof claims.sub === 'string' && isAcceptableHubUserId(claims.sub),
  };
}

function verifiedClaim(identity: VerifiedIdentity): Claimed {
  return { hubUserId: identity.hubUserId, email: identity.email, hubUserIdIsExact: true };
}

function errorBody(code: string, message: string, reason: string) {
  return { errors: [{ message, extensions: { code, reason } }] };
}

