import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../src/auth/authenticate.js';
import { signHubStyleToken, type VerifiedIdentity } from '../../src/auth/tokens.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, testEnvironment, type GraphQLResponse, type TestApp } from '../support/server.js';

// Who gets in, through the real HTTP server: bearer tokens, the session cookie and service keys;
// what a refusal looks like (status, code, reason, message) and that it never echoes a secret.

let app: TestApp;
let org: OrgBasics;
let colleague: CreatedEmployee;

const departmentsQuery = /* GraphQL */ `{ departments { id name } }`;
const directoryQuery = /* GraphQL */ `{ employees(first: 5) { totalCount } }`;
const employeeQuery = /* GraphQL */ `
  query One($id: ID!) { employee(id: $id) { id email } }
`;
const statusMutation = /* GraphQL */ `
  mutation Status($input: ChangeEmployeeStatusInput!) {
    changeEmployeeStatus(input: $input) {
      employee { id status }
      userErrors { code message }
    }
  }
`;

const allSecrets = Object.entries(testEnvironment)
  .filter(([name]) => name !== 'NODE_ENV')
  .map(([, value]) => value);

interface ErrorShape {
  status: number;
  code: string | undefined;
  reason: unknown;
  message: string;
}

/** The one error a refused request answers with; also checks that nothing secret is echoed. */
function refusal(response: GraphQLResponse, ...presented: string[]): ErrorShape {
  const body = JSON.stringify(response);
  for (const secret of [...allSecrets, ...presented]) expect(body).not.toContain(secret);
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors ?? [];
  if (!error) throw new Error('no error');
  expect(response.data ?? null).toBeNull();
  return { status: response.status, code: error.extensions?.code, reason: error.extensions?.reason, message: error.message };
}

function hubToken(claims: { email: string; roles: string[]; hubUserId?: string; ttlSeconds?: number }, secret: string = testEnvironment.PORTAL_SSO_SECRET) {
  return signHubStyleToken(secret, {
    hubUserId: claims.hubUserId ?? `hub-${claims.email}`,
    email: claims.email,
    roles: claims.roles,
    issuer: app.config.auth.hubIssuer,
    audience: app.config.auth.hubAudience,
    ...(claims.ttlSeconds === undefined ? {} : { ttlSeconds: claims.ttlSeconds }),
  });
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function changeStatus(id: string, status: string): Promise<void> {
  const response = await app.gql<{ changeEmployeeStatus: { employee: { status: string } | null; userErrors: unknown[] } }>(statusMutation, {
    input: { id, status, reason: 'test' },
  });
  expect(response.errors).toBeUndefined();
  expect(response.data?.changeEmployeeStatus.userErrors).toEqual([]);
  expect(response.data?.changeEmployeeStatus.employee?.status).toBe(status);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  colleague = await hire(app, {
    departmentId: org.departments.engineering,
    locationId: org.locations.berlin,
    email: 'colleague@example.com',
    personalEmail: 'colleague.private@example.net',
  });
});

afterAll(async () => {
  await app.close();
});

describe('without credentials', () => {
  it('answers 401 UNAUTHENTICATED and says what to send', async () => {
    const response = await app.gql(departmentsQuery, {}, {});
    const error = refusal(response);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'missing_credentials' });
    expect(error.message).toContain('Authorization: Bearer <token>');
    expect(error.message).toMatch(/session cookie/);
    expect(error.message).toMatch(/service key/);
  });
});

