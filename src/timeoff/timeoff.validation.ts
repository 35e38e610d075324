import type { RequestTimeOffInput } from '../generated/graphql.js';
import type { CalendarDate } from '../shared/dates.js';
import { userError, type UserError } from '../shared/user-errors.js';
import { daysBetween, defaultHoursPerDay, portionProblem } from './calendar.js';

// Checks of a time-off request that need no database.

/** Furthest a request may reach from today: two years ahead, one year back (HR recording past absences). */
export const maxDaysAhead = 2 * 366;
export const maxDaysBack = 366;
/** Longest single request, in calendar days. */
export const maxRangeDays = 366;
export const maxReasonLength = 2000;

export function validateRequestInput(input: RequestTimeOffInput, today: CalendarDate): UserError[] {
  const { startDate, endDate } = input;
  if (endDate < startDate) {
    return [userError('END_BEFORE_START', ['input', 'endDate'], 'The end date is before the start date.')];
  }
  const errors: UserError[] = [];
  if (daysBetween(today, endDate) > maxDaysAhead) {
    errors.push(userError('DATE_TOO_FAR', ['input', 'endDate'], `Time off can be requested at most ${maxDaysAhead} days ahead.`));
  } else if (daysBetween(startDate, today) > maxDaysBack) {
    errors.push(userError('DATE_TOO_FAR', ['input', 'startDate'], `Time off can be recorded at most ${maxDaysBack} days back.`));
  } else if (daysBetween(startDate, endDate) + 1 > maxRangeDays) {
    errors.push(userError('DATE_TOO_FAR', ['input', 'endDate'], `One request covers at most ${maxRangeDays} days.`));
  }
  const problem = portionProblem({
    start: startDate,
    end: endDate,
    startPortion: input.startPortion ?? 'FULL',
    endPortion: input.endPortion ?? 'FULL',
    hours: input.hours ?? null,
    // The policy's hours per day are checked again when the days are expanded.
    hoursPerDay: defaultHoursPerDay * 3,
  });
  if (problem) errors.push(userError('INVALID_VALUE', ['input', problem.field], problem.message));
  if (input.reason && input.reason.length > maxReasonLength) {
    errors.push(userError('INVALID_VALUE', ['input', 'reason'], `The reason is at most ${maxReasonLength} characters.`));
  }
  return errors;
}
