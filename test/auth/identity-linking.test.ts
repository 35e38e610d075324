import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHubStyleToken } from '../../src/auth/tokens.js';
import { queryRows } from '../../src/db/database.js';
import { employees } from '../../src/employees/employee.tables.js';
import { addCertification, certificationMutation, createCatalogEntry, type CatalogEntryResult } from '../certifications/fixtures.js';
import { createEmployeeMutation, createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, testAdmin, testEnvironment, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';
import { adminMutations, createPolicy, decide, requestTimeOff } from '../timeoff/fixtures.js';

// Issue 9, item 1: the link between an employee and a Hub user decides who a caller is, so it is
// a privilege. Only an Admin sets it (Hub does at first sign-in), never to the caller's own
// identity; every change is in the history and the outbox. And should a record ever carry
// someone else's link, nobody acts on their own record anyway: "own" is any record tied to the
// caller by id, Hub user id or e-mail. Today is Monday 15 June 2026.

let app: TestApp;
let org: OrgBasics;
let hrPolicy: string;
let managerPolicy: string;
let catalogEntry: CatalogEntryResult;

const updateMutation = /* GraphQL */ `
  mutation Update($input: UpdateEmployeeInput!) {
    updateEmployee(input: $input) { employee { id email jobTitle hubUserId } userErrors { field code message } }
  }
`;
const statusMutation = /* GraphQL */ `
  mutation Status($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { employee { id } userErrors { code } } }
`;
const adjustMutation = /* GraphQL */ `
  mutation Adjust($input: AdjustTimeOffBalanceInput!) { adjustTimeOffBalance(input: $input) { balance { adjustments } userErrors { code } } }
`;
const recordQuery = /* GraphQL */ `
  query Record($id: ID!) {
    employee(id: $id) { id email jobTitle hubUserId history { kind recordedBy reason changes { field before after } } }
  }
`;

interface UserErrorResult {
  field: string[] | null;
  code: string;
  message: string;
}
interface UpdatePayload {
  updateEmployee: { employee: { id: string; email: string; jobTitle: string; hubUserId: string | null } | null; userErrors: UserErrorResult[] } | null;
}
interface RecordResult {
  employee: {
    id: string;
    email: string;
    jobTitle: string;
    hubUserId: string | null;
    history: { kind: string; recordedBy: string; reason: string | null; changes: { field: string; before: string | null; after: string | null }[] }[];
  } | null;
}

const place = () => ({ departmentId: org.departments.people, locationId: org.locations.berlin });

function errorCode(response: Pick<GraphQLResponse, 'errors'>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** The record as the test Admin reads it. */
async function record(id: string): Promise<NonNullable<RecordResult['employee']>> {
  const response = await app.gql<RecordResult>(recordQuery, { id });
  expect(response.errors).toBeUndefined();
  const found = response.data?.employee;
  if (!found) throw new Error(`employee ${id} not found`);
  return found;
}

function update(input: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<UpdatePayload>> {
  return app.gql<UpdatePayload>(updateMutation, { input }, headers);
}

/** The outbox events about one employee's Hub link, oldest first. */
async function linkEvents(employeeId: string): Promise<{ data: Record<string, unknown> }[]> {
  return queryRows<{ data: Record<string, unknown> }>(
    app.database.db,
    sql`select data from outbox_events where type = 'employee.identity_link.changed' and subject = ${`employee:${employeeId}`} order by sequence`,
  );
}

/** Puts a Hub link on a record behind the API's back: the state the defence in depth must survive. */
async function forgeLink(employeeId: string, hubUserId: string): Promise<void> {
  await app.database.db.update(employees).set({ hubUserId }).where(eq(employees.id, employeeId));
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  hrPolicy = await createPolicy(app, { name: 'Vacation (HR approves)', approvalChain: [{ kind: 'HR' }] });
  managerPolicy = await createPolicy(app, { name: 'Vacation (manager approves)', approvalChain: [{ kind: 'MANAGER' }] });
  catalogEntry = await createCatalogEntry(app, { name: 'Certified People Professional', code: 'CPP', validityMonths: 36 });
});

afterAll(async () => {
  await app?.close();
});

describe('linking an employee to a Hub user', () => {
  it('is refused to HR Managers and HR Staff: the attack of the issue (a colleague linked to one’s own sub) fails', async () => {
    const hrManager = await hire(app, place());
    const colleague = await hire(app, place());
    const hrManagerIdentity: TestIdentity = { roles: ['HR Manager'], email: hrManager.email, hubUserId: 'hub-attacker-hr-manager' };
    const asHrManager = await app.as(hrManagerIdentity);

    const attack = await update({ id: colleague.id, hubUserId: 'hub-attacker-hr-manager' }, asHrManager);
    expect(errorCode(attack)).toBe('FORBIDDEN');
    expect(attack.errors?.[0]?.message).toMatch(/Only an Admin/);
    expect((await record(colleague.id)).hubUserId).toBeNull();

    // Nor to anybody else's, nor removing a link, nor at hire; HR Staff neither.
    const linked = await hire(app, { ...place(), hubUserId: 'hub-linked-by-admin' });
    const asHrStaff = await app.as({ roles: ['HR Staff'], email: 'staff.linker@people.test' });
    for (const headers of [asHrManager, asHrStaff]) {
      expect(errorCode(await update({ id: colleague.id, hubUserId: 'hub-someone-else' }, headers))).toBe('FORBIDDEN');
      expect(errorCode(await update({ id: linked.id, hubUserId: null }, headers))).toBe('FORBIDDEN');
      const created = await app.gql(
        createEmployeeMutation,
        {
          input: {
            ...place(),
            email: `new.hire.${headers === asHrManager ? 'a' : 'b'}@example.com`,
            firstName: 'New',
            lastName: 'Hire',
            jobTitle: 'Engineer',
            employmentType: 'FULL_TIME',
            hireDate: '2026-06-01',
            hubUserId: 'hub-new-hire',
          },
        },
        headers,
      );
      expect(errorCode(created)).toBe('FORBIDDEN');
    }
    expect((await record(linked.id)).hubUserId).toBe('hub-linked-by-admin');

    // The HR Manager is still themself: their own balance stays out of reach.
    const ownAdjustment = await app.gql(adjustMutation, { input: { employeeId: hrManager.id, policyId: hrPolicy, amount: 30, reason: 'Self-service' } }, asHrManager);
    expect(errorCode(ownAdjustment)).toBe('FORBIDDEN');
  });

  it('by an Admin is recorded in the history and announced through the outbox, thin; a Hub user already linked is refused', async () => {
    const person = await hire(app, place());
    const other = await hire(app, place());

    const linked = await update({ id: person.id, hubUserId: 'hub-linked-person', reason: 'Hub account created late' });
    expect(linked.errors).toBeUndefined();
    expect(linked.data?.updateEmployee?.userErrors).toEqual([]);
    expect(linked.data?.updateEmployee?.employee?.hubUserId).toBe('hub-linked-person');

    const relinked = await update({ id: person.id, hubUserId: 'hub-linked-person-2' });
    expect(relinked.data?.updateEmployee?.userErrors).toEqual([]);

    const after = await record(person.id);
    const linkChanges = after.history.filter((change) => change.changes.some((field) => field.field === 'hubUserId'));
    expect(linkChanges.map((change) => [change.kind, change.recordedBy, change.changes])).toEqual([
      ['UPDATED', `user:${testAdmin.hubUserId}`, [{ field: 'hubUserId', before: 'hub-linked-person', after: 'hub-linked-person-2' }]],
      ['UPDATED', `user:${testAdmin.hubUserId}`, [{ field: 'hubUserId', before: null, after: 'hub-linked-person' }]],
    ]);

    const events = await linkEvents(person.id);
    expect(events.map((event) => event.data)).toEqual([
      { employeeId: person.id, change: 'LINKED', previouslyLinked: false, linked: true, source: 'API' },
      { employeeId: person.id, change: 'RELINKED', previouslyLinked: true, linked: true, source: 'API' },
    ]);
    expect(JSON.stringify(events)).not.toContain('hub-linked-person');
    expect(JSON.stringify(events)).not.toContain(person.email);

    // A Hub user belongs to one employee.
    const taken = await update({ id: other.id, hubUserId: 'hub-linked-person-2' });
    expect(taken.data?.updateEmployee?.userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_HUB_USER_ID', field: ['input', 'hubUserId'] }),
    ]);
    expect((await record(other.id)).hubUserId).toBeNull();
    expect(await linkEvents(other.id)).toEqual([]);

    // Unlinking is a change too.
    const unlinked = await update({ id: person.id, hubUserId: null });
    expect(unlinked.data?.updateEmployee?.userErrors).toEqual([]);
    expect((await linkEvents(person.id)).at(-1)?.data).toEqual({
      employeeId: person.id,
      change: 'UNLINKED',
      previouslyLinked: true,
      linked: false,
      source: 'API',
    });
  });

  it('to the caller’s own Hub user id is refused, even to an Admin (OWN_IDENTITY)', async () => {
    const person = await hire(app, place());
    const own = await update({ id: person.id, hubUserId: testAdmin.hubUserId });
    expect(own.errors).toBeUndefined();
    expect(own.data?.updateEmployee?.userErrors).toEqual([expect.objectContaining({ code: 'OWN_IDENTITY', field: ['input', 'hubUserId'] })]);
    expect((await record(person.id)).hubUserId).toBeNull();

    const created = await app.gql<{ createEmployee: { employee: unknown; userErrors: UserErrorResult[] } }>(createEmployeeMutation, {
      input: { ...place(), email: 'admin.twin@example.com', firstName: 'Ad', lastName: 'Min', jobTitle: 'Twin', employmentType: 'FULL_TIME', hireDate: '2026-06-01', hubUserId: testAdmin.hubUserId },
    });
    expect(created.data?.createEmployee.employee).toBeNull();
    expect(created.data?.createEmployee.userErrors).toEqual([expect.objectContaining({ code: 'OWN_IDENTITY', field: ['input', 'hubUserId'] })]);
  });
});

describe('giving a colleague the caller’s own sign-in e-mail', () => {
  it('is refused (OWN_IDENTITY), so nobody becomes a colleague by e-mail', async () => {
    const colleague = await hire(app, place());
    const staffIdentity: TestIdentity = { roles: ['HR Staff'], email: 'staff.renamer@people.test', hubUserId: 'hub-staff-renamer' };
    const asStaff = await app.as(staffIdentity);

    const renamed = await update({ id: colleague.id, email: 'Staff.Renamer@People.test' }, asStaff);
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data?.updateEmployee?.userErrors).toEqual([expect.objectContaining({ code: 'OWN_IDENTITY', field: ['input', 'email'] })]);
    expect((await record(colleague.id)).email).toBe(colleague.email);

    const hired = await app.gql<{ createEmployee: { employee: unknown; userErrors: UserErrorResult[] } }>(
      createEmployeeMutation,
      { input: { ...place(), email: staffIdentity.email, firstName: 'Staff', lastName: 'Renamer', jobTitle: 'Self', employmentType: 'FULL_TIME', hireDate: '2026-06-01' } },
      asStaff,
    );
    expect(hired.data?.createEmployee.userErrors).toEqual([expect.objectContaining({ code: 'OWN_IDENTITY', field: ['input', 'email'] })]);

    // Still nobody's employee: the colleague's personal data stays out of reach of a non-HR caller with that e-mail.
    const asThatEmail = await app.as({ roles: [], email: staffIdentity.email, hubUserId: 'hub-staff-renamer' });
    const lookup = await app.gql(`query($id: ID!) { employee(id: $id) { personalEmail } }`, { id: colleague.id }, asThatEmail);
    expect(errorCode(lookup)).toBe('FORBIDDEN');
  });
});