describe('bearer tokens', () => {
  it('lets a valid Hub token in', async () => {
    const response = await app.gql(departmentsQuery, {}, bearer(await hubToken({ email: 'viewer@example.com', roles: ['Viewer'] })));
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
  });

  it('refuses a forged token with 401, without echoing the token or any secret', async () => {
    const forged = await hubToken({ email: 'mallory@example.com', roles: ['Admin'] }, 'forged-secret-0123456789abcdef');
    const error = refusal(await app.gql(departmentsQuery, {}, bearer(forged)), forged);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'bad_signature' });
  });

  it('refuses an expired token with 401 and says so', async () => {
    const expired = await hubToken({ email: 'late@example.com', roles: ['Admin'], ttlSeconds: -600 });
    const error = refusal(await app.gql(departmentsQuery, {}, bearer(expired)), expired);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'expired' });
    expect(error.message).toMatch(/expired/);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const now = Math.floor(Date.now() / 1000);
    const secret = new TextEncoder().encode(testEnvironment.PORTAL_SSO_SECRET);
    const base = () =>
      new SignJWT({ email: 'x@example.com', roles: ['Admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('hub-x')
        .setIssuedAt(now)
        .setExpirationTime(now + 600);
    const otherIssuer = await base().setIssuer('not-hub').setAudience('people').sign(secret);
    const otherAudience = await base().setIssuer('hub').setAudience('psa').sign(secret);
    expect(refusal(await app.gql(departmentsQuery, {}, bearer(otherIssuer)), otherIssuer)).toMatchObject({ status: 401, reason: 'wrong_issuer' });
    expect(refusal(await app.gql(departmentsQuery, {}, bearer(otherAudience)), otherAudience)).toMatchObject({ status: 401, reason: 'wrong_audience' });
  });

  it('refuses an unsecured (alg "none") token', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsecured = `${encode({ alg: 'none' })}.${encode({ iss: 'hub', aud: 'people', sub: 'x', email: 'x@example.com', roles: ['Admin'], iat: now, exp: now + 600 })}.`;
    expect(refusal(await app.gql(departmentsQuery, {}, bearer(unsecured)), unsecured)).toMatchObject({
      status: 401,
      reason: 'algorithm_not_allowed',
    });
  });

  it('refuses other Authorization schemes and what is not a JWT', async () => {
    for (const authorization of ['Basic x', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Token abc']) {
      const error = refusal(await app.gql(departmentsQuery, {}, { authorization }));
      expect(error, authorization).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'malformed' });
      expect(error.message, authorization).toContain('Bearer <token>');
    }
    const notJwt = refusal(await app.gql(departmentsQuery, {}, bearer('not-a-jwt')));
    expect(notJwt).toMatchObject({ status: 401, reason: 'malformed' });
  });
});

describe('the People session', () => {
  const identity: VerifiedIdentity = { hubUserId: 'hub-session-user', email: 'session.user@example.com', roles: ['ADMIN'], unknownRoles: [] };

  it('is accepted from the people_session cookie', async () => {
    const { token } = await app.authentication.sessions.issue(identity, new Date());
    const response = await app.gql<{ departments: unknown[] }>(departmentsQuery, {}, { cookie: `theme=dark; ${sessionCookieName}=${token}` });
    expect(response.errors).toBeUndefined();
    expect(response.data?.departments).toHaveLength(3);
  });

  it('is accepted as a bearer token', async () => {
    const { token } = await app.authentication.sessions.issue(identity, new Date());
    const response = await app.gql(departmentsQuery, {}, bearer(token));
    expect(response.errors).toBeUndefined();
  });

  it('refuses an expired session cookie with 401, telling the user to sign in again', async () => {
    const { token } = await app.authentication.sessions.issue(identity, new Date(Date.now() - 24 * 3600_000));
    const error = refusal(await app.gql(departmentsQuery, {}, { cookie: `${sessionCookieName}=${token}` }), token);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'expired' });
    expect(error.message).toMatch(/Sign in again/);
  });

  it('refuses a Hub token put in the session cookie', async () => {
    const hub = await hubToken({ email: 'x@example.com', roles: ['Admin'] });
    const error = refusal(await app.gql(departmentsQuery, {}, { cookie: `${sessionCookieName}=${hub}` }), hub);
    expect(error).toMatchObject({ status: 401, reason: 'bad_signature' });
  });

  it('refuses a session token signed with the Hub secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ email: 'x@example.com', roles: ['ADMIN'], sid: 'forged' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('people')
      .setAudience('people')
      .setSubject('hub-x')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(testEnvironment.PORTAL_SSO_SECRET));
    expect(refusal(await app.gql(departmentsQuery, {}, bearer(forged)), forged)).toMatchObject({ status: 401, reason: 'bad_signature' });
    expect(refusal(await app.gql(departmentsQuery, {}, { cookie: `${sessionCookieName}=${forged}` }), forged)).toMatchObject({
      status: 401,
      reason: 'bad_signature',
    });
  });
});

