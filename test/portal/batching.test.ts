import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainingAssignment } from '../../src/training/training.service.js';
import { createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp, type TestIdentity } from '../support/server.js';

// `Employee.performanceReviews` and `Employee.trainingEnrollments` cost the same statements for
// 3 employees as for 15, as HR and as the manager above them all, with everything they show
// (cycles, managers, forms, actions, courses, status, validity).

let app: TestApp;
let org: OrgBasics;
let boss: { id: string; email: string };

const listQuery = /* GraphQL */ `
  query($departments: [ID!], $first: Int) {
    employees(filter: { departmentIds: $departments }, first: $first) {
      nodes {
        id
        performanceReviews {
          id state availableActions
          cycle { name startsOn }
          manager { id }
          selfReview { state overdue answers { rating } }
          managerReview { state overdue }
        }
        trainingEnrollments {
          id status source required dueOn overdue validUntil availableActions
          course { title certification { name } }
          certificationToRecord { id }
        }
      }
    }
  }
`;

interface Listed {
  employees: { nodes: { id: string; performanceReviews: unknown[] | null; trainingEnrollments: unknown[] | null }[] };
}

const hr: TestIdentity = { roles: ['HR Staff'], email: 'hr.staff@people.test' };

async function createCycle(name: string): Promise<void> {
  const response = await app.gql<{ createReviewCycle: { userErrors: unknown[] } }>(
    'mutation($input: CreateReviewCycleInput!) { createReviewCycle(input: $input) { userErrors { code message } } }',
    {
      input: {
        name,
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        startsOn: '2026-06-15',
        selfReviewDueOn: '2026-06-30',
        managerReviewDueOn: '2026-07-10',
        ratingScale: [{ value: 1, label: 'Low' }, { value: 2, label: 'Mid' }, { value: 3, label: 'High' }],
        questions: [{ text: 'Delivery', kind: 'RATING' }, { text: 'Notes', kind: 'TEXT' }],
      },
    },
  );
  expect(response.data?.createReviewCycle.userErrors).toEqual([]);
}

async function statementsFor(identity: TestIdentity, departmentId: string, expected: number): Promise<number> {
  const headers = await app.as(identity);
  let listed: Listed | null | undefined;
  const statements = await app.countStatements(async () => {
    const response = await app.gql<Listed>(listQuery, { departments: [departmentId], first: 50 }, headers);
    expect(response.errors).toBeUndefined();
    listed = response.data;
  });
  const nodes = listed?.employees.nodes ?? [];
  expect(nodes).toHaveLength(expected);
  // Every employee has reviews in both cycles and the required course.
  for (const node of nodes.filter((candidate) => candidate.id !== boss.id)) {
    expect(node.performanceReviews).toHaveLength(2);
    expect(node.trainingEnrollments?.length).toBeGreaterThanOrEqual(1);
  }
  return statements;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  boss = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin, hireDate: '2015-01-01' });
  const team = async (departmentId: string, size: number) => {
    for (let index = 0; index < size; index += 1) {
      await hire(app, { departmentId, locationId: index % 2 ? org.locations.berlin : org.locations.newYork, hireDate: '2020-01-01', managerId: boss.id });
    }
  };
  await team(org.departments.sales, 3);
  await team(org.departments.engineering, 15);
  await createCycle('H1 2026');
  await createCycle('Calibration 2026');
  const course = await app.gql<{ createTrainingCourse: { course: { id: string } } }>(
    'mutation($input: CreateTrainingCourseInput!) { createTrainingCourse(input: $input) { course { id } } }',
    { input: { title: 'Security Awareness', provider: 'KnowBe4', hours: 1, selfPaced: true } },
  );
  const rule = await app.gql<{ createTrainingRequirement: { userErrors: unknown[] } }>(
    'mutation($input: CreateTrainingRequirementInput!) { createTrainingRequirement(input: $input) { userErrors { code } } }',
    { input: { courseId: course.data?.createTrainingCourse.course.id, renewalMonths: 12 } },
  );
  expect(rule.data?.createTrainingRequirement.userErrors).toEqual([]);
  expect(await runTrainingAssignment({ db: app.database.db, clock: app.clock, logger: pino({ level: 'silent' }) })).toBe(0);
});
afterAll(() => app.close());

describe('reviews and training of many employees', () => {
  it('cost the same statements for 3 employees as for 15, as HR', async () => {
    const few = await statementsFor(hr, org.departments.sales, 3);
    const many = await statementsFor(hr, org.departments.engineering, 15);
    expect(many).toBe(few);
  });

  it('cost the same statements for 3 employees as for 15, as the manager above them', async () => {
    const manager: TestIdentity = { roles: ['Manager'], email: boss.email };
    const few = await statementsFor(manager, org.departments.sales, 3);
    const many = await statementsFor(manager, org.departments.engineering, 15);
    expect(many).toBe(few);
  });
});
