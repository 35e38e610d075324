import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { runTrainingAssignment } from '../../src/training/training.service.js';
import { startTestApp, type TestApp } from '../support/server.js';

// The demo reviews and training, as HR and an employee meet them. Today (the test clock) is 2026-06-15.

let app: TestApp;

async function data<T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T> {
  const response = await app.gql<T>(query, variables, headers);
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  await seedDemoOrganisationIfEmpty(app.database.db, app.clock);
});
afterAll(() => app.close());

interface CycleRow {
  name: string;
  startsOn: string;
  releasedAt: string | null;
  progress: { total: number; notStarted: number; inProgress: number; submitted: number; released: number; acknowledged: number };
}

describe('demo performance reviews', () => {
  it('has two past cycles released and one in progress', async () => {
    const { reviewCycles } = await data<{ reviewCycles: CycleRow[] }>(
      '{ reviewCycles { name startsOn releasedAt progress { total notStarted inProgress submitted released acknowledged } } }',
    );
    expect(reviewCycles.map((cycle) => cycle.name)).toEqual(['Mid-year review 2026', 'Year-end review 2025', 'Mid-year review 2025']);
    const [current, ...past] = reviewCycles;
    for (const cycle of past) {
      expect(cycle.releasedAt).not.toBeNull();
      expect(cycle.progress.released + cycle.progress.acknowledged).toBe(cycle.progress.total);
      expect(cycle.progress.acknowledged).toBeGreaterThan(cycle.progress.released);
      expect(cycle.progress.total).toBeGreaterThan(50);
    }
    expect(current?.releasedAt).toBeNull();
    expect(current?.progress).toMatchObject({ released: 0, acknowledged: 0 });
    for (const state of ['notStarted', 'inProgress', 'submitted'] as const) expect(current?.progress[state], state).toBeGreaterThan(0);
  });

  it('shows an employee their released history only', async () => {
    const { employees } = await data<{ employees: { nodes: { email: string; hireDate: string }[] } }>(
      '{ employees(first: 100, filter: { status: [ACTIVE] }, sort: { field: HIRE_DATE, direction: ASC }) { nodes { email hireDate } } }',
    );
    const veteran = employees.nodes[5];
    if (!veteran) throw new Error('no employee');
    const headers = await app.as({ roles: [], email: veteran.email });
    const { me } = await data<{ me: { employee: { performanceReviews: { state: string }[] } } }>(
      '{ me { employee { performanceReviews { state } } } }',
      {},
      headers,
    );
    expect(me.employee.performanceReviews).toHaveLength(2);
    expect(new Set(me.employee.performanceReviews.map((review) => review.state))).toSatisfy((states: Set<string>) =>
      [...states].every((state) => state === 'RELEASED' || state === 'ACKNOWLEDGED'),
    );
  });
});

describe('demo training', () => {
  it('has a small catalog, security awareness required of everyone, data protection of People & Finance, customer service of the Service Desk', async () => {
    const { trainingCourses, trainingRequirements } = await data<{
      trainingCourses: { title: string; certification: { code: string | null } | null }[];
      trainingRequirements: { course: { title: string }; department: { code: string } | null; renewalMonths: number | null }[];
    }>('{ trainingCourses { title certification { code } } trainingRequirements { course { title } department { code } renewalMonths } }');
    expect(trainingCourses.length).toBeGreaterThanOrEqual(6);
    expect(trainingCourses.filter((course) => course.certification).length).toBeGreaterThanOrEqual(3);
    expect(trainingRequirements).toEqual(
      expect.arrayContaining([
        { course: { title: 'Security Awareness Essentials' }, department: null, renewalMonths: 12 },
        { course: { title: 'Data Protection and GDPR Basics' }, department: { code: 'PFN' }, renewalMonths: null },
        { course: { title: 'Customer Service Excellence' }, department: { code: 'SDK' }, renewalMonths: null },
      ]),
    );
  });

  it('has enrollments as the rules would make them, in every state', async () => {
    // Nothing for the assignment run to add: the demo is what the rules say.
    expect(await runTrainingAssignment({ db: app.database.db, clock: app.clock, logger: pino({ level: 'silent' }) })).toBe(0);
    const { trainingCompliance } = await data<{ trainingCompliance: { course: { title: string }; total: { required: number; completed: number; due: number; overdue: number } }[] }>(
      '{ trainingCompliance { course { title } total { required completed due overdue } } }',
    );
    const security = trainingCompliance.find((row) => row.course.title === 'Security Awareness Essentials');
    expect(security?.total.required).toBeGreaterThan(50);
    expect(security?.total.completed).toBeGreaterThan(security?.total.overdue ?? 0);
    expect(security?.total.overdue).toBeGreaterThan(0);
    // The Service Desk's new rule: most people still have time.
    const service = trainingCompliance.find((row) => row.course.title === 'Customer Service Excellence');
    expect(service?.total.due).toBeGreaterThan(service?.total.completed ?? 0);
    expect(service?.total.completed).toBeGreaterThan(0);

    const { employees } = await data<{ employees: { nodes: { trainingEnrollments: { status: string; overdue: boolean; source: string }[] }[] } }>(
      '{ employees(first: 100) { nodes { trainingEnrollments { status overdue source } } } }',
    );
    const all = employees.nodes.flatMap((node) => node.trainingEnrollments);
    expect(new Set(all.map((enrollment) => enrollment.status))).toEqual(new Set(['ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'WITHDRAWN', 'EXPIRED']));
    expect(new Set(all.map((enrollment) => enrollment.source))).toEqual(new Set(['REQUIREMENT', 'RENEWAL', 'SELF', 'LINE', 'HR']));
    expect(all.some((enrollment) => enrollment.overdue)).toBe(true);
  });
});
