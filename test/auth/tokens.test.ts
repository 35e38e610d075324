import http from 'node:http';
import {
  CompactSign,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createHubTokenVerifier,
  createSessionTokens,
  signHubStyleToken,
  TokenRejectedError,
  type HubTokenSettings,
  type TokenRejection,
  type VerifiedIdentity,
} from '../../src/auth/tokens.js';

// Unit level, no People server: what the Hub token verifier and the session tokens trust and
// how they name each refusal. The JWKS cases use a real HTTP server on loopback.

const hubSecret = 'unit-hub-secret-0123456789abcdef';
const sessionSecret = 'unit-session-secret-0123456789abcdef';
const hubSecretBytes = new TextEncoder().encode(hubSecret);
const twelveHours = 12 * 3600;
const hsOnly: HubTokenSettings = { secret: hubSecret, jwksUrl: null, issuer: 'hub', audience: 'people', maxAgeSeconds: twelveHours };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Hub-style claims; `overrides` replace, `omit` removes. */
function claims(overrides: Record<string, unknown> = {}, omit: readonly string[] = []): JWTPayload {
  const payload: JWTPayload = {
    iss: 'hub',
    aud: 'people',
    sub: 'hub-user-1',
    email: 'Ada.Lovelace@Example.com',
    roles: ['HR Manager'],
    iat: nowSeconds() - 60,
    exp: nowSeconds() + 3600,
    ...overrides,
  };
  for (const name of omit) delete payload[name];
  return payload;
}

