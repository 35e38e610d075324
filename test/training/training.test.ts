import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainingAssignment } from '../../src/training/training.service.js';
import { createCatalogEntry } from '../certifications/fixtures.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';

// Training over real HTTP: the catalog, required training from rules (everyone now, a new hire
// from their start, renewal, overdue), the compliance counts, enrollments by HR, the line and the
// employee, and completing a course that prepares for a certification.

let app: TestApp;
let org: OrgBasics;
let lead: CreatedEmployee;
let member: CreatedEmployee;
let outsider: CreatedEmployee;
let seller: CreatedEmployee;
let hrPerson: CreatedEmployee;
let azureEntry: string;
const courses: Record<'security' | 'azure' | 'leadership', string> = { security: '', azure: '', leadership: '' };

const as = {
  lead: (): TestIdentity => ({ roles: ['Manager'], email: lead.email }),
  member: (): TestIdentity => ({ roles: [], email: member.email }),
  outsider: (): TestIdentity => ({ roles: [], email: outsider.email }),
  hr: (): TestIdentity => ({ roles: ['HR Manager'], email: hrPerson.email }),
  hrStaff: (): TestIdentity => ({ roles: ['HR Staff'], email: 'hr.staff@people.test' }),
  viewer: (): TestIdentity => ({ roles: ['Viewer'], email: 'viewer@people.test' }),
};

async function gqlAs<T = Record<string, unknown>>(
  identity: TestIdentity | Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const headers = 'roles' in identity ? await app.as(identity as TestIdentity) : (identity as Record<string, string>);
  return app.gql<T>(query, variables, headers);
}

function forbiddenPaths(response: GraphQLResponse): string[] {
  return (response.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => (error.path ?? []).join('.'));
}

interface UserErrors {
  userErrors: { field: string[] | null; code: string; message: string }[];
}

interface Enrollment {
  id: string;
  status: string;
  source: string;
  required: boolean;
  dueOn: string | null;
  overdue: boolean;
  completedOn: string | null;
  score: number | null;
  validUntil: string | null;
  course: { id: string };
  availableActions: string[];
  certificationToRecord: { id: string } | null;
}

const enrollmentFields = 'id status source required dueOn overdue completedOn score validUntil course { id } availableActions certificationToRecord { id }';

const mutations = {
  createCourse: 'mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { course { id title selfEnrollment selfPaced certification { id } } userErrors { field code message } } }',
  updateCourse: 'mutation($input: UpdateTrainingCourseInput!) { updateTrainingCourse(input: $input) { course { id active } userErrors { field code message } } }',
  createRule: 'mutation($input: CreateTrainingRequirementInput!) { createTrainingRequirement(input: $input) { requirement { id dueWithinDays renewalMonths effectiveFrom active course { id } } userErrors { field code message } } }',
  removeRule: 'mutation($input: RemoveTrainingRequirementInput!) { removeTrainingRequirement(input: $input) { requirement { id active } userErrors { field code message } } }',
  enroll: `mutation($input: EnrollInTrainingInput!) { enrollInTraining(input: $input) { enrollment { ${enrollmentFields} } certificationToRecord { id } userErrors { field code message } } }`,
  start: `mutation($input: StartTrainingInput!) { startTraining(input: $input) { enrollment { ${enrollmentFields} } userErrors { field code message } } }`,
  complete: `mutation($input: CompleteTrainingInput!) { completeTraining(input: $input) { enrollment { ${enrollmentFields} } certificationToRecord { id name } userErrors { field code message } } }`,
  withdraw: `mutation($input: WithdrawFromTrainingInput!) { withdrawFromTraining(input: $input) { enrollment { ${enrollmentFields} } userErrors { field code message } } }`,
};

async function createCourse(input: Record<string, unknown>): Promise<string> {
  const response = await gqlAs<{ createTrainingCourse: UserErrors & { course: { id: string } | null } }>(as.hr(), mutations.createCourse, { input });
  expect(response.data?.createTrainingCourse.userErrors).toEqual([]);
  const id = response.data?.createTrainingCourse.course?.id;
  if (!id) throw new Error('no course');
  return id;
}

