import { userError, type UserError } from '../shared/user-errors.js';
import type { TrainingEnrollmentRow } from './training.tables.js';

// The user errors of the training domain: one code and one message each.

export const errors = {
  courseNotFound: (field: readonly string[] = ['input', 'courseId']): UserError =>
    userError('TRAINING_COURSE_NOT_FOUND', [...field], 'No training course has this id.'),
  duplicateCourse: (): UserError =>
    userError('INVALID_VALUE', ['input', 'title'], 'The catalog has a course with this title from this provider already.'),
  courseInactive: (): UserError => userError('CONFLICT', ['input', 'courseId'], 'The course is inactive: it takes no new enrollments.'),
  requirementNotFound: (): UserError => userError('TRAINING_REQUIREMENT_NOT_FOUND', ['input', 'id'], 'No training rule has this id.'),
  requirementRemoved: (): UserError => userError('CONFLICT', ['input', 'id'], 'The rule has been removed already.'),
  enrollmentNotFound: (): UserError =>
    userError('TRAINING_ENROLLMENT_NOT_FOUND', ['input', 'enrollmentId'], 'No training enrollment has this id.'),
  alreadyEnrolled: (): UserError =>
    userError('ALREADY_ENROLLED', ['input', 'courseId'], 'The employee is enrolled in this course already (an enrollment is open).'),
  notOpen: (enrollment: TrainingEnrollmentRow, action: string): UserError =>
    userError('CONFLICT', ['input', 'enrollmentId'], `The enrollment is ${enrollment.status}: only an open one can be ${action}.`),
  notEnrolled: (enrollment: TrainingEnrollmentRow): UserError =>
    userError('CONFLICT', ['input', 'enrollmentId'], `The enrollment is ${enrollment.status}: only an ENROLLED one is started.`),
  required: (): UserError =>
    userError('TRAINING_REQUIRED', ['input', 'enrollmentId'], 'A training rule in force requires this course of the employee: it cannot be withdrawn.'),
  dueOnPast: (): UserError => userError('INVALID_VALUE', ['input', 'dueOn'], 'A due date is today or later.'),
  dueOnTooFar: (): UserError => userError('DATE_TOO_FAR', ['input', 'dueOn'], 'A due date is at most two years ahead.'),
  completedInFuture: (): UserError => userError('INVALID_VALUE', ['input', 'completedOn'], 'A completion is not in the future.'),
  completedTooLongAgo: (): UserError => userError('DATE_TOO_FAR', ['input', 'completedOn'], 'A completion is at most a year back.'),
  reasonRequired: (max: number): UserError => userError('REQUIRED', ['input', 'reason'], `Say why, in 1 to ${max} characters.`),
};