async function sign(
  payload: JWTPayload,
  key: Uint8Array | CryptoKey = hubSecretBytes,
  header: JWTHeaderParameters = { alg: 'HS256', typ: 'JWT' },
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The refusal a verification ends in; fails the test when the token is accepted. */
async function rejection(verification: Promise<unknown>): Promise<TokenRejectedError> {
  try {
    await verification;
  } catch (error) {
    if (error instanceof TokenRejectedError) return error;
    throw error;
  }
  throw new Error('expected the token to be rejected, but it was accepted');
}

async function expectRejected(verification: Promise<unknown>, reason: TokenRejection, token?: string): Promise<void> {
  const error = await rejection(verification);
  expect(error.reason).toBe(reason);
  if (token) expect(error.message).not.toContain(token);
}

describe('Hub tokens signed with the shared secret (HS256)', () => {
  const verifier = createHubTokenVerifier(hsOnly);

  it('accepts a valid token: Hub role names become People roles, the e-mail is normalised', async () => {
    const token = await sign(claims({ roles: ['HR Manager', 'Manager', 'HR_MANAGER'] }));
    await expect(verifier.verify(token)).resolves.toEqual({
      hubUserId: 'hub-user-1',
      email: 'ada.lovelace@example.com',
      roles: ['HR_MANAGER', 'MANAGER'],
      unknownRoles: [],
    });
  });

  it('reports role names People does not know, and they grant nothing', async () => {
    const identity = await verifier.verify(await sign(claims({ roles: ['Wizard', 'Viewer', 'Super Admin'] })));
    expect(identity.roles).toEqual(['VIEWER']);
    expect(identity.unknownRoles).toEqual(['Wizard', 'Super Admin']);

    const nothingKnown = await verifier.verify(await sign(claims({ roles: ['Wizard'] })));
    expect(nothingKnown.roles).toEqual([]);
    expect(nothingKnown.unknownRoles).toEqual(['Wizard']);
  });

  it('accepts what signHubStyleToken (npm run token, the dev banner) produces', async () => {
    const token = await signHubStyleToken(hubSecret, {
      hubUserId: 'dev-admin',
      email: 'dev-admin@people.local',
      roles: ['Admin'],
      issuer: 'hub',
      audience: 'people',
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ hubUserId: 'dev-admin', roles: ['ADMIN'] });
  });

  it('rejects a forged signature (signed with another secret)', async () => {
    const token = await sign(claims({ roles: ['Admin'] }), new TextEncoder().encode('attacker-secret-0123456789abcdef'));
    await expectRejected(verifier.verify(token), 'bad_signature', token);
  });

  it('rejects a token whose payload was altered after signing (role escalation)', async () => {
    const genuine = await sign(claims({ roles: ['Viewer'] }));
    const [header, , signature] = genuine.split('.');
    const tampered = `${header}.${base64url(claims({ roles: ['Admin'] }))}.${signature}`;
    await expectRejected(verifier.verify(tampered), 'bad_signature', tampered);
  });

  it('rejects an unsecured token (alg "none"), however it is spelled', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const unsecured = `${base64url({ alg, typ: 'JWT' })}.${base64url(claims({ roles: ['Admin'] }))}.`;
      await expectRejected(verifier.verify(unsecured), 'algorithm_not_allowed', unsecured);
    }
  });

  it('rejects other HMAC strengths than HS256', async () => {
    const token = await sign(claims(), hubSecretBytes, { alg: 'HS512' });
    await expectRejected(verifier.verify(token), 'algorithm_not_allowed');
  });

  it('rejects an RS256 token when only the shared secret is configured', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await sign(claims(), privateKey, { alg: 'RS256', kid: 'any' });
    await expectRejected(verifier.verify(token), 'algorithm_not_allowed');
  });

  it('rejects an expired token, but tolerates 30 seconds of clock skew', async () => {
    const expired = await sign(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 120 }));
    await expectRejected(verifier.verify(expired), 'expired', expired);

    const justExpired = await sign(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 10 }));
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
  });

  it('rejects a token that is not valid yet (nbf in the future), tolerating skew', async () => {
    const early = await sign(claims({ nbf: nowSeconds() + 300 }));
    await expectRejected(verifier.verify(early), 'not_yet_valid');

    const almost = await sign(claims({ nbf: nowSeconds() + 10 }));
    await expect(verifier.verify(almost)).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
  });

  it('rejects a token whose lifetime is longer than the maximum age, however far off its expiry', async () => {
    const tenYears = await sign(claims({ iat: nowSeconds(), exp: nowSeconds() + 10 * 365 * 86_400 }));
    const error = await rejection(verifier.verify(tenYears));
    expect(error.reason).toBe('lifetime_too_long');
    expect(error.message).toContain('12h');
    expect(error.message).toContain('HUB_TOKEN_MAX_AGE');
    // Issued long ago, valid a little longer: the lifetime counts, not what is left of it.
    const oldButAlive = await sign(claims({ iat: nowSeconds() - 30 * 86_400, exp: nowSeconds() + 60 }));
    await expectRejected(verifier.verify(oldButAlive), 'lifetime_too_long');
    const justOver = await sign(claims({ iat: nowSeconds() - 60, exp: nowSeconds() - 60 + twelveHours + 1 }));
    await expectRejected(verifier.verify(justOver), 'lifetime_too_long');
  });

  it('accepts a lifetime of exactly the maximum age, and a shorter maximum when configured', async () => {
    const twelveHoursExactly = await sign(claims({ iat: nowSeconds() - 60, exp: nowSeconds() - 60 + twelveHours }));
    await expect(verifier.verify(twelveHoursExactly)).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
    const oneHourMax = createHubTokenVerifier({ ...hsOnly, maxAgeSeconds: 3600 });
    await expectRejected(oneHourMax.verify(twelveHoursExactly), 'lifetime_too_long');
    await expect(oneHourMax.verify(await sign(claims({ iat: nowSeconds(), exp: nowSeconds() + 1800 })))).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
  });

  it('rejects a token issued in the future ("iat"), tolerating 30 seconds of clock skew', async () => {
    const fromTheFuture = await sign(claims({ iat: nowSeconds() + 300, exp: nowSeconds() + 3600 }));
    const error = await rejection(verifier.verify(fromTheFuture));
    expect(error.reason).toBe('not_yet_valid');
    expect(error.message).toContain('"iat"');

    const slightlyAhead = await sign(claims({ iat: nowSeconds() + 10, exp: nowSeconds() + 3600 }));
    await expect(verifier.verify(slightlyAhead)).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
  });

  it('rejects a sub People could not store or name (NUL, control characters, spaces, too long) as an invalid claim', async () => {
    for (const sub of ['hub-\u0000-user', 'hub\tuser', 'hub user', 'hub-\uD800', 'h'.repeat(196)]) {
      const error = await rejection(verifier.verify(await sign(claims({ sub }))));
      expect(error.reason, JSON.stringify(sub.slice(0, 20))).toBe('invalid_claim');
      expect(error.message).toContain('"sub"');
    }
    await expect(verifier.verify(await sign(claims({ sub: 'h'.repeat(195) })))).resolves.toMatchObject({ hubUserId: 'h'.repeat(195) });
    await expect(verifier.verify(await sign(claims({ sub: 'auth0|5f7c8ec7c33c6c004bbafe82' })))).resolves.toMatchObject({
      hubUserId: 'auth0|5f7c8ec7c33c6c004bbafe82',
    });
  });

  it('rejects an e-mail claim People could not store (NUL, lone surrogates, too long) as an invalid claim', async () => {
    for (const email of ['ada\u0000@example.com', 'ada\uDC00@example.com', `${'a'.repeat(250)}@example.com`]) {
      const error = await rejection(verifier.verify(await sign(claims({ email }))));
      expect(error.reason, JSON.stringify(email.slice(0, 20))).toBe('invalid_claim');
      expect(error.message).toContain('"email"');
    }
    await expect(verifier.verify(await sign(claims({ email: 'Zoë.😀@Example.com' })))).resolves.toMatchObject({ email: 'zoë.😀@example.com' });
  });

  it('rejects another issuer', async () => {
    await expectRejected(verifier.verify(await sign(claims({ iss: 'not-hub' }))), 'wrong_issuer');
    // No issuer at all is a missing claim, named as such.
    await expectRejected(verifier.verify(await sign(claims({}, ['iss']))), 'missing_claim');
  });

  it('rejects another audience', async () => {
    await expectRejected(verifier.verify(await sign(claims({ aud: 'psa' }))), 'wrong_audience');
    await expectRejected(verifier.verify(await sign(claims({ aud: ['psa', 'defend'] }))), 'wrong_audience');
    await expect(verifier.verify(await sign(claims({ aud: ['psa', 'people'] })))).resolves.toMatchObject({ roles: ['HR_MANAGER'] });
  });

  it('rejects tokens missing sub, email, roles or exp', async () => {
    for (const missing of ['sub', 'email', 'roles', 'exp']) {
      const error = await rejection(verifier.verify(await sign(claims({}, [missing]))));
      expect(error.reason, missing).toBe('missing_claim');
      expect(error.message, missing).toContain(missing);
    }
  });

  it('rejects a token without iat as a missing claim', async () => {
    await expectRejected(verifier.verify(await sign(claims({}, ['iat']))), 'missing_claim');
  });

  it('rejects empty or malformed sub and email claims', async () => {
    await expectRejected(verifier.verify(await sign(claims({ sub: '  ' }))), 'missing_claim');
    await expectRejected(verifier.verify(await sign(claims({ email: 'not-an-address' }))), 'missing_claim');
    await expectRejected(verifier.verify(await sign(claims({ email: 42 }))), 'missing_claim');
  });

  it('rejects roles that are not a list of names', async () => {
    for (const roles of ['Admin', { Admin: true }, [1, 2], ['Admin', null], null]) {
      const error = await rejection(verifier.verify(await sign(claims({ roles }))));
      expect(error.reason, JSON.stringify(roles)).toBe('missing_claim');
    }
  });

  it('accepts an empty role list: a plain employee', async () => {
    await expect(verifier.verify(await sign(claims({ roles: [] })))).resolves.toMatchObject({ roles: [], unknownRoles: [] });
  });

  it('rejects what is not a JWT at all', async () => {
    for (const garbage of ['', 'not-a-token', 'a.b', 'a.b.c', 'a.b.c.d']) {
      await expectRejected(verifier.verify(garbage), 'malformed');
    }
    // Correctly signed, but the payload is not a claims set.
    const notClaims = await new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'HS256' }).sign(hubSecretBytes);
    await expectRejected(verifier.verify(notClaims), 'malformed');
  });

  it('refuses everything when neither a secret nor a JWKS URL is configured', async () => {
    const unconfigured = createHubTokenVerifier({ ...hsOnly, secret: null });
    await expectRejected(unconfigured.verify(await sign(claims())), 'key_unavailable');
  });
});