async function enrollmentsOf(identity: TestIdentity | Record<string, string>, employeeId: string, statuses?: string[]) {
  return gqlAs<{ employee: { trainingEnrollments: Enrollment[] | null } }>(
    identity,
    `query($id: ID!, $statuses: [TrainingEnrollmentStatus!]) { employee(id: $id) { trainingEnrollments(statuses: $statuses) { ${enrollmentFields} } } }`,
    { id: employeeId, statuses },
  );
}

async function enrollmentIn(employeeId: string, courseId: string, statuses?: string[]): Promise<Enrollment> {
  const response = await enrollmentsOf(as.hr(), employeeId, statuses);
  const enrollment = response.data?.employee.trainingEnrollments?.find((candidate) => candidate.course.id === courseId);
  if (!enrollment) throw new Error(`no enrollment in ${courseId}: ${JSON.stringify(response)}`);
  return enrollment;
}

const assign = () => runTrainingAssignment({ db: app.database.db, clock: app.clock, logger: pino({ level: 'silent' }) });

interface ComplianceRow {
  course: { id: string };
  total: Record<string, number>;
  departments: { department: { id: string } | null; counts: Record<string, number> }[];
}

async function compliance(): Promise<ComplianceRow[]> {
  const response = await gqlAs<{ trainingCompliance: ComplianceRow[] }>(
    as.hrStaff(),
    '{ trainingCompliance { course { id } total { required completed due overdue } departments { department { id } counts { required completed due overdue } } } }',
  );
  expect(response.errors).toBeUndefined();
  return response.data?.trainingCompliance ?? [];
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const engineering = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  lead = await hire(app, { ...engineering, hireDate: '2016-01-01' });
  member = await hire(app, { ...engineering, hireDate: '2018-01-01', managerId: lead.id });
  outsider = await hire(app, { ...engineering, hireDate: '2019-01-01' });
  seller = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: '2026-06-01' });
  hrPerson = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2017-01-01' });
  azureEntry = (await createCatalogEntry(app, { name: 'Microsoft Certified: Azure Fundamentals', issuer: 'Microsoft', code: 'AZ-900', validityMonths: null })).id;
});
afterAll(() => app.close());

describe('the catalog', () => {
  it('is written by HR Managers and Admins, read by everyone signed in, never by a service', async () => {
    courses.security = await createCourse({ title: 'Security Awareness', provider: 'KnowBe4', hours: 1.5, selfEnrollment: true, selfPaced: true });
    courses.azure = await createCourse({
      title: 'Azure Fundamentals (AZ-900) preparation',
      provider: 'Microsoft Learn',
      hours: 12,
      url: 'https://learn.microsoft.com/training/az-900',
      certificationCatalogEntryId: azureEntry,
      selfEnrollment: true,
    });
    courses.leadership = await createCourse({ title: 'Leading Technical Teams', provider: 'Internal Academy', hours: 16 });

    for (const identity of [as.hrStaff(), as.lead(), as.member()]) {
      const refused = await gqlAs(identity, mutations.createCourse, { input: { title: 'X', provider: 'Y', hours: 1 } });
      expect(forbiddenPaths(refused), identity.email).toEqual(['createTrainingCourse']);
    }
    const duplicate = await gqlAs<{ createTrainingCourse: UserErrors }>(as.hr(), mutations.createCourse, {
      input: { title: 'security awareness', provider: 'KNOWBE4', hours: 2 },
    });
    expect(duplicate.data?.createTrainingCourse.userErrors.map((error) => error.field?.join('.'))).toEqual(['input.title']);
    const bad = await gqlAs<{ createTrainingCourse: UserErrors }>(as.hr(), mutations.createCourse, {
      input: { title: ' ', provider: 'P', hours: 0, url: 'javascript:alert(1)', certificationCatalogEntryId: 'nope' },
    });
    expect(bad.data?.createTrainingCourse.userErrors.map((error) => `${error.code} ${error.field?.join('.')}`)).toEqual([
      'REQUIRED input.title',
      'INVALID_VALUE input.hours',
      'INVALID_VALUE input.url',
      'CATALOG_ENTRY_NOT_FOUND input.certificationCatalogEntryId',
    ]);

    const listed = await gqlAs<{ trainingCourses: { id: string; certification: { id: string } | null }[] }>(as.member(), '{ trainingCourses { id certification { id } } }');
    expect(listed.data?.trainingCourses.map((course) => course.id)).toEqual([courses.azure, courses.leadership, courses.security]);
    expect(listed.data?.trainingCourses[0]?.certification?.id).toBe(azureEntry);
    expect(forbiddenPaths(await gqlAs(as.member(), '{ trainingCourses(includeInactive: true) { id } }'))).toEqual(['trainingCourses']);
    expect(forbiddenPaths(await gqlAs(serviceHeaders.psa, '{ trainingCourses { id } }'))).toEqual(['trainingCourses']);
  });
});

