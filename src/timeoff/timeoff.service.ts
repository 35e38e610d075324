import { GraphQLError } from 'graphql';
import { forbidden, unauthenticated } from '../auth/access.js';
import { describeCaller, hasRole } from '../auth/caller.js';
import type { Database } from '../db/database.js';
import type {
  AdjustTimeOffBalanceInput,
  RequestTimeOffInput,
  TimeOffAction,
  TimeOffDecisionInput,
  TimeOffRequestStatus,
} from '../generated/graphql.js';
import { resetLoaders, type RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, succeed, userError, UserErrorsAbort, type Outcome, type UserError } from '../shared/user-errors.js';
import type { AvailabilityDayModel } from './availability.js';
import { loadBalances, type Balance } from './balance.js';
import {
  addDays,
  daysBetween,
  defaultHoursPerDay,
  expandRange,
  locationOn,
  portionProblem,
  portionsOverlap,
  roundDays,
  yearOf,
  type HolidaysByLocation,
  type Holiday,
  type RangeRequest,
} from './calendar.js';
import { assertFullView, assertMayListPolicies, assertMayRequest, isHr, requestView, timeOffView } from './timeoff.access.js';
import * as store from './timeoff.store.js';
import type {
  ApprovalStep,
  TimeOffDecisionRow,
  TimeOffPolicyRow,
  TimeOffRequestDayRow,
  TimeOffRequestRow,
} from './timeoff.tables.js';
import { maxReasonLength, validateRequestInput } from './timeoff.validation.js';

// Time-off rules: requesting (validation, balance), the approval chain, explicit transitions,
// and who may do what. Every change runs in one transaction that first locks the employee row,
// so two racing requests (or decisions) for one employee run one after the other: the second
// sees the first's days in the balance and cannot overspend it, nor approve a request twice.

/** Statuses in which time off can be taken. */
const employedStatuses = ['ACTIVE', 'ON_LEAVE'];

type RequestOutcome = Outcome<TimeOffRequestRow>;

async function inTransaction(ctx: RequestContext, work: (tx: Database) => Promise<string>): Promise<RequestOutcome> {
  let requestId: string;
  try {
    requestId = await ctx.db.transaction(work);
  } catch (error) {
    if (error instanceof UserErrorsAbort) return fail(...error.errors);
    throw error;
  }
  resetLoaders(ctx);
  const request = await ctx.loaders.timeOffRequest.load(requestId);
  if (!request) throw new Error(`time-off request ${requestId} vanished after its change`);
  return succeed(request);
}

function abort(...errors: UserError[]): never {
  throw new UserErrorsAbort(errors);
}

// ---------------------------------------------------------------- reads

export async function getRequest(ctx: RequestContext, id: string): Promise<TimeOffRequestRow | null> {
  const request = await ctx.loaders.timeOffRequest.load(normaliseId(id));
  if (!request) return null;
  // Existence is not revealed to those who may not see the request.
  return (await requestView(ctx, request)) ? request : null;
}

export async function listPolicies(ctx: RequestContext): Promise<TimeOffPolicyRow[]> {
  assertMayListPolicies(ctx);
  return store.findPolicies(ctx.db);
}

export async function balancesOf(ctx: RequestContext, employeeId: string, asOf: CalendarDate | null | undefined) {
  await assertFullView(ctx, employeeId, 'time-off balances');
  return ctx.loaders.timeOffBalances.load({ employeeId, asOf: asOf ?? ctx.today });
}

export async function requestsOf(
  ctx: RequestContext,
  employeeId: string,
  args: { from?: CalendarDate | null; to?: CalendarDate | null; statuses?: readonly TimeOffRequestStatus[] | null },
): Promise<TimeOffRequestRow[]> {
  if (!(await timeOffView(ctx, employeeId))) throw forbidden('You may not see the time off of this employee.');
  return ctx.loaders.timeOffRequestsOf.load({
    employeeId,
    from: args.from ?? null,
    to: args.to ?? null,
    statuses: args.statuses?.length ? args.statuses : null,
  });
}

