import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events/events.service.js';
import type { CorrectHireDateInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeNotFound } from '../shared/common-errors.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction } from '../shared/write-transaction.js';
import { assertCanWrite } from './employee.access.js';
import { emitDueLifecycleEvents } from './employee.lifecycle.js';
import type { HireDateCorrection } from './employee.listeners.js';
import { employedOrPreHireStatuses, type EmployeeRecord } from './employee.model.js';
import { getEmployee } from './employee.queries.js';
import { checkReferences } from './employee.rules.js';
import * as store from './employee.store.js';
import type { JobTimelineRow } from './employee.store.js';
import { cleanText, validateCorrectHireDate } from './employee.validation.js';

// Correcting a hire date keyed in wrong. The hire is the first row of the job timeline (the
// CREATED change) and, for someone hired ahead of their start, the status row that makes them
// ACTIVE on the hire date; both move, and what other domains derive from `employees.hire_date`
// (time-off accrual and waiting periods) follows by itself. Records that cannot move with it (a
// later job or status change, a reporting line, a time-off request before the new date) refuse
// the correction, each named; other domains name theirs, and move what follows the hire, as
// employment listeners (`ctx.employmentListeners`: hireDateConflicts, hireDateCorrected).

const field = ['input', 'hireDate'];

export const hireDateConflict = (message: string): UserError => userError('HIRE_DATE_CONFLICT', [...field], message);

/** The rows that make the hire: the CREATED row, and the start (PRE_HIRE → ACTIVE) when hired ahead. */
function hireRows(timeline: readonly JobTimelineRow[]): { first: JobTimelineRow; start: JobTimelineRow | undefined } {
  const first = timeline.find((row) => row.changeKind === 'CREATED');
  if (!first) throw new Error('an employee without a CREATED job row');
  const nextStatus = timeline.find((row) => row !== first && row.fields.includes('status') && row.sequence > first.sequence);
  const start = first.status === 'PRE_HIRE' && nextStatus?.status === 'ACTIVE' ? nextStatus : undefined;
  return { first, start };
}

function describeRow(row: JobTimelineRow): string {
  if (row.fields.includes('status') && row.fields.length === 1) return `a change of status to ${row.status ?? 'none'}`;
  return `a change of ${row.fields.join(', ')}`;
}

export async function correctHireDate(ctx: RequestContext, input: CorrectHireDateInput): Promise<Outcome<EmployeeRecord>> {
  const id = normaliseId(input.employeeId);
  await assertCanWrite(ctx, 'correctHireDate', id);
  const invalid = validateCorrectHireDate(input, ctx.today);
  if (invalid.length > 0) return fail(...invalid);
  if (!isUuid(id)) return fail(employeeNotFound(['input', 'employeeId']));
  const { hireDate } = input;
  const { today } = ctx;
  const reason = cleanText(input.reason);

  return writeTransaction(ctx, async (tx) => {
    const current = await store.lockEmployee(tx, id);
    if (!current) abort(employeeNotFound(['input', 'employeeId']));
    if (current.hireDate === hireDate) abort(userError('INVALID_VALUE', [...field], `The hire date is already ${hireDate}.`));
    // Reporting lines to this employee are read below: no new one may start meanwhile.
    await store.lockReportingLines(tx);
    const timeline = await store.findJobTimeline(tx, id);
    const { first, start } = hireRows(timeline);

    // Hired after today, or hired ahead and still PRE_HIRE from an earlier day: PRE_HIRE until the
    // new date, then ACTIVE (two rows). Otherwise the first row itself is the hire (one row).
    const twoRows = hireDate > today || (first.status === 'PRE_HIRE' && first.effectiveFrom < hireDate);
    const firstDay = twoRows ? first.effectiveFrom : hireDate;
    const correction: HireDateCorrection = { employeeId: id, previousHireDate: current.hireDate, hireDate, today };

    abortIf([
      ...laterRowsBefore(timeline, first, start, hireDate),
      ...(await reportLinesBefore(tx, id, firstDay)),
      ...(firstDay < first.effectiveFrom ? await placementOn(tx, id, first.effectiveFrom, firstDay) : []),
      ...(await conflictsOfListeners(tx, ctx, correction)),
    ]);

    const changeId = await store.insertChange(tx, {
      employeeId: id,
      kind: 'HIRE_DATE_CORRECTED',
      recordedBy: describeCaller(ctx.caller),
      effectiveFrom: hireDate,
      reason,
      changes: [{ field: 'hireDate', before: current.hireDate, after: hireDate }],
    });
    if (twoRows) {
      if (first.status !== 'PRE_HIRE') await store.updateJobChange(tx, first.id, { status: 'PRE_HIRE' });
      if (start) {
        // Already announced and still in the past: announced. Otherwise it is announced on its day.
        const announced = start.lifecycleProcessedAt !== null && hireDate <= today;
        await store.updateJobChange(tx, start.id, { effectiveFrom: hireDate, ...(announced ? {} : { lifecycleProcessedAt: null }) });
      } else {
        await store.insertJobChange(tx, id, changeId, hireDate, { status: 'ACTIVE' });
      }
    } else {
      const announcedAt = first.status === 'ACTIVE' ? first.lifecycleProcessedAt : (start?.lifecycleProcessedAt ?? null);
      await store.updateJobChange(tx, first.id, { effectiveFrom: hireDate, status: 'ACTIVE', lifecycleProcessedAt: announcedAt });
      if (start) await store.deleteJobChange(tx, start.id);
    }
    await store.updateEmployeeRow(tx, id, { hireDate });
    for (const listener of ctx.employmentListeners) await listener.hireDateCorrected?.(tx, ctx, correction);
    await recordEvent(tx, {
      type: 'employee.hire_date.corrected',
      subject: `employee:${id}`,
      data: { employeeId: id, hireDate, previousHireDate: current.hireDate },
    });
    // A start that moved to today or before is announced now (employee.hired), as on creation.
    await emitDueLifecycleEvents(tx, today, { employeeId: id });
    return id;
  }, { reload: getEmployee });
}