describe('required training from rules', () => {
  let securityRule: string;

  it('enrolls everyone employed at once, due from the rule day, with a training.assigned event each', async () => {
    const response = await gqlAs<{ createTrainingRequirement: UserErrors & { requirement: { id: string; effectiveFrom: string; active: boolean } } }>(
      as.hr(),
      mutations.createRule,
      { input: { courseId: courses.security, dueWithinDays: 30, renewalMonths: 12 } },
    );
    expect(response.data?.createTrainingRequirement.userErrors).toEqual([]);
    expect(response.data?.createTrainingRequirement.requirement).toMatchObject({ effectiveFrom: '2026-06-15', active: true });
    securityRule = response.data?.createTrainingRequirement.requirement.id ?? '';

    for (const person of [lead, member, outsider, hrPerson]) {
      expect(await enrollmentIn(person.id, courses.security)).toMatchObject({ status: 'ENROLLED', source: 'REQUIREMENT', required: true, dueOn: '2026-07-15', overdue: false });
    }
    // Hired two weeks ago: due 30 days after the rule, which is later than 30 days after the start.
    expect((await enrollmentIn(seller.id, courses.security)).dueOn).toBe('2026-07-15');

    const events = await app.gql<{ outboxEvents: { nodes: { subject: string; data: string }[] } }>('{ outboxEvents(type: "training.assigned", first: 100) { nodes { subject data } } }');
    const assigned = events.data?.outboxEvents.nodes.map((event) => JSON.parse(event.data) as { employeeId: string; source: string; requirementId: string; dueOn: string }) ?? [];
    expect(assigned.map((event) => event.employeeId).sort()).toEqual([lead.id, member.id, outsider.id, seller.id, hrPerson.id].sort());
    expect(new Set(assigned.map((event) => `${event.source} ${event.requirementId} ${event.dueOn}`))).toEqual(new Set([`REQUIREMENT ${securityRule} 2026-07-15`]));

    // A second run finds nothing to do.
    expect(await assign()).toBe(0);
    // HR Staff read the rules but do not change them.
    expect(forbiddenPaths(await gqlAs(as.hrStaff(), mutations.createRule, { input: { courseId: courses.leadership } }))).toEqual(['createTrainingRequirement']);
    const rules = await gqlAs<{ trainingRequirements: { id: string }[] }>(as.hrStaff(), '{ trainingRequirements { id } }');
    expect(rules.data?.trainingRequirements.map((rule) => rule.id)).toEqual([securityRule]);
    expect(forbiddenPaths(await gqlAs(as.lead(), '{ trainingRequirements { id } }'))).toEqual(['trainingRequirements']);
  });

  it('enrolls a new hire on their first day, due from their start', async () => {
    const newcomer = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, hireDate: '2026-06-22', managerId: lead.id });
    expect(await assign()).toBe(0);
    app.clock.set('2026-06-22');
    try {
      expect(await assign()).toBe(1);
      expect(await enrollmentIn(newcomer.id, courses.security)).toMatchObject({ source: 'REQUIREMENT', dueOn: '2026-07-22', overdue: false });
      const todo = await gqlAs<{ me: { trainingDue: { course: { id: string }; dueOn: string }[] } }>(
        { roles: [], email: newcomer.email },
        '{ me { trainingDue { course { id } dueOn } } }',
      );
      expect(todo.data?.me.trainingDue).toEqual([{ course: { id: courses.security }, dueOn: '2026-07-22' }]);
    } finally {
      app.clock.set('2026-06-15');
    }
  });

  it('lets the employee complete self-paced training, valid for the renewal period', async () => {
    const open = await enrollmentIn(member.id, courses.security);
    expect(open.availableActions).toEqual(['START', 'COMPLETE', 'WITHDRAW']);
    const own = await enrollmentsOf(as.member(), member.id);
    expect(own.data?.employee.trainingEnrollments?.find((enrollment) => enrollment.id === open.id)?.availableActions).toEqual(['START', 'COMPLETE']);

    const started = await gqlAs<{ startTraining: UserErrors & { enrollment: Enrollment } }>(as.member(), mutations.start, { input: { enrollmentId: open.id } });
    expect(started.data?.startTraining.enrollment.status).toBe('IN_PROGRESS');
    // Required: not the employee's to drop, nor the line's.
    const withdraw = await gqlAs<{ withdrawFromTraining: UserErrors }>(as.lead(), mutations.withdraw, { input: { enrollmentId: open.id, reason: 'Busy' } });
    expect(withdraw.data?.withdrawFromTraining.userErrors.map((error) => error.code)).toEqual(['TRAINING_REQUIRED']);

    const done = await gqlAs<{ completeTraining: UserErrors & { enrollment: Enrollment; certificationToRecord: null } }>(as.member(), mutations.complete, {
      input: { enrollmentId: open.id, score: 92 },
    });
    expect(done.data?.completeTraining.userErrors).toEqual([]);
    expect(done.data?.completeTraining.enrollment).toMatchObject({ status: 'COMPLETED', completedOn: '2026-06-15', score: 92, validUntil: '2027-06-14', overdue: false });
    expect(done.data?.completeTraining.certificationToRecord).toBeNull();
    const again = await gqlAs<{ completeTraining: UserErrors }>(as.member(), mutations.complete, { input: { enrollmentId: open.id } });
    expect(again.data?.completeTraining.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
  });

  it('counts completed, due and overdue by department, and shows what is overdue', async () => {
    app.clock.set('2026-07-16');
    try {
      const [security] = await compliance();
      expect(security?.course.id).toBe(courses.security);
      // Everyone but the member is past 2026-07-15; the newcomer is due on 2026-07-22.
      expect(security?.total).toEqual({ required: 6, completed: 1, due: 1, overdue: 4 });
      const byDepartment = Object.fromEntries((security?.departments ?? []).map((group) => [group.department?.id ?? 'none', group.counts]));
      expect(byDepartment).toEqual({
        [org.departments.engineering]: { required: 4, completed: 1, due: 1, overdue: 2 },
        [org.departments.people]: { required: 1, completed: 0, due: 0, overdue: 1 },
        [org.departments.sales]: { required: 1, completed: 0, due: 0, overdue: 1 },
      });
      expect((await enrollmentIn(outsider.id, courses.security)).overdue).toBe(true);
      expect(forbiddenPaths(await gqlAs(as.lead(), '{ trainingCompliance { total { required } } }'))).toEqual(['trainingCompliance']);
    } finally {
      app.clock.set('2026-06-15');
    }
  });

  it('enrolls again before a completion runs out, and counts the lapsed completion as overdue', async () => {
    app.clock.set('2027-05-15');
    try {
      expect(await assign()).toBe(0);
      app.clock.set('2027-05-16');
      expect(await assign()).toBeGreaterThanOrEqual(1);
      const renewal = await enrollmentIn(member.id, courses.security, ['ENROLLED']);
      expect(renewal).toMatchObject({ source: 'RENEWAL', dueOn: '2027-06-15', required: true });
      expect((await enrollmentIn(member.id, courses.security, ['COMPLETED'])).validUntil).toBe('2027-06-14');

      app.clock.set('2027-06-16');
      const lapsed = await enrollmentIn(member.id, courses.security, ['EXPIRED']);
      expect(lapsed.completedOn).toBe('2026-06-15');
      expect((await enrollmentIn(member.id, courses.security, ['ENROLLED'])).overdue).toBe(true);
      const memberDepartment = (await compliance())[0]?.departments.find((group) => group.department?.id === org.departments.engineering);
      expect(memberDepartment?.counts.completed).toBe(0);
    } finally {
      app.clock.set('2026-06-15');
    }
  });

  it('enrolls nobody more once the rule is removed', async () => {
    const removed = await gqlAs<{ removeTrainingRequirement: UserErrors & { requirement: { active: boolean } } }>(as.hr(), mutations.removeRule, { input: { id: securityRule } });
    expect(removed.data?.removeTrainingRequirement.requirement.active).toBe(false);
    await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork, hireDate: '2026-06-15' });
    expect(await assign()).toBe(0);
    expect(await compliance()).toEqual([]);
  });
});

