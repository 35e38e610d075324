import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEntry } from '../certifications/fixtures.js';
import { createTestDatabase } from '../support/database.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';
import { createPolicy, decide, requestTimeOff } from '../timeoff/fixtures.js';
import { mutations as workflowMutations } from '../workflows/fixtures.js';

// `me` over real HTTP, for an employee, a manager, HR and a Hub user with no employee record: who
// they are, what they may do, and the portal's home page in one query; services are refused.
// Its statements stay the same however much waits for the person (batched).

let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let member: CreatedEmployee;
let hrPerson: CreatedEmployee;
let vacation: string;

const as = {
  lead: (): TestIdentity => ({ roles: ['Manager'], email: lead.email, hubUserId: 'hub-lead' }),
  member: (): TestIdentity => ({ roles: [], email: member.email, hubUserId: 'hub-member' }),
  hr: (): TestIdentity => ({ roles: ['HR Manager'], email: hrPerson.email, hubUserId: 'hub-hr' }),
  visitor: (): TestIdentity => ({ roles: ['Viewer'], email: 'auditor@people.test', hubUserId: 'hub-auditor' }),
  stranger: (): TestIdentity => ({ roles: [], email: 'stranger@people.test', hubUserId: 'hub-stranger' }),
};

async function gqlAs<T = Record<string, unknown>>(
  identity: TestIdentity | Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const headers = 'roles' in identity ? await app.as(identity as TestIdentity) : (identity as Record<string, string>);
  return app.gql<T>(query, variables, headers);
}

export const homePage = /* GraphQL */ `
  query Home {
    me {
      hubUserId email roles capabilities
      employee { id displayName manager { id } }
      timeOffBalances { policy { id name } available }
      recentTimeOffRequests(first: 3) { id status startDate }
      pendingApprovals { id employee { id } currentStep }
      pendingReviews { id employee { id } availableActions }
      expiringCertifications(withinDays: 60) { id expiresOn status }
      trainingDue(withinDays: 60) { id dueOn overdue course { title } }
      openWorkflowTasks { id title dueDate workflow { kind employee { id } } }
    }
  }
`;

interface Home {
  me: {
    hubUserId: string;
    email: string;
    roles: string[];
    capabilities: string[];
    employee: { id: string; displayName: string; manager: { id: string } | null } | null;
    timeOffBalances: { policy: { id: string; name: string }; available: number | null }[];
    recentTimeOffRequests: { id: string; status: string; startDate: string }[];
    pendingApprovals: { id: string; employee: { id: string }; currentStep: number | null }[];
    pendingReviews: { id: string; employee: { id: string }; availableActions: string[] }[];
    expiringCertifications: { id: string; expiresOn: string; status: string }[];
    trainingDue: { id: string; dueOn: string; overdue: boolean; course: { title: string } }[];
    openWorkflowTasks: { id: string; title: string; dueDate: string; workflow: { kind: string; employee: { id: string } | null } }[];
  };
}

async function home(identity: TestIdentity): Promise<Home['me']> {
  const response = await gqlAs<Home>(identity, homePage);
  expect(response.errors, identity.email).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.me;
}

let shortRequest: string;
let longRequest: string;
let newcomer: CreatedEmployee;

