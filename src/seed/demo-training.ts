import { describeCaller } from '../auth/auth.service.js';
import { certificationCatalog } from '../certifications/certification.tables.js';
import type { Database } from '../db/database.js';
import { employedStatuses, findEveryoneOn } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import { addDays, addMonths, type CalendarDate } from '../shared/dates.js';
import { SeededRandom } from '../shared/random.js';
import { trainingCourses, trainingEnrollments, trainingRequirements } from '../training/training.tables.js';

/*
 * Demo training, loaded after the certifications: a small catalog (security awareness, data
 * protection, certification preparation, leadership, customer service), security awareness
 * required of everyone every 12 months (in force for over a year) and data protection of People &
 * Finance, and enrollments as the rules would have made them: most people completed this year's
 * security awareness, some are renewing, some are overdue (a lapsed completion, or never done),
 * new hires have theirs due; a few people take preparation courses of their own or their
 * manager's choosing, one withdrew. Built so that the assignment run finds nothing to add (tested).
 * Deterministic: a seeded PRNG, dates relative to today.
 */

export interface DemoTrainingInput {
  ctx: RequestContext;
  /** Every demo employee by key. */
  employees: readonly { key: string; id: string }[];
  /** The People & Finance and Service Desk departments. */
  departments: { peopleAndFinance: string; serviceDesk: string };
}

export interface DemoTrainingSummary {
  courses: number;
  requirements: number;
  enrollments: number;
}

const prngSeed = 0x7a11e5;
const ruleAuthor = 'system:training-rules';

type CourseKey = 'security' | 'gdpr' | 'itil' | 'az104' | 'ccna' | 'leadership' | 'service';

const courseSpecs: Record<CourseKey, Omit<typeof trainingCourses.$inferInsert, 'certificationCatalogEntryId'> & { certification?: string }> = {
  security: { title: 'Security Awareness Essentials', provider: 'KnowBe4', hours: 1.5, selfEnrollment: true, selfPaced: true, description: 'Phishing, passwords, MFA and reporting incidents: the yearly refresher everyone takes.' },
  gdpr: { title: 'Data Protection and GDPR Basics', provider: 'Internal Academy', hours: 1, selfEnrollment: true, selfPaced: true, description: 'Handling personal data of employees and customers.' },
  itil: { title: 'ITIL 4 Foundation exam preparation', provider: 'PeopleCert Academy', hours: 16, selfEnrollment: true, certification: 'ITIL 4 Foundation', url: 'https://training.example/itil4-foundation' },
  az104: { title: 'Azure Administrator (AZ-104) learning path', provider: 'Microsoft Learn', hours: 24, selfEnrollment: true, selfPaced: true, certification: 'Microsoft Certified: Azure Administrator Associate', url: 'https://learn.microsoft.com/training/paths/az-104-administrator-prerequisites/' },
  ccna: { title: 'CCNA 200-301 bootcamp', provider: 'Cisco Networking Academy', hours: 40, certification: 'Cisco Certified Network Associate' },
  leadership: { title: 'Leading Technical Teams', provider: 'Internal Academy', hours: 16, description: 'For new and aspiring team leads: one-to-ones, feedback, delegation.' },
  service: { title: 'Customer Service Excellence', provider: 'Service Desk Institute', hours: 6, selfEnrollment: true },
};

type EnrollmentInsert = typeof trainingEnrollments.$inferInsert;

