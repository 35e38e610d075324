import { assertCallerAllowed, describeCaller, forbidden, isOwnRecord } from '../auth/auth.service.js';
import type { EmployeeRecord } from '../employees/employee.service.js';
import { lockEmployee } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { ReportInsiderThreatSignalInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { checkText, userError, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { addInsiderThreatReview } from '../workflows/workflow.service.js';
import { defendRules } from './defend.access.js';
import * as store from './defend.store.js';
import type { InsiderThreatSignalRow } from './defend.tables.js';
import { checkAlertId, checkDetailsUrl, checkEmail, limits } from './defend.validation.js';

// Defend's insider-threat HR flag (reportInsiderThreatSignal): stored once per alert, seen by
// Admins and HR Managers only; an offboarding under way gets a required review task for HR; the
// thin `insider_threat.flagged` event tells HR (never the summary or the score).

export interface SignalReport {
  signalId: string | null;
  duplicate: boolean;
  reviewTaskAdded: boolean;
  userErrors: UserError[];
}

export async function reportInsiderThreatSignal(ctx: RequestContext, input: ReportInsiderThreatSignalInput): Promise<SignalReport> {
  assertCallerAllowed(ctx, defendRules.flows, 'Only Defend (X-Defend-Service-Key) reports insider-threat signals.');
  const errors: UserError[] = [];
  const email = checkEmail(['input', 'email'], input.email, errors);
  const alertId = checkAlertId(['input', 'alertId'], input.alertId, errors);
  const summary = checkText(['input', 'summary'], input.summary, { required: true, max: limits.summary }, errors);
  const detailsUrl = checkDetailsUrl(['input', 'detailsUrl'], input.detailsUrl, errors);
  if (!Number.isFinite(input.score) || input.score < 0 || input.score > 100) {
    errors.push(userError('INVALID_VALUE', ['input', 'score'], 'score must be between 0 and 100.'));
  }
  if (Number.isNaN(input.detectedAt.getTime()) || input.detectedAt.getTime() > ctx.clock.now().getTime() + 5 * 60_000) {
    errors.push(userError('INVALID_VALUE', ['input', 'detectedAt'], 'detectedAt cannot be in the future.'));
  }
  const refused = (found: UserError[]): SignalReport => ({ signalId: null, duplicate: false, reviewTaskAdded: false, userErrors: found });
  if (errors.length > 0 || summary === null) return refused(errors);
  const employee = await ctx.loaders.employees.byEmail.load({ key: email, asOf: ctx.today });

  const outcome = await writeTransaction(ctx, async (tx) => {
    const known = await store.findSignalByAlert(tx, alertId);
    if (known) return { signalId: known.id, duplicate: true, reviewTaskAdded: false, userErrors: [] };
    if (!employee) abort(userError('EMPLOYEE_NOT_FOUND', ['input', 'email'], 'No employee has this work e-mail.'));
    // The employee first, as every change hanging off them: the offboarding found below stays theirs.
    await lockEmployee(tx, employee.id);
    const signal = await store.insertSignal(tx, {
      alertId,
      employeeId: employee.id,
      severity: input.severity,
      score: input.score,
      summary,
      detectedAt: input.detectedAt,
      detailsUrl,
      receivedAt: ctx.clock.now(),
      reportedBy: describeCaller(ctx.caller),
    });
    // A racing repeat committed first: it did the rest.
    if (!signal) {
      const first = await store.findSignalByAlert(tx, alertId);
      return { signalId: first?.id ?? null, duplicate: true, reviewTaskAdded: false, userErrors: [] };
    }
    const review = await addInsiderThreatReview(tx, ctx, { employeeId: employee.id, severity: input.severity });
    if (review) await store.updateSignal(tx, signal.id, { workflowId: review.workflow.id, reviewTaskId: review.task.id });
    await recordEvent(tx, {
      type: 'insider_threat.flagged',
      subject: `employee:${employee.id}`,
      data: {
        signalId: signal.id,
        employeeId: employee.id,
        alertId,
        severity: input.severity,
        workflowId: review?.workflow.id ?? null,
        reviewTaskId: review?.task.id ?? null,
      },
    });
    return { signalId: signal.id, duplicate: false, reviewTaskAdded: review !== null, userErrors: [] };
  });
  return outcome.ok ? outcome.value : refused(outcome.errors);
}

/** `Employee.insiderThreatSignals`: Admins and HR Managers, never about themselves; FORBIDDEN for everyone else. */
export async function signalsOfEmployee(ctx: RequestContext, employee: EmployeeRecord): Promise<InsiderThreatSignalRow[]> {
  const message = 'Insider-threat signals are for HR Managers and Admins only.';
  if (ctx.caller.kind === 'service') throw forbidden(message);
  assertCallerAllowed(ctx, defendRules.readSignals, message);
  if (await isOwnRecord(ctx, employee.id)) throw forbidden('Nobody reads insider-threat signals about themselves.');
  return ctx.loaders.defend.signalsOfEmployee.load(employee.id);
}