beforeAll(async () => {
  // One connection: the statement counts compared below are the code's batching, not the pool's timing (see createTestDatabase).
  app = await startTestApp({ today: '2026-06-15', database: await createTestDatabase({ connections: 1 }) });
  org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  lead = await hire(app, { ...place, hireDate: '2016-01-01' });
  member = await hire(app, { ...place, hireDate: '2018-01-01', managerId: lead.id });
  hrPerson = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2017-01-01' });
  vacation = await createPolicy(app, { name: 'Vacation', approvalChain: [{ kind: 'MANAGER' }, { kind: 'HR', whenLongerThanDays: 5 }] });

  const memberHeaders = await app.as(as.member());
  const short = await requestTimeOff(app, { employeeId: member.id, policyId: vacation, startDate: '2026-07-06', endDate: '2026-07-07' }, memberHeaders);
  const long = await requestTimeOff(app, { employeeId: member.id, policyId: vacation, startDate: '2026-08-03', endDate: '2026-08-14' }, memberHeaders);
  shortRequest = short.request?.id ?? '';
  longRequest = long.request?.id ?? '';
  // The long one passes its manager step: it waits for HR now.
  const approved = await decide(app, 'approve', { id: longRequest }, await app.as(as.lead()));
  expect(approved.payload?.userErrors).toEqual([]);

  const entry = await createCatalogEntry(app, { name: 'CompTIA Security+', issuer: 'CompTIA', code: 'SY0-701', validityMonths: 36 });
  const added = await app.gql<{ addCertification: { userErrors: unknown[] } }>(
    'mutation($input: AddCertificationInput!) { addCertification(input: $input) { userErrors { code } } }',
    { input: { employeeId: member.id, catalogEntryId: entry.id, issuedOn: '2023-07-01', expiresOn: '2026-07-01', verify: true } },
  );
  expect(added.data?.addCertification.userErrors).toEqual([]);

  const course = await app.gql<{ createTrainingCourse: { course: { id: string } } }>(
    'mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { course { id } userErrors { code } } }',
    { input: { title: 'Secure Coding', provider: 'Internal Academy', hours: 4 } },
  );
  const enrolled = await app.gql<{ enrollInTraining: { userErrors: unknown[] } }>(
    'mutation($input: EnrollInTrainingInput!) { enrollInTraining(input: $input) { userErrors { code } } }',
    { input: { employeeId: member.id, courseId: course.data?.createTrainingCourse.course.id, dueOn: '2026-07-31' } },
  );
  expect(enrolled.data?.enrollInTraining.userErrors).toEqual([]);

  // An onboarding: the new hire's manager and HR each have a task.
  const template = await app.gql<{ createWorkflowTemplate: { userErrors: unknown[] } }>(workflowMutations.createTemplate, {
    input: {
      kind: 'ONBOARDING',
      name: 'Company onboarding',
      tasks: [
        { title: 'Plan the first week', assigneeKind: 'MANAGER', dueOffsetDays: -2 },
        { title: 'Prepare the contract', assigneeKind: 'HR', dueOffsetDays: -5 },
        { title: 'Read the handbook', assigneeKind: 'EMPLOYEE', dueOffsetDays: 1 },
      ],
    },
  });
  expect(template.data?.createWorkflowTemplate.userErrors).toEqual([]);
  newcomer = await hire(app, { ...place, hireDate: '2026-06-29', managerId: lead.id });
});
afterAll(() => app.close());