/**
 * `Employee.timeOff`: the requests intersecting a required range (at most 366 days), approved and
 * pending unless `statuses` says, oldest first. The same loader as `requestsOf`, so it batches
 * across employees; what each caller sees of a request is decided by the request's own fields.
 */
export async function timeOffOf(
  ctx: RequestContext,
  employeeId: string,
  args: { from: CalendarDate; to: CalendarDate; statuses?: readonly TimeOffRequestStatus[] | null },
): Promise<TimeOffRequestRow[]> {
  checkRange(args.from, args.to);
  const requests = await requestsOf(ctx, employeeId, {
    from: args.from,
    to: args.to,
    statuses: args.statuses?.length ? args.statuses : ['APPROVED', 'PENDING'],
  });
  return [...requests].reverse();
}

/** Longest range the calendar and availability answer, in days. */
export const maxCalendarDays = 366;

function checkRange(from: CalendarDate, to: CalendarDate): void {
  if (to < from) throw badInput('`to` is before `from`.', 'to');
  if (daysBetween(from, to) + 1 > maxCalendarDays) throw badInput(`A range covers at most ${maxCalendarDays} days.`, 'to');
}

function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

export async function availabilityOf(
  ctx: RequestContext,
  employeeId: string,
  args: { from: CalendarDate; to: CalendarDate; statuses?: readonly TimeOffRequestStatus[] | null },
): Promise<AvailabilityDayModel[]> {
  checkRange(args.from, args.to);
  const view = await timeOffView(ctx, employeeId);
  if (!view) throw forbidden('You may not see the availability of this employee.');
  const days = await ctx.loaders.timeOffAvailability.load({
    employeeId,
    from: args.from,
    to: args.to,
    statuses: args.statuses?.length ? args.statuses : ['APPROVED'],
  });
  // A private absence is only "off" to those who see dates only.
  return view === 'full' ? days : days.map((day) => (day.privatePolicy ? { ...day, category: null } : day));
}

/** Requests intersecting a range: everyone for HR and PSA; for a person, their own and their reports' (direct and indirect). */
export async function calendar(
  ctx: RequestContext,
  args: {
    from: CalendarDate;
    to: CalendarDate;
    statuses?: readonly TimeOffRequestStatus[] | null;
    filter?: { employeeIds?: readonly string[] | null; locationIds?: readonly string[] | null } | null;
  },
): Promise<TimeOffRequestRow[]> {
  checkRange(args.from, args.to);
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  let scope: string[] | null = null;
  if (caller.kind === 'service') {
    if (caller.service !== 'PSA') throw forbidden(`The ${caller.service} service key does not read time off.`);
  } else if (caller.kind === 'user' && !isHr(caller)) {
    if (caller.employeeId === null) throw forbidden('Your account has no employee record.');
    const reports = await ctx.loaders.allReportIds.load({ key: caller.employeeId, asOf: ctx.today });
    scope = [caller.employeeId, ...reports];
  }
  const wanted = args.filter?.employeeIds?.map(normaliseId).filter(isUuid);
  if (args.filter?.employeeIds) scope = scope ? scope.filter((id) => wanted?.includes(id)) : (wanted ?? []);
  const statuses = args.statuses?.length ? args.statuses : (['APPROVED', 'PENDING'] as const);
  let requests = await store.findRequestsInRange(ctx.db, scope, args.from, args.to, statuses);
  if (args.filter?.locationIds) {
    const locationIds = args.filter.locationIds.map(normaliseId);
    const timelines = await store.findJobTimelines(ctx.db, [...new Set(requests.map((request) => request.employeeId))], args.from);
    requests = requests.filter((request) => {
      const location = locationOn(timelines.get(request.employeeId)?.locations ?? [], args.from);
      return location !== null && locationIds.includes(location);
    });
  }
  for (const request of requests) ctx.loaders.timeOffRequest.prime(request.id, request);
  return requests;
}

/** The policy of a request, or null when it is private and the caller sees dates only ("unavailable"). */
export async function policyOf(ctx: RequestContext, request: TimeOffRequestRow): Promise<TimeOffPolicyRow | null> {
  const policy = await ctx.loaders.timeOffPolicy.load(request.policyId);
  if (!policy) return null;
  if (policy.private && (await requestView(ctx, request)) !== 'full') return null;
  return policy;
}

