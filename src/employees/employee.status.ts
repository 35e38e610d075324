import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { employeeNotFound } from '../shared/common-errors.js';
import { userError, type UserError } from '../shared/user-errors.js';
import { abort, abortIf } from '../shared/write-transaction.js';
import { emitDueLifecycleEvents } from './employee.lifecycle.js';
import { terminalStatuses } from './employee.model.js';
import { checkNoReportsLeft, checkStatusTimeline } from './employee.rules.js';
import * as store from './employee.store.js';
import type { EmploymentStatusValue } from './employee.tables.js';

// Status changes inside a transaction someone else opened: `changeEmployeeStatus` records one this
// way, and so does a domain whose change includes one (an offboarding schedules the leaving status
// for the last day, and cancelling it takes that back). Each locks the employee's row first.

export interface StatusChangeInput {
  employeeId: string;
  status: EmploymentStatusValue;
  effectiveDate: CalendarDate;
  reason: string | null;
  /** Where the caller's input holds the status and the date, for the user errors (default `input.status`, `input.effectiveDate`). */
  fields?: { status: readonly string[]; date: readonly string[]; employee: readonly string[] };
}

const defaultFields = { status: ['input', 'status'], date: ['input', 'effectiveDate'], employee: ['input', 'id'] } as const;

/** The rules' errors name `input.status` and `input.effectiveDate`; put them where the caller's input has them. */
function placed(errors: readonly UserError[], fields: NonNullable<StatusChangeInput['fields']>): UserError[] {
  return errors.map((error) => {
    const path = error.field?.join('.');
    if (path === 'input.status') return { ...error, field: [...fields.status] };
    if (path === 'input.effectiveDate') return { ...error, field: [...fields.date] };
    return error;
  });
}

/**
 * Records a status change from `effectiveDate` with its history row, and emits the lifecycle
 * event when it is already in effect; aborts the transaction with user errors when the change
 * breaks a rule (before the hire date, a transition not allowed, reports left behind). Answers
 * the history row's id and the status in force the day before.
 */
export async function recordStatusChange(
  tx: Database,
  ctx: RequestContext,
  input: StatusChangeInput,
): Promise<{ changeId: string; previousStatus: EmploymentStatusValue | null }> {
  const fields = input.fields ?? defaultFields;
  const { status: next, effectiveDate } = input;
  const current = await store.lockEmployee(tx, input.employeeId);
  if (!current) abort(employeeNotFound(fields.employee));
  if (effectiveDate < current.hireDate) {
    abort(
      terminalStatuses.includes(next)
        ? userError('TERMINATION_BEFORE_HIRE', [...fields.date], `The termination date ${effectiveDate} is before the hire date ${current.hireDate}.`)
        : userError('BEFORE_HIRE_DATE', [...fields.date], `A status cannot start before the hire date ${current.hireDate}.`),
    );
  }
  abortIf(placed(checkStatusTimeline(await store.findStatusTimeline(tx, current.id), next, effectiveDate), fields));
  if (terminalStatuses.includes(next)) abortIf(placed(await checkNoReportsLeft(tx, current.id, effectiveDate, ctx.today), fields));

  const previousStatus = (await store.findJobStates(tx, [current.id], effectiveDate)).get(current.id)?.status ?? null;
  await store.updateEmployeeRow(tx, current.id, {});
  const changeId = await store.insertChange(tx, {
    employeeId: current.id,
    kind: 'STATUS_CHANGED',
    recordedBy: describeCaller(ctx.caller),
    effectiveFrom: effectiveDate,
    reason: input.reason,
    changes: [{ field: 'status', before: previousStatus, after: next }],
  });
  await store.insertJobChange(tx, current.id, changeId, effectiveDate, { status: next });
  await emitDueLifecycleEvents(tx, ctx.today, { employeeId: current.id });
  return { changeId, previousStatus };
}

export type ScheduledStatusCancellation =
  | { outcome: 'CANCELLED'; status: EmploymentStatusValue; effectiveDate: CalendarDate }
  /** It has taken effect (its day has come, or its event went out): only a new status change undoes it. */
  | { outcome: 'IN_EFFECT' }
  /** The change is not on the timeline (cancelled before, or never a status change). */
  | { outcome: 'NOT_FOUND' };

/**
 * Takes back a status change that has not taken effect yet (the history row `changeId` recorded
 * it), with a history row saying so; the status timeline is then as if it had never been keyed.
 * Refused with CONFLICT when a later status change depends on it.
 */
export async function cancelScheduledStatusChange(
  tx: Database,
  ctx: RequestContext,
  input: { employeeId: string; changeId: string; reason: string | null; field: readonly string[] },
): Promise<ScheduledStatusCancellation> {
  const current = await store.lockEmployee(tx, input.employeeId);
  if (!current) return { outcome: 'NOT_FOUND' };
  const scheduled = await store.findStatusChange(tx, current.id, input.changeId);
  if (!scheduled) return { outcome: 'NOT_FOUND' };
  if (scheduled.effectiveFrom <= ctx.today || scheduled.announced) return { outcome: 'IN_EFFECT' };
  const timeline = await store.findStatusTimeline(tx, current.id);
  const later = timeline.find((entry) => entry.effectiveFrom > scheduled.effectiveFrom);
  if (later) {
    abort(
      userError(
        'CONFLICT',
        [...input.field],
        `A change to ${later.status} is scheduled for ${later.effectiveFrom}, after the ${scheduled.status} status of ${scheduled.effectiveFrom}: cancel or change that one first.`,
      ),
    );
  }
  const restored = timeline.filter((entry) => entry.effectiveFrom < scheduled.effectiveFrom).at(-1)?.status ?? null;
  await store.deleteJobChange(tx, scheduled.id);
  await store.updateEmployeeRow(tx, current.id, {});
  await store.insertChange(tx, {
    employeeId: current.id,
    kind: 'STATUS_CHANGED',
    recordedBy: describeCaller(ctx.caller),
    effectiveFrom: scheduled.effectiveFrom,
    reason: input.reason,
    changes: [{ field: 'status', before: scheduled.status, after: restored }],
  });
  return { outcome: 'CANCELLED', status: scheduled.status, effectiveDate: scheduled.effectiveFrom };
}
