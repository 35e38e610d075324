import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../src/auth/tokens.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, testEnvironment, type TestApp, type TestIdentity } from '../support/server.js';

// People sessions are records as well as signed tokens: signing out, ending one from another
// device and HR ending someone's sessions take effect from the next request, whoever serves it
// (two replicas: test/replicas/two-replicas.test.ts).

let app: TestApp;
let person: CreatedEmployee;
let colleague: CreatedEmployee;
const personIdentity: TestIdentity = { roles: ['Viewer'], email: 'session.person@example.com', hubUserId: 'hub-session-person' };
const colleagueIdentity: TestIdentity = { roles: ['Viewer'], email: 'session.colleague@example.com', hubUserId: 'hub-session-colleague' };
const hrManager: TestIdentity = { roles: ['HR Manager'], email: 'hr.manager@people.test', hubUserId: 'hub-session-hr-manager' };
const hrStaff: TestIdentity = { roles: ['HR Staff'], email: 'hr.staff@people.test', hubUserId: 'hub-session-hr-staff' };

interface SignedIn {
  token: string;
  cookie: string;
  sessionId: string;
}

async function signIn(identity: TestIdentity, userAgent = 'people-tests/1.0'): Promise<SignedIn> {
  const response = await fetch(`${app.url}/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ token: await app.tokenFor(identity) }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { token: string };
  const cookie = /people_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  expect(cookie).toBeTruthy();
  const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as { sid: string };
  return { token: body.token, cookie: cookie!, sessionId: payload.sid };
}

const bearer = (session: SignedIn) => ({ authorization: `Bearer ${session.token}` });

/** `me { hubUserId }` with these headers: the HTTP status and the refusal's reason, if any. */
async function whoAmI(headers: Record<string, string>): Promise<{ status: number; hubUserId: string | null; reason: string | null; message: string | null }> {
  const answer = await app.gql<{ me: { hubUserId: string } }>('{ me { hubUserId } }', {}, headers);
  const error = answer.errors?.[0] as { message: string; extensions?: { reason?: string } } | undefined;
  return { status: answer.status, hubUserId: answer.data?.me.hubUserId ?? null, reason: error?.extensions?.reason ?? null, message: error?.message ?? null };
}

function logout(headers: Record<string, string>): Promise<Response> {
  return fetch(`${app.url}/auth/logout`, { method: 'POST', headers });
}

async function sessionEndedEvents(sessionId: string) {
  const rows = await app.database.db
    .select({ subject: outboxEvents.subject, data: outboxEvents.data })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.type, 'session_ended')));
  return rows.filter((row) => (row.data as { sessionId: string }).sessionId === sessionId);
}

interface SessionView {
  id: string;
  hubUserId: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
  startedAt: string;
  expiresAt: string;
}
const sessionFields = 'id hubUserId current ip userAgent startedAt expiresAt';

beforeAll(async () => {
  app = await startTestApp();
  const org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  person = await hire(app, { ...place, email: personIdentity.email!, hubUserId: personIdentity.hubUserId! });
  colleague = await hire(app, { ...place, email: colleagueIdentity.email!, hubUserId: colleagueIdentity.hubUserId! });
});
afterAll(async () => {
  await app.close();
});

describe('signing out', () => {
  it('ends the session for its bearer token, wherever the token was copied, and records session_ended', async () => {
    const session = await signIn(personIdentity);
    expect(await whoAmI(bearer(session))).toMatchObject({ status: 200, hubUserId: personIdentity.hubUserId });

    const response = await logout(bearer(session));
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/people_session=;.*Max-Age=0/);

    const refused = await whoAmI(bearer(session));
    expect(refused).toMatchObject({ status: 401, hubUserId: null, reason: 'session_ended' });
    expect(refused.message).toMatch(/signed out/);
    // The cookie of the same session is refused as well: it is the same session.
    expect(await whoAmI({ cookie: session.cookie })).toMatchObject({ status: 401, reason: 'session_ended' });

    const events = await sessionEndedEvents(session.sessionId);
    expect(events).toEqual([
      {
        subject: `user:${personIdentity.hubUserId}`,
        data: { hubUserId: personIdentity.hubUserId, sessionId: session.sessionId, reason: 'signed_out', endedBy: `user:${personIdentity.hubUserId}` },
      },
    ]);
    // Signing out twice ends nothing more, and says nothing either way.
    expect((await logout(bearer(session))).status).toBe(204);
    expect(await sessionEndedEvents(session.sessionId)).toHaveLength(1);
  });

  it('ends the session of the cookie, and leaves the person’s other sessions alone', async () => {
    const browser = await signIn(personIdentity, 'browser/1');
    const phone = await signIn(personIdentity, 'phone/1');
    expect((await logout({ cookie: browser.cookie })).status).toBe(204);
    expect(await whoAmI({ cookie: browser.cookie })).toMatchObject({ status: 401, reason: 'session_ended' });
    expect(await whoAmI(bearer(phone))).toMatchObject({ status: 200, hubUserId: personIdentity.hubUserId });
  });

  it('with a Hub token or nothing, answers 204 and ends no session', async () => {
    const session = await signIn(personIdentity);
    expect((await logout(await app.as(personIdentity))).status).toBe(204);
    expect((await logout({})).status).toBe(204);
    expect(await whoAmI(bearer(session))).toMatchObject({ status: 200 });
  });
});

describe('signing out while the database cannot answer', () => {
  it('answers 503 and keeps the cookie: the session still counts, and says so', async () => {
    const session = await signIn(personIdentity);
    await app.database.db.execute(sql`alter table user_sessions rename to user_sessions_gone`);
    let response: Response;
    try {
      response = await logout(bearer(session));
    } finally {
      await app.database.db.execute(sql`alter table user_sessions_gone rename to user_sessions`);
    }
    expect(response.status).toBe(503);
    expect(response.headers.get('set-cookie')).toBeNull();
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(body.errors[0]?.message).toMatch(/still counts/);
    expect(await whoAmI(bearer(session))).toMatchObject({ status: 200 });
  });
});

describe('sessions People never started', () => {
  it('refuses a token signed with SESSION_SECRET that no sign-in recorded', async () => {
    const forged = await createSessionTokens(testEnvironment.SESSION_SECRET, 60).issue(
      { hubUserId: personIdentity.hubUserId!, email: personIdentity.email!, roles: ['ADMIN'], unknownRoles: [] },
      new Date(),
    );
    const refused = await whoAmI({ authorization: `Bearer ${forged.token}` });
    expect(refused).toMatchObject({ status: 401, reason: 'session_ended' });
    expect(refused.message).toMatch(/no record of this session/);
  });
});

describe('me.sessions and endSession', () => {
  it('lists one’s live sessions, newest first, marks the current one, and ends another from here', async () => {
    const laptop = await signIn(colleagueIdentity, 'laptop/2');
    const phone = await signIn(colleagueIdentity, 'phone/2');
    const mine = await app.gql<{ me: { sessions: SessionView[] } }>(`{ me { sessions { ${sessionFields} } } }`, {}, bearer(phone));
    const sessions = mine.data!.me.sessions;
    expect(sessions.map((session) => session.id).slice(0, 2)).toEqual([phone.sessionId, laptop.sessionId]);
    expect(sessions.every((session) => session.hubUserId === colleagueIdentity.hubUserId)).toBe(true);
    expect(sessions.find((session) => session.id === phone.sessionId)).toMatchObject({ current: true, userAgent: 'phone/2', ip: '127.0.0.1' });
    expect(sessions.find((session) => session.id === laptop.sessionId)).toMatchObject({ current: false, userAgent: 'laptop/2' });
    expect(Date.parse(sessions[0]!.expiresAt)).toBeGreaterThan(Date.parse(sessions[0]!.startedAt));

    const ended = await app.gql<{ endSession: { ended: { id: string }[]; userErrors: unknown[] } }>(
      'mutation($id: ID!) { endSession(id: $id) { ended { id } userErrors { code field message } } }',
      { id: laptop.sessionId },
      bearer(phone),
    );
    expect(ended.data?.endSession).toEqual({ ended: [{ id: laptop.sessionId }], userErrors: [] });
    expect(await whoAmI(bearer(laptop))).toMatchObject({ status: 401, reason: 'session_ended' });
    expect(await whoAmI(bearer(phone))).toMatchObject({ status: 200 });
    expect((await sessionEndedEvents(laptop.sessionId))[0]?.data).toMatchObject({ reason: 'ended_by_user' });

    const after = await app.gql<{ me: { sessions: SessionView[] } }>('{ me { sessions { id } } }', {}, bearer(phone));
    expect(after.data!.me.sessions.map((session) => session.id)).not.toContain(laptop.sessionId);
  });

  it('answers SESSION_NOT_FOUND for someone else’s session, which goes on working', async () => {
    const victim = await signIn(personIdentity);
    const attacker = await signIn(colleagueIdentity);
    for (const id of [victim.sessionId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const answer = await app.gql<{ endSession: { ended: unknown[]; userErrors: { code: string; field: string[] }[] } }>(
        'mutation($id: ID!) { endSession(id: $id) { ended { id } userErrors { code field message } } }',
        { id },
        bearer(attacker),
      );
      expect(answer.data?.endSession.ended).toEqual([]);
      expect(answer.data?.endSession.userErrors).toMatchObject([{ code: 'SESSION_NOT_FOUND', field: ['id'] }]);
    }
    expect(await whoAmI(bearer(victim))).toMatchObject({ status: 200, hubUserId: personIdentity.hubUserId });
  });

  it('lists at most `first` sessions, the newest, and refuses a `first` outside 1 to 200', async () => {
    const identity: TestIdentity = { ...hrStaff, hubUserId: 'hub-session-many-devices', email: 'many.devices@people.test' };
    const started: SignedIn[] = [];
    for (let device = 0; device < 4; device += 1) started.push(await signIn(identity, `device/${device}`));
    const newestFirst = started.map((session) => session.sessionId).reverse();
    const latest = started.at(-1)!;

    const page = await app.gql<{ me: { sessions: { id: string }[] } }>('{ me { sessions(first: 3) { id } } }', {}, bearer(latest));
    expect(page.data!.me.sessions.map((session) => session.id)).toEqual(newestFirst.slice(0, 3));
    const all = await app.gql<{ me: { sessions: { id: string }[] } }>('{ me { sessions { id } } }', {}, bearer(latest));
    expect(all.data!.me.sessions.map((session) => session.id)).toEqual(newestFirst);

    const admin = await app.as({ roles: ['Admin'] });
    const ofThem = await app.gql<{ sessionsOf: { id: string }[] }>(
      'query($hubUserId: String!) { sessionsOf(hubUserId: $hubUserId, first: 2) { id } }',
      { hubUserId: identity.hubUserId },
      admin,
    );
    expect(ofThem.data!.sessionsOf.map((session) => session.id)).toEqual(newestFirst.slice(0, 2));

    for (const [query, headers] of [
      ['{ me { sessions(first: 0) { id } } }', bearer(latest)],
      ['{ me { sessions(first: 201) { id } } }', bearer(latest)],
      [`{ sessionsOf(hubUserId: "${identity.hubUserId}", first: -1) { id } }`, admin],
    ] as const) {
      const refused = await app.gql(query, {}, headers);
      expect(refused.errors?.[0]).toMatchObject({ message: '`first` must be between 1 and 200.', extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
    }
  });

  it('a Hub token has no current session; its sessions are listed all the same', async () => {
    await signIn(personIdentity);
    const answer = await app.gql<{ me: { sessions: SessionView[] } }>('{ me { sessions { id current } } }', {}, await app.as(personIdentity));
    expect(answer.data!.me.sessions.length).toBeGreaterThan(0);
    expect(answer.data!.me.sessions.every((session) => !session.current)).toBe(true);
  });
});

describe("HR ending someone's sessions", () => {
  it('sessionsOf and endSessionsOf by employee: every live session of theirs ends, nobody else’s', async () => {
    const first = await signIn(personIdentity);
    const second = await signIn(personIdentity);
    const bystander = await signIn(colleagueIdentity);
    const hr = await app.as(hrManager);

    const listed = await app.gql<{ sessionsOf: SessionView[] }>(`query($id: ID) { sessionsOf(employeeId: $id) { ${sessionFields} } }`, { id: person.id }, hr);
    expect(listed.data?.sessionsOf.map((session) => session.id)).toEqual(expect.arrayContaining([first.sessionId, second.sessionId]));
    expect(listed.data?.sessionsOf.every((session) => session.hubUserId === personIdentity.hubUserId)).toBe(true);

    const ended = await app.gql<{ endSessionsOf: { ended: { id: string }[]; userErrors: unknown[] } }>(
      'mutation($input: EndSessionsOfInput!) { endSessionsOf(input: $input) { ended { id } userErrors { code field message } } }',
      { input: { employeeId: person.id } },
      hr,
    );
    expect(ended.data?.endSessionsOf.userErrors).toEqual([]);
    expect(ended.data?.endSessionsOf.ended.map((session) => session.id)).toEqual(expect.arrayContaining([first.sessionId, second.sessionId]));
    expect(await whoAmI(bearer(first))).toMatchObject({ status: 401, reason: 'session_ended' });
    expect((await whoAmI(bearer(first))).message).toMatch(/by HR/);
    expect(await whoAmI(bearer(second))).toMatchObject({ status: 401, reason: 'session_ended' });
    expect(await whoAmI(bearer(bystander))).toMatchObject({ status: 200 });
    const bystanders = await app.gql<{ sessionsOf: SessionView[] }>('query($id: ID) { sessionsOf(employeeId: $id) { id } }', { id: colleague.id }, hr);
    expect(bystanders.data?.sessionsOf.map((session) => session.id)).toContain(bystander.sessionId);
    expect((await sessionEndedEvents(first.sessionId))[0]?.data).toMatchObject({ reason: 'ended_by_hr', endedBy: `user:${hrManager.hubUserId}` });

    const none = await app.gql<{ sessionsOf: SessionView[] }>('query($id: String) { sessionsOf(hubUserId: $id) { id } }', { id: personIdentity.hubUserId }, hr);
    expect(none.data?.sessionsOf).toEqual([]);
  });

  it('an HR Manager ends one session of someone else’s with endSession', async () => {
    const session = await signIn(colleagueIdentity);
    const answer = await app.gql<{ endSession: { ended: { id: string }[] } }>(
      'mutation($id: ID!) { endSession(id: $id) { ended { id } } }',
      { id: session.sessionId },
      await app.as(hrManager),
    );
    expect(answer.data?.endSession.ended).toEqual([{ id: session.sessionId }]);
    expect(await whoAmI(bearer(session))).toMatchObject({ status: 401, reason: 'session_ended' });
  });

  it('names the problem with the input: both, neither, an unknown employee', async () => {
    const hr = await app.as(hrManager);
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ employeeId: person.id, hubUserId: 'x' }, 'INVALID_VALUE', ['input', 'employeeId']],
      [{}, 'INVALID_VALUE', ['input', 'employeeId']],
      [{ employeeId: '00000000-0000-4000-8000-000000000000' }, 'EMPLOYEE_NOT_FOUND', ['input', 'employeeId']],
      [{ hubUserId: '  ' }, 'INVALID_VALUE', ['input', 'hubUserId']],
    ];
    for (const [input, code, field] of cases) {
      const answer = await app.gql<{ endSessionsOf: { ended: unknown[]; userErrors: { code: string; field: string[] }[] } }>(
        'mutation($input: EndSessionsOfInput!) { endSessionsOf(input: $input) { ended { id } userErrors { code field message } } }',
        { input },
        hr,
      );
      expect(answer.data?.endSessionsOf).toMatchObject({ ended: [], userErrors: [{ code, field }] });
    }
    const query = await app.gql('{ sessionsOf { id } }', {}, hr);
    expect(query.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses everyone but Admins and HR Managers, and ends nothing then', async () => {
    const session = await signIn(personIdentity);
    for (const identity of [hrStaff, colleagueIdentity, { roles: ['Manager'], email: 'manager@people.test', hubUserId: 'hub-session-manager' }]) {
      const headers = await app.as(identity);
      const ended = await app.gql('mutation($input: EndSessionsOfInput!) { endSessionsOf(input: $input) { ended { id } } }', { input: { employeeId: person.id } }, headers);
      expect(ended.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      const listed = await app.gql('query($id: ID) { sessionsOf(employeeId: $id) { id } }', { id: person.id }, headers);
      expect(listed.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    }
    const psa = await app.gql('{ sessionsOf(hubUserId: "hub-session-person") { id } }', {}, { 'x-integration-key': testEnvironment.INTEGRATION_KEY });
    expect(psa.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await whoAmI(bearer(session))).toMatchObject({ status: 200 });
  });
});
