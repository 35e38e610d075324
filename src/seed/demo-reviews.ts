import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { employedStatuses, findEveryoneOn } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import { performanceReviews, reviewCycles, type RatingLevel, type ReviewAnswerValue, type ReviewQuestionValue } from '../reviews/review.tables.js';
import { addDays, addMonths, type CalendarDate } from '../shared/dates.js';
import { SeededRandom } from '../shared/random.js';

/*
 * Demo performance reviews: two past half-year cycles, released (most acknowledged, with the odd
 * comment), and the current one in progress (self reviews being written and submitted, some
 * manager reviews drafted or submitted, none released). Everyone employed on a cycle's start day
 * is in it, reviewed by their manager of that day. Written set-based (one statement per table and
 * kind); deterministic (a seeded PRNG, dates relative to today).
 */

export interface DemoReviewsSummary {
  cycles: number;
  reviews: number;
}

const prngSeed = 0x2e71e3;

const ratingScale: RatingLevel[] = [
  { value: 1, label: 'Below expectations' },
  { value: 2, label: 'Partly meets expectations' },
  { value: 3, label: 'Meets expectations' },
  { value: 4, label: 'Exceeds expectations' },
  { value: 5, label: 'Outstanding' },
];

const questions: ReviewQuestionValue[] = [
  { id: 'delivery', text: 'Delivery and quality of work', kind: 'RATING' },
  { id: 'customer', text: 'Customer focus', kind: 'RATING' },
  { id: 'collaboration', text: 'Collaboration and communication', kind: 'RATING' },
  { id: 'expertise', text: 'Technical and professional expertise', kind: 'RATING' },
  { id: 'highlights', text: 'Highlights of the period', kind: 'TEXT' },
  { id: 'growth', text: 'What to develop next', kind: 'TEXT' },
];

const highlights = [
  'Took ownership of the quarterly patching window and brought failed changes down noticeably.',
  'Onboarded two new managed-services customers without a single escalation.',
  'Rebuilt the monitoring dashboards the NOC relies on every night.',
  'Kept first-contact resolution high through a record ticket volume.',
  'Led the migration of a customer tenant to Azure ahead of schedule.',
  'Mentored the newest member of the team through their first on-call rota.',
  'Closed the audit findings on access reviews before the deadline.',
  'Wrote the runbooks the service desk now uses for password resets and MFA.',
];

const growth = [
  'Delegate more of the routine work and spend the time on design.',
  'Present the team’s results to customers more often.',
  'Get the next certification on the roadmap.',
  'Document decisions as they are made, not afterwards.',
  'Take on a small project end to end, including the budget.',
  'Share knowledge in the monthly tech talks.',
];

const goals = [
  'Finish the AZ-104 certification',
  'Reduce mean time to resolve P2 incidents by 10%',
  'Run the disaster-recovery test for one customer',
  'Mentor a junior colleague',
  'Automate the monthly patch report',
  'Lead one customer quarterly business review',
  'Complete the ITIL 4 Foundation course',
];

const comments = ['Thanks, a fair summary.', 'Agreed; I would like more time for certification next period.', 'Thank you for the feedback.'];

/**
 * The half year a cycle starting on `startsOn` reviews: mid-year reviews (starting April to
 * September) cover January to June; year-end reviews (October to March) July to December.
 */
function periodOf(startsOn: CalendarDate): { name: string; periodStart: CalendarDate; periodEnd: CalendarDate } {
  const [year, month] = startsOn.split('-').map(Number) as [number, number];
  if (month >= 4 && month <= 9) return { name: `Mid-year review ${year}`, periodStart: `${year}-01-01`, periodEnd: `${year}-06-30` };
  const periodYear = month >= 10 ? year : year - 1;
  return { name: `Year-end review ${periodYear}`, periodStart: `${periodYear}-07-01`, periodEnd: `${periodYear}-12-31` };
}

type Stage = 'notStarted' | 'selfDraft' | 'selfSubmitted' | 'managerDraft' | 'submitted' | 'released' | 'acknowledged';