/** What the listening domains' records say against the new date (one statement at a time: one transaction). */
async function conflictsOfListeners(tx: Database, ctx: RequestContext, correction: HireDateCorrection): Promise<UserError[]> {
  const errors: UserError[] = [];
  for (const listener of ctx.employmentListeners) errors.push(...((await listener.hireDateConflicts?.(tx, ctx, correction)) ?? []));
  return errors;
}

/** Job and status changes other than the hire's own rows may not come before the new hire date. */
function laterRowsBefore(
  timeline: readonly JobTimelineRow[],
  first: JobTimelineRow,
  start: JobTimelineRow | undefined,
  hireDate: CalendarDate,
): UserError[] {
  const before = timeline.filter((row) => row !== first && row !== start && row.effectiveFrom < hireDate);
  const [earliest] = before;
  if (!earliest) return [];
  const others = before.length > 1 ? ` (and ${before.length - 1} more)` : '';
  return [
    hireDateConflict(
      `${describeRow(earliest)} is recorded from ${earliest.effectiveFrom}${others}, before the new hire date ${hireDate}: correct those changes first.`,
    ),
  ];
}

/** Nobody may report to the employee before the first day they have a status (a manager must be employed or hired then). */
async function reportLinesBefore(tx: Database, employeeId: string, firstDay: CalendarDate): Promise<UserError[]> {
  const lines = await store.findReportLinesBefore(tx, employeeId, firstDay);
  const [earliest] = lines;
  if (!earliest) return [];
  const people = new Set(lines.map((line) => line.employeeId)).size;
  return [
    hireDateConflict(
      `${people} employee(s) report to this employee from ${earliest.effectiveFrom}, before ${firstDay}: give them another manager for that time first.`,
    ),
  ];
}

/**
 * Moving the hire earlier: the department and location they start in must exist on the new day,
 * and their manager must be employed (or hired) by then.
 */
async function placementOn(tx: Database, employeeId: string, recordedFirstDay: CalendarDate, firstDay: CalendarDate): Promise<UserError[]> {
  const job = (await store.findJobStates(tx, [employeeId], recordedFirstDay)).get(employeeId);
  if (!job) return [];
  const errors: UserError[] = (
    await checkReferences(tx, { departmentId: job.departmentId, locationId: job.locationId }, { employeeId, from: firstDay })
  ).map((error) => ({ ...error, field: [...field] }));
  if (job.managerId) {
    const status = (await store.findJobStates(tx, [job.managerId], firstDay)).get(job.managerId)?.status ?? null;
    if (status === null || !employedOrPreHireStatuses.includes(status)) {
      errors.push(hireDateConflict(`Their manager is not employed on ${firstDay} (status ${status ?? 'none yet'}): the reporting line cannot start then.`));
    }
  }
  return errors;
}