describe('me', () => {
  it('answers an employee with their record, their time off, certifications and training due', async () => {
    const me = await home(as.member());
    expect(me).toMatchObject({ hubUserId: 'hub-member', email: member.email, roles: [], employee: { id: member.id, manager: { id: lead.id } } });
    expect(me.capabilities).toEqual(['BROWSE_DIRECTORY', 'EDIT_OWN_PROFILE', 'REQUEST_TIME_OFF', 'RECORD_OWN_CERTIFICATIONS', 'VIEW_OWN_REVIEWS', 'ENROLL_IN_TRAINING']);
    expect(me.timeOffBalances.map((balance) => balance.policy.id)).toEqual([vacation]);
    expect(me.recentTimeOffRequests.map((request) => request.id)).toEqual([longRequest, shortRequest]);
    expect(me.pendingApprovals).toEqual([]);
    expect(me.pendingReviews).toEqual([]);
    expect(me.expiringCertifications).toEqual([expect.objectContaining({ expiresOn: '2026-07-01', status: 'EXPIRING' })]);
    expect(me.trainingDue).toEqual([expect.objectContaining({ dueOn: '2026-07-31', overdue: false, course: { title: 'Secure Coding' } })]);
    expect(me.openWorkflowTasks).toEqual([]);
  });

  it("answers a manager with the requests waiting for their step, not the ones past it", async () => {
    const me = await home(as.lead());
    expect(me.roles).toEqual(['MANAGER']);
    expect(me.capabilities).toEqual(expect.arrayContaining(['VIEW_TEAM', 'FIND_QUALIFIED_EMPLOYEES']));
    expect(me.capabilities).not.toContain('HIRE_EMPLOYEES');
    expect(me.pendingApprovals).toEqual([{ id: shortRequest, employee: { id: member.id }, currentStep: 0 }]);
    expect(me.openWorkflowTasks).toEqual([
      expect.objectContaining({ title: 'Plan the first week', dueDate: '2026-06-25', workflow: { kind: 'ONBOARDING', employee: { id: newcomer.id } } }),
    ]);
    // Their own balances (the policy applies to everyone), and nothing of their report's.
    expect(me.timeOffBalances.map((balance) => balance.policy.id)).toEqual([vacation]);
    expect(me.expiringCertifications).toEqual([]);
  });

  it('answers HR with the requests waiting at an HR step and their administration capabilities', async () => {
    const me = await home(as.hr());
    expect(me.roles).toEqual(['HR_MANAGER']);
    expect(me.employee?.id).toBe(hrPerson.id);
    expect(me.pendingApprovals).toEqual([{ id: longRequest, employee: { id: member.id }, currentStep: 1 }]);
    expect(me.openWorkflowTasks.map((task) => task.title)).toEqual(['Prepare the contract']);
    expect(me.capabilities).toEqual(
      expect.arrayContaining(['HIRE_EMPLOYEES', 'ADMINISTER_TIME_OFF', 'VIEW_REVIEW_CYCLES', 'MANAGE_REVIEW_CYCLES', 'ADMINISTER_TRAINING', 'VIEW_TRAINING_COMPLIANCE', 'RUN_WORKFLOWS', 'ADMINISTER_WORKFLOW_TEMPLATES']),
    );
    expect(me.capabilities).not.toContain('ADMINISTER_SYSTEM');
    expect(me.capabilities).not.toContain('VIEW_TEAM');
  });

  it('answers a Hub user with no employee record: no employee, their roles, empty lists', async () => {
    const visitor = await home(as.visitor());
    expect(visitor).toEqual({
      hubUserId: 'hub-auditor',
      email: 'auditor@people.test',
      roles: ['VIEWER'],
      capabilities: ['BROWSE_DIRECTORY', 'FIND_QUALIFIED_EMPLOYEES'],
      employee: null,
      timeOffBalances: [],
      recentTimeOffRequests: [],
      pendingApprovals: [],
      pendingReviews: [],
      expiringCertifications: [],
      trainingDue: [],
      openWorkflowTasks: [],
    });
    const stranger = await home(as.stranger());
    expect(stranger).toMatchObject({ roles: [], capabilities: [], employee: null });
  });

  it('refuses services with a clear message, and anonymous callers before anything runs', async () => {
    for (const headers of [serviceHeaders.psa, serviceHeaders.defend]) {
      const response = await gqlAs(headers, '{ me { email } }');
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.errors?.[0]?.message).toMatch(/person signed in with Hub.*service key/);
    }
    const anonymous = await app.gql('{ me { email } }', {}, {});
    expect(anonymous.status).toBe(401);
  });

  it('checks its arguments', async () => {
    const response = await gqlAs(as.member(), '{ me { recentTimeOffRequests(first: 500) { id } } }');
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('statements', () => {
  it("are the same for a manager's home page with two reports or ten, each with requests, reviews, training and an onboarding", async () => {
    const place = { departmentId: org.departments.sales, locationId: org.locations.berlin };
    const boss = await hire(app, { ...place, hireDate: '2015-01-01' });
    const bossIdentity: TestIdentity = { roles: ['Manager'], email: boss.email };
    const course = await app.gql<{ createTrainingCourse: { course: { id: string } } }>(
      'mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { course { id } } }',
      { input: { title: 'Negotiation', provider: 'Sales Academy', hours: 3 } },
    );
    const courseId = course.data?.createTrainingCourse.course.id;

    const addReports = async (count: number, offset: number) => {
      for (let index = 0; index < count; index += 1) {
        const report = await hire(app, { ...place, hireDate: '2020-01-01', managerId: boss.id });
        const start = `2026-09-${String(7 + ((offset + index) % 3)).padStart(2, '0')}`;
        const requested = await requestTimeOff(app, { employeeId: report.id, policyId: vacation, startDate: start, endDate: start }, await app.as({ roles: [], email: report.email }));
        expect(requested.userErrors).toEqual([]);
        await app.gql('mutation($input: EnrollInTrainingInput!) { enrollInTraining(input: $input) { userErrors { code } } }', {
          input: { employeeId: report.id, courseId, dueOn: '2026-07-01' },
        });
      }
      const cycle = await app.gql<{ createReviewCycle: { userErrors: unknown[] } }>(
        'mutation($input: CreateReviewCycleInput!) { createReviewCycle(input: $input) { userErrors { code } } }',
        {
          input: {
            name: `Sales ${offset}`,
            periodStart: '2026-01-01',
            periodEnd: '2026-06-30',
            selfReviewDueOn: '2026-06-30',
            managerReviewDueOn: '2026-07-10',
            ratingScale: [{ value: 1, label: 'Low' }, { value: 2, label: 'High' }],
            questions: [{ text: 'How did it go?', kind: 'RATING' }],
            participants: { departmentIds: [org.departments.sales] },
          },
        },
      );
      expect(cycle.data?.createReviewCycle.userErrors).toEqual([]);
    };

    const count = async () => {
      let me: Home['me'] | null = null;
      const statements = await app.countStatements(async () => {
        me = await home(bossIdentity);
      });
      return { statements, me: me as unknown as Home['me'] };
    };

    await addReports(2, 0);
    const few = await count();
    expect(few.me.pendingApprovals).toHaveLength(2);
    expect(few.me.pendingReviews).toHaveLength(3);
    // Their own onboarding's task, and one of each report's.
    expect(few.me.openWorkflowTasks).toHaveLength(3);
    await addReports(8, 2);
    const many = await count();
    expect(many.me.pendingApprovals).toHaveLength(10);
    expect(many.me.pendingReviews.length).toBeGreaterThan(few.me.pendingReviews.length);
    expect(many.me.openWorkflowTasks).toHaveLength(11);
    expect(many.statements).toBe(few.statements);
  });
});