describe('who a caller is', () => {
  it('an e-mail does not make someone an employee who is linked to another Hub user', async () => {
    const owner = await hire(app, { ...place(), hubUserId: 'hub-rightful-owner', personalEmail: 'owner@home.example' });
    const asImpostor = await app.as({ roles: [], email: owner.email, hubUserId: 'hub-impostor' });
    const seen = await app.gql<{ employee: { personalEmail: string | null } | null }>(
      `query($id: ID!) { employee(id: $id) { personalEmail } }`,
      { id: owner.id },
      asImpostor,
    );
    expect(errorCode(seen)).toBe('FORBIDDEN');
    expect(JSON.stringify(seen)).not.toContain('owner@home.example');

    // The linked Hub user is them, whatever e-mail their token carries.
    const asOwner = await app.as({ roles: [], email: 'owner.elsewhere@example.org', hubUserId: 'hub-rightful-owner' });
    const own = await app.gql<{ employee: { personalEmail: string | null } | null }>(
      `query($id: ID!) { employee(id: $id) { personalEmail } }`,
      { id: owner.id },
      asOwner,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.employee?.personalEmail).toBe('owner@home.example');
  });

  it('first sign-in links an employee found by e-mail to the Hub user, recorded and announced once', async () => {
    const newcomer = await hire(app, place());
    const signIn = async (hubUserId: string) => {
      const token = await signHubStyleToken(testEnvironment.PORTAL_SSO_SECRET, {
        hubUserId,
        email: newcomer.email,
        roles: [],
        issuer: app.config.auth.hubIssuer,
        audience: app.config.auth.hubAudience,
      });
      const response = await fetch(`${app.url}/auth/sso`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      return { status: response.status, body: (await response.json()) as { user?: { employeeId: string | null } } };
    };

    const first = await signIn('hub-newcomer');
    expect(first.status).toBe(200);
    expect(first.body.user?.employeeId).toBe(newcomer.id);
    const linked = await record(newcomer.id);
    expect(linked.hubUserId).toBe('hub-newcomer');
    expect(linked.history[0]).toMatchObject({
      kind: 'UPDATED',
      recordedBy: 'user:hub-newcomer',
      changes: [{ field: 'hubUserId', before: null, after: 'hub-newcomer' }],
    });

    const again = await signIn('hub-newcomer');
    expect(again.body.user?.employeeId).toBe(newcomer.id);
    expect((await linkEvents(newcomer.id)).map((event) => event.data)).toEqual([
      { employeeId: newcomer.id, change: 'LINKED', previouslyLinked: false, linked: true, source: 'FIRST_SIGN_IN' },
    ]);

    // Once linked, another Hub user with the same e-mail is not them (no role, no record: refused).
    const other = await signIn('hub-someone-with-that-email');
    expect(other.status).toBe(403);
    expect((await record(newcomer.id)).hubUserId).toBe('hub-newcomer');
  });
});

describe('nobody acts on their own record, even when another record carries their Hub link', () => {
  // The state the attack of the issue left behind: a colleague's record linked to the caller's
  // Hub user, so People takes the caller for that colleague. Written behind the API's back, as
  // any path to it (old data, a bug, a restored backup) would.
  for (const role of ['Admin', 'HR Manager', 'HR Staff']) {
    describe(role, () => {
      let self: CreatedEmployee;
      let decoy: CreatedEmployee;
      let asSelf: Record<string, string>;
      const hubUserId = `hub-own-record-${role.replace(' ', '-').toLowerCase()}`;

      beforeAll(async () => {
        self = await hire(app, place());
        decoy = await hire(app, place());
        await forgeLink(decoy.id, hubUserId);
        asSelf = await app.as({ roles: [role], email: self.email, hubUserId });
      });

      it('cannot adjust their own balance', async () => {
        const response = await app.gql(adjustMutation, { input: { employeeId: self.id, policyId: hrPolicy, amount: 30, reason: 'Bonus' } }, asSelf);
        expect(errorCode(response)).toBe('FORBIDDEN');
        // Nor that of the record they are taken for.
        const decoyResponse = await app.gql(adjustMutation, { input: { employeeId: decoy.id, policyId: hrPolicy, amount: 30, reason: 'Bonus' } }, asSelf);
        expect(errorCode(decoyResponse)).toBe('FORBIDDEN');
      });

      it('cannot change their own job title or status', async () => {
        expect(errorCode(await update({ id: self.id, jobTitle: 'Chief People Officer' }, asSelf))).toBe('FORBIDDEN');
        expect((await record(self.id)).jobTitle).toBe('Engineer');
        expect(errorCode(await app.gql(statusMutation, { input: { id: self.id, status: 'ON_LEAVE' } }, asSelf))).toBe('FORBIDDEN');
      });

      // HR Staff administer no policies at all (test/timeoff/admin.test.ts).
      if (role !== 'HR Staff') {
        it('cannot override their own time-off policies', async () => {
          const response = await app.gql(adminMutations.setOverride, { input: { employeeId: self.id, policyId: hrPolicy, assigned: true, amountPerYear: 60 } }, asSelf);
          expect(errorCode(response)).toBe('FORBIDDEN');
        });
      }

      it('cannot approve their own time off, and is not offered to', async () => {
        const requested = await requestTimeOff(app, { employeeId: self.id, policyId: hrPolicy, startDate: '2026-07-06', endDate: '2026-07-10' });
        expect(requested.userErrors).toEqual([]);
        const id = requested.request?.id ?? '';
        const offered = await app.gql<{ timeOffRequest: { availableActions: string[] } | null }>(
          `query($id: ID!) { timeOffRequest(id: $id) { availableActions } }`,
          { id },
          asSelf,
        );
        expect(offered.data?.timeOffRequest?.availableActions ?? []).not.toContain('APPROVE');
        const approved = await decide(app, 'approve', { id }, asSelf);
        expect(errorCode(approved)).toBe('FORBIDDEN');
        const denied = await decide(app, 'deny', { id }, asSelf);
        expect(errorCode(denied)).toBe('FORBIDDEN');
      });

      it('cannot verify their own certification', async () => {
        const own = await addCertification(app, { employeeId: self.id, catalogEntryId: catalogEntry.id, issuedOn: '2026-01-10' });
        const verified = await certificationMutation(app, 'verify', { id: own.id }, asSelf);
        expect(errorCode(verified)).toBe('FORBIDDEN');
      });
    });
  }

  it('a Manager taken for their own manager cannot change their own job or approve their own time off as the line', async () => {
    const boss = await hire(app, place());
    const managerPerson = await hire(app, { ...place(), managerId: boss.id });
    await forgeLink(boss.id, 'hub-own-record-manager');
    const asManager = await app.as({ roles: ['Manager'], email: managerPerson.email, hubUserId: 'hub-own-record-manager' });

    expect(errorCode(await update({ id: managerPerson.id, jobTitle: 'Director' }, asManager))).toBe('FORBIDDEN');
    const requested = await requestTimeOff(app, { employeeId: managerPerson.id, policyId: managerPolicy, startDate: '2026-07-13', endDate: '2026-07-14' });
    expect(requested.userErrors).toEqual([]);
    const approved = await decide(app, 'approve', { id: requested.request?.id ?? '' }, asManager);
    expect(errorCode(approved)).toBe('FORBIDDEN');
  });
});