export async function seedDemoReviews(db: Database, input: { ctx: RequestContext }): Promise<DemoReviewsSummary> {
  const { ctx } = input;
  const today = ctx.today;
  const now = ctx.clock.now();
  const author = describeCaller(ctx.caller);
  const random = new SeededRandom(prngSeed);
  const instant = (day: CalendarDate): Date => {
    const at = new Date(`${day}T${String(random.int(8, 17)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00.000Z`);
    return at > now ? now : at;
  };
  const answers = (): ReviewAnswerValue[] => [
    ...questions.filter((question) => question.kind === 'RATING').map((question) => ({ questionId: question.id, rating: random.weighted([{ weight: 1, v: 2 }, { weight: 5, v: 3 }, { weight: 3, v: 4 }, { weight: 1, v: 5 }]).v, text: null })),
    { questionId: 'highlights', rating: null, text: random.pick(highlights) },
    { questionId: 'growth', rating: null, text: random.pick(growth) },
  ];
  const someGoals = (): string[] => [random.pick(goals), ...(random.chance(0.5) ? [random.pick(goals)] : [])].filter((goal, index, all) => all.indexOf(goal) === index);

  // Two past cycles (released), and the current one, opened two weeks ago.
  const starts = [addMonths(today, -12), addMonths(today, -6), addDays(today, -14)];
  let reviews = 0;
  for (const [index, startsOn] of starts.entries()) {
    const current = index === starts.length - 1;
    const period = periodOf(startsOn);
    const selfReviewDueOn = addDays(startsOn, 21);
    const managerReviewDueOn = addDays(startsOn, 35);
    const [cycle] = await db
      .insert(reviewCycles)
      .values({
        ...period,
        startsOn,
        selfReviewDueOn,
        managerReviewDueOn,
        ratingScale,
        questions,
        participants: { departmentIds: [], locationIds: [], employmentTypes: [] },
        releasedAt: current ? null : instant(addDays(managerReviewDueOn, 7)),
        createdBy: author,
        createdAt: instant(addDays(startsOn, -7)),
      })
      .returning({ id: reviewCycles.id });
    if (!cycle) throw new Error('Demo reviews: inserting a cycle returned no row');

    const participants = (await findEveryoneOn(db, startsOn)).filter((employee) => employee.job?.status && employedStatuses.includes(employee.job.status));
    const rows = participants.map((employee) => {
      const stage: Stage = current
        ? random.weighted([
            { weight: 3, v: 'notStarted' as const },
            { weight: 3, v: 'selfDraft' as const },
            { weight: 2, v: 'selfSubmitted' as const },
            { weight: 2, v: 'managerDraft' as const },
            { weight: 2, v: 'submitted' as const },
          ]).v
        : random.chance(0.85)
          ? 'acknowledged'
          : 'released';
      const managerId = employee.job?.managerId ?? null;
      const selfDone = stage !== 'notStarted' && stage !== 'selfDraft';
      const managerStarted = stage === 'managerDraft' || stage === 'submitted' || stage === 'released' || stage === 'acknowledged';
      const managerDone = managerStarted && stage !== 'managerDraft';
      const selfAt = instant(addDays(startsOn, random.int(2, 20)));
      const managerAt = instant(addDays(startsOn, random.int(21, 34)));
      const managerAnswers = managerStarted ? answers() : [];
      return {
        cycleId: cycle.id,
        employeeId: employee.id,
        managerId,
        state:
          stage === 'notStarted'
            ? ('NOT_STARTED' as const)
            : stage === 'acknowledged'
              ? ('ACKNOWLEDGED' as const)
              : stage === 'released'
                ? ('RELEASED' as const)
                : managerDone
                  ? ('SUBMITTED' as const)
                  : ('IN_PROGRESS' as const),
        selfState: stage === 'notStarted' ? ('NOT_STARTED' as const) : selfDone ? ('SUBMITTED' as const) : ('IN_PROGRESS' as const),
        selfAnswers: stage === 'notStarted' ? [] : stage === 'selfDraft' ? answers().slice(0, 2) : answers(),
        selfOverallRating: selfDone ? random.int(3, 4) : null,
        selfGoals: selfDone ? someGoals() : [],
        selfSubmittedAt: selfDone ? selfAt : null,
        selfUpdatedAt: stage === 'notStarted' ? null : selfAt,
        managerState: managerDone ? ('SUBMITTED' as const) : managerStarted ? ('IN_PROGRESS' as const) : ('NOT_STARTED' as const),
        managerAnswers,
        managerOverallRating: managerDone ? Math.round(managerAnswers.reduce((sum, answer) => sum + (answer.rating ?? 0), 0) / 4) : null,
        managerGoals: managerStarted ? someGoals() : [],
        managerSubmittedAt: managerDone ? managerAt : null,
        managerUpdatedAt: managerStarted ? managerAt : null,
        managerReviewBy: managerStarted ? author : null,
        releasedAt: stage === 'released' || stage === 'acknowledged' ? instant(addDays(managerReviewDueOn, 7)) : null,
        releasedBy: stage === 'released' || stage === 'acknowledged' ? author : null,
        acknowledgedAt: stage === 'acknowledged' ? instant(addDays(managerReviewDueOn, random.int(8, 20))) : null,
        acknowledgementComment: stage === 'acknowledged' && random.chance(0.3) ? random.pick(comments) : null,
      };
    });
    if (rows.length > 0) await db.insert(performanceReviews).values(rows);
    reviews += rows.length;
  }
  return { cycles: starts.length, reviews };
}
