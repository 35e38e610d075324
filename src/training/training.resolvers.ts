import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as training from './training.service.js';
import type { TrainingEnrollmentRow } from './training.tables.js';
import type { Outcome } from '../shared/user-errors.js';
import type { RequestContext } from '../graphql/context.js';

// Thin: arguments in, domain call, result out. Rules live in training.access and the domain modules.

/** An enrollment payload: after a completion, the certification it offers to record. */
async function enrollmentPayload(ctx: RequestContext, outcome: Outcome<TrainingEnrollmentRow>) {
  const certificationToRecord = outcome.ok ? await training.certificationToRecord(ctx, outcome.value) : null;
  return { ...toPayload('enrollment', outcome), certificationToRecord };
}

export const trainingResolvers: Resolvers = {
  Query: {
    trainingCourses: (_root, args, ctx) => training.listCourses(ctx, args),
    trainingRequirements: (_root, args, ctx) => training.listRequirements(ctx, args),
    trainingEnrollment: (_root, { id }, ctx) => training.getEnrollment(ctx, id),
    trainingCompliance: (_root, { filter }, ctx) => training.compliance(ctx, filter),
  },
  Mutation: {
    createTrainingCourse: async (_root, { input }, ctx) => toPayload('course', await training.createCourse(ctx, input)),
    updateTrainingCourse: async (_root, { input }, ctx) => toPayload('course', await training.updateCourse(ctx, input)),
    createTrainingRequirement: async (_root, { input }, ctx) => toPayload('requirement', await training.createRequirement(ctx, input)),
    removeTrainingRequirement: async (_root, { input }, ctx) => toPayload('requirement', await training.removeRequirement(ctx, input)),
    enrollInTraining: async (_root, { input }, ctx) => enrollmentPayload(ctx, await training.enroll(ctx, input)),
    startTraining: async (_root, { input }, ctx) => enrollmentPayload(ctx, await training.start(ctx, input)),
    completeTraining: async (_root, { input }, ctx) => enrollmentPayload(ctx, await training.complete(ctx, input)),
    withdrawFromTraining: async (_root, { input }, ctx) => enrollmentPayload(ctx, await training.withdraw(ctx, input)),
  },
  Employee: {
    trainingEnrollments: (employee, args, ctx) => training.enrollmentsOf(ctx, employee.id, args),
  },
  TrainingCourse: {
    certification: (course, _args, ctx) =>
      course.certificationCatalogEntryId ? ctx.loaders.certifications.catalogEntry.load(course.certificationCatalogEntryId) : null,
    requirements: (course, _args, ctx) => training.requirementsOfCourse(ctx, course),
  },
  TrainingRequirement: {
    course: (rule, _args, ctx) => training.courseOf(ctx, rule.courseId),
    department: (rule, _args, ctx) => (rule.departmentId ? ctx.loaders.organisation.department.load({ key: rule.departmentId, asOf: ctx.today }) : null),
    location: (rule, _args, ctx) => (rule.locationId ? ctx.loaders.organisation.location.load(rule.locationId) : null),
    active: (rule) => rule.removedAt === null,
  },
  TrainingEnrollment: {
    employee: (enrollment, _args, ctx) => ctx.loaders.employees.byId.load({ key: enrollment.employeeId, asOf: ctx.today }),
    course: (enrollment, _args, ctx) => training.courseOf(ctx, enrollment.courseId),
    status: (enrollment, _args, ctx) => training.statusOf(ctx, enrollment),
    required: (enrollment) => training.isRequired(enrollment),
    overdue: (enrollment, _args, ctx) => training.isOverdue(ctx, enrollment),
    validUntil: (enrollment, _args, ctx) => training.validUntilOf(ctx, enrollment),
    certificationToRecord: (enrollment, _args, ctx) => training.certificationToRecord(ctx, enrollment),
    availableActions: (enrollment, _args, ctx) => training.availableActions(ctx, enrollment),
  },
  TrainingComplianceByDepartment: {
    department: (group, _args, ctx) => (group.departmentId ? ctx.loaders.organisation.department.load({ key: group.departmentId, asOf: ctx.today }) : null),
  },
};
