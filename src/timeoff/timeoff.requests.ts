import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { RequestTimeOffInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import {
  findEmploymentTimelines,
  findHireDate,
  isEmployedOn,
  lockEmployee,
  statusOn,
  terminalStatuses,
  type StatusSpan,
} from '../employees/employee.service.js';
import { employeeNotFound, employeeLeft, notEmployedOn } from '../shared/common-errors.js';
import { fail, userError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { assignedOn } from './assignment.js';
import { loadBalances } from './balance.js';
import {
  addDays,
  defaultHoursPerDay,
  expandRange,
  portionProblem,
  portionsOverlap,
  roundDays,
  yearOf,
  type HolidaysByLocation,
  type Holiday,
  type RangeRequest,
} from './calendar.js';
import { applicableSteps } from './timeoff.approvals.js';
import { assertMayRequest } from './timeoff.access.js';
import * as store from './timeoff.store.js';
import type { TimeOffPolicyRow } from './timeoff.tables.js';
import { requestWrite, type RequestOutcome } from './timeoff.transaction.js';
import { validateRequestInput } from './timeoff.validation.js';

// Requesting time off: the input, the employee's employment, the policy's assignment and waiting
// period, the working days of the range, overlaps and the balance, all checked under the
// employee's lock (see timeoff.transaction.ts).

export async function requestTimeOff(ctx: RequestContext, input: RequestTimeOffInput): Promise<RequestOutcome> {
  const employeeId = normaliseId(input.employeeId);
  assertMayRequest(ctx, employeeId);
  const policyId = normaliseId(input.policyId);
  const problems = validateRequestInput(input, ctx.today);
  if (problems.length > 0) return fail(...problems);
  if (!isUuid(employeeId)) return fail(employeeNotFound(['input', 'employeeId']));
  if (!isUuid(policyId)) return fail(userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'));

  return writeTransaction(ctx, async (tx) => {
    if (!(await lockEmployee(tx, employeeId))) abort(employeeNotFound(['input', 'employeeId']));
    const [policy] = await store.findPoliciesByIds(tx, [policyId]);
    if (!policy) abort(userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'));

    const { startDate, endDate } = input;
    const lastDay = endDate > ctx.today ? endDate : ctx.today;
    const timelines = (await findEmploymentTimelines(tx, [employeeId], lastDay)).get(employeeId) ?? { locations: [], statuses: [] };
    checkEmployed(timelines.statuses, startDate, endDate, ctx.today);

    const balancesAtStart = (await loadBalances(tx, [employeeId], startDate)).get(employeeId) ?? [];
    if (!balancesAtStart.some((balance) => balance.policy.id === policy.id)) {
      abort(userError('POLICY_NOT_ASSIGNED', ['input', 'policyId'], `${policy.name} does not apply to this employee.`));
    }

    const hireDate = await findHireDate(tx, employeeId);
    if (hireDate !== null && startDate < addDays(hireDate, policy.waitingPeriodDays)) {
      abort(
        userError(
          'IN_WAITING_PERIOD',
          ['input', 'startDate'],
          `${policy.name} can be taken from ${addDays(hireDate, policy.waitingPeriodDays)} (${policy.waitingPeriodDays} days after the hire date).`,
        ),
      );
    }
    const range: RangeRequest = {
      start: startDate,
      end: endDate,
      startPortion: input.startPortion ?? 'FULL',
      endPortion: input.endPortion ?? 'FULL',
      hours: input.hours ?? null,
      hoursPerDay: policy.hoursPerDay || defaultHoursPerDay,
    };
    const problem = portionProblem(range);
    if (problem) abort(userError('INVALID_VALUE', ['input', problem.field], problem.message));
    const locationIds = [...new Set(timelines.locations.flatMap((span) => (span.locationId ? [span.locationId] : [])))];
    const holidays = groupHolidays(await store.findHolidays(tx, locationIds, startDate, endDate));
    const days = expandRange(range, timelines.locations, holidays);
    if (days.length === 0) {
      abort(userError('NO_WORKING_DAYS', ['input', 'endDate'], 'The range has no working day to take off (weekends and holidays only).'));
    }

    const taken = await store.findOpenDaysOn(tx, employeeId, days.map((day) => day.date));
    const clash = days.find((day) =>
      taken.some((other) => other.date === day.date && portionsOverlap(other.portion, day.portion)),
    );
    if (clash) {
      abort(
        userError(
          'OVERLAPS_EXISTING_REQUEST',
          ['input', 'startDate'],
          `${clash.date} is already in a pending or approved request.`,
        ),
      );
    }

    const amount = roundDays(days.reduce((sum, day) => sum + day.amount, 0));
    await checkBalance(tx, employeeId, policy, days);

    const chain = applicableSteps(policy.approvalChain, amount);
    const approvedNow = chain.length === 0;
    const request = await store.insertRequest(
      tx,
      {
        employeeId,
        policyId: policy.id,
        status: approvedNow ? 'APPROVED' : 'PENDING',
        startDate,
        endDate,
        reason: input.reason?.trim() || null,
        amount,
        deductedAmount: approvedNow ? amount : null,
        approvalChain: chain,
        createdBy: describeCaller(ctx.caller),
      },
      days,
    );
    return request.id;
  }, requestWrite);
}

/** Not gone today, and employed on every day of the range. */
function checkEmployed(
  statuses: readonly StatusSpan[],
  start: CalendarDate,
  end: CalendarDate,
  today: CalendarDate,
): void {
  const checkDays = [start, ...statuses.filter((span) => span.from > start && span.from <= end).map((span) => span.from)];
  const todayStatus = statusOn(statuses, today);
  if (todayStatus !== null && terminalStatuses.includes(todayStatus)) {
    abort(employeeLeft(['input', 'employeeId']));
  }
  const notEmployed = checkDays.find((date) => !isEmployedOn(statuses, date));
  if (notEmployed !== undefined) {
    abort(notEmployedOn(['input', 'startDate'], notEmployed));
  }
}

function groupHolidays(rows: readonly (Holiday & { locationId: string })[]): HolidaysByLocation {
  const byLocation = new Map<string, Map<CalendarDate, Holiday>>();
  for (const { locationId, ...holiday } of rows) {
    const days = byLocation.get(locationId) ?? new Map<CalendarDate, Holiday>();
    days.set(holiday.date, holiday);
    byLocation.set(locationId, days);
  }
  return byLocation;
}

/**
 * Each calendar year the request touches must have the days: the balance as of the request's
 * last day in that year (so monthly accrual up to then counts), minus what it asks, may not go
 * below the negative limit in force on that day. A policy unlimited on that day is never short.
 */
async function checkBalance(
  tx: Database,
  employeeId: string,
  policy: TimeOffPolicyRow,
  days: readonly { date: CalendarDate; amount: number }[],
): Promise<void> {
  const byYear = new Map<number, { last: CalendarDate; amount: number; dates: CalendarDate[] }>();
  for (const day of days) {
    const year = yearOf(day.date);
    const entry = byYear.get(year) ?? { last: day.date, amount: 0, dates: [] };
    entry.amount += day.amount;
    entry.dates.push(day.date);
    if (day.date > entry.last) entry.last = day.date;
    byYear.set(year, entry);
  }
  for (const [year, { last, amount, dates }] of byYear) {
    const balance = (await loadBalances(tx, [employeeId], last)).get(employeeId)?.find((b) => b.policy.id === policy.id);
    // The start date was checked before; the assignment as known on the year's last requested day
    // covers every requested day of the year, so a policy ending mid-request is refused by name.
    const unassigned = balance ? dates.find((date) => !assignedOn(balance.assignment, date)) : last;
    if (unassigned !== undefined) {
      abort(userError('POLICY_NOT_ASSIGNED', ['input', 'policyId'], `${policy.name} does not apply to this employee on ${unassigned}.`));
    }
    if (balance?.unlimited) continue;
    const available = balance?.available ?? 0;
    const limit = balance?.negativeBalanceLimit ?? 0;
    if (roundDays(available - amount) < -limit) {
      abort(
        userError(
          'INSUFFICIENT_BALANCE',
          ['input', 'endDate'],
          `${roundDays(amount)} days requested in ${year}, ${available} available${
            limit > 0 ? ` (the balance may go down to -${limit})` : ''
          }.`,
        ),
      );
    }
  }
}
