import { randomUUID } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { formatDurationSeconds } from '../shared/durations.js';
import { parseRole, type Role } from './caller.js';
import { isAcceptableHubUserId, isStorableText, maxEmailLength, maxHubUserIdLength } from './claim-text.js';

// Hub SSO tokens in, People session tokens out. Verification is jose's; this module only
// decides what to trust (algorithms, keys, issuer, audience, claims) and names failures.

/** Why a token was refused; safe to log and to tell the caller (never contains the token). */
export type TokenRejection =
  | 'malformed'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'invalid_claim'
  | 'lifetime_too_long'
  | 'no_known_role_claim'
  | 'key_unavailable'
  /** A People session that was ended (signed out, or ended by its owner or HR), or never recorded. */
  | 'session_ended';

export class TokenRejectedError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

export interface VerifiedIdentity {
  hubUserId: string;
  email: string;
  roles: Role[];
  /** Role names the token carried that People does not know; they grant nothing. */
  unknownRoles: string[];
}

const clockToleranceSeconds = 30;
const symmetricAlgorithms = ['HS256'] as const;
const asymmetricAlgorithms = ['RS256', 'ES256', 'EdDSA'] as const;

export interface HubTokenSettings {
  /** PORTAL_SSO_SECRET: Hub signs with it (HS256). */
  secret: string | null;
  /** HUB_JWKS_URL: Hub's public keys, for deployments that sign asymmetrically. */
  jwksUrl: string | null;
  issuer: string;
  audience: string;
  /** HUB_TOKEN_MAX_AGE: the longest lifetime (`exp` − `iat`) a Hub token may have. */
  maxAgeSeconds: number;
  /** Least time between two JWKS refetches for an unknown key id; 30 s unless set (tests use less). */
  jwksCooldownMs?: number;
}

export interface HubTokenVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
}

export function createHubTokenVerifier(settings: HubTokenSettings): HubTokenVerifier {
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : null;
  // jose caches the key set, refetches on an unknown key id (rotation), and rate-limits refetches.
  const jwks = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: settings.jwksCooldownMs ?? 30_000,
        timeoutDuration: 5_000,
      })
    : null;
  const algorithms = [...(secret ? symmetricAlgorithms : []), ...(jwks ? asymmetricAlgorithms : [])];
  // The key is chosen by algorithm family, so an HS256 token can never be checked against a
  // public key (algorithm confusion) nor an RS256 one against the shared secret.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (jwks && header.alg !== 'HS256') {
      try {
        return await jwks(header, token);
      } catch (error) {
        // No such key, or several candidates (handled by the caller), are about the token;
        // anything else (refused connection, non-200, bad JSON) is Hub's key server.
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) throw error;
        throw new TokenRejectedError('key_unavailable', "Hub's signing keys could not be fetched.");
      }
    }
    throw new errors.JOSEAlgNotAllowed(`"${String(header.alg)}" is not allowed`);
  };
  const options: JWTVerifyOptions = {
    algorithms,
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: clockToleranceSeconds,
    requiredClaims: ['sub', 'exp', 'iat'],
  };
  return {
    async verify(token) {
      if (algorithms.length === 0) {
        throw new TokenRejectedError('key_unavailable', 'Hub sign-in is not configured (PORTAL_SSO_SECRET or HUB_JWKS_URL).');
      }
      const payload = await verifyWith(token, getKey, options);
      checkLifetime(payload, settings.maxAgeSeconds, 'HUB_TOKEN_MAX_AGE');
      return identityFrom(payload);
    },
  };
}

async function verifyWith(token: string, key: JWTVerifyGetKey | Uint8Array, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    // jose's overloads take one kind of key each, hence the two identical-looking calls.
    const { payload } =
      key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    return payload;
  } catch (error) {
    if (error instanceof errors.JWKSMultipleMatchingKeys) return verifyWithEachCandidate(token, error, options);
    throw rejectionFor(error);
  }
}

/**
 * A token without `kid` while Hub publishes several keys of its kind (e.g. mid-rotation): try
 * each candidate, as jose documents, and accept the one that verifies.
 */