describe('service keys', () => {
  it('lets PSA look an employee up with its key in X-Integration-Key', async () => {
    const response = await app.gql<{ employee: { id: string; email: string } }>(employeeQuery, { id: colleague.id }, serviceHeaders.psa);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.employee).toEqual({ id: colleague.id, email: 'colleague@example.com' });
  });

  it('lets Defend look an employee up with its key in X-Defend-Service-Key', async () => {
    const response = await app.gql(employeeQuery, { id: colleague.id }, serviceHeaders.defend);
    expect(response.errors).toBeUndefined();
  });

  it('refuses a wrong PSA key with 401, without echoing either key', async () => {
    const wrong = 'wrong-psa-key-0123456789abcdef';
    const error = refusal(await app.gql(employeeQuery, { id: colleague.id }, { 'x-integration-key': wrong }), wrong);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'bad_service_key' });
    expect(error.message).toContain('x-integration-key');
  });

  it('refuses an empty key header with 401', async () => {
    const error = refusal(await app.gql(employeeQuery, { id: colleague.id }, { 'x-integration-key': '' }));
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'bad_service_key' });
  });

  it('knows each service by its key in X-Integration-Key; a dedicated header takes its own service’s key only', async () => {
    // Defend's key in the common header is Defend (the key says who calls), with Defend's rights.
    const defendInCommonHeader = await app.gql<{ employee: { id: string } }>(employeeQuery, { id: colleague.id }, {
      'x-integration-key': testEnvironment.DEFEND_SERVICE_KEY,
    });
    expect(defendInCommonHeader.errors).toBeUndefined();
    expect(defendInCommonHeader.data?.employee.id).toBe(colleague.id);
    // PSA's key in Defend's header is no Defend key.
    const psaAsDefend = refusal(await app.gql(employeeQuery, { id: colleague.id }, { 'x-defend-service-key': testEnvironment.INTEGRATION_KEY }));
    expect(psaAsDefend).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'bad_service_key' });
    // Two headers naming two services: one request has one caller.
    const both = refusal(
      await app.gql(employeeQuery, { id: colleague.id }, { ...serviceHeaders.psa, 'x-defend-service-key': testEnvironment.DEFEND_SERVICE_KEY }),
    );
    expect(both).toMatchObject({ status: 401, reason: 'conflicting_service_keys' });
  });

  it('refuses the retired X-Legal-Integration-Key header, saying what to send instead', async () => {
    const error = refusal(
      await app.gql(employeeQuery, { id: colleague.id }, { 'x-legal-integration-key': testEnvironment.LEGAL_INTEGRATION_KEY }),
    );
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'retired_header' });
    expect(error.message).toContain('X-Integration-Key');
  });

  it('keeps the Legal key off the API: it reaches only Legal’s callback (403)', async () => {
    for (const query of [employeeQuery, directoryQuery, '{ holidayCalendars { name } }', '{ _service { sdl } }']) {
      const error = refusal(await app.gql(query, { id: colleague.id }, serviceHeaders.legal));
      expect(error, query).toMatchObject({ status: 403, code: 'FORBIDDEN', reason: 'wrong_endpoint' });
    }
  });

  it('does not treat a service key as a person for directory queries', async () => {
    for (const headers of [serviceHeaders.psa, serviceHeaders.defend]) {
      const response = await app.gql(directoryQuery, {}, headers);
      expect(response.status).toBe(200);
      expect(response.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['FORBIDDEN', ['employees']]]);
    }
  });

  describe('on a server without a PSA key configured', () => {
    let bare: TestApp;

    beforeAll(async () => {
      bare = await startTestApp({ unsetEnv: ['INTEGRATION_KEY'] });
    });

    afterAll(async () => {
      await bare.close();
    });

    it('refuses PSA’s key (and any other) with 401, naming what is not configured', async () => {
      for (const key of [testEnvironment.INTEGRATION_KEY, 'anything-at-all-0123456789']) {
        const error = refusal(await bare.gql(employeeQuery, { id: colleague.id }, { 'x-integration-key': key }), key);
        expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'bad_service_key' });
        expect(error.message).toContain('not configured here: PSA, INTEGRATION_KEY');
      }
    });

    it('still takes the keys it has', async () => {
      // Defend is let in: the id is unknown to this server's empty database, so the answer is null.
      const response = await bare.gql(employeeQuery, { id: colleague.id }, serviceHeaders.defend);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ employee: null });
    });
  });

  describe('on a server with no service key at all', () => {
    let keyless: TestApp;

    beforeAll(async () => {
      keyless = await startTestApp({ unsetEnv: ['INTEGRATION_KEY', 'DEFEND_SERVICE_KEY', 'LEGAL_INTEGRATION_KEY'] });
    });

    afterAll(async () => {
      await keyless.close();
    });

    it('refuses any key with 401 "not configured"', async () => {
      for (const headers of [serviceHeaders.psa, serviceHeaders.defend]) {
        const error = refusal(await keyless.gql(employeeQuery, { id: colleague.id }, headers));
        expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'service_not_configured' });
        expect(error.message).toMatch(/not configured/);
      }
    });
  });
});

