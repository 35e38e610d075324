import { describeCaller } from '../auth/auth.service.js';
import type { CreateTrainingCourseInput, CreateTrainingRequirementInput, RemoveTrainingRequirementInput, UpdateTrainingCourseInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { departmentNotFound, locationNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { assertMayAdminister, assertMayBrowseCatalog, assertMayReadAdministration, mayReadAdministration } from './training.access.js';
import { assignRequiredTraining } from './training.assignment.js';
import { errors } from './training.errors.js';
import * as store from './training.store.js';
import type { TrainingCourseRow, TrainingRequirementRow } from './training.tables.js';
import { catalogEntryNotFound, checkRequirement, parseCourse, type CourseValues } from './training.validation.js';

// The training catalog and the rules that require its courses.

const courseWrite = {
  uniqueViolations: { training_courses_title_provider_uq: errors.duplicateCourse },
  reload: (ctx, id) => ctx.loaders.training.course.load(id),
} satisfies WriteOptions<string, TrainingCourseRow>;

const requirementWrite = {
  reload: (ctx, id) => ctx.loaders.training.requirement.load(id),
} satisfies WriteOptions<string, TrainingRequirementRow>;

export async function listCourses(
  ctx: RequestContext,
  args: { search?: string | null; includeInactive?: boolean | null },
): Promise<TrainingCourseRow[]> {
  assertMayBrowseCatalog(ctx);
  if (args.includeInactive) assertMayReadAdministration(ctx);
  const courses = await store.findCourses(ctx.db, { search: args.search?.trim() || null, includeInactive: args.includeInactive === true });
  for (const course of courses) ctx.loaders.training.course.prime(course.id, course);
  return courses;
}

/** The rules in force that require a course: HR only (null for others). */
export async function requirementsOfCourse(ctx: RequestContext, course: TrainingCourseRow): Promise<TrainingRequirementRow[] | null> {
  if (!mayReadAdministration(ctx)) return null;
  return (await ctx.loaders.training.requirementsInForce()).filter((rule) => rule.courseId === course.id);
}

export async function listRequirements(ctx: RequestContext, args: { includeRemoved?: boolean | null }): Promise<TrainingRequirementRow[]> {
  assertMayReadAdministration(ctx);
  if (!args.includeRemoved) return ctx.loaders.training.requirementsInForce();
  return store.findRequirements(ctx.db, { includeRemoved: true });
}

async function unknownCatalogEntry(ctx: RequestContext, values: CourseValues): Promise<UserError[]> {
  const id = values.certificationCatalogEntryId;
  if (id === undefined || id === null) return [];
  return (await ctx.loaders.certifications.catalogEntry.load(id)) ? [] : [catalogEntryNotFound()];
}

export async function createCourse(ctx: RequestContext, input: CreateTrainingCourseInput): Promise<Outcome<TrainingCourseRow>> {
  assertMayAdminister(ctx);
  const { values, errors: problems } = parseCourse(input);
  const all = [...problems, ...(problems.length === 0 ? await unknownCatalogEntry(ctx, values) : [])];
  if (all.length > 0) return fail(...all);
  return writeTransaction(ctx, async (tx) => {
    const row = await store.insertCourse(tx, {
      title: values.title ?? '',
      provider: values.provider ?? '',
      hours: values.hours ?? 0,
      description: values.description ?? null,
      url: values.url ?? null,
      certificationCatalogEntryId: values.certificationCatalogEntryId ?? null,
      selfEnrollment: values.selfEnrollment ?? false,
      selfPaced: values.selfPaced ?? false,
    });
    return row.id;
  }, courseWrite);
}

export async function updateCourse(ctx: RequestContext, input: UpdateTrainingCourseInput): Promise<Outcome<TrainingCourseRow>> {
  assertMayAdminister(ctx);
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(errors.courseNotFound(['input', 'id']));
  const { values, errors: problems } = parseCourse(input);
  const all = [...problems, ...(problems.length === 0 ? await unknownCatalogEntry(ctx, values) : [])];
  if (all.length > 0) return fail(...all);
  return writeTransaction(ctx, async (tx) => {
    const course = await store.lockCourse(tx, id);
    if (!course) abort(errors.courseNotFound(['input', 'id']));
    await store.updateCourse(tx, course.id, values);
    return course.id;
  }, courseWrite);
}

/**
 * A new rule, in force from today. The people it applies to today are enrolled in the same
 * transaction (with `training.assigned` each); new hires and renewals follow with the periodic
 * assignment run (training.assignment.ts).
 */
export async function createRequirement(ctx: RequestContext, input: CreateTrainingRequirementInput): Promise<Outcome<TrainingRequirementRow>> {
  assertMayAdminister(ctx);
  const courseId = normaliseId(input.courseId);
  const departmentId = input.departmentId ? normaliseId(input.departmentId) : null;
  const locationId = input.locationId ? normaliseId(input.locationId) : null;
  const problems = checkRequirement(input);
  if (!isUuid(courseId)) problems.push(errors.courseNotFound());
  if (departmentId !== null && (!isUuid(departmentId) || !(await ctx.loaders.organisation.department.load({ key: departmentId, asOf: ctx.today })))) {
    problems.push(departmentNotFound(['input', 'departmentId']));
  }
  if (locationId !== null && (!isUuid(locationId) || !(await ctx.loaders.organisation.location.load(locationId)))) {
    problems.push(locationNotFound(['input', 'locationId']));
  }
  if (problems.length > 0) return fail(...problems);
  return writeTransaction(ctx, async (tx) => {
    // The course's row serialises its rules and enrollments by rule.
    const course = await store.lockCourse(tx, courseId);
    if (!course) abort(errors.courseNotFound());
    if (!course.active) abort(errors.courseInactive());
    const rule = await store.insertRequirement(tx, {
      courseId: course.id,
      departmentId,
      locationId,
      employmentType: input.employmentType ?? null,
      dueWithinDays: input.dueWithinDays ?? 30,
      renewalMonths: input.renewalMonths ?? null,
      effectiveFrom: ctx.today,
      createdBy: describeCaller(ctx.caller),
    });
    await assignRequiredTraining(tx, ctx.today, { courseIds: [course.id] });
    return rule.id;
  }, requirementWrite);
}

export async function removeRequirement(ctx: RequestContext, input: RemoveTrainingRequirementInput): Promise<Outcome<TrainingRequirementRow>> {
  assertMayAdminister(ctx);
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(errors.requirementNotFound());
  return writeTransaction(ctx, async (tx) => {
    const rule = await store.lockRequirement(tx, id);
    if (!rule) abort(errors.requirementNotFound());
    if (rule.removedAt !== null) abort(errors.requirementRemoved());
    await store.markRequirementRemoved(tx, rule.id, ctx.clock.now(), describeCaller(ctx.caller));
    return rule.id;
  }, requirementWrite);
}
