import { certificationsOf, type CertificationCatalogRow } from '../certifications/certification.service.js';
import { employedStatuses, findEveryoneOn } from '../employees/employee.service.js';
import type { TrainingComplianceFilter, TrainingEnrollmentAction, TrainingEnrollmentStatus } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { groupBy } from '../shared/collections.js';
import { addDays, type CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import {
  assertMayReadCompliance,
  assertMaySeeEnrollments,
  isSelf,
  mayManageEnrollments,
  maySeeEnrollments,
  refuseServices,
} from './training.access.js';
import type { TrainingComplianceCountsModel, TrainingComplianceModel } from './training.model.js';
import { isOpen, renewalMonthsOf, rulesFor, standing, validUntil } from './training.rules.js';
import * as store from './training.store.js';
import type { TrainingCourseRow, TrainingEnrollmentRow } from './training.tables.js';

// Reading training: enrollments (with their status, validity and overdue worked out for today),
// what is due for the caller, and HR's compliance report.

export async function courseOf(ctx: RequestContext, courseId: string): Promise<TrainingCourseRow> {
  const course = await ctx.loaders.training.course.load(courseId);
  if (!course) throw new Error(`training course ${courseId} is missing`);
  return course;
}

/** One enrollment, or null when there is none or the caller may not see it. */
export async function getEnrollment(ctx: RequestContext, id: string): Promise<TrainingEnrollmentRow | null> {
  refuseServices(ctx);
  const normalised = normaliseId(id);
  if (!isUuid(normalised)) return null;
  const enrollment = await ctx.loaders.training.enrollment.load(normalised);
  if (!enrollment) return null;
  return (await maySeeEnrollments(ctx, enrollment.employeeId)) ? enrollment : null;
}

export async function enrollmentsOf(
  ctx: RequestContext,
  employeeId: string,
  args: { statuses?: readonly TrainingEnrollmentStatus[] | null } = {},
): Promise<TrainingEnrollmentRow[]> {
  await assertMaySeeEnrollments(ctx, employeeId);
  const enrollments = await ctx.loaders.training.ofEmployee.load(employeeId);
  if (!args.statuses?.length) return enrollments;
  const wanted = args.statuses;
  const statuses = await Promise.all(enrollments.map((enrollment) => statusOf(ctx, enrollment)));
  return enrollments.filter((_enrollment, index) => wanted.includes(statuses[index] ?? 'ENROLLED'));
}

/** The last day the enrollment's completion counts under the rules that apply to the employee today; null: forever (or not completed). */
export async function validUntilOf(ctx: RequestContext, enrollment: TrainingEnrollmentRow): Promise<CalendarDate | null> {
  if (enrollment.status !== 'COMPLETED' || enrollment.completedOn === null) return null;
  const [rules, employee] = await Promise.all([
    ctx.loaders.training.requirementsInForce(),
    ctx.loaders.employees.byId.load({ key: enrollment.employeeId, asOf: ctx.today }),
  ]);
  return validUntil(enrollment.completedOn, renewalMonthsOf(rulesFor(rules, enrollment.courseId, employee?.job ?? null)));
}

export async function statusOf(ctx: RequestContext, enrollment: TrainingEnrollmentRow): Promise<TrainingEnrollmentStatus> {
  if (enrollment.status !== 'COMPLETED') return enrollment.status;
  const until = await validUntilOf(ctx, enrollment);
  return until !== null && until < ctx.today ? 'EXPIRED' : 'COMPLETED';
}

export const isOverdue = (ctx: RequestContext, enrollment: TrainingEnrollmentRow): boolean =>
  isOpen(enrollment) && enrollment.dueOn !== null && enrollment.dueOn < ctx.today;

export const isRequired = (enrollment: TrainingEnrollmentRow): boolean => enrollment.requirementId !== null;

/**
 * After a completion: the certification the course prepares for, when the employee holds no
 * current, unexpired record of it (read through the certifications domain, by its rules).
 */
export async function certificationToRecord(ctx: RequestContext, enrollment: TrainingEnrollmentRow): Promise<CertificationCatalogRow | null> {
  if (enrollment.status !== 'COMPLETED') return null;
  const course = await courseOf(ctx, enrollment.courseId);
  if (course.certificationCatalogEntryId === null) return null;
  const held = await certificationsOf(ctx, enrollment.employeeId, {});
  if (held.some((certification) => certification.catalogEntryId === course.certificationCatalogEntryId)) return null;
  return ctx.loaders.certifications.catalogEntry.load(course.certificationCatalogEntryId);
}

export async function availableActions(ctx: RequestContext, enrollment: TrainingEnrollmentRow): Promise<TrainingEnrollmentAction[]> {
  if (!isOpen(enrollment) || ctx.caller.kind !== 'user') return [];
  const manages = await mayManageEnrollments(ctx, enrollment.employeeId);
  const self = isSelf(ctx, enrollment.employeeId);
  if (!manages && !self) return [];
  const course = await courseOf(ctx, enrollment.courseId);
  const actions: TrainingEnrollmentAction[] = [];
  if (enrollment.status === 'ENROLLED') actions.push('START');
  if (manages || course.selfPaced) actions.push('COMPLETE');
  if (manages || enrollment.source === 'SELF') actions.push('WITHDRAW');
  return actions;
}

/** The caller's open enrollments due within `withinDays` (or overdue), by due date (the portal's home page). */
export async function trainingDueOf(ctx: RequestContext, withinDays: number): Promise<TrainingEnrollmentRow[]> {
  const { caller } = ctx;
  if (caller.kind !== 'user' || caller.employeeId === null) return [];
  const until = addDays(ctx.today, withinDays);
  const enrollments = await ctx.loaders.training.ofEmployee.load(caller.employeeId);
  return enrollments
    .filter((enrollment) => isOpen(enrollment) && enrollment.dueOn !== null && enrollment.dueOn <= until)
    .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.id.localeCompare(b.id));
}