// ---- Hub's public keys (JWKS)

interface JwksServer {
  url: string;
  /** What the server serves; replace to rotate. */
  keys: JWK[];
  fetches: number;
  close(): Promise<void>;
}

async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const server = http.createServer((_req, res) => {
    state.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('JWKS server has no port');
  const state: JwksServer = {
    url: `http://127.0.0.1:${address.port}/.well-known/jwks.json`,
    keys,
    fetches: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return state;
}

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function signWith(key: SigningKey, payload: JWTPayload = claims()): Promise<string> {
  return sign(payload, key.privateKey, { alg: key.alg, kid: key.kid, typ: 'JWT' });
}

describe('Hub tokens signed with Hub private keys (JWKS)', () => {
  let jwks: JwksServer;
  let rsa: SigningKey;
  let ec: SigningKey;
  let ed: SigningKey;

  beforeAll(async () => {
    [rsa, ec, ed] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1'), signingKey('EdDSA', 'ed-1')]);
    jwks = await startJwksServer([rsa.jwk, ec.jwk, ed.jwk]);
  });

  afterAll(async () => {
    await jwks.close();
  });

  afterEach(() => {
    vi.useRealTimers();
    jwks.keys = [rsa.jwk, ec.jwk, ed.jwk];
  });

  const jwksOnly = (): HubTokenSettings => ({
    secret: null,
    jwksUrl: jwks.url,
    issuer: 'hub',
    audience: 'people',
    maxAgeSeconds: twelveHours,
    jwksCooldownMs: 0,
  });

  it('accepts RS256, ES256 and EdDSA tokens signed with a published key', async () => {
    const verifier = createHubTokenVerifier(jwksOnly());
    for (const key of [rsa, ec, ed]) {
      await expect(verifier.verify(await signWith(key)), key.alg).resolves.toEqual({
        hubUserId: 'hub-user-1',
        email: 'ada.lovelace@example.com',
        roles: ['HR_MANAGER'],
        unknownRoles: [],
      });
    }
  });

  it('still checks issuer, audience, expiry and claims of asymmetrically signed tokens', async () => {
    const verifier = createHubTokenVerifier(jwksOnly());
    await expectRejected(verifier.verify(await signWith(rsa, claims({ iss: 'elsewhere' }))), 'wrong_issuer');
    await expectRejected(verifier.verify(await signWith(ec, claims({ aud: 'psa' }))), 'wrong_audience');
    await expectRejected(verifier.verify(await signWith(ed, claims({ exp: nowSeconds() - 600 }))), 'expired');
    await expectRejected(verifier.verify(await signWith(rsa, claims({}, ['roles']))), 'missing_claim');
  });

  it('rejects a token signed with an unpublished key, even under a published key id', async () => {
    const verifier = createHubTokenVerifier(jwksOnly());
    const impostor = await signingKey('RS256', 'rsa-1');
    await expectRejected(verifier.verify(await signWith(impostor)), 'bad_signature');
    const unknownKid = await signingKey('RS256', 'rsa-unknown');
    await expectRejected(verifier.verify(await signWith(unknownKid)), 'bad_signature');
  });

  it('rejects an HS256 token when only the JWKS is configured', async () => {
    const verifier = createHubTokenVerifier(jwksOnly());
    const token = await sign(claims());
    await expectRejected(verifier.verify(token), 'algorithm_not_allowed', token);
  });

  it('rejects an unsecured (alg "none") token when the JWKS is configured', async () => {
    const verifier = createHubTokenVerifier({ ...jwksOnly(), secret: hubSecret });
    const unsecured = `${base64url({ alg: 'none', kid: rsa.kid })}.${base64url(claims({ roles: ['Admin'] }))}.`;
    await expectRejected(verifier.verify(unsecured), 'algorithm_not_allowed');
  });

  describe('algorithm confusion: an HS256 token keyed with Hub public key', () => {
    it('is refused when only the JWKS is configured', async () => {
      const verifier = createHubTokenVerifier(jwksOnly());
      const pem = await exportSPKI(rsa.publicKey);
      for (const publicText of [pem, JSON.stringify(rsa.jwk)]) {
        const token = await sign(claims({ roles: ['Admin'] }), new TextEncoder().encode(publicText), { alg: 'HS256', kid: rsa.kid });
        await expectRejected(verifier.verify(token), 'algorithm_not_allowed', token);
      }
    });

    it('is checked against the shared secret, never the public key, when both are configured', async () => {
      const verifier = createHubTokenVerifier({ ...jwksOnly(), secret: hubSecret });
      const pem = await exportSPKI(rsa.publicKey);
      const token = await sign(claims({ roles: ['Admin'] }), new TextEncoder().encode(pem), { alg: 'HS256', kid: rsa.kid });
      await expectRejected(verifier.verify(token), 'bad_signature', token);
      // Both kinds still work side by side.
      await expect(verifier.verify(await sign(claims()))).resolves.toMatchObject({ roles: ['HR_MANAGER'] });
      await expect(verifier.verify(await signWith(rsa))).resolves.toMatchObject({ roles: ['HR_MANAGER'] });
    });
  });

  it('follows a key rotation: the new key id is fetched, the retired key stops working', async () => {
    const verifier = createHubTokenVerifier(jwksOnly());
    const oldToken = await signWith(rsa);
    await verifier.verify(oldToken);
    const fetchesBefore = jwks.fetches;

    const next = await signingKey('RS256', 'rsa-2');
    jwks.keys = [next.jwk];
    await expect(verifier.verify(await signWith(next))).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
    expect(jwks.fetches).toBe(fetchesBefore + 1);

    await expectRejected(verifier.verify(oldToken), 'bad_signature');
  });

  it('by default waits 30 seconds between refetches, so a key published moments after a fetch waits too', async () => {
    const verifier = createHubTokenVerifier({ ...jwksOnly(), jwksCooldownMs: undefined });
    await verifier.verify(await signWith(rsa));

    const next = await signingKey('ES256', 'ec-2');
    jwks.keys = [rsa.jwk, next.jwk];
    const token = await signWith(next);
    await expectRejected(verifier.verify(token), 'bad_signature');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
  });

  it('accepts a token without kid while two keys of its kind are published (mid-rotation), and only a real one', async () => {
    const next = await signingKey('RS256', 'rsa-2');
    jwks.keys = [rsa.jwk, next.jwk];
    const verifier = createHubTokenVerifier(jwksOnly());
    const withoutKid = (key: SigningKey) => sign(claims(), key.privateKey, { alg: 'RS256', typ: 'JWT' });
    await expect(verifier.verify(await withoutKid(next))).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
    await expect(verifier.verify(await withoutKid(rsa))).resolves.toMatchObject({ hubUserId: 'hub-user-1' });
    const stranger = await signingKey('RS256', 'rsa-x');
    await expectRejected(verifier.verify(await withoutKid(stranger)), 'bad_signature');
  });

  it('fails closed when the JWKS cannot be fetched', async () => {
    const gone = await startJwksServer([]);
    const url = gone.url;
    await gone.close();
    const verifier = createHubTokenVerifier({ ...jwksOnly(), jwksUrl: url });
    await expectRejected(verifier.verify(await signWith(rsa)), 'key_unavailable');
  });
});

// ---- People sessions

describe('People session tokens', () => {
  const sessions = createSessionTokens(sessionSecret, 60);
  const identity: VerifiedIdentity = { hubUserId: 'hub-user-1', email: 'ada.lovelace@example.com', roles: ['HR_MANAGER'], unknownRoles: [] };

  it('round-trips: what is issued verifies to the same identity and session id', async () => {
    const now = new Date();
    const issued = await sessions.issue(identity, now);
    expect(issued.expiresAt.getTime()).toBe(now.getTime() + 60 * 60_000);
    await expect(sessions.verify(issued.token)).resolves.toEqual({ ...identity, sessionId: issued.sessionId });
  });

  it('gives each session its own id', async () => {
    const [a, b] = await Promise.all([sessions.issue(identity, new Date()), sessions.issue(identity, new Date())]);
    expect(a.sessionId).not.toBe(b.sessionId);
  });

  it('rejects an expired session', async () => {
    const { token } = await sessions.issue(identity, new Date(Date.now() - 2 * 3600_000));
    await expectRejected(sessions.verify(token), 'expired', token);
  });

  it('rejects a session token signed with the Hub secret', async () => {
    const forged = await createSessionTokens(hubSecret, 60).issue({ ...identity, roles: ['ADMIN'] }, new Date());
    await expectRejected(sessions.verify(forged.token), 'bad_signature', forged.token);
  });

  it('does not accept a Hub token as a session', async () => {
    const hubToken = await sign(claims({ sid: 'made-up' }));
    await expectRejected(sessions.verify(hubToken), 'bad_signature', hubToken);
    // Even were both secrets the same, the issuer keeps the two kinds apart.
    await expectRejected(createSessionTokens(hubSecret, 60).verify(hubToken), 'wrong_issuer');
  });

  it('is not accepted as a Hub token', async () => {
    const { token } = await sessions.issue(identity, new Date());
    await expectRejected(createHubTokenVerifier({ ...hsOnly, secret: sessionSecret }).verify(token), 'wrong_issuer');
    await expectRejected(createHubTokenVerifier(hsOnly).verify(token), 'bad_signature');
  });

  it('rejects a session token whose lifetime is longer than the session length, or that was issued in the future', async () => {
    const signSession = (times: { iat: number; exp: number }) =>
      sign({ ...claims({ iss: 'people', sid: 'f1d5e0d6-8c43-4a57-9d86-5c0e1a7e4c11' }), ...times }, new TextEncoder().encode(sessionSecret));
    const farExpiry = await signSession({ iat: nowSeconds(), exp: nowSeconds() + 10 * 365 * 86_400 });
    const error = await rejection(sessions.verify(farExpiry));
    expect(error.reason).toBe('lifetime_too_long');
    expect(error.message).toContain('SESSION_TTL_MINUTES');
    await expectRejected(sessions.verify(await signSession({ iat: nowSeconds() + 600, exp: nowSeconds() + 1200 })), 'not_yet_valid');
    await expect(sessions.verify(await signSession({ iat: nowSeconds(), exp: nowSeconds() + 3600 }))).resolves.toMatchObject({
      hubUserId: 'hub-user-1',
    });
  });

  it('requires the session id claim', async () => {
    const withoutSid = await sign(claims({ iss: 'people' }), new TextEncoder().encode(sessionSecret));
    await expectRejected(sessions.verify(withoutSid), 'missing_claim');
  });
});
