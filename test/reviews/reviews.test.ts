import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp, type TestIdentity } from '../support/server.js';

// Performance reviews over real HTTP: a cycle end to end (self review, manager review, release,
// acknowledgement) with every visibility cell along the way, the manager-left fallback, and the
// managerless review HR writes.

let app: TestApp;
let org: OrgBasics;
let director: CreatedEmployee; // top of Engineering: no manager
let lead: CreatedEmployee; // manages member
let member: CreatedEmployee;
let otherLead: CreatedEmployee; // manages outsider, in another team
let outsider: CreatedEmployee;
let hrPerson: CreatedEmployee; // HR Manager, in the People department

const as = {
  director: (): TestIdentity => ({ roles: ['Manager'], email: director.email }),
  lead: (): TestIdentity => ({ roles: ['Manager'], email: lead.email }),
  member: (): TestIdentity => ({ roles: [], email: member.email }),
  otherLead: (): TestIdentity => ({ roles: ['Manager'], email: otherLead.email }),
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

const cycleFields = /* GraphQL */ `
  id name startsOn selfReviewDueOn managerReviewDueOn releasedAt
  ratingScale { value label } questions { id text kind }
  participants { departments { id } locations { id } employmentTypes }
  progress { total notStarted inProgress submitted released acknowledged selfReviewsSubmitted selfReviewsOverdue managerReviewsSubmitted managerReviewsOverdue }
  reviews { id employee { id } manager { id } state }
`;

const reviewFields = /* GraphQL */ `
  id state releasedAt acknowledgedAt acknowledgementComment availableActions
  cycle { id } employee { id } manager { id }
  selfReview { state dueOn overdue answers { questionId rating text } overallRating goals submittedAt }
`;

const managerReviewFields = 'managerReview { state dueOn overdue answers { questionId rating text } overallRating goals submittedAt }';

interface Form {
  state: string;
  dueOn: string;
  overdue: boolean;
  answers: { questionId: string; rating: number | null; text: string | null }[] | null;
  overallRating: number | null;
  goals: string[] | null;
  submittedAt: string | null;
}

interface Review {
  id: string;
  state: string;
  availableActions: string[];
  manager: { id: string } | null;
  employee: { id: string } | null;
  selfReview: Form;
  managerReview?: Form | null;
  acknowledgementComment: string | null;
}

interface Cycle {
  id: string;
  releasedAt: string | null;
  progress: Record<string, number>;
  reviews: { id: string; employee: { id: string }; manager: { id: string } | null; state: string }[];
}

const mutations = {
  createCycle: `mutation($input: CreateReviewCycleInput!) { createReviewCycle(input: $input) { cycle { ${cycleFields} } userErrors { field code message } } }`,
  releaseCycle: `mutation($input: ReleaseReviewCycleInput!) { releaseReviewCycle(input: $input) { cycle { ${cycleFields} } userErrors { field code message } } }`,
  release: `mutation($input: ReleasePerformanceReviewInput!) { releasePerformanceReview(input: $input) { review { ${reviewFields} } userErrors { field code message } } }`,
  saveSelf: `mutation($input: SaveReviewInput!) { saveSelfReview(input: $input) { review { ${reviewFields} } userErrors { field code message } } }`,
  saveManager: `mutation($input: SaveReviewInput!) { saveManagerReview(input: $input) { review { ${reviewFields} ${managerReviewFields} } userErrors { field code message } } }`,
  acknowledge: `mutation($input: AcknowledgePerformanceReviewInput!) { acknowledgePerformanceReview(input: $input) { review { ${reviewFields} ${managerReviewFields} } userErrors { field code message } } }`,
};

const cycleInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Mid-year 2026',
  periodStart: '2026-01-01',
  periodEnd: '2026-06-30',
  startsOn: '2026-06-15',
  selfReviewDueOn: '2026-06-30',
  managerReviewDueOn: '2026-07-10',
  ratingScale: [
    { value: 1, label: 'Below expectations' },
    { value: 2, label: 'Partly meets' },
    { value: 3, label: 'Meets expectations' },
    { value: 4, label: 'Exceeds' },
    { value: 5, label: 'Outstanding' },
  ],
  questions: [
    { id: 'delivery', text: 'Delivery', kind: 'RATING' },
    { id: 'teamwork', text: 'Teamwork', kind: 'RATING' },
    { id: 'comments', text: 'Anything else?', kind: 'TEXT' },
  ],
  participants: { departmentIds: [org.departments.engineering] },
  ...overrides,
});