// ---------------------------------------------------------------- compliance

const emptyCounts = (): TrainingComplianceCountsModel => ({ required: 0, completed: 0, due: 0, overdue: 0 });

/**
 * Per required course: everyone employed today whom one of its rules in force requires it of,
 * counted by where they stand (training.rules.ts `standing`) and by their department today.
 * Five statements, whatever the size of the organisation.
 */
export async function compliance(ctx: RequestContext, filter: TrainingComplianceFilter | null | undefined): Promise<TrainingComplianceModel[]> {
  assertMayReadCompliance(ctx);
  const wantedCourses = filter?.courseIds ? new Set(filter.courseIds.map(normaliseId)) : null;
  const wantedDepartments = filter?.departmentIds ? new Set(filter.departmentIds.map(normaliseId)) : null;
  const rules = (await ctx.loaders.training.requirementsInForce()).filter((rule) => !wantedCourses || wantedCourses.has(rule.courseId));
  const courseIds = [...new Set(rules.map((rule) => rule.courseId))];
  if (courseIds.length === 0) return [];
  const [courses, everyone, enrollments] = await Promise.all([
    ctx.loaders.training.course.loadMany(courseIds),
    findEveryoneOn(ctx.db, ctx.today),
    store.findEnrollmentsInCourses(ctx.db, courseIds),
  ]);
  const byPersonAndCourse = groupBy(enrollments, (row) => `${row.employeeId}|${row.courseId}`);
  const employed = everyone.filter(
    (employee) =>
      employee.job?.status &&
      employedStatuses.includes(employee.job.status) &&
      (!wantedDepartments || (employee.job.departmentId !== null && wantedDepartments.has(employee.job.departmentId))),
  );

  const reports: TrainingComplianceModel[] = [];
  for (const course of courses) {
    if (!course || course instanceof Error) continue;
    const total = emptyCounts();
    const byDepartment = new Map<string | null, TrainingComplianceCountsModel>();
    for (const employee of employed) {
      const applying = rulesFor(rules, course.id, employee.job);
      if (applying.length === 0) continue;
      const where = standing(applying, employee, byPersonAndCourse.get(`${employee.id}|${course.id}`) ?? [], ctx.today);
      if (!where) continue;
      const departmentId = employee.job?.departmentId ?? null;
      const counts = byDepartment.get(departmentId) ?? emptyCounts();
      byDepartment.set(departmentId, counts);
      for (const tally of [total, counts]) {
        tally.required += 1;
        if (where.state === 'COMPLETED') tally.completed += 1;
        else if (where.state === 'OVERDUE') tally.overdue += 1;
        else tally.due += 1;
      }
    }
    reports.push({ course, total, departments: await sortedByDepartmentName(ctx, byDepartment) });
  }
  return reports.sort((a, b) => a.course.title.localeCompare(b.course.title) || a.course.id.localeCompare(b.course.id));
}

async function sortedByDepartmentName(ctx: RequestContext, counts: Map<string | null, TrainingComplianceCountsModel>) {
  const ids = [...counts.keys()].filter((id): id is string => id !== null);
  const departments = await ctx.loaders.organisation.department.loadMany(ids.map((key) => ({ key, asOf: ctx.today })));
  const nameOf = new Map<string, string>();
  departments.forEach((department, index) => {
    const id = ids[index];
    if (id !== undefined && department && !(department instanceof Error)) nameOf.set(id, department.name);
  });
  return [...counts.entries()]
    .sort(([a], [b]) => {
      if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
      return (nameOf.get(a) ?? '').localeCompare(nameOf.get(b) ?? '') || a.localeCompare(b);
    })
    .map(([departmentId, tally]) => ({ departmentId, counts: tally }));
}
