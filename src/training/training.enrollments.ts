import { describeCaller, forbidden } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { employedOrPreHireStatuses, findJobStates, lockEmployee } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { CompleteTrainingInput, EnrollInTrainingInput, StartTrainingInput, WithdrawFromTrainingInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeLeft, employeeNotFound } from '../shared/common-errors.js';
import { addYears } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, type Outcome } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { enrollsAsHr, isSelf, mayManageEnrollments, refuseServices } from './training.access.js';
import { errors } from './training.errors.js';
import { isOpen, rulesFor } from './training.rules.js';
import * as store from './training.store.js';
import type { TrainingCourseRow, TrainingEnrollmentRow, TrainingEnrollmentSourceValue } from './training.tables.js';
import { checkScore, limits } from './training.validation.js';

// Enrolling, starting, completing and withdrawing. Who may act is decided before the
// transaction, through the request's loaders; inside it the employee (enrolling) or the
// enrollment (everything else) is locked first, so racing changes run one after the other.

export type EnrollmentOutcome = Outcome<TrainingEnrollmentRow>;

const enrollmentWrite = {
  uniqueViolations: { training_enrollments_open_uq: errors.alreadyEnrolled },
  reload: (ctx, id) => ctx.loaders.training.enrollment.load(id),
} satisfies WriteOptions<string, TrainingEnrollmentRow>;

/**
 * In which capacity the caller enrolls `employeeId` in `course`: themself (SELF, courses open to
 * self-enrollment), HR, or the line above them (LINE); FORBIDDEN otherwise.
 */
async function enrollingAs(ctx: RequestContext, employeeId: string, course: TrainingCourseRow): Promise<TrainingEnrollmentSourceValue> {
  if (isSelf(ctx, employeeId)) {
    if (course.selfEnrollment || (await mayManageEnrollments(ctx, employeeId))) return 'SELF';
    throw forbidden('This course is not open to self-enrollment: ask your manager or HR to enroll you.');
  }
  if (!(await mayManageEnrollments(ctx, employeeId))) {
    throw forbidden('Only HR, or someone above the employee in the reporting line, enrolls them.');
  }
  return enrollsAsHr(ctx) ? 'HR' : 'LINE';
}

export async function enroll(ctx: RequestContext, input: EnrollInTrainingInput): Promise<EnrollmentOutcome> {
  refuseServices(ctx);
  const employeeId = normaliseId(input.employeeId);
  const courseId = normaliseId(input.courseId);
  if (!isUuid(employeeId)) return fail(employeeNotFound(['input', 'employeeId']));
  const course = isUuid(courseId) ? await ctx.loaders.training.course.load(courseId) : null;
  if (!course) return fail(errors.courseNotFound());
  const source = await enrollingAs(ctx, employeeId, course);
  const dueOn = input.dueOn ?? null;
  if (dueOn !== null && dueOn < ctx.today) return fail(errors.dueOnPast());
  if (dueOn !== null && dueOn > addYears(ctx.today, 2)) return fail(errors.dueOnTooFar());

  return writeTransaction(ctx, async (tx) => {
    if (!(await lockEmployee(tx, employeeId))) abort(employeeNotFound(['input', 'employeeId']));
    const status = (await findJobStates(tx, [employeeId], ctx.today)).get(employeeId)?.status ?? null;
    // Someone hired with a start date to come may be enrolled ahead of it; someone who left may not.
    if (status === null || !employedOrPreHireStatuses.includes(status)) abort(employeeLeft(['input', 'employeeId']));
    if (!course.active) abort(errors.courseInactive());
    if (await store.findOpenEnrollment(tx, employeeId, course.id)) abort(errors.alreadyEnrolled());
    const row = await store.insertEnrollment(tx, { employeeId, courseId: course.id, source, dueOn, enrolledBy: describeCaller(ctx.caller) });
    if (source === 'HR' || source === 'LINE') {
      await recordEvent(tx, {
        type: 'training.assigned',
        subject: `training_enrollment:${row.id}`,
        data: { enrollmentId: row.id, employeeId, courseId: course.id, source, requirementId: null, dueOn },
      });
    }
    return row.id;
  }, enrollmentWrite);
}

/** The enrollment as read before the write (for the permission checks), or null. */
async function enrollmentBeforeWrite(ctx: RequestContext, id: string): Promise<TrainingEnrollmentRow | null> {
  refuseServices(ctx);
  const normalised = normaliseId(id);
  return isUuid(normalised) ? ctx.loaders.training.enrollment.load(normalised) : null;
}