async function createCycle(input: Record<string, unknown>, identity: TestIdentity = as.hr()): Promise<Cycle> {
  const response = await gqlAs<{ createReviewCycle: UserErrors & { cycle: Cycle | null } }>(identity, mutations.createCycle, { input });
  expect(response.errors).toBeUndefined();
  expect(response.data?.createReviewCycle.userErrors).toEqual([]);
  const cycle = response.data?.createReviewCycle.cycle;
  if (!cycle) throw new Error('no cycle');
  return cycle;
}

function reviewOf(cycle: Cycle, employee: CreatedEmployee): string {
  const review = cycle.reviews.find((candidate) => candidate.employee.id === employee.id);
  if (!review) throw new Error(`no review of ${employee.email}`);
  return review.id;
}

async function readReview(identity: TestIdentity | Record<string, string>, id: string, withManager = true) {
  return gqlAs<{ performanceReview: Review | null }>(identity, `query($id: ID!) { performanceReview(id: $id) { ${reviewFields} ${withManager ? managerReviewFields : ''} } }`, { id });
}

async function history(identity: TestIdentity | Record<string, string>, employeeId: string) {
  return gqlAs<{ employee: { performanceReviews: { id: string; state: string }[] | null } }>(
    identity,
    'query($id: ID!) { employee(id: $id) { performanceReviews { id state } } }',
    { id: employeeId },
  );
}

async function save(kind: 'saveSelf' | 'saveManager', identity: TestIdentity, input: Record<string, unknown>) {
  const response = await gqlAs<Record<string, UserErrors & { review: Review | null }>>(identity, mutations[kind], { input });
  const field = kind === 'saveSelf' ? 'saveSelfReview' : 'saveManagerReview';
  return { response, payload: response.data?.[field] ?? null };
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  const engineering = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  director = await hire(app, { ...engineering, hireDate: '2015-01-01' });
  lead = await hire(app, { ...engineering, hireDate: '2016-01-01', managerId: director.id });
  member = await hire(app, { ...engineering, hireDate: '2018-01-01', managerId: lead.id });
  otherLead = await hire(app, { ...engineering, hireDate: '2016-01-01', managerId: director.id });
  outsider = await hire(app, { ...engineering, hireDate: '2019-01-01', managerId: otherLead.id });
  hrPerson = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2017-01-01' });
});
afterAll(() => app.close());

