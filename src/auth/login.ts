import { serialize as serializeCookie } from 'cookie';
import express, { type Request } from 'express';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';
import { linkAtFirstSignIn } from '../employees/employee.identity.js';
import { recordEvent } from '../events/outbox.js';
import type { Clock } from '../shared/dates.js';
import { AuthenticationError, sessionCookieName, type Authenticator } from './authenticate.js';
import type { UserCaller } from './caller.js';
import { loginAttempts } from './login.tables.js';
import { TokenRejectedError, type HubTokenVerifier, type SessionTokens, type VerifiedIdentity } from './tokens.js';

// POST /auth/sso: a Hub SSO token in, a People session out (cookie for browsers, bearer token
// for API clients). Every attempt is recorded with its Bus event (login_success, login_failed)
// in one transaction; repeated failures from one source are refused for a while. An employee
// found by e-mail and linked to no Hub user yet is linked to the one signing in (first sign-in).

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
  ip: string | null;
  userAgent: string | null;
}

type Failure = { reason: string; status: number; message: string; claimed: { hubUserId: string | null; email: string | null } };

export function createLoginRouter(options: LoginOptions): express.Router {
  const router = express.Router();
  const failures = new RateLimiterMemory({ points: options.failuresPer15Minutes, duration: 15 * 60 });

  router.post('/sso', express.json({ limit: '16kb' }), async (req, res) => {
    const attempt: Attempt = { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 512) ?? null };
    const sourceKey = attempt.ip ?? 'unknown';
    const state = await failures.get(sourceKey);
    if (state && state.consumedPoints >= options.failuresPer15Minutes) {
      const retryAfter = Math.ceil(state.msBeforeNext / 1000);
      await recordFailure(options, attempt, {
        reason: 'rate_limited',
        status: 429,
        message: 'Too many failed sign-ins from here.',
        claimed: claimedIdentity(tokenFrom(req)),
      });
      res.setHeader('retry-after', String(retryAfter));
      res.status(429).json(errorBody('TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${retryAfter} s.`, 'rate_limited'));
      return;
    }

    const token = tokenFrom(req);
    const outcome = token
      ? await signIn(options, token)
      : ({
          reason: 'missing_token',
          status: 400,
          message: 'Send the Hub SSO token as JSON `{ "token": "…" }` or as "Authorization: Bearer <token>".',
          claimed: { hubUserId: null, email: null },
        } satisfies Failure);

    if ('reason' in outcome) {
      await failures.penalty(sourceKey, 1);
      await recordFailure(options, attempt, outcome);
      res.status(outcome.status).json(errorBody(outcome.status === 403 ? 'FORBIDDEN' : 'UNAUTHENTICATED', outcome.message, outcome.reason));
      return;
    }

    const { user, identity } = outcome;
    // Found by e-mail and linked to nobody yet: from now on the Hub user id ties them to it.
    await linkAtFirstSignIn(options.db, user, options.clock.today());
    // Wall-clock time, as the token's expiry is checked against it (the business clock only names days).
    const session = await options.sessions.issue(identity, new Date());
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

  router.post('/logout', (_req, res) => {
    // Sessions are signed tokens: forgetting the cookie ends this browser's session; a bearer
    // token copied elsewhere lasts until it expires (SESSION_TTL_MINUTES).
    res.setHeader(
      'set-cookie',
      serializeCookie(sessionCookieName, '', { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', maxAge: 0 }),
    );
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
        claimed: { hubUserId: identity.hubUserId, email: identity.email },
      };
    }
    return { user, identity };
  } catch (error) {
    if (error instanceof AuthenticationError) {
      return { reason: error.reason, status: error.httpStatus, message: error.message, claimed: { hubUserId: identity.hubUserId, email: identity.email } };
    }
    throw error;
  }
}

async function recordFailure(options: LoginOptions, attempt: Attempt, failure: Failure): Promise<void> {
  const { hubUserId, email } = failure.claimed;
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
      subject: hubUserId ? `user:${hubUserId}` : `login:${attempt.ip ?? 'unknown'}`,
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
  options.logger.warn({ reason: failure.reason, ip: attempt.ip }, 'sign-in refused');
}

function tokenFrom(req: Request): string | null {
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string' && body.token) {
    return body.token;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1] ?? null;
}

/** What an unverified token says about who it is for; recorded on failure, trusted for nothing. */
function claimedIdentity(token: string | null): { hubUserId: string | null; email: string | null } {
  if (!token) return { hubUserId: null, email: null };
  try {
    const claims = decodeJwt(token);
    const text = (value: unknown) => (typeof value === 'string' && value.length <= 320 ? value : null);
    return { hubUserId: text(claims.sub), email: text(claims.email)?.toLowerCase() ?? null };
  } catch {
    return { hubUserId: null, email: null };
  }
}

function errorBody(code: string, message: string, reason: string) {
  return { errors: [{ message, extensions: { code, reason } }] };
}