export async function reasonOf(ctx: RequestContext, request: TimeOffRequestRow): Promise<string | null> {
  if ((await requestView(ctx, request)) !== 'full') throw forbidden('You may not see the reason of this request.');
  return request.reason;
}

export async function decisionsOf(ctx: RequestContext, request: TimeOffRequestRow): Promise<TimeOffDecisionRow[]> {
  if ((await requestView(ctx, request)) !== 'full') throw forbidden('You may not see the decisions on this request.');
  return ctx.loaders.timeOffDecisions.load(request.id);
}

export async function daysOf(
  ctx: RequestContext,
  request: TimeOffRequestRow,
  range: { from?: CalendarDate | null; to?: CalendarDate | null } = {},
): Promise<TimeOffRequestDayRow[]> {
  const days = await ctx.loaders.timeOffDays.load(request.id);
  return days.filter((day) => (!range.from || day.date >= range.from) && (!range.to || day.date <= range.to));
}

// ---------------------------------------------------------------- approval chain

/**
 * Who decides each step of a request (null: HR or Admin only). The manager step goes to the
 * requester's manager today, or the next manager up when that one is not ACTIVE or is the
 * requester; a named approver likewise falls back to their own managers.
 */
export async function resolveApprovers(ctx: RequestContext, request: TimeOffRequestRow): Promise<(string | null)[]> {
  return Promise.all(
    request.approvalChain.map(async (step) => {
      if (step.kind === 'HR') return null;
      const candidates =
        step.kind === 'MANAGER'
          ? await ctx.loaders.reportingChainIds.load({ key: request.employeeId, asOf: ctx.today })
          : [step.employeeId, ...(await ctx.loaders.reportingChainIds.load({ key: step.employeeId, asOf: ctx.today }))];
      for (const id of candidates) {
        if (id === request.employeeId) continue;
        const record = await ctx.loaders.byId.load({ key: id, asOf: ctx.today });
        if (record?.job?.status === 'ACTIVE') return id;
      }
      return null;
    }),
  );
}

type Capacity = 'APPROVER' | 'HR' | 'ADMIN';

/** In which capacity the caller may decide the current step of a request, or null. Nobody decides their own request. */
function deciderCapacity(ctx: RequestContext, request: TimeOffRequestRow, approvers: readonly (string | null)[]): Capacity | null {
  const { caller } = ctx;
  if (caller.kind === 'user' && caller.employeeId === request.employeeId) return null;
  const approver = approvers[request.currentStep] ?? null;
  if (caller.kind === 'user' && approver !== null && caller.employeeId === approver) return 'APPROVER';
  if (caller.kind === 'system' || hasRole(caller, 'ADMIN')) return 'ADMIN';
  if (isHr(caller)) return 'HR';
  return null;
}

type CancelCapacity = 'REQUESTER' | 'HR' | 'ADMIN';

/** Whether (and as whom) the caller may cancel: pending, or approved before its first day; after that HR only. */
function cancelCapacity(ctx: RequestContext, request: TimeOffRequestRow): CancelCapacity | null {
  const { caller } = ctx;
  if (request.status !== 'PENDING' && request.status !== 'APPROVED') return null;
  if (caller.kind === 'system' || hasRole(caller, 'ADMIN')) return 'ADMIN';
  if (isHr(caller)) return 'HR';
  if (caller.kind === 'user' && caller.employeeId === request.employeeId) {
    return request.status === 'PENDING' || ctx.today < request.startDate ? 'REQUESTER' : null;
  }
  return null;
}

export async function availableActions(ctx: RequestContext, request: TimeOffRequestRow): Promise<TimeOffAction[]> {
  if (ctx.caller.kind === 'service' || !(await requestView(ctx, request))) return [];
  const actions: TimeOffAction[] = [];
  if (request.status === 'PENDING' && deciderCapacity(ctx, request, await resolveApprovers(ctx, request))) {
    actions.push('APPROVE', 'DENY');
  }
  if (cancelCapacity(ctx, request)) actions.push('CANCEL');
  return actions;
}