export async function seedDemoTraining(db: Database, input: DemoTrainingInput): Promise<DemoTrainingSummary> {
  const { ctx } = input;
  const today = ctx.today;
  const now = ctx.clock.now();
  const author = describeCaller(ctx.caller);
  const random = new SeededRandom(prngSeed);
  const instant = (day: CalendarDate): Date => {
    const at = new Date(`${day}T${String(random.int(8, 17)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00.000Z`);
    return at > now ? now : at;
  };

  const certifications = new Map((await db.select({ id: certificationCatalog.id, name: certificationCatalog.name }).from(certificationCatalog)).map((row) => [row.name, row.id]));
  const courseIds = {} as Record<CourseKey, string>;
  for (const [key, { certification, ...spec }] of Object.entries(courseSpecs) as [CourseKey, (typeof courseSpecs)[CourseKey]][]) {
    const [row] = await db
      .insert(trainingCourses)
      .values({ ...spec, certificationCatalogEntryId: certification ? (certifications.get(certification) ?? null) : null })
      .returning({ id: trainingCourses.id });
    if (!row) throw new Error(`Demo training: inserting course ${key} returned no row`);
    courseIds[key] = row.id;
  }

  // Security awareness for everyone, every 12 months, in force for over a year; data protection
  // for People & Finance; customer service for the Service Desk, introduced three weeks ago.
  const securityFrom = addDays(today, -400);
  const gdprFrom = addDays(today, -200);
  const serviceFrom = addDays(today, -20);
  const [security, gdpr, service] = await db
    .insert(trainingRequirements)
    .values([
      { courseId: courseIds.security, dueWithinDays: 30, renewalMonths: 12, effectiveFrom: securityFrom, createdBy: author, createdAt: instant(securityFrom) },
      { courseId: courseIds.gdpr, departmentId: input.departments.peopleAndFinance, dueWithinDays: 60, effectiveFrom: gdprFrom, createdBy: author, createdAt: instant(gdprFrom) },
      { courseId: courseIds.service, departmentId: input.departments.serviceDesk, dueWithinDays: 45, effectiveFrom: serviceFrom, createdBy: author, createdAt: instant(serviceFrom) },
    ])
    .returning({ id: trainingRequirements.id });
  if (!security || !gdpr || !service) throw new Error('Demo training: inserting the rules returned no rows');

  const everyone = await findEveryoneOn(db, today);
  const employed = everyone.filter((employee) => employee.job?.status && employedStatuses.includes(employee.job.status));
  const enrollments: EnrollmentInsert[] = [];
  const completed = (employeeId: string, courseId: string, completedOn: CalendarDate, extra: Partial<EnrollmentInsert>): EnrollmentInsert => ({
    employeeId,
    courseId,
    status: 'COMPLETED',
    completedOn,
    score: random.int(72, 100),
    completedBy: author,
    enrolledAt: instant(addDays(completedOn, -random.int(3, 20))),
    enrolledBy: ruleAuthor,
    source: 'REQUIREMENT',
    ...extra,
  });
  const open = (employeeId: string, courseId: string, dueOn: CalendarDate | null, extra: Partial<EnrollmentInsert>): EnrollmentInsert => ({
    employeeId,
    courseId,
    status: random.chance(0.3) ? 'IN_PROGRESS' : 'ENROLLED',
    dueOn,
    enrolledAt: instant(dueOn ? addDays(dueOn, -30) : addDays(today, -random.int(5, 60))),
    enrolledBy: ruleAuthor,
    source: 'REQUIREMENT',
    ...extra,
  });

  // Who took the customer service course of their own accord before it was required (below).
  const voluntarilyCompleted = new Set(['sdLeadLon.3'].map((key) => input.employees.find((employee) => employee.key === key)?.id));

  for (const employee of employed) {
    // As the rule makes them (training.rules.ts): first due 30 days after the later of the start and the rule.
    const firstDue = addDays(employee.hireDate > securityFrom ? employee.hireDate : securityFrom, 30);
    const requirementId = security.id;
    if (firstDue > today) {
      enrollments.push(open(employee.id, courseIds.security, firstDue, { requirementId }));
      continue;
    }
    const story = random.weighted([
      { weight: 14, v: 'current' as const },
      { weight: 2, v: 'renewing' as const },
      { weight: 2, v: 'lapsed' as const },
      { weight: 1, v: 'never' as const },
    ]).v;
    // Enrolled when the rule or their start came, so completed no earlier than that.
    const earliest = addDays(firstDue, -25);
    // A year-old completion needs someone employed a year ago (and before it).
    const yearAgo = addDays(today, story === 'lapsed' ? -394 : -361);
    if (story === 'never' || (story !== 'current' && earliest > yearAgo)) {
      enrollments.push(open(employee.id, courseIds.security, firstDue, { requirementId }));
    } else if (story === 'current') {
      const from = earliest > addDays(today, -330) ? earliest : addDays(today, -330);
      enrollments.push(completed(employee.id, courseIds.security, addDays(from, random.int(0, Math.max(0, daysFrom(from, addDays(today, -3))))), { requirementId }));
    } else {
      // Completed a year ago: renewing now (due soon) or lapsed (the renewal is overdue).
      const completedOn = story === 'renewing' ? addDays(today, -random.int(340, 360)) : addDays(today, -random.int(380, 393));
      const dueAgain = addMonths(completedOn, 12);
      enrollments.push(completed(employee.id, courseIds.security, completedOn, { requirementId }));
      enrollments.push(open(employee.id, courseIds.security, dueAgain, { requirementId, source: 'RENEWAL', enrolledAt: instant(addDays(dueAgain, -30)) }));
    }

    if (employee.job?.departmentId === input.departments.serviceDesk && !voluntarilyCompleted.has(employee.id)) {
      const serviceDue = addDays(employee.hireDate > serviceFrom ? employee.hireDate : serviceFrom, 45);
      if (random.chance(0.2)) enrollments.push(completed(employee.id, courseIds.service, addDays(today, -random.int(1, 15)), { requirementId: service.id }));
      else enrollments.push(open(employee.id, courseIds.service, serviceDue, { requirementId: service.id }));
    }

    if (employee.job?.departmentId === input.departments.peopleAndFinance) {
      const gdprDue = addDays(employee.hireDate > gdprFrom ? employee.hireDate : gdprFrom, 60);
      if (gdprDue > today || random.chance(0.15)) enrollments.push(open(employee.id, courseIds.gdpr, gdprDue, { requirementId: gdpr.id }));
      else enrollments.push(completed(employee.id, courseIds.gdpr, addDays(gdprDue, -random.int(1, 50)), { requirementId: gdpr.id }));
    }
  }

  // Courses people chose, or their manager or HR chose for them.
  const employedIds = new Set(employed.map((employee) => employee.id));
  const ids = new Map(input.employees.map((employee) => [employee.key, employee.id]));
  const who = (key: string): string | null => {
    const id = ids.get(key);
    return id && employedIds.has(id) ? id : null;
  };
  const chosen: [string, CourseKey, (employeeId: string, courseId: string) => EnrollmentInsert][] = [
    ['sdTemp', 'itil', (e, c) => completed(e, c, addDays(today, -40), { source: 'SELF', enrolledBy: author, requirementId: null })],
    ['sdLeadAus.1', 'itil', (e, c) => open(e, c, null, { source: 'SELF', enrolledBy: author, status: 'IN_PROGRESS' })],
    ['intern', 'itil', (e, c) => open(e, c, addDays(today, 45), { source: 'LINE', enrolledBy: author, status: 'ENROLLED' })],
    ['presales', 'az104', (e, c) => completed(e, c, addDays(today, -12), { source: 'SELF', enrolledBy: author, requirementId: null })],
    ['cloudLead.3', 'az104', (e, c) => open(e, c, addDays(today, 30), { source: 'LINE', enrolledBy: author, status: 'IN_PROGRESS' })],
    ['nocLead.2', 'ccna', (e, c) => open(e, c, addDays(today, 60), { source: 'LINE', enrolledBy: author, status: 'IN_PROGRESS' })],
    ['sdLeadSin', 'leadership', (e, c) => completed(e, c, addDays(today, -150), { source: 'HR', enrolledBy: author, requirementId: null, completedBy: author })],
    ['workplaceLead', 'leadership', (e, c) => completed(e, c, addDays(today, -90), { source: 'HR', enrolledBy: author, requirementId: null, completedBy: author })],
    ['socLead', 'leadership', (e, c) => open(e, c, addDays(today, 45), { source: 'HR', enrolledBy: author, status: 'ENROLLED' })],
    ['sdLeadLon.3', 'service', (e, c) => completed(e, c, addDays(today, -70), { source: 'SELF', enrolledBy: author, requirementId: null, score: null })],
    [
      'amLon',
      'service',
      (e, c) => ({
        ...open(e, c, null, { source: 'SELF', enrolledBy: author }),
        status: 'WITHDRAWN',
        withdrawnAt: instant(addDays(today, -20)),
        withdrawnBy: author,
        withdrawalReason: 'Moved to account management; no longer on the service desk.',
      }),
    ],
  ];
  for (const [key, course, make] of chosen) {
    const employeeId = who(key);
    if (employeeId) enrollments.push(make(employeeId, courseIds[course]));
  }

  await db.insert(trainingEnrollments).values(enrollments);
  return { courses: Object.keys(courseIds).length, requirements: 3, enrollments: enrollments.length };
}

function daysFrom(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