describe('enrollments', () => {
  it('lets the employee enroll in open courses only, the line and HR in any, and nobody else', async () => {
    const self = await gqlAs<{ enrollInTraining: UserErrors & { enrollment: Enrollment } }>(as.member(), mutations.enroll, {
      input: { employeeId: member.id, courseId: courses.azure },
    });
    expect(self.data?.enrollInTraining.userErrors).toEqual([]);
    expect(self.data?.enrollInTraining.enrollment).toMatchObject({ source: 'SELF', required: false, status: 'ENROLLED' });
    const twice = await gqlAs<{ enrollInTraining: UserErrors }>(as.lead(), mutations.enroll, { input: { employeeId: member.id, courseId: courses.azure } });
    expect(twice.data?.enrollInTraining.userErrors.map((error) => error.code)).toEqual(['ALREADY_ENROLLED']);

    expect(forbiddenPaths(await gqlAs(as.member(), mutations.enroll, { input: { employeeId: member.id, courseId: courses.leadership } }))).toEqual(['enrollInTraining']);
    for (const identity of [as.outsider(), as.viewer(), serviceHeaders.psa]) {
      expect(forbiddenPaths(await gqlAs(identity, mutations.enroll, { input: { employeeId: member.id, courseId: courses.leadership } }))).toEqual(['enrollInTraining']);
    }
    const byLead = await gqlAs<{ enrollInTraining: UserErrors & { enrollment: Enrollment } }>(as.lead(), mutations.enroll, {
      input: { employeeId: member.id, courseId: courses.leadership, dueOn: '2026-09-30' },
    });
    expect(byLead.data?.enrollInTraining.enrollment).toMatchObject({ source: 'LINE', dueOn: '2026-09-30' });
    const byHr = await gqlAs<{ enrollInTraining: UserErrors & { enrollment: Enrollment } }>(as.hr(), mutations.enroll, {
      input: { employeeId: outsider.id, courseId: courses.leadership },
    });
    expect(byHr.data?.enrollInTraining.enrollment.source).toBe('HR');
    const past = await gqlAs<{ enrollInTraining: UserErrors }>(as.hr(), mutations.enroll, { input: { employeeId: lead.id, courseId: courses.leadership, dueOn: '2026-01-01' } });
    expect(past.data?.enrollInTraining.userErrors.map((error) => error.field?.join('.'))).toEqual(['input.dueOn']);

    const events = await app.gql<{ outboxEvents: { nodes: { data: string }[] } }>('{ outboxEvents(type: "training.assigned", first: 100) { nodes { data } } }');
    const sources = events.data?.outboxEvents.nodes.map((event) => (JSON.parse(event.data) as { source: string; employeeId: string; courseId: string }))
      .filter((event) => event.courseId === courses.leadership)
      .map((event) => `${event.source} ${event.employeeId}`);
    expect(sources?.sort()).toEqual([`HR ${outsider.id}`, `LINE ${member.id}`].sort());
  });

  it('offers to record the certification a completed course prepares for, until it is recorded', async () => {
    const enrollment = await enrollmentIn(member.id, courses.azure);
    // Not self-paced: the line or HR records the completion.
    expect(forbiddenPaths(await gqlAs(as.member(), mutations.complete, { input: { enrollmentId: enrollment.id } }))).toEqual(['completeTraining']);
    const done = await gqlAs<{ completeTraining: UserErrors & { enrollment: Enrollment; certificationToRecord: { id: string; name: string } | null } }>(
      as.lead(),
      mutations.complete,
      { input: { enrollmentId: enrollment.id, completedOn: '2026-06-12', score: 81.5 } },
    );
    expect(done.data?.completeTraining.userErrors).toEqual([]);
    expect(done.data?.completeTraining.certificationToRecord).toEqual({ id: azureEntry, name: 'Microsoft Certified: Azure Fundamentals' });

    const recorded = await gqlAs<{ addCertification: UserErrors }>(
      as.member(),
      'mutation($input: AddCertificationInput!) { addCertification(input: $input) { certification { id } userErrors { code message } } }',
      { input: { employeeId: member.id, catalogEntryId: azureEntry, issuedOn: '2026-06-14' } },
    );
    expect(recorded.data?.addCertification.userErrors).toEqual([]);
    expect((await enrollmentIn(member.id, courses.azure)).certificationToRecord).toBeNull();
  });

  it('lets the employee withdraw from their own self-enrollments only', async () => {
    const selfEnrolled = await gqlAs<{ enrollInTraining: UserErrors & { enrollment: Enrollment } }>(as.outsider(), mutations.enroll, {
      input: { employeeId: outsider.id, courseId: courses.azure },
    });
    const byHr = await enrollmentIn(outsider.id, courses.leadership);
    expect(forbiddenPaths(await gqlAs(as.outsider(), mutations.withdraw, { input: { enrollmentId: byHr.id, reason: 'No time' } }))).toEqual(['withdrawFromTraining']);
    const empty = await gqlAs<{ withdrawFromTraining: UserErrors }>(as.outsider(), mutations.withdraw, { input: { enrollmentId: selfEnrolled.data?.enrollInTraining.enrollment.id, reason: '  ' } });
    expect(empty.data?.withdrawFromTraining.userErrors.map((error) => error.code)).toEqual(['REQUIRED']);
    const withdrawn = await gqlAs<{ withdrawFromTraining: UserErrors & { enrollment: Enrollment } }>(as.outsider(), mutations.withdraw, {
      input: { enrollmentId: selfEnrolled.data?.enrollInTraining.enrollment.id, reason: 'Changed teams' },
    });
    expect(withdrawn.data?.withdrawFromTraining.enrollment).toMatchObject({ status: 'WITHDRAWN', availableActions: [] });
  });

  it('shows enrollments to the employee, the line above and HR; to nobody else, no service', async () => {
    for (const identity of [as.member(), as.lead(), as.hr(), as.hrStaff()]) {
      const read = await enrollmentsOf(identity, member.id);
      expect(read.errors, identity.email).toBeUndefined();
      expect(read.data?.employee.trainingEnrollments?.length, identity.email).toBeGreaterThanOrEqual(3);
    }
    for (const identity of [as.outsider(), as.viewer()]) {
      expect(forbiddenPaths(await enrollmentsOf(identity, member.id)), identity.email).toEqual(['employee.trainingEnrollments']);
    }
    const psa = await gqlAs(serviceHeaders.psa, 'query($id: ID!) { employee(id: $id) { trainingEnrollments { id } } }', { id: member.id });
    expect(forbiddenPaths(psa)).toEqual(['employee.trainingEnrollments']);
    const one = (await enrollmentIn(member.id, courses.leadership)).id;
    const byOutsider = await gqlAs<{ trainingEnrollment: unknown }>(as.outsider(), 'query($id: ID!) { trainingEnrollment(id: $id) { id } }', { id: one });
    expect(byOutsider.errors).toBeUndefined();
    expect(byOutsider.data?.trainingEnrollment).toBeNull();
    expect(forbiddenPaths(await gqlAs(serviceHeaders.psa, 'query($id: ID!) { trainingEnrollment(id: $id) { id } }', { id: one }))).toEqual(['trainingEnrollment']);
  });
});