async function verifyWithEachCandidate(
  token: string,
  candidates: errors.JWKSMultipleMatchingKeys,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  for await (const key of candidates) {
    try {
      return (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw rejectionFor(error);
    }
  }
  throw new TokenRejectedError('bad_signature', 'The token signature is not valid.');
}

function rejectionFor(error: unknown): TokenRejectedError {
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('expired', 'The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') {
      return new TokenRejectedError('missing_claim', `The token lacks the "${error.claim}" claim.`);
    }
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return new TokenRejectedError('not_yet_valid', 'The token is not valid yet.');
      case 'iss':
        return new TokenRejectedError('wrong_issuer', 'The token was issued by someone People does not trust.');
      case 'aud':
        return new TokenRejectedError('wrong_audience', 'The token is meant for another audience.');
      default:
        return new TokenRejectedError('missing_claim', `The token lacks a valid "${error.claim}" claim.`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenRejectedError('algorithm_not_allowed', 'The token is signed with an algorithm People does not accept.');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new TokenRejectedError('bad_signature', 'The token signature is not valid.');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new TokenRejectedError('key_unavailable', "Hub's signing keys could not be fetched.");
  }
  if (error instanceof TokenRejectedError) return error;
  return new TokenRejectedError('malformed', 'The token is not a valid JWT.');
}

/**
 * jose checks that `exp` has not passed, but not that it is near: a token issued for ten years, or
 * "issued" tomorrow, would otherwise be good for that long. `iat` is a required claim.
 */
function checkLifetime(payload: JWTPayload, maxAgeSeconds: number, setting: string): void {
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') {
    throw new TokenRejectedError('missing_claim', 'The token lacks valid "iat" and "exp" claims.');
  }
  const now = Math.floor(Date.now() / 1000);
  if (iat > now + clockToleranceSeconds) {
    throw new TokenRejectedError(
      'not_yet_valid',
      `The token says it was issued in the future ("iat"); its issuer's clock and People's differ by more than ${clockToleranceSeconds} s.`,
    );
  }
  if (exp - iat > maxAgeSeconds) {
    throw new TokenRejectedError(
      'lifetime_too_long',
      `The token is valid for longer ("iat" to "exp") than the ${formatDurationSeconds(maxAgeSeconds)} People accepts (${setting}).`,
    );
  }
}

function identityFrom(payload: JWTPayload): VerifiedIdentity {
  const email = payload.email;
  if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
    throw new TokenRejectedError('missing_claim', 'The token lacks a "sub" claim (Hub user id).');
  }
  if (!isAcceptableHubUserId(payload.sub)) {
    throw new TokenRejectedError(
      'invalid_claim',
      `The token's "sub" claim is not a Hub user id People accepts (1 to ${maxHubUserIdLength} characters, no spaces or control characters).`,
    );
  }
  if (typeof email !== 'string' || !email.includes('@')) {
    throw new TokenRejectedError('missing_claim', 'The token lacks an "email" claim.');
  }
  if (email.trim().length > maxEmailLength || !isStorableText(email)) {
    throw new TokenRejectedError(
      'invalid_claim',
      `The token's "email" claim is not an e-mail address People accepts (at most ${maxEmailLength} characters, no control characters).`,
    );
  }
  const claimed = payload.roles;
  if (!Array.isArray(claimed) || !claimed.every((role): role is string => typeof role === 'string')) {
    throw new TokenRejectedError('missing_claim', 'The token lacks a "roles" claim (a list of role names).');
  }
  const roles: Role[] = [];
  const unknownRoles: string[] = [];
  for (const name of claimed) {
    const role = parseRole(name);
    if (role) {
      if (!roles.includes(role)) roles.push(role);
    } else unknownRoles.push(name);
  }
  return { hubUserId: payload.sub, email: email.trim().toLowerCase(), roles, unknownRoles };
}

// ---- People sessions

export const sessionIssuer = 'people';
export const sessionAudience = 'people';

/** Where a sign-in came from, kept with its session so its owner can tell their sessions apart. */
export interface SessionOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface SessionTokens {
  issue(identity: VerifiedIdentity, now: Date, origin?: SessionOrigin): Promise<{ token: string; expiresAt: Date; sessionId: string }>;
  verify(token: string): Promise<VerifiedIdentity & { sessionId: string }>;
}

/** People's own session tokens, signed with SESSION_SECRET, distinct from Hub's so neither stands in for the other. */
export function createSessionTokens(secretText: string, ttlMinutes: number): SessionTokens {
  const secret = new TextEncoder().encode(secretText);
  return {
    async issue(identity, now) {
      const sessionId = randomUUID();
      const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
      const token = await new SignJWT({ email: identity.email, roles: identity.roles, sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(sessionIssuer)
        .setAudience(sessionAudience)
        .setSubject(identity.hubUserId)
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(secret);
      return { token, expiresAt, sessionId };
    },
    async verify(token) {
      const payload = await verifyWith(token, secret, {
        algorithms: ['HS256'],
        issuer: sessionIssuer,
        audience: sessionAudience,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iat', 'sid'],
      });
      checkLifetime(payload, ttlMinutes * 60, 'SESSION_TTL_MINUTES');
      return { ...identityFrom(payload), sessionId: String(payload.sid) };
    },
  };
}

/** The identity of the token `npm start` prints in development: an Admin who is not an employee. */
export const developmentAdmin = {
  hubUserId: 'dev-admin',
  email: 'dev-admin@people.local',
  roles: ['Admin'],
};

/** Signs a Hub-style SSO token, as Hub would: for `npm run token`, the dev start banner and tests. */
export async function signHubStyleToken(
  secretText: string,
  claims: { hubUserId: string; email: string; roles: string[]; issuer: string; audience: string; ttlSeconds?: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: claims.email, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.hubUserId)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 8 * 3600))
    .sign(new TextEncoder().encode(secretText));
}
