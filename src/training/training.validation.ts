import type { CreateTrainingCourseInput, UpdateTrainingCourseInput } from '../generated/graphql.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { userError, type UserError } from '../shared/user-errors.js';

// Checks of training input that need no database.

export const limits = {
  title: 200,
  provider: 200,
  description: 5000,
  url: 2000,
  hours: 1000,
  dueWithinDays: 365,
  renewalMonths: 120,
  reason: 1000,
  score: 100,
} as const;

const field = (...path: string[]): string[] => ['input', ...path];

export interface CourseValues {
  title?: string;
  provider?: string;
  hours?: number;
  description?: string | null;
  url?: string | null;
  certificationCatalogEntryId?: string | null;
  selfEnrollment?: boolean;
  selfPaced?: boolean;
  active?: boolean;
}

function text(name: 'title' | 'provider', value: string, errors: UserError[]): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) errors.push(userError('REQUIRED', field(name), `A course needs a ${name}.`));
  if (trimmed.length > limits[name]) errors.push(userError('INVALID_VALUE', field(name), `A ${name} has at most ${limits[name]} characters.`));
  return trimmed;
}

function optionalText(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value?.trim() || null;
}

/** The values a course input sets (omitted fields absent), and what is wrong with them. */
export function parseCourse(input: CreateTrainingCourseInput | UpdateTrainingCourseInput): { values: CourseValues; errors: UserError[] } {
  const errors: UserError[] = [];
  const values: CourseValues = {};
  if (input.title !== undefined && input.title !== null) values.title = text('title', input.title, errors);
  if (input.title === null) errors.push(userError('REQUIRED', field('title'), 'A course needs a title.'));
  if (input.provider !== undefined && input.provider !== null) values.provider = text('provider', input.provider, errors);
  if (input.provider === null) errors.push(userError('REQUIRED', field('provider'), 'A course needs a provider.'));
  if (input.hours === null) errors.push(userError('REQUIRED', field('hours'), 'A course needs its hours.'));
  if (input.hours !== undefined && input.hours !== null) {
    if (!Number.isFinite(input.hours) || input.hours <= 0 || input.hours > limits.hours) {
      errors.push(userError('INVALID_VALUE', field('hours'), `Hours are more than 0 and at most ${limits.hours}.`));
    }
    values.hours = input.hours;
  }
  const description = optionalText(input.description);
  if (description !== undefined) {
    if (description !== null && description.length > limits.description) {
      errors.push(userError('INVALID_VALUE', field('description'), `A description has at most ${limits.description} characters.`));
    }
    values.description = description;
  }
  const url = optionalText(input.url);
  if (url !== undefined) {
    if (url !== null && (url.length > limits.url || !/^https?:\/\//i.test(url) || !URL.canParse(url))) {
      errors.push(userError('INVALID_VALUE', field('url'), 'The link is an http(s) URL.'));
    }
    values.url = url;
  }
  if (input.certificationCatalogEntryId !== undefined) {
    const id = input.certificationCatalogEntryId === null ? null : normaliseId(input.certificationCatalogEntryId);
    if (id !== null && !isUuid(id)) errors.push(catalogEntryNotFound());
    values.certificationCatalogEntryId = id;
  }
  for (const flag of ['selfEnrollment', 'selfPaced'] as const) {
    const value = input[flag];
    if (value !== undefined && value !== null) values[flag] = value;
  }
  if ('active' in input && input.active !== undefined && input.active !== null) values.active = input.active;
  return { values, errors };
}

export const catalogEntryNotFound = (): UserError =>
  userError('CATALOG_ENTRY_NOT_FOUND', field('certificationCatalogEntryId'), 'No certification catalog entry has this id.');

export function checkRequirement(input: { dueWithinDays?: number | null; renewalMonths?: number | null }): UserError[] {
  const errors: UserError[] = [];
  const due = input.dueWithinDays;
  if (due !== undefined && due !== null && (!Number.isInteger(due) || due < 0 || due > limits.dueWithinDays)) {
    errors.push(userError('INVALID_VALUE', field('dueWithinDays'), `A due period is 0 to ${limits.dueWithinDays} days.`));
  }
  const renewal = input.renewalMonths;
  if (renewal !== undefined && renewal !== null && (!Number.isInteger(renewal) || renewal < 1 || renewal > limits.renewalMonths)) {
    errors.push(userError('INVALID_VALUE', field('renewalMonths'), `A renewal period is 1 to ${limits.renewalMonths} months.`));
  }
  return errors;
}

export function checkScore(score: number | null | undefined): UserError[] {
  if (score === undefined || score === null) return [];
  return Number.isFinite(score) && score >= 0 && score <= limits.score
    ? []
    : [userError('INVALID_VALUE', field('score'), `A score is 0 to ${limits.score}.`)];
}
