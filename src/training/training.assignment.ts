import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { employedStatuses, findEveryoneOn } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import { groupBy } from '../shared/collections.js';
import type { CalendarDate, Clock } from '../shared/dates.js';
import { createWorkerLoop, type WorkerLoop } from '../shared/durable/worker-loop.js';
import { rulesFor, standing } from './training.rules.js';
import * as store from './training.store.js';

// Required training, enrolled by rule. Whoever is employed and matches a rule in force gets an
// enrollment when they have none open and no completion that still counts: on the rule's first
// day (in createTrainingRequirement's transaction), on a new hire's first day, and
// `renewalLeadDays` before a completion runs out (the periodic run below, so no day is missed
// after a restart). An open enrollment of the course (self-enrolled, say) already meets the rule.
// Racing runs cannot enroll anyone twice: the open-enrollment unique index skips the second.

export const assignedBy = 'system:training-rules';

/**
 * Enrolls everyone the rules in force (of `courseIds`, when given) require something of on
 * `today`, with a `training.assigned` event each, in the caller's transaction. Answers how many.
 * A handful of statements, whatever the size of the organisation.
 */
export async function assignRequiredTraining(tx: Database, today: CalendarDate, options: { courseIds?: readonly string[] } = {}): Promise<number> {
  const rules = (await store.findRequirements(tx, { includeRemoved: false })).filter(
    (rule) => !options.courseIds || options.courseIds.includes(rule.courseId),
  );
  const courseIds = [...new Set(rules.map((rule) => rule.courseId))];
  if (courseIds.length === 0) return 0;
  const activeCourses = new Set((await store.findCoursesByIds(tx, courseIds)).filter((course) => course.active).map((course) => course.id));
  const employed = (await findEveryoneOn(tx, today)).filter((employee) => employee.job?.status && employedStatuses.includes(employee.job.status));
  const enrollments = groupBy(await store.findEnrollmentsInCourses(tx, courseIds), (row) => `${row.employeeId}|${row.courseId}`);

  const wanted: Parameters<typeof store.insertRequiredEnrollments>[1] = [];
  for (const employee of employed) {
    for (const courseId of activeCourses) {
      const applying = rulesFor(rules, courseId, employee.job);
      if (applying.length === 0) continue;
      const enroll = standing(applying, employee, enrollments.get(`${employee.id}|${courseId}`) ?? [], today)?.enroll;
      if (!enroll) continue;
      wanted.push({ employeeId: employee.id, courseId, source: enroll.source, requirementId: enroll.requirementId, dueOn: enroll.dueOn, enrolledBy: assignedBy });
    }
  }
  const inserted = await store.insertRequiredEnrollments(tx, wanted);
  for (const enrollment of inserted) {
    await recordEvent(tx, {
      type: 'training.assigned',
      subject: `training_enrollment:${enrollment.id}`,
      data: {
        enrollmentId: enrollment.id,
        employeeId: enrollment.employeeId,
        courseId: enrollment.courseId,
        source: enrollment.source === 'RENEWAL' ? 'RENEWAL' : 'REQUIREMENT',
        requirementId: enrollment.requirementId,
        dueOn: enrollment.dueOn,
      },
    });
  }
  return inserted.length;
}

/** One assignment run for today, in its own transaction; answers how many were enrolled. */
export async function runTrainingAssignment(options: { db: Database; clock: Clock; logger: Logger }): Promise<number> {
  const enrolled = await options.db.transaction((tx) => assignRequiredTraining(tx, options.clock.today()));
  if (enrolled > 0) options.logger.info({ enrolled }, 'required training enrolled by rule');
  return enrolled;
}

/** Runs the assignment now and every `intervalMs` (LIFECYCLE_CHECK_INTERVAL_MS), on the durable-queue loop. */
export function startTrainingAssignment(options: { db: Database; clock: Clock; logger: Logger; intervalMs: number }): WorkerLoop {
  const loop = createWorkerLoop({
    name: 'training rules',
    logger: options.logger,
    channel: 'people_training_rules',
    pollIntervalMs: options.intervalMs,
    // One run per round; the next waits for the interval (nothing here is "due" at a known time).
    drain: () => runTrainingAssignment(options),
    msUntilNextDue: async () => null,
  });
  return loop;
}
