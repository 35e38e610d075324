import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';
import { createPolicy } from '../timeoff/fixtures.js';

// `me.capabilities` promises what the API then allows: for each kind of person, every capability
// of the contract is tried against the operations it names. Present: the API lets the person
// through (a user error about the input is fine: it comes after the permission check). Absent:
// the API answers FORBIDDEN, or there is nothing of theirs to act on (no employee record, no
// one below them). A capability added to the contract without a probe here fails the test.

let app: TestApp;
let lead: CreatedEmployee;
let member: CreatedEmployee;
let hrPerson: CreatedEmployee;
let bystander: CreatedEmployee; // someone else, the target of "anyone else's" actions
let vacation: string;
let openCourse: string;

interface Persona {
  name: string;
  identity: () => TestIdentity;
}

const personas: Persona[] = [
  { name: 'an employee with no role', identity: () => ({ roles: [], email: member.email }) },
  { name: 'a manager with reports', identity: () => ({ roles: ['Manager'], email: lead.email }) },
  { name: 'an HR Manager with an employee record', identity: () => ({ roles: ['HR Manager'], email: hrPerson.email }) },
  { name: 'HR Staff with no employee record', identity: () => ({ roles: ['HR Staff'], email: 'hr.staff@people.test' }) },
  { name: 'an Admin with no employee record', identity: () => ({ roles: ['Admin'], email: 'root@people.test' }) },
  { name: 'a Viewer with no employee record', identity: () => ({ roles: ['Viewer'], email: 'auditor@people.test' }) },
  { name: 'a Hub user with no role and no record', identity: () => ({ roles: [], email: 'guest@people.test' }) },
];

interface Probe {
  /** The person's own employee id (null: none). */
  self: string | null;
  gql: <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;
}

/** Allowed: the operation ran and nothing in the answer is FORBIDDEN. A probe the schema refuses is a broken probe. */
function passes(response: GraphQLResponse): boolean {
  const codes = (response.errors ?? []).map((error) => error.extensions?.code);
  expect(codes.filter((code) => code !== 'FORBIDDEN'), JSON.stringify(response.errors)).toEqual([]);
  return !codes.includes('FORBIDDEN');
}

const unknownId = '00000000-0000-4000-8000-000000000000';

