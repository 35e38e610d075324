import { callerAllowed, isOwnRecord } from '../auth/auth.service.js';
import type { TimeOffAction } from '../generated/graphql.js';
import { timeZoneOf } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import { calendarDateIn, type CalendarDate } from '../shared/dates.js';
import { requestView, timeOffRules } from './timeoff.access.js';
import type { ApprovalStep, TimeOffRequestModel, TimeOffRequestRow } from './timeoff.tables.js';
import { wholeRequest } from './timeoff.whole-request.js';

// The approval chain: who decides each step, in which capacity the caller may decide or cancel,
// and so which actions a request offers the caller.

/**
 * Who decides each step of a request (null: HR or Admin only). The manager step goes to the
 * requester's manager today, or the next manager up when that one is absent (not ACTIVE, or off
 * all day today on approved time off) or is the requester; a named approver likewise falls back
 * to their own managers. Decided afresh at each decision, so a manager back from leave decides
 * again.
 */
export async function resolveApprovers(ctx: RequestContext, request: TimeOffRequestRow): Promise<(string | null)[]> {
  return Promise.all(
    request.approvalChain.map(async (step) => {
      if (step.kind === 'HR') return null;
      const candidates =
        step.kind === 'MANAGER'
          ? await ctx.loaders.employees.reportingChainIds.load({ key: request.employeeId, asOf: ctx.today })
          : [step.employeeId, ...(await ctx.loaders.employees.reportingChainIds.load({ key: step.employeeId, asOf: ctx.today }))];
      for (const id of candidates) {
        if (id === request.employeeId) continue;
        const record = await ctx.loaders.employees.byId.load({ key: id, asOf: ctx.today });
        if (record?.job?.status === 'ACTIVE' && !(await isOffAllDay(ctx, id))) return id;
      }
      return null;
    }),
  );
}

/** Off the whole of today on approved time off (a half day off still leaves time to decide). */
async function isOffAllDay(ctx: RequestContext, employeeId: string): Promise<boolean> {
  const [today] = await ctx.loaders.timeOff.availability.load({ employeeId, from: ctx.today, to: ctx.today, statuses: ['APPROVED'] });
  return today?.state === 'OFF';
}

export type Capacity = 'APPROVER' | 'HR' | 'ADMIN';

/**
 * In which capacity the caller may decide the current step of a request, or null. Nobody decides
 * their own request: `ownRequest` is `isOwnRecord` of the requester.
 */
export function deciderCapacity(
  ctx: RequestContext,
  request: TimeOffRequestRow,
  approvers: readonly (string | null)[],
  ownRequest: boolean,
): Capacity | null {
  const { caller } = ctx;
  if (ownRequest) return null;
  const approver = approvers[request.currentStep] ?? null;
  if (caller.kind === 'user' && approver !== null && caller.employeeId === approver) return 'APPROVER';
  if (callerAllowed(ctx, timeOffRules.decideAsAdmin)) return 'ADMIN';
  if (callerAllowed(ctx, timeOffRules.decideAsHr)) return 'HR';
  return null;
}

export type CancelCapacity = 'REQUESTER' | 'HR' | 'ADMIN';

/**
 * Today where the employee works: in their time zone (their own, else their location's, as
 * `Employee.timezone`), which may be a day ahead of or behind the business time zone's. Whether
 * their time off has started is their calendar's question, not head office's.
 */
export async function todayWhereEmployeeWorks(ctx: RequestContext, employeeId: string): Promise<CalendarDate> {
  const employee = await ctx.loaders.employees.byId.load({ key: employeeId, asOf: ctx.today });
  return employee ? calendarDateIn(ctx.clock.now(), await timeZoneOf(ctx, employee)) : ctx.today;
}

/**
 * Whether (and as whom) the caller may cancel: pending, or approved before its first day (where
 * the requester works: `requesterToday`, from todayWhereEmployeeWorks); after that HR only (not
 * one's own). `ownRequest` is `isOwnRecord` of the requester.
 */
export function cancelCapacity(
  ctx: RequestContext,
  request: TimeOffRequestRow,
  ownRequest: boolean,
  requesterToday: CalendarDate,
): CancelCapacity | null {
  const { caller } = ctx;
  if (request.status !== 'PENDING' && request.status !== 'APPROVED') return null;
  // One's own request is cancelled as its requester, HR role or not: started time off is then
  // for someone else in HR to cancel, as with every other decision on one's own record. Only
  // the requester themself (by employee id) cancels as requester; any other tie to the record
  // (a shared e-mail or Hub link) only takes the HR capacity away.
  if (ownRequest) {
    const requester = caller.kind === 'user' && caller.employeeId === request.employeeId;
    return requester && (request.status === 'PENDING' || requesterToday < request.startDate) ? 'REQUESTER' : null;
  }
  if (callerAllowed(ctx, timeOffRules.decideAsAdmin)) return 'ADMIN';
  if (callerAllowed(ctx, timeOffRules.decideAsHr)) return 'HR';
  return null;
}

export async function availableActions(ctx: RequestContext, summary: TimeOffRequestModel): Promise<TimeOffAction[]> {
  if (ctx.caller.kind === 'service' || !(await requestView(ctx, summary))) return [];
  const request = await wholeRequest(ctx, summary);
  const actions: TimeOffAction[] = [];
  const ownRequest = await isOwnRecord(ctx, request.employeeId);
  if (request.status === 'PENDING' && deciderCapacity(ctx, request, await resolveApprovers(ctx, request), ownRequest)) {
    actions.push('APPROVE', 'DENY');
  }
  if (cancelCapacity(ctx, request, ownRequest, await todayWhereEmployeeWorks(ctx, request.employeeId))) actions.push('CANCEL');
  return actions;
}

/** The steps of a policy's chain that apply to a request of `amount` days. */
export function applicableSteps(chain: readonly ApprovalStep[], amount: number): ApprovalStep[] {
  return chain.filter((step) => step.kind !== 'HR' || step.whenLongerThanDays === undefined || amount > step.whenLongerThanDays);
}