/** The steps of a policy's chain that apply to a request of `amount` days. */
export function applicableSteps(chain: readonly ApprovalStep[], amount: number): ApprovalStep[] {
  return chain.filter((step) => step.kind !== 'HR' || step.whenLongerThanDays === undefined || amount > step.whenLongerThanDays);
}

// ---------------------------------------------------------------- requesting


export async function requestTimeOff(ctx: RequestContext, input: RequestTimeOffInput): Promise<RequestOutcome> {
  const employeeId = normaliseId(input.employeeId);
  assertMayRequest(ctx, employeeId);
  const policyId = normaliseId(input.policyId);
  const problems = validateRequestInput(input, ctx.today);
  if (problems.length > 0) return fail(...problems);
  if (!isUuid(employeeId)) return fail(userError('EMPLOYEE_NOT_FOUND', ['input', 'employeeId'], 'No employee has this id.'));
  if (!isUuid(policyId)) return fail(userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'));

  return inTransaction(ctx, async (tx) => {
    if (!(await store.lockEmployee(tx, employeeId))) {
      abort(userError('EMPLOYEE_NOT_FOUND', ['input', 'employeeId'], 'No employee has this id.'));
    }
    const [policy] = await store.findPoliciesByIds(tx, [policyId]);
    if (!policy) abort(userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'));

    const { startDate, endDate } = input;
    const lastDay = endDate > ctx.today ? endDate : ctx.today;
    const timelines = (await store.findJobTimelines(tx, [employeeId], lastDay)).get(employeeId) ?? { locations: [], statuses: [] };
    checkEmployed(timelines.statuses, startDate, endDate, ctx.today);

    const balancesAtStart = (await loadBalances(tx, [employeeId], startDate)).get(employeeId) ?? [];
    if (!balancesAtStart.some((balance) => balance.policy.id === policy.id)) {
      abort(userError('POLICY_NOT_ASSIGNED', ['input', 'policyId'], `${policy.name} does not apply to this employee.`));
    }

    const hireDate = await store.findHireDate(tx, employeeId);
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
  });
}

/** Employed (ACTIVE or ON_LEAVE) today and on every day of the range. */
function checkEmployed(
  statuses: readonly store.StatusSpan[],
  start: CalendarDate,
  end: CalendarDate,
  today: CalendarDate,
): void {
  const statusOn = (date: CalendarDate) => {
    let current: string | null = null;
    for (const span of statuses) {
      if (span.from > date) break;
      current = span.status;
    }
    return current;
  };
  const checkDays = [start, ...statuses.filter((span) => span.from > start && span.from <= end).map((span) => span.from)];
  const todayStatus = statusOn(today);
  if (todayStatus === 'TERMINATED' || todayStatus === 'RESIGNED') {
    abort(userError('EMPLOYEE_NOT_ACTIVE', ['input', 'employeeId'], 'The employee has left; time off can no longer be requested.'));
  }
  const notEmployed = checkDays.find((date) => !employedStatuses.includes(statusOn(date) ?? ''));
  if (notEmployed !== undefined) {
    abort(userError('EMPLOYEE_NOT_ACTIVE', ['input', 'startDate'], `The employee is not employed on ${notEmployed}.`));
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
 * below the policy's negative limit. Unlimited policies are never short.
 */
async function checkBalance(
  tx: Database,
  employeeId: string,
  policy: TimeOffPolicyRow,
  days: readonly { date: CalendarDate; amount: number }[],
): Promise<void> {
  if (policy.accrualKind === 'UNLIMITED') return;
  const byYear = new Map<number, { last: CalendarDate; amount: number }>();
  for (const day of days) {
    const year = yearOf(day.date);
    const entry = byYear.get(year) ?? { last: day.date, amount: 0 };
    entry.amount += day.amount;
    if (day.date > entry.last) entry.last = day.date;
    byYear.set(year, entry);
  }
  for (const [year, { last, amount }] of byYear) {
    const balance = (await loadBalances(tx, [employeeId], last)).get(employeeId)?.find((b) => b.policy.id === policy.id);
    const available = balance?.available ?? 0;
    if (roundDays(available - amount) < -policy.negativeBalanceLimit) {
      abort(
        userError(
          'INSUFFICIENT_BALANCE',
          ['input', 'endDate'],
          `${roundDays(amount)} days requested in ${year}, ${available} available${
            policy.negativeBalanceLimit > 0 ? ` (the balance may go down to -${policy.negativeBalanceLimit})` : ''
          }.`,
        ),
      );
    }
  }
}

// ---------------------------------------------------------------- decisions

type Decision = 'APPROVE' | 'DENY' | 'CANCEL';

export function approveTimeOffRequest(ctx: RequestContext, input: TimeOffDecisionInput): Promise<RequestOutcome> {
  return decide(ctx, input, 'APPROVE');
}

export function denyTimeOffRequest(ctx: RequestContext, input: TimeOffDecisionInput): Promise<RequestOutcome> {
  return decide(ctx, input, 'DENY');
}

export function cancelTimeOffRequest(ctx: RequestContext, input: TimeOffDecisionInput): Promise<RequestOutcome> {
  return decide(ctx, input, 'CANCEL');
}

const notFound = () => userError('REQUEST_NOT_FOUND', ['input', 'id'], 'No time-off request has this id.');

async function decide(ctx: RequestContext, input: TimeOffDecisionInput, decision: Decision): Promise<RequestOutcome> {
  const id = normaliseId(input.id);
  if (ctx.caller.kind === 'service') throw forbidden(`The ${ctx.caller.service} service key cannot decide on time off.`);
  const seen = isUuid(id) ? await ctx.loaders.timeOffRequest.load(id) : null;
  if (!seen || !(await requestView(ctx, seen))) return fail(notFound());
  const comment = input.comment?.trim() || null;
  if (comment !== null && comment.length > 2000) {
    return fail(userError('INVALID_VALUE', ['input', 'comment'], 'A comment is at most 2000 characters.'));
  }
  // Who decides each step is read before the transaction (it depends on the org, not on the request's state).
  const approvers = await resolveApprovers(ctx, seen);
  const decidedBy = describeCaller(ctx.caller);
  const deciderEmployeeId = ctx.caller.kind === 'user' ? ctx.caller.employeeId : null;

  return inTransaction(ctx, async (tx) => {
    await store.lockEmployee(tx, seen.employeeId);
    const request = await store.lockRequest(tx, id);
    if (!request) abort(notFound());

    if (decision === 'CANCEL') {
      if (request.status !== 'PENDING' && request.status !== 'APPROVED') {
        abort(userError('CONFLICT', ['input', 'id'], `A ${request.status} request cannot be cancelled.`));
      }
      const capacity = cancelCapacity(ctx, request);
      if (!capacity) {
        if (ctx.caller.kind === 'user' && ctx.caller.employeeId === request.employeeId) {
          abort(userError('CONFLICT', ['input', 'id'], 'The time off has started: only HR can cancel it now.'));
        }
        throw forbidden('Only the employee or HR may cancel this request.');
      }
      await store.insertDecision(tx, {
        requestId: request.id,
        stepIndex: null,
        decision: 'CANCELLED',
        actingAs: capacity,
        approverEmployeeId: deciderEmployeeId,
        decidedBy,
        comment,
      });
      await store.updateRequest(tx, request.id, { status: 'CANCELLED' });
      return request.id;
    }

    if (request.status !== 'PENDING') {
      abort(userError('CONFLICT', ['input', 'id'], `The request is ${request.status}; only a PENDING request can be decided.`));
    }
    // The step is the one current under the lock: a decision decides exactly that step, once.
    // A decider who names another step (they read the request before someone else decided it)
    // gets a conflict rather than a decision on a step they have not seen.
    const step = input.step ?? null;
    if (step !== null && step !== request.currentStep) {
      abort(
        userError(
          'CONFLICT',
          ['input', 'step'],
          `Step ${step} is no longer awaiting a decision; the request is at step ${request.currentStep}.`,
        ),
      );
    }
    const capacity = deciderCapacity(ctx, request, approvers);
    if (!capacity) throw forbidden('You are not the approver of this step of the request.');
    await store.insertDecision(tx, {
      requestId: request.id,
      stepIndex: request.currentStep,
      decision: decision === 'APPROVE' ? 'APPROVED' : 'DENIED',
      actingAs: capacity,
      approverEmployeeId: deciderEmployeeId,
      decidedBy,
      comment,
    });
    if (decision === 'DENY') {
      await store.updateRequest(tx, request.id, { status: 'DENIED' });
    } else if (request.currentStep + 1 >= request.approvalChain.length) {
      // The amount is frozen now: later policy or holiday changes do not rewrite it.
      await store.updateRequest(tx, request.id, { status: 'APPROVED', deductedAmount: request.amount });
    } else {
      await store.updateRequest(tx, request.id, { currentStep: request.currentStep + 1 });
    }
    return request.id;
  });
}

// ---------------------------------------------------------------- adjustments

/** Largest manual adjustment, in days either way. */
export const maxAdjustment = 366;

export async function adjustBalance(ctx: RequestContext, input: AdjustTimeOffBalanceInput): Promise<Outcome<Balance>> {
  const employeeId = normaliseId(input.employeeId);
  const policyId = normaliseId(input.policyId);
  const { caller } = ctx;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (!isHr(caller)) throw forbidden('Only Admin, HR Manager and HR Staff may adjust time-off balances.');
  if (caller.kind === 'user' && caller.employeeId === employeeId) {
    throw forbidden('You cannot adjust your own balance; ask someone else in HR.');
  }
  const reason = input.reason.trim();
  const effectiveDate = input.effectiveDate ?? ctx.today;
  const errors: UserError[] = [];
  if (!Number.isFinite(input.amount) || input.amount === 0 || Math.abs(input.amount) > maxAdjustment) {
    errors.push(userError('INVALID_VALUE', ['input', 'amount'], `The amount must be non-zero and at most ${maxAdjustment} days either way.`));
  }
  if (reason.length === 0) errors.push(userError('REQUIRED', ['input', 'reason'], 'Say why the balance is adjusted.'));
  if (reason.length > maxReasonLength) errors.push(userError('INVALID_VALUE', ['input', 'reason'], `The reason is at most ${maxReasonLength} characters.`));
  if (!isUuid(employeeId)) errors.push(userError('EMPLOYEE_NOT_FOUND', ['input', 'employeeId'], 'No employee has this id.'));
  if (!isUuid(policyId)) errors.push(userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'));
  if (errors.length > 0) return fail(...errors);
  try {
    await ctx.db.transaction(async (tx) => {
      if (!(await store.lockEmployee(tx, employeeId))) {
        abort(userError('EMPLOYEE_NOT_FOUND', ['input', 'employeeId'], 'No employee has this id.'));
      }
      const balance = (await loadBalances(tx, [employeeId], effectiveDate)).get(employeeId)?.find((b) => b.policy.id === policyId);
      if (!balance) {
        const [policy] = await store.findPoliciesByIds(tx, [policyId]);
        abort(
          policy
            ? userError('POLICY_NOT_ASSIGNED', ['input', 'policyId'], `${policy.name} does not apply to this employee.`)
            : userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'No time-off policy has this id.'),
        );
      }
      if (balance.unlimited) abort(userError('INVALID_VALUE', ['input', 'policyId'], 'An unlimited policy has no balance to adjust.'));
      await store.insertAdjustment(tx, {
        employeeId,
        policyId,
        amount: roundDays(input.amount),
        reason,
        recordedBy: describeCaller(caller),
        effectiveDate,
      });
    });
  } catch (error) {
    if (error instanceof UserErrorsAbort) return fail(...error.errors);
    throw error;
  }
  resetLoaders(ctx);
  const balances = await ctx.loaders.timeOffBalances.load({ employeeId, asOf: effectiveDate });
  const balance = balances.find((candidate) => candidate.policy.id === policyId);
  if (!balance) throw new Error('balance vanished after its adjustment');
  return succeed(balance);
}
