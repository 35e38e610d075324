import { GraphQLError } from 'graphql';
import { callerAllowed, forbidden, lineBelowCaller } from '../auth/auth.service.js';
import { findEmploymentTimelines, locationOn } from '../employees/employee.service.js';
import type { TimeOffRequestStatus } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import type { AvailabilityDayModel } from './availability.js';
import { daysBetween } from './calendar.js';
import { assertFullView, assertMayListPolicies, requestView, timeOffRules, timeOffView, type TimeOffView } from './timeoff.access.js';
import * as store from './timeoff.store.js';
import { wholeRequest } from './timeoff.whole-request.js';
import type {
  TimeOffAdjustmentRow,
  TimeOffDecisionRow,
  TimeOffPolicyRow,
  TimeOffRequestDayRow,
  TimeOffRequestModel,
  TimeOffRequestRow,
  TimeOffRequestSummary,
} from './timeoff.tables.js';

// Reading time off: requests, balances, calendars and availability, each through the caller's
// view of the employee (see timeoff.access.ts).

export async function getRequest(ctx: RequestContext, id: string): Promise<TimeOffRequestRow | null> {
  const request = await ctx.loaders.timeOff.request.load(normaliseId(id));
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
  return ctx.loaders.timeOff.balances.load({ key: employeeId, asOf: asOf ?? ctx.today });
}

/** HR's adjustments of an employee's balances, for those who see the balances. */
export async function adjustmentsOf(
  ctx: RequestContext,
  employeeId: string,
  args: { policyId?: string | null; from?: CalendarDate | null; to?: CalendarDate | null },
): Promise<TimeOffAdjustmentRow[]> {
  await assertFullView(ctx, employeeId, 'time-off adjustments');
  const policyId = args.policyId ? normaliseId(args.policyId) : null;
  const adjustments = await ctx.loaders.timeOff.adjustmentsOf.load(employeeId);
  return adjustments.filter(
    (row) =>
      (policyId === null || row.policyId === policyId) &&
      (!args.from || row.effectiveDate >= args.from) &&
      (!args.to || row.effectiveDate <= args.to),
  );
}

export function requestsOf(
  ctx: RequestContext,
  employeeId: string,
  args: { from?: CalendarDate | null; to?: CalendarDate | null; statuses?: readonly TimeOffRequestStatus[] | null },
): Promise<TimeOffRequestSummary[]> {
  const load = (view: TimeOffView | null): Promise<TimeOffRequestSummary[]> => {
    if (!view) throw forbidden('You may not see the time off of this employee.');
    return ctx.loaders.timeOff.requestsOf.load({
      employeeId,
      from: args.from ?? null,
      to: args.to ?? null,
      statuses: args.statuses?.length ? args.statuses : null,
    });
  };
  // Decided without waiting for almost every caller: then no promise stands between the field and its batch.
  const view = timeOffView(ctx, employeeId);
  return view instanceof Promise ? view.then(load) : load(view);
}

/**
 * `Employee.timeOff`: the requests intersecting a required range (at most 366 days), approved and
 * pending unless `statuses` says, oldest first. The same loader as `requestsOf`, so it batches
 * across employees; what each caller sees of a request is decided by the request's own fields.
 */
export function timeOffOf(
  ctx: RequestContext,
  employeeId: string,
  args: { from: CalendarDate; to: CalendarDate; statuses?: readonly TimeOffRequestStatus[] | null },
): Promise<TimeOffRequestSummary[]> {
  checkRange(args.from, args.to);
  return requestsOf(ctx, employeeId, {
    from: args.from,
    to: args.to,
    statuses: args.statuses?.length ? args.statuses : ['APPROVED', 'PENDING'],
  }).then((requests) => [...requests].reverse());
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
  const days = await ctx.loaders.timeOff.availability.load({
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
): Promise<TimeOffRequestSummary[]> {
  checkRange(args.from, args.to);
  const { caller } = ctx;
  let scope: string[] | null = null;
  if (!callerAllowed(ctx, timeOffRules.seeEveryonesCalendar)) {
    if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key does not read time off.`);
    if (caller.kind !== 'user' || caller.employeeId === null) throw forbidden('Your account has no employee record.');
    scope = [caller.employeeId, ...(await lineBelowCaller(ctx))];
  }
  const wanted = args.filter?.employeeIds?.map(normaliseId).filter(isUuid);
  if (args.filter?.employeeIds) scope = scope ? scope.filter((id) => wanted?.includes(id)) : (wanted ?? []);
  const statuses = args.statuses?.length ? args.statuses : (['APPROVED', 'PENDING'] as const);
  let requests = await store.findRequestsInRange(ctx.db, scope, args.from, args.to, statuses);
  if (args.filter?.locationIds) {
    const locationIds = args.filter.locationIds.map(normaliseId);
    const timelines = await findEmploymentTimelines(ctx.db, [...new Set(requests.map((request) => request.employeeId))], args.from);
    requests = requests.filter((request) => {
      const location = locationOn(timelines.get(request.employeeId)?.locations ?? [], args.from);
      return location !== null && locationIds.includes(location);
    });
  }
  // Not primed into the request loader: nothing in a calendar reads a request by id again, and a
  // promise primed for each of hundreds of requests was 3% of the read (issue 14).
  return requests;
}

/** The policy of a request, or null when it is private and the caller sees dates only ("unavailable"). */
export async function policyOf(ctx: RequestContext, request: TimeOffRequestModel): Promise<TimeOffPolicyRow | null> {
  const policy = await ctx.loaders.timeOff.policy.load(request.policyId);
  if (!policy) return null;
  if (policy.private && (await requestView(ctx, request)) !== 'full') return null;
  return policy;
}

export async function reasonOf(ctx: RequestContext, request: TimeOffRequestModel): Promise<string | null> {
  if ((await requestView(ctx, request)) !== 'full') throw forbidden('You may not see the reason of this request.');
  return (await wholeRequest(ctx, request)).reason;
}

/** How many steps the request's approval chain has. */
export async function stepCountOf(ctx: RequestContext, request: TimeOffRequestModel): Promise<number> {
  return (await wholeRequest(ctx, request)).approvalChain.length;
}

/** When the request was made. */
export async function createdAtOf(ctx: RequestContext, request: TimeOffRequestModel): Promise<Date> {
  return (await wholeRequest(ctx, request)).createdAt;
}

export async function decisionsOf(ctx: RequestContext, request: TimeOffRequestModel): Promise<TimeOffDecisionRow[]> {
  if ((await requestView(ctx, request)) !== 'full') throw forbidden('You may not see the decisions on this request.');
  return ctx.loaders.timeOff.decisions.load(request.id);
}

export async function daysOf(
  ctx: RequestContext,
  request: TimeOffRequestModel,
  range: { from?: CalendarDate | null; to?: CalendarDate | null } = {},
): Promise<TimeOffRequestDayRow[]> {
  const days = await ctx.loaders.timeOff.days.load(request.id);
  return days.filter((day) => (!range.from || day.date >= range.from) && (!range.to || day.date <= range.to));
}
