import type { CreateReviewCycleInput, ReviewAnswerInput } from '../generated/graphql.js';
import { addYears, type CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { userError, type UserError } from '../shared/user-errors.js';
import type { RatingLevel, ReviewAnswerValue, ReviewCycleRow, ReviewParticipantsValue, ReviewQuestionValue } from './review.tables.js';

// Checks of review input that need no database: a cycle's shape, and answers against its questions.

export const limits = {
  name: 200,
  levels: { min: 2, max: 10 },
  ratingValue: { min: 0, max: 100 },
  label: 100,
  questions: { min: 1, max: 50 },
  questionText: 2000,
  answerText: 10_000,
  goals: 20,
  goalText: 1000,
  comment: 10_000,
} as const;

const questionIdPattern = /^[A-Za-z0-9_-]{1,40}$/;

export interface ParsedCycle {
  name: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  startsOn: CalendarDate;
  selfReviewDueOn: CalendarDate;
  managerReviewDueOn: CalendarDate;
  ratingScale: RatingLevel[];
  questions: ReviewQuestionValue[];
  participants: ReviewParticipantsValue;
}

const field = (...path: (string | number)[]): string[] => ['input', ...path.map(String)];

export function parseCycle(input: CreateReviewCycleInput, today: CalendarDate): { cycle: ParsedCycle; errors: UserError[] } {
  const errors: UserError[] = [];
  const name = input.name.trim();
  if (name.length === 0) errors.push(userError('REQUIRED', field('name'), 'A cycle needs a name.'));
  if (name.length > limits.name) errors.push(userError('INVALID_VALUE', field('name'), `A name has at most ${limits.name} characters.`));
  if (input.periodEnd < input.periodStart) {
    errors.push(userError('END_BEFORE_START', field('periodEnd'), 'The period ends before it starts.'));
  }
  const startsOn = input.startsOn ?? today;
  if (startsOn < addYears(today, -1) || startsOn > addYears(today, 1)) {
    errors.push(userError('DATE_TOO_FAR', field('startsOn'), 'A cycle starts at most a year before or after today.'));
  }
  for (const due of ['selfReviewDueOn', 'managerReviewDueOn'] as const) {
    if (input[due] < startsOn) errors.push(userError('INVALID_VALUE', field(due), 'A due date is on or after the day the cycle starts.'));
  }

  const ratingScale = input.ratingScale.map((level) => ({ value: level.value, label: level.label.trim() })).sort((a, b) => a.value - b.value);
  const { min, max } = limits.levels;
  if (ratingScale.length < min || ratingScale.length > max) {
    errors.push(userError('INVALID_VALUE', field('ratingScale'), `A rating scale has ${min} to ${max} levels.`));
  }
  input.ratingScale.forEach((level, index) => {
    if (!Number.isInteger(level.value) || level.value < limits.ratingValue.min || level.value > limits.ratingValue.max) {
      errors.push(userError('INVALID_VALUE', field('ratingScale', index, 'value'), `A rating is a whole number from ${limits.ratingValue.min} to ${limits.ratingValue.max}.`));
    }
    const label = level.label.trim();
    if (label.length === 0 || label.length > limits.label) {
      errors.push(userError('INVALID_VALUE', field('ratingScale', index, 'label'), `A label has 1 to ${limits.label} characters.`));
    }
  });
  if (new Set(ratingScale.map((level) => level.value)).size !== ratingScale.length) {
    errors.push(userError('INVALID_VALUE', field('ratingScale'), 'Two levels have the same value.'));
  }

  if (input.questions.length < limits.questions.min || input.questions.length > limits.questions.max) {
    errors.push(userError('INVALID_VALUE', field('questions'), `A cycle has ${limits.questions.min} to ${limits.questions.max} questions.`));
  }
  const questions = input.questions.map((question, index) => ({
    id: question.id?.trim() || `q${index + 1}`,
    text: question.text.trim(),
    kind: question.kind,
  }));
  questions.forEach((question, index) => {
    if (!questionIdPattern.test(question.id)) {
      errors.push(userError('INVALID_VALUE', field('questions', index, 'id'), 'A question id has 1 to 40 letters, digits, `-` or `_`.'));
    }
    if (question.text.length === 0 || question.text.length > limits.questionText) {
      errors.push(userError('INVALID_VALUE', field('questions', index, 'text'), `A question has 1 to ${limits.questionText} characters.`));
    }
  });
  if (new Set(questions.map((question) => question.id)).size !== questions.length) {
    errors.push(userError('INVALID_VALUE', field('questions'), 'Two questions have the same id.'));
  }

  const participants: ReviewParticipantsValue = {
    departmentIds: [...new Set((input.participants?.departmentIds ?? []).map(normaliseId))],
    locationIds: [...new Set((input.participants?.locationIds ?? []).map(normaliseId))],
    employmentTypes: [...new Set(input.participants?.employmentTypes ?? [])],
  };
  participants.departmentIds.forEach((id, index) => {
    if (!isUuid(id)) errors.push(userError('DEPARTMENT_NOT_FOUND', field('participants', 'departmentIds', index), 'No department has this id.'));
  });
  participants.locationIds.forEach((id, index) => {
    if (!isUuid(id)) errors.push(userError('LOCATION_NOT_FOUND', field('participants', 'locationIds', index), 'No location has this id.'));
  });

  return {
    cycle: {
      name,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      startsOn,
      selfReviewDueOn: input.selfReviewDueOn,
      managerReviewDueOn: input.managerReviewDueOn,
      ratingScale,
      questions,
      participants,
    },
    errors,
  };
}

const isScaleValue = (cycle: ReviewCycleRow, value: number): boolean => cycle.ratingScale.some((level) => level.value === value);

const scaleText = (cycle: ReviewCycleRow): string => cycle.ratingScale.map((level) => `${level.value} (${level.label})`).join(', ');

/** Answers checked against the cycle's questions and scale; one answer per question. */
export function parseAnswers(cycle: ReviewCycleRow, answers: readonly ReviewAnswerInput[]): { answers: ReviewAnswerValue[]; errors: UserError[] } {
  const errors: UserError[] = [];
  const seen = new Set<string>();
  const parsed: ReviewAnswerValue[] = [];
  answers.forEach((answer, index) => {
    const at = (...path: string[]) => field('answers', index, ...path);
    const question = cycle.questions.find((candidate) => candidate.id === answer.questionId);
    if (!question) {
      errors.push(userError('INVALID_VALUE', at('questionId'), `The cycle has no question "${answer.questionId}".`));
      return;
    }
    if (seen.has(question.id)) errors.push(userError('INVALID_VALUE', at('questionId'), 'Each question is answered once.'));
    seen.add(question.id);
    const rating = answer.rating ?? null;
    if (rating !== null && question.kind === 'TEXT') {
      errors.push(userError('INVALID_VALUE', at('rating'), 'This question is answered in words, without a rating.'));
    } else if (rating !== null && !isScaleValue(cycle, rating)) {
      errors.push(userError('INVALID_VALUE', at('rating'), `A rating is one of the cycle's scale: ${scaleText(cycle)}.`));
    }
    const text = answer.text?.trim() || null;
    if (text !== null && text.length > limits.answerText) {
      errors.push(userError('INVALID_VALUE', at('text'), `An answer has at most ${limits.answerText} characters.`));
    }
    parsed.push({ questionId: question.id, rating, text });
  });
  return { answers: parsed, errors };
}

export function checkOverallRating(cycle: ReviewCycleRow, rating: number | null | undefined): UserError[] {
  if (rating === null || rating === undefined || isScaleValue(cycle, rating)) return [];
  return [userError('INVALID_VALUE', field('overallRating'), `The overall rating is one of the cycle's scale: ${scaleText(cycle)}.`)];
}

export function parseGoals(goals: readonly string[]): { goals: string[]; errors: UserError[] } {
  const errors: UserError[] = [];
  const parsed = goals.map((goal) => goal.trim()).filter((goal) => goal.length > 0);
  if (parsed.length > limits.goals) errors.push(userError('INVALID_VALUE', field('goals'), `At most ${limits.goals} goals.`));
  parsed.forEach((goal, index) => {
    if (goal.length > limits.goalText) errors.push(userError('INVALID_VALUE', field('goals', index), `A goal has at most ${limits.goalText} characters.`));
  });
  return { goals: parsed, errors };
}

/** What a form needs before it is submitted: a rating for every RATING question (and the overall rating, when asked). */
export function missingForSubmission(
  cycle: ReviewCycleRow,
  answers: readonly ReviewAnswerValue[],
  overallRating: number | null,
  overallRequired: boolean,
): UserError[] {
  const errors: UserError[] = [];
  for (const question of cycle.questions) {
    if (question.kind !== 'RATING') continue;
    if (!answers.some((answer) => answer.questionId === question.id && answer.rating !== null)) {
      errors.push(userError('REQUIRED', field('answers'), `Rate "${question.text}" (${question.id}) before submitting.`));
    }
  }
  if (overallRequired && overallRating === null) errors.push(userError('REQUIRED', field('overallRating'), 'Give an overall rating before submitting.'));
  return errors;
}