describe('people who have left', () => {
  for (const status of ['TERMINATED', 'RESIGNED']) {
    it(`closes access for a ${status.toLowerCase()} employee: 403 FORBIDDEN`, async () => {
      const email = `leaver.${status.toLowerCase()}@example.com`;
      const leaver = await hire(app, {
        departmentId: org.departments.sales,
        locationId: org.locations.newYork,
        email,
        hubUserId: `hub-leaver-${status}`,
      });
      const token = await hubToken({ email, roles: ['Manager'], hubUserId: `hub-leaver-${status}` });

      const before = await app.gql(departmentsQuery, {}, bearer(token));
      expect(before.errors).toBeUndefined();

      await changeStatus(leaver.id, status);
      const error = refusal(await app.gql(departmentsQuery, {}, bearer(token)), token);
      expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN', reason: 'employment_ended' });

      // Found by Hub user id too, whatever e-mail the token carries now.
      const renamed = await hubToken({ email: `renamed.${email}`, roles: ['Admin'], hubUserId: `hub-leaver-${status}` });
      expect(refusal(await app.gql(departmentsQuery, {}, bearer(renamed)), renamed)).toMatchObject({ status: 403, reason: 'employment_ended' });

      // And through a session issued before they left.
      const { token: session } = await app.authentication.sessions.issue(
        { hubUserId: `hub-leaver-${status}`, email, roles: ['MANAGER'], unknownRoles: [] },
        new Date(),
      );
      expect(refusal(await app.gql(departmentsQuery, {}, { cookie: `${sessionCookieName}=${session}` }), session)).toMatchObject({
        status: 403,
        reason: 'employment_ended',
      });
    });
  }
});

describe('"self": the employee a token belongs to', () => {
  let me: CreatedEmployee;

  beforeAll(async () => {
    me = await hire(app, {
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      email: 'self.person@example.com',
      hubUserId: 'hub-self-person',
      personalEmail: 'self.private@example.net',
    });
  });

  it('is matched by Hub user id: they read their own personal e-mail but not a colleague’s', async () => {
    // A different login e-mail: only the Hub user id ties the token to the employee.
    const token = await hubToken({ email: 'self.login@example.org', roles: [], hubUserId: 'hub-self-person' });
    const response = await app.gql<{
      me: { id: string; personalEmail: string | null };
      other: { id: string; firstName: string; email: string; personalEmail: string | null };
    }>(
      /* GraphQL */ `
        query Self($me: ID!, $other: ID!) {
          me: employee(id: $me) { id personalEmail }
          other: employee(id: $other) { id firstName email personalEmail }
        }
      `,
      { me: me.id, other: colleague.id },
      bearer(token),
    );
    expect(response.status).toBe(200);
    expect(response.data?.me).toEqual({ id: me.id, personalEmail: 'self.private@example.net' });
    expect(response.data?.other).toMatchObject({ id: colleague.id, email: 'colleague@example.com', personalEmail: null });
    expect(response.data?.other.firstName).toEqual(expect.any(String));
    expect(response.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['FORBIDDEN', ['other', 'personalEmail']]]);
    expect(JSON.stringify(response)).not.toContain('colleague.private@example.net');
  });
});

describe('a signed-in user People knows nothing about', () => {
  it('gets FORBIDDEN for queries when their only roles are unknown and they are no employee', async () => {
    const token = await hubToken({ email: 'stranger@example.com', roles: ['Wizard', 'Billing Admin'] });
    const directory = await app.gql<{ employees: unknown }>(directoryQuery, {}, bearer(token));
    expect(directory.status).toBe(200);
    expect(directory.data ?? null).toBeNull();
    expect(directory.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['FORBIDDEN', 'Your account has no People role and no employee record.'],
    ]);

    const lookup = await app.gql<{ employee: unknown }>(employeeQuery, { id: colleague.id }, bearer(token));
    expect(lookup.data?.employee ?? null).toBeNull();
    expect(lookup.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['FORBIDDEN', ['employee']]]);
  });
});