async function lockedEnrollment(tx: Database, id: string): Promise<TrainingEnrollmentRow> {
  const enrollment = await store.lockEnrollment(tx, id);
  if (!enrollment) abort(errors.enrollmentNotFound());
  return enrollment;
}

export async function start(ctx: RequestContext, input: StartTrainingInput): Promise<EnrollmentOutcome> {
  const before = await enrollmentBeforeWrite(ctx, input.enrollmentId);
  if (!before) return fail(errors.enrollmentNotFound());
  if (!isSelf(ctx, before.employeeId) && !(await mayManageEnrollments(ctx, before.employeeId))) {
    throw forbidden('Only the employee, HR or someone above them in the reporting line starts their training.');
  }
  return writeTransaction(ctx, async (tx) => {
    const enrollment = await lockedEnrollment(tx, before.id);
    if (enrollment.status !== 'ENROLLED') abort(errors.notEnrolled(enrollment));
    await store.updateEnrollment(tx, enrollment.id, { status: 'IN_PROGRESS', startedAt: ctx.clock.now() });
    return enrollment.id;
  }, enrollmentWrite);
}

export async function complete(ctx: RequestContext, input: CompleteTrainingInput): Promise<EnrollmentOutcome> {
  const before = await enrollmentBeforeWrite(ctx, input.enrollmentId);
  if (!before) return fail(errors.enrollmentNotFound());
  if (!(await mayManageEnrollments(ctx, before.employeeId))) {
    const course = await ctx.loaders.training.course.load(before.courseId);
    if (!isSelf(ctx, before.employeeId)) throw forbidden('Only HR, or someone above the employee in the reporting line, records their completion.');
    if (!course?.selfPaced) throw forbidden('This course is not self-paced: HR or your manager records your completion.');
  }
  const completedOn = input.completedOn ?? ctx.today;
  const problems = checkScore(input.score);
  if (completedOn > ctx.today) problems.push(errors.completedInFuture());
  if (completedOn < addYears(ctx.today, -1)) problems.push(errors.completedTooLongAgo());
  if (problems.length > 0) return fail(...problems);
  return writeTransaction(ctx, async (tx) => {
    const enrollment = await lockedEnrollment(tx, before.id);
    if (!isOpen(enrollment)) abort(errors.notOpen(enrollment, 'completed'));
    await store.updateEnrollment(tx, enrollment.id, {
      status: 'COMPLETED',
      completedOn,
      score: input.score ?? null,
      completedBy: describeCaller(ctx.caller),
    });
    return enrollment.id;
  }, enrollmentWrite);
}

export async function withdraw(ctx: RequestContext, input: WithdrawFromTrainingInput): Promise<EnrollmentOutcome> {
  const before = await enrollmentBeforeWrite(ctx, input.enrollmentId);
  if (!before) return fail(errors.enrollmentNotFound());
  if (!(await mayManageEnrollments(ctx, before.employeeId))) {
    if (!isSelf(ctx, before.employeeId)) throw forbidden('Only HR, or someone above the employee in the reporting line, withdraws them.');
    if (before.source !== 'SELF') throw forbidden('You withdraw only from courses you enrolled in yourself: ask whoever enrolled you.');
  }
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > limits.reason) return fail(errors.reasonRequired(limits.reason));
  // Whether a rule in force requires the course of them today (their job as of today).
  const [rules, employee] = await Promise.all([
    ctx.loaders.training.requirementsInForce(),
    ctx.loaders.employees.byId.load({ key: before.employeeId, asOf: ctx.today }),
  ]);
  const required = rulesFor(rules, before.courseId, employee?.job ?? null).length > 0;
  return writeTransaction(ctx, async (tx) => {
    const enrollment = await lockedEnrollment(tx, before.id);
    if (!isOpen(enrollment)) abort(errors.notOpen(enrollment, 'withdrawn'));
    abortIf(required ? [errors.required()] : []);
    await store.updateEnrollment(tx, enrollment.id, {
      status: 'WITHDRAWN',
      withdrawnAt: ctx.clock.now(),
      withdrawnBy: describeCaller(ctx.caller),
      withdrawalReason: reason,
    });
    return enrollment.id;
  }, enrollmentWrite);
}