/** For each capability, whether the API lets this person do what it names. */
const probes: Record<string, (probe: Probe) => Promise<boolean>> = {
  BROWSE_DIRECTORY: async ({ gql }) => passes(await gql('{ employees(first: 1) { totalCount } orgChart(depth: 0) { depth } departments { id } }')),
  EDIT_OWN_PROFILE: async ({ gql, self }) =>
    self !== null &&
    passes(await gql('mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code } } }', { input: { id: self, workPhone: '+49 30 1234' } })),
  REQUEST_TIME_OFF: async ({ gql, self }) =>
    self !== null &&
    passes(
      await gql('mutation($input: RequestTimeOffInput!) { requestTimeOff(input: $input) { userErrors { code } } }', {
        // The end before the start: refused as input, after the permission check.
        input: { employeeId: self, policyId: vacation, startDate: '2026-07-10', endDate: '2026-07-09' },
      }),
    ),
  VIEW_TEAM: async ({ gql, self }) => {
    if (self === null) return false;
    const response = await gql<{ employees: { nodes: unknown[] } }>(
      'query($id: ID!) { employees(filter: { managerId: $id, includeIndirectReports: true }) { nodes { timeOffBalances { available } trainingEnrollments { id } performanceReviews { id } } } }',
      { id: self },
    );
    return passes(response) && (response.data?.employees.nodes.length ?? 0) > 0;
  },
  HIRE_EMPLOYEES: async ({ gql }) =>
    passes(
      await gql('mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { userErrors { code } } }', {
        input: {
          email: 'not an e-mail',
          firstName: 'A',
          lastName: 'B',
          jobTitle: 'C',
          employmentType: 'FULL_TIME',
          hireDate: '2026-07-01',
          departmentId: unknownId,
          locationId: unknownId,
        },
      }),
    ),
  ADJUST_TIME_OFF_BALANCES: async ({ gql }) =>
    passes(
      await gql('mutation($input: AdjustTimeOffBalanceInput!) { adjustTimeOffBalance(input: $input) { userErrors { code } } }', {
        input: { employeeId: bystander.id, policyId: unknownId, amount: 1, reason: '' },
      }),
    ),
  ADMINISTER_TIME_OFF: async ({ gql }) =>
    passes(
      await gql('mutation($input: CreateTimeOffPolicyInput!) { createTimeOffPolicy(input: $input) { userErrors { code } } }', {
        input: { code: '', name: '', category: '', accrualKind: 'ANNUAL_GRANT' },
      }),
    ),
  RECORD_OWN_CERTIFICATIONS: async ({ gql, self }) =>
    self !== null &&
    passes(
      await gql('mutation($input: AddCertificationInput!) { addCertification(input: $input) { userErrors { code } } }', {
        input: { employeeId: self, catalogEntryId: unknownId, issuedOn: '2026-01-01' },
      }),
    ),
  VIEW_CERTIFICATION_REPORTS: async ({ gql }) => passes(await gql('{ expiringCertifications { department { id } } }')),
  ADMINISTER_CERTIFICATION_CATALOG: async ({ gql }) =>
    passes(
      await gql('mutation($input: CreateCertificationCatalogEntryInput!) { createCertificationCatalogEntry(input: $input) { userErrors { code } } }', {
        input: { name: '', issuer: '' },
      }),
    ),
  FIND_QUALIFIED_EMPLOYEES: async ({ gql }) => passes(await gql('{ qualifiedEmployees(certifications: ["AZ-104"]) { unknownCertifications } }')),
  VIEW_OWN_REVIEWS: async ({ gql, self }) =>
    self !== null && passes(await gql('query($id: ID!) { employee(id: $id) { performanceReviews { id } } }', { id: self })),
  VIEW_REVIEW_CYCLES: async ({ gql }) => passes(await gql('{ reviewCycles { id progress { total } } }')),
  MANAGE_REVIEW_CYCLES: async ({ gql }) =>
    passes(
      await gql('mutation($input: CreateReviewCycleInput!) { createReviewCycle(input: $input) { userErrors { code } } }', {
        input: { name: '', periodStart: '2026-01-01', periodEnd: '2026-06-30', selfReviewDueOn: '2026-06-30', managerReviewDueOn: '2026-06-30', ratingScale: [], questions: [] },
      }),
    ),
  ENROLL_IN_TRAINING: async ({ gql, self }) =>
    self !== null &&
    passes(
      await gql('mutation($input: EnrollInTrainingInput!) { enrollInTraining(input: $input) { userErrors { code } } }', { input: { employeeId: self, courseId: openCourse } }),
    ) &&
    passes(await gql('query($id: ID!) { employee(id: $id) { trainingEnrollments { id } } }', { id: self })),
  ADMINISTER_TRAINING: async ({ gql }) =>
    passes(
      await gql('mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { userErrors { code } } }', {
        input: { title: '', provider: '', hours: 0 },
      }),
    ),
  VIEW_TRAINING_COMPLIANCE: async ({ gql }) => passes(await gql('{ trainingCompliance { total { required } } }')),
  RUN_WORKFLOWS: async ({ gql }) =>
    passes(
      await gql('mutation($input: StartOnboardingInput!) { startOnboarding(input: $input) { userErrors { code } } }', {
        // A reason far too long: refused as input, after the permission check.
        input: { employeeId: bystander.id, reason: 'x'.repeat(20_000) },
      }),
    ),
  ADMINISTER_WORKFLOW_TEMPLATES: async ({ gql }) =>
    passes(
      await gql('mutation($input: CreateWorkflowTemplateInput!) { createWorkflowTemplate(input: $input) { userErrors { code } } }', {
        input: { kind: 'ONBOARDING', name: '', tasks: [] },
      }),
    ),
  ADMINISTER_SYSTEM: async ({ gql }) => passes(await gql('{ systemTasks { nodes { id } } outboxEvents { nodes { id } } }')),
};

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  const org = await createOrgBasics(app);
  const place = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  lead = await hire(app, { ...place, hireDate: '2016-01-01' });
  member = await hire(app, { ...place, hireDate: '2018-01-01', managerId: lead.id });
  hrPerson = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2017-01-01' });
  bystander = await hire(app, { ...place, hireDate: '2019-01-01' });
  vacation = await createPolicy(app, { name: 'Vacation' });
  const course = await app.gql<{ createTrainingCourse: { course: { id: string } } }>(
    'mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { course { id } } }',
    { input: { title: 'Git Basics', provider: 'Internal Academy', hours: 2, selfEnrollment: true, selfPaced: true } },
  );
  openCourse = course.data?.createTrainingCourse.course.id ?? '';
});
afterAll(() => app.close());

describe('capabilities', () => {
  it('has a probe for every capability of the contract', async () => {
    const response = await app.gql<{ __type: { enumValues: { name: string }[] } }>('{ __type(name: "Capability") { enumValues { name } } }');
    expect(response.data?.__type.enumValues.map((value) => value.name).sort()).toEqual(Object.keys(probes).sort());
  });

  for (const persona of personas) {
    it(`promise ${persona.name} exactly what the API then allows`, async () => {
      const headers = await app.as(persona.identity());
      const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => app.gql<T>(query, variables, headers);
      const me = await gql<{ me: { capabilities: string[]; employee: { id: string } | null } }>('{ me { capabilities employee { id } } }');
      expect(me.errors).toBeUndefined();
      const promised = new Set(me.data?.me.capabilities);
      const probe: Probe = { self: me.data?.me.employee?.id ?? null, gql };
      const mismatches: string[] = [];
      for (const [capability, tryIt] of Object.entries(probes)) {
        const allowed = await tryIt(probe);
        if (allowed !== promised.has(capability)) mismatches.push(`${capability}: promised ${promised.has(capability)}, allowed ${allowed}`);
      }
      expect(mismatches).toEqual([]);
      // Every persona promises something distinct; the guest with nothing is refused everywhere.
      if (persona.name.startsWith('a Hub user with no role')) expect([...promised]).toEqual([]);
    });
  }
});