describe('a review cycle end to end', () => {
  let cycle: Cycle;
  let memberReview: string;

  it('is created by an HR Manager with a review per participant and their manager on the start day', async () => {
    cycle = await createCycle(cycleInput());
    expect(cycle.progress).toMatchObject({ total: 5, notStarted: 5, submitted: 0, selfReviewsOverdue: 0 });
    memberReview = reviewOf(cycle, member);
    const managers = Object.fromEntries(cycle.reviews.map((review) => [review.employee.id, review.manager?.id ?? null]));
    expect(managers).toEqual({
      [director.id]: null,
      [lead.id]: director.id,
      [member.id]: lead.id,
      [otherLead.id]: director.id,
      [outsider.id]: otherLead.id,
    });
  });

  it('is created and released by HR Managers and Admins only; HR Staff read it; nobody else', async () => {
    for (const identity of [as.hrStaff(), as.lead(), as.member(), as.viewer()]) {
      const response = await gqlAs(identity, mutations.createCycle, { input: cycleInput({ name: 'Not allowed' }) });
      expect(forbiddenPaths(response)).toEqual(['createReviewCycle']);
    }
    const staff = await gqlAs<{ reviewCycle: Cycle | null }>(as.hrStaff(), 'query($id: ID!) { reviewCycle(id: $id) { id progress { total } } }', { id: cycle.id });
    expect(staff.errors).toBeUndefined();
    expect(staff.data?.reviewCycle?.progress.total).toBe(5);
    for (const identity of [as.lead(), as.member()]) {
      expect(forbiddenPaths(await gqlAs(identity, '{ reviewCycles { id } }'))).toEqual(['reviewCycles']);
    }
    expect(forbiddenPaths(await gqlAs(serviceHeaders.psa, '{ reviewCycles { id } }'))).toEqual(['reviewCycles']);
  });

  it('refuses a cycle that is not well formed, with each problem at its field', async () => {
    const response = await gqlAs<{ createReviewCycle: UserErrors }>(as.hr(), mutations.createCycle, {
      input: cycleInput({
        periodEnd: '2025-12-31',
        selfReviewDueOn: '2026-06-01',
        ratingScale: [{ value: 1, label: 'Only one' }],
        questions: [
          { id: 'a', text: 'A', kind: 'RATING' },
          { id: 'a', text: 'B', kind: 'TEXT' },
        ],
        participants: { departmentIds: ['00000000-0000-4000-8000-000000000000'] },
      }),
    });
    const codes = response.data?.createReviewCycle.userErrors.map((error) => `${error.code} ${error.field?.join('.')}`);
    expect(codes).toEqual(
      expect.arrayContaining(['END_BEFORE_START input.periodEnd', 'INVALID_VALUE input.selfReviewDueOn', 'INVALID_VALUE input.ratingScale', 'INVALID_VALUE input.questions']),
    );
    const nobody = await gqlAs<{ createReviewCycle: UserErrors }>(as.hr(), mutations.createCycle, {
      input: cycleInput({ participants: { employmentTypes: ['INTERN'] } }),
    });
    expect(nobody.data?.createReviewCycle.userErrors.map((error) => error.code)).toEqual(['NO_REVIEW_PARTICIPANTS']);
  });

  it('lets the employee write a draft that stays theirs, then submit it complete', async () => {
    const todo = await gqlAs<{ me: { pendingReviews: { id: string; availableActions: string[] }[] } }>(
      as.member(),
      '{ me { pendingReviews { id availableActions } } }',
    );
    expect(todo.data?.me.pendingReviews).toEqual([{ id: memberReview, availableActions: ['WRITE_SELF_REVIEW'] }]);

    const draft = await save('saveSelf', as.member(), { reviewId: memberReview, answers: [{ questionId: 'delivery', rating: 4, text: 'Shipped the API' }] });
    expect(draft.payload?.userErrors).toEqual([]);
    expect(draft.payload?.review).toMatchObject({ state: 'IN_PROGRESS', selfReview: { state: 'IN_PROGRESS', answers: [{ questionId: 'delivery', rating: 4 }] } });

    // The manager sees the draft exists, not what it says.
    const byLead = await readReview(as.lead(), memberReview);
    expect(byLead.data?.performanceReview?.selfReview).toMatchObject({ state: 'IN_PROGRESS', answers: null, goals: null, overallRating: null });

    // Nobody else writes it; a rating off the scale and a missing rating are the employee's to fix.
    expect(forbiddenPaths((await save('saveSelf', as.lead(), { reviewId: memberReview, answers: [] })).response)).toEqual(['saveSelfReview']);
    const offScale = await save('saveSelf', as.member(), { reviewId: memberReview, answers: [{ questionId: 'teamwork', rating: 9 }] });
    expect(offScale.payload?.userErrors.map((error) => `${error.code} ${error.field?.join('.')}`)).toEqual(['INVALID_VALUE input.answers.0.rating']);
    const incomplete = await save('saveSelf', as.member(), { reviewId: memberReview, submit: true });
    expect(incomplete.payload?.userErrors.map((error) => error.code)).toEqual(['REQUIRED']);

    const submitted = await save('saveSelf', as.member(), {
      reviewId: memberReview,
      answers: [
        { questionId: 'delivery', rating: 4, text: 'Shipped the API' },
        { questionId: 'teamwork', rating: 3 },
        { questionId: 'comments', text: 'More pairing, please' },
      ],
      goals: ['Lead the migration'],
      submit: true,
    });
    expect(submitted.payload?.userErrors).toEqual([]);
    expect(submitted.payload?.review?.selfReview).toMatchObject({ state: 'SUBMITTED', goals: ['Lead the migration'] });
    const again = await save('saveSelf', as.member(), { reviewId: memberReview, goals: [] });
    expect(again.payload?.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);

    // Submitted: the manager reads it now.
    const read = await readReview(as.lead(), memberReview);
    expect(read.data?.performanceReview?.selfReview.answers).toHaveLength(3);
  });

  it("never shows the manager's draft or unreleased review to the employee, nor the review to another team", async () => {
    const draft = await save('saveManager', as.lead(), {
      reviewId: memberReview,
      answers: [{ questionId: 'delivery', rating: 5, text: 'Excellent' }],
      goals: ['Own the release process'],
    });
    expect(draft.payload?.userErrors).toEqual([]);
    expect(draft.payload?.review?.state).toBe('IN_PROGRESS');

    const own = await readReview(as.member(), memberReview);
    expect(own.data?.performanceReview?.id).toBe(memberReview);
    expect(own.data?.performanceReview?.managerReview).toBeNull();
    expect(forbiddenPaths(own)).toEqual(['performanceReview.managerReview']);
    const ownHistory = await history(as.member(), member.id);
    expect(ownHistory.errors).toBeUndefined();
    expect(ownHistory.data?.employee.performanceReviews).toEqual([]);

    // Another team's manager, a colleague, a Viewer: nothing, not even that it exists.
    for (const identity of [as.otherLead(), as.outsider(), as.viewer()]) {
      const read = await readReview(identity, memberReview);
      expect(read.errors, identity.email).toBeUndefined();
      expect(read.data?.performanceReview, identity.email).toBeNull();
      expect(forbiddenPaths(await history(identity, member.id)), identity.email).toEqual(['employee.performanceReviews']);
    }
    // No service reads reviews.
    expect(forbiddenPaths(await readReview(serviceHeaders.psa, memberReview))).toEqual(['performanceReview']);

    // The line above the manager and HR see it all, the draft as a draft.
    for (const identity of [as.director(), as.hr(), as.hrStaff()]) {
      const read = await readReview(identity, memberReview);
      expect(read.errors, identity.email).toBeUndefined();
      expect(read.data?.performanceReview?.managerReview, identity.email).toMatchObject({ state: 'IN_PROGRESS', answers: null });
      expect((await history(identity, member.id)).data?.employee.performanceReviews?.map((review) => review.id), identity.email).toEqual([memberReview]);
    }
    // Only the review's manager writes the manager review.
    for (const identity of [as.director(), as.otherLead(), as.member(), as.hr()]) {
      expect(forbiddenPaths((await save('saveManager', identity, { reviewId: memberReview, goals: [] })).response), identity.email).toEqual(['saveManagerReview']);
    }
  });

  it('becomes SUBMITTED with the manager review complete, and stays hidden from the employee until released', async () => {
    const incomplete = await save('saveManager', as.lead(), { reviewId: memberReview, answers: [{ questionId: 'delivery', rating: 5 }, { questionId: 'teamwork', rating: 4 }], submit: true });
    expect(incomplete.payload?.userErrors.map((error) => `${error.code} ${error.field?.join('.')}`)).toEqual(['REQUIRED input.overallRating']);
    // A refused submission saved nothing: the answers come again with the rating.
    const submitted = await save('saveManager', as.lead(), {
      reviewId: memberReview,
      answers: [{ questionId: 'delivery', rating: 5 }, { questionId: 'teamwork', rating: 4 }],
      overallRating: 4,
      submit: true,
    });
    expect(submitted.payload?.userErrors).toEqual([]);
    expect(submitted.payload?.review).toMatchObject({ state: 'SUBMITTED', managerReview: { state: 'SUBMITTED', overallRating: 4 } });

    const own = await readReview(as.member(), memberReview);
    expect(forbiddenPaths(own)).toEqual(['performanceReview.managerReview']);
    expect(own.data?.performanceReview?.availableActions).toEqual([]);
    expect((await history(as.member(), member.id)).data?.employee.performanceReviews).toEqual([]);

    const hr = await readReview(as.hr(), memberReview);
    expect(hr.data?.performanceReview?.availableActions).toEqual(['RELEASE']);
    const progress = await gqlAs<{ reviewCycle: Cycle }>(as.hr(), `query($id: ID!) { reviewCycle(id: $id) { ${cycleFields} } }`, { id: cycle.id });
    expect(progress.data?.reviewCycle.progress).toMatchObject({ total: 5, notStarted: 4, submitted: 1, selfReviewsSubmitted: 1, managerReviewsSubmitted: 1 });
  });

  it('is released with the cycle (only submitted reviews), emits review.released, and is acknowledged by the employee', async () => {
    for (const identity of [as.hrStaff(), as.lead()]) {
      expect(forbiddenPaths(await gqlAs(identity, mutations.releaseCycle, { input: { cycleId: cycle.id } }))).toEqual(['releaseReviewCycle']);
    }
    const released = await gqlAs<{ releaseReviewCycle: UserErrors & { cycle: Cycle } }>(as.hr(), mutations.releaseCycle, { input: { cycleId: cycle.id } });
    expect(released.data?.releaseReviewCycle.userErrors).toEqual([]);
    expect(released.data?.releaseReviewCycle.cycle.releasedAt).not.toBeNull();
    expect(released.data?.releaseReviewCycle.cycle.progress).toMatchObject({ released: 1, notStarted: 4 });

    const events = await app.gql<{ outboxEvents: { nodes: { subject: string; data: string }[] } }>(
      '{ outboxEvents(type: "review.released") { nodes { subject data } } }',
    );
    expect(events.data?.outboxEvents.nodes.map((event) => ({ subject: event.subject, data: JSON.parse(event.data) as unknown }))).toEqual([
      { subject: `performance_review:${memberReview}`, data: { reviewId: memberReview, cycleId: cycle.id, employeeId: member.id } },
    ]);

    const own = await readReview(as.member(), memberReview);
    expect(own.errors).toBeUndefined();
    expect(own.data?.performanceReview).toMatchObject({
      state: 'RELEASED',
      availableActions: ['ACKNOWLEDGE'],
      managerReview: { state: 'SUBMITTED', overallRating: 4, goals: ['Own the release process'] },
    });
    expect((await history(as.member(), member.id)).data?.employee.performanceReviews?.map((review) => review.id)).toEqual([memberReview]);
    const todo = await gqlAs<{ me: { pendingReviews: { id: string; availableActions: string[] }[] } }>(as.member(), '{ me { pendingReviews { id availableActions } } }');
    expect(todo.data?.me.pendingReviews).toEqual([{ id: memberReview, availableActions: ['ACKNOWLEDGE'] }]);

    // Only the employee acknowledges, once.
    expect(forbiddenPaths(await gqlAs(as.lead(), mutations.acknowledge, { input: { reviewId: memberReview } }))).toEqual(['acknowledgePerformanceReview']);
    const acknowledged = await gqlAs<{ acknowledgePerformanceReview: UserErrors & { review: Review } }>(as.member(), mutations.acknowledge, {
      input: { reviewId: memberReview, comment: 'Thanks, agreed.' },
    });
    expect(acknowledged.data?.acknowledgePerformanceReview.userErrors).toEqual([]);
    expect(acknowledged.data?.acknowledgePerformanceReview.review).toMatchObject({ state: 'ACKNOWLEDGED', acknowledgementComment: 'Thanks, agreed.' });
    const twice = await gqlAs<{ acknowledgePerformanceReview: UserErrors }>(as.member(), mutations.acknowledge, { input: { reviewId: memberReview } });
    expect(twice.data?.acknowledgePerformanceReview.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
  });

  it('counts forms past their due dates as overdue in the progress and on the forms', async () => {
    app.clock.set('2026-07-11');
    try {
      const progress = await gqlAs<{ reviewCycle: Cycle }>(as.hr(), `query($id: ID!) { reviewCycle(id: $id) { ${cycleFields} } }`, { id: cycle.id });
      expect(progress.data?.reviewCycle.progress).toMatchObject({ acknowledged: 1, selfReviewsOverdue: 4, managerReviewsOverdue: 4 });
      const other = await readReview(as.otherLead(), reviewOf(cycle, outsider));
      expect(other.data?.performanceReview?.selfReview).toMatchObject({ state: 'NOT_STARTED', overdue: true });
      expect(other.data?.performanceReview?.managerReview).toMatchObject({ state: 'NOT_STARTED', overdue: true });
    } finally {
      app.clock.set('2026-06-15');
    }
  });

  it('lets HR release one review, never their own, and only once submitted', async () => {
    const everyone = await createCycle(cycleInput({ name: 'Everyone 2026', participants: null }));
    const hrOwn = reviewOf(everyone, hrPerson);
    const outsiderReview = reviewOf(everyone, outsider);
    expect(forbiddenPaths(await gqlAs(as.hr(), mutations.release, { input: { reviewId: hrOwn } }))).toEqual(['releasePerformanceReview']);
    const early = await gqlAs<{ releasePerformanceReview: UserErrors }>(as.hr(), mutations.release, { input: { reviewId: outsiderReview } });
    expect(early.data?.releasePerformanceReview.userErrors.map((error) => error.code)).toEqual(['CONFLICT']);
    await save('saveManager', as.otherLead(), {
      reviewId: outsiderReview,
      answers: [{ questionId: 'delivery', rating: 3 }, { questionId: 'teamwork', rating: 3 }],
      overallRating: 3,
      submit: true,
    });
    const released = await gqlAs<{ releasePerformanceReview: UserErrors & { review: Review } }>(as.hr(), mutations.release, { input: { reviewId: outsiderReview } });
    expect(released.data?.releasePerformanceReview.userErrors).toEqual([]);
    expect(released.data?.releasePerformanceReview.review.state).toBe('RELEASED');
    // The HR Manager's own review is theirs as an employee: never the manager's draft, though they are HR.
    const ownAsHr = await readReview(as.hr(), hrOwn);
    expect(forbiddenPaths(ownAsHr)).toEqual(['performanceReview.managerReview']);
  });

  it('has HR write the manager review of someone with no manager, never their own', async () => {
    const everyone = await gqlAs<{ reviewCycles: { id: string; name: string; reviews: Cycle['reviews'] }[] }>(as.hr(), '{ reviewCycles { id name reviews { id employee { id } manager { id } state } } }');
    const cycleOfAll = everyone.data?.reviewCycles.find((candidate) => candidate.name === 'Everyone 2026');
    const directorReview = cycleOfAll?.reviews.find((review) => review.employee.id === director.id);
    const hrOwn = cycleOfAll?.reviews.find((review) => review.employee.id === hrPerson.id);
    if (!directorReview || !hrOwn) throw new Error('missing reviews');
    expect(directorReview.manager).toBeNull();
    const hrTodo = await gqlAs<{ me: { pendingReviews: { id: string; availableActions: string[] }[] } }>(as.hr(), '{ me { pendingReviews { id availableActions } } }');
    const todo = hrTodo.data?.me.pendingReviews ?? [];
    expect(todo).toContainEqual({ id: directorReview.id, availableActions: ['WRITE_MANAGER_REVIEW'] });
    // Their own review (no manager either) is theirs to self-review, not to manager-review.
    expect(todo).toContainEqual({ id: hrOwn.id, availableActions: ['WRITE_SELF_REVIEW'] });
    const saved = await save('saveManager', as.hr(), { reviewId: directorReview.id, goals: ['Grow the team'] });
    expect(saved.payload?.userErrors).toEqual([]);
    expect(forbiddenPaths((await save('saveManager', as.hr(), { reviewId: hrOwn.id, goals: [] })).response)).toEqual(['saveManagerReview']);
  });
});

describe('when the manager of the start day has left', () => {
  it('passes the manager review to the next one up the line of that day, whoever manages the employee now', async () => {
    const engineering = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
    const leaving = await hire(app, { ...engineering, hireDate: '2016-06-01', managerId: director.id });
    const report = await hire(app, { ...engineering, hireDate: '2019-06-01', managerId: leaving.id });
    const cycle = await createCycle(cycleInput({ name: 'Q3 2026', startsOn: '2026-06-15', participants: { departmentIds: [org.departments.engineering] } }));
    const reviewId = reviewOf(cycle, report);

    const managerOf = async (identity: TestIdentity) => (await readReview(identity, reviewId, false)).data?.performanceReview?.manager?.id ?? null;
    expect(await managerOf(as.hr())).toBe(leaving.id);

    // Later, the report moves to another lead and the manager leaves.
    app.clock.set('2026-07-01');
    try {
      const moved = await app.gql<{ updateEmployee: UserErrors }>(
        'mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { field code message } } }',
        { input: { id: report.id, managerId: otherLead.id, effectiveDate: '2026-07-01' } },
      );
      expect(moved.data?.updateEmployee.userErrors).toEqual([]);
      const left = await app.gql<{ changeEmployeeStatus: UserErrors }>(
        'mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { field code message } } }',
        { input: { id: leaving.id, status: 'RESIGNED', effectiveDate: '2026-07-01' } },
      );
      expect(left.data?.changeEmployeeStatus.userErrors).toEqual([]);

      // The line above the leaver on the start day writes it; the new lead sees it but does not.
      expect(await managerOf(as.hr())).toBe(director.id);
      const directorTodo = await gqlAs<{ me: { pendingReviews: { id: string; availableActions: string[] }[] } }>(as.director(), '{ me { pendingReviews { id availableActions } } }');
      expect(directorTodo.data?.me.pendingReviews).toContainEqual({ id: reviewId, availableActions: ['WRITE_MANAGER_REVIEW'] });
      const byDirector = await save('saveManager', as.director(), { reviewId, answers: [{ questionId: 'delivery', rating: 3 }] });
      expect(byDirector.payload?.userErrors).toEqual([]);
      const byNewLead = await readReview(as.otherLead(), reviewId);
      expect(byNewLead.data?.performanceReview?.availableActions).toEqual([]);
      expect(forbiddenPaths((await save('saveManager', as.otherLead(), { reviewId, goals: [] })).response)).toEqual(['saveManagerReview']);
      // The leaver can no longer sign in at all.
      const leaver = await gqlAs(as.member(), '{ me { email } }');
      expect(leaver.errors).toBeUndefined();
      const refused = await gqlAs({ roles: ['Manager'], email: leaving.email }, '{ me { email } }');
      expect(refused.status).toBe(403);
    } finally {
      app.clock.set('2026-06-15');
    }
  });
});
