import { userError, type UserError } from '../shared/user-errors.js';
import type { PerformanceReviewRow, ReviewCycleRow } from './review.tables.js';

// The user errors of the review domain: one code and one message each.

export const errors = {
  cycleNotFound: (): UserError => userError('REVIEW_CYCLE_NOT_FOUND', ['input', 'cycleId'], 'No review cycle has this id.'),
  reviewNotFound: (): UserError => userError('PERFORMANCE_REVIEW_NOT_FOUND', ['input', 'reviewId'], 'No performance review has this id.'),
  noParticipants: (startsOn: string): UserError =>
    userError('NO_REVIEW_PARTICIPANTS', ['input', 'participants'], `Nobody employed on ${startsOn} matches the participants.`),
  notOpenYet: (cycle: ReviewCycleRow): UserError =>
    userError('CONFLICT', ['input', 'reviewId'], `The cycle "${cycle.name}" opens on ${cycle.startsOn}; reviews are written from then.`),
  released: (review: PerformanceReviewRow): UserError =>
    userError('CONFLICT', ['input', 'reviewId'], `The review is ${review.state}: it can no longer be changed.`),
  formSubmitted: (whose: 'self' | 'manager'): UserError =>
    userError('CONFLICT', ['input', 'reviewId'], `The ${whose} review is submitted: it can no longer be changed.`),
  notSubmitted: (review: PerformanceReviewRow): UserError =>
    userError('CONFLICT', ['input', 'reviewId'], `The review is ${review.state}: only a SUBMITTED review (manager review submitted) is released.`),
  notReleased: (review: PerformanceReviewRow): UserError =>
    userError('CONFLICT', ['input', 'reviewId'], `The review is ${review.state}: only a RELEASED review is acknowledged.`),
  commentTooLong: (max: number): UserError => userError('INVALID_VALUE', ['input', 'comment'], `A comment has at most ${max} characters.`),
};
