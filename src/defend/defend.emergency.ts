import { assertCallerAllowed, describeCaller, forbidden, isOwnRecord } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events/events.service.js';
import type {
  DecideEmergencyOffboardingInput,
  EmergencyOffboardingState,
  TriggerEmergencyOffboardingInput,
} from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { checkText, fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { startEmergencyOffboarding } from '../workflows/workflow.service.js';
import { defendRules } from './defend.access.js';
import type { EmergencyTriggerModel } from './defend.model.js';
import * as store from './defend.store.js';
import type { EmergencyOffboardingRequestRow } from './defend.tables.js';
import { checkAlertId, checkEmail, limits } from './defend.validation.js';

// Defend's emergency offboarding (triggerEmergencyOffboarding): once per alert, and behind a
// circuit breaker. Every request is recorded (emergency_offboarding_requests) under one advisory
// lock, so the count of the last hour and the decision to act are never raced: more than
// DEFEND_EMERGENCY_LIMIT in an hour are HELD, visibly, for an HR Manager or Admin to confirm or
// decline. What acting means (the EMERGENCY offboarding, suspension, Hub revocation) is the
// workflow domain's `startEmergencyOffboarding`.

const hourMs = 60 * 60_000;
const maxRequestsPage = 200;

const requestNotFound = (field: readonly string[]) =>
  userError('EMERGENCY_REQUEST_NOT_FOUND', [...field], 'No emergency offboarding request has this id.');

function answer(request: EmergencyOffboardingRequestRow, duplicate: boolean): EmergencyTriggerModel {
  return {
    requestId: request.id,
    state: request.state,
    held: request.state === 'HELD',
    duplicate,
    workflowId: request.workflowId,
    userErrors: [],
  };
}

function refused(errors: UserError[]): EmergencyTriggerModel {
  return { requestId: null, state: null, held: false, duplicate: false, workflowId: null, userErrors: errors };
}

export async function triggerEmergencyOffboarding(ctx: RequestContext, input: TriggerEmergencyOffboardingInput): Promise<EmergencyTriggerModel> {
  assertCallerAllowed(ctx, defendRules.flows, 'Only Defend (X-Defend-Service-Key) triggers emergency offboardings.');
  const errors: UserError[] = [];
  const email = checkEmail(['input', 'email'], input.email, errors);
  const alertId = checkAlertId(['input', 'alertId'], input.alertId, errors);
  const reason = checkText(['input', 'reason'], input.reason, { required: true, max: limits.reason }, errors);
  if (errors.length > 0 || reason === null) return refused(errors);
  const employee = await ctx.loaders.employees.byEmail.load({ key: email, asOf: ctx.today });

  const outcome = await writeTransaction(ctx, async (tx) => {
    await store.lockEmergencyRequests(tx);
    const known = await store.findRequestByAlert(tx, alertId);
    if (known) return answer(known, true);
    if (!employee) abort(userError('EMPLOYEE_NOT_FOUND', ['input', 'email'], 'No employee has this work e-mail.'));
    const now = ctx.clock.now();
    const recent = await store.countRequestsBetween(tx, new Date(now.getTime() - hourMs), now);
    const base = {
      alertId,
      employeeId: employee.id,
      severity: input.severity,
      reason,
      requestedBy: describeCaller(ctx.caller),
      requestedAt: now,
    };
    if (recent >= ctx.defend.emergencyLimit) {
      const held = await store.insertRequest(tx, { ...base, state: 'HELD' });
      await requestedEvent(tx, held, 'HELD');
      return answer(held, false);
    }
    const { workflow, action } = await startEmergencyOffboarding(tx, ctx, {
      employeeId: employee.id,
      reason: emergencyReason(alertId, input.severity, reason),
      field: ['input', 'email'],
    });
    const acted = await store.insertRequest(tx, { ...base, state: 'ACTED', workflowId: workflow.id, action });
    await requestedEvent(tx, acted, action);
    return answer(acted, false);
  });
  return outcome.ok ? outcome.value : refused(outcome.errors);
}

function emergencyReason(alertId: string, severity: string, reason: string): string {
  return `Emergency offboarding by Defend (alert ${alertId}, severity ${severity}): ${reason}`;
}

async function requestedEvent(tx: Database, request: EmergencyOffboardingRequestRow, outcome: 'STARTED' | 'ESCALATED' | 'HELD'): Promise<void> {
  await recordEvent(tx, {
    type: 'emergency_offboarding.requested',
    subject: `employee:${request.employeeId}`,
    data: {
      requestId: request.id,
      employeeId: request.employeeId,
      alertId: request.alertId,
      severity: request.severity,
      outcome,
      workflowId: request.workflowId,
    },
  });
}

function assertMayDecide(ctx: RequestContext): void {
  if (ctx.caller.kind === 'service') throw forbidden(`The ${ctx.caller.service} service key cannot decide on emergency offboardings.`);
  assertCallerAllowed(ctx, defendRules.emergencyRequests, 'Only an HR Manager or Admin sees and decides emergency offboardings Defend requested.');
}

export async function listEmergencyRequests(
  ctx: RequestContext,
  args: { states?: readonly EmergencyOffboardingState[] | null; first?: number | null },
): Promise<EmergencyOffboardingRequestRow[]> {
  assertMayDecide(ctx);
  const first = Math.min(maxRequestsPage, Math.max(1, args.first ?? 50));
  return store.listRequests(ctx.db, args.states ?? null, first);
}

/** Confirms (acts on) or declines a HELD request: an HR Manager or Admin, never about themselves. */
export async function decideEmergencyRequest(
  ctx: RequestContext,
  input: DecideEmergencyOffboardingInput,
  decision: 'CONFIRMED' | 'DECLINED',
): Promise<Outcome<EmergencyOffboardingRequestRow>> {
  assertMayDecide(ctx);
  const id = normaliseId(input.id);
  const errors: UserError[] = [];
  const note = checkText(['input', 'reason'], input.reason, { required: decision === 'DECLINED', max: limits.reason }, errors);
  if (!isUuid(id)) errors.unshift(requestNotFound(['input', 'id']));
  if (errors.length > 0) return fail(...errors);

  return writeTransaction(
    ctx,
    async (tx) => {
      await store.lockEmergencyRequests(tx);
      const request = await store.lockRequest(tx, id);
      if (!request) abort(requestNotFound(['input', 'id']));
      if (await isOwnRecord(ctx, request.employeeId, tx)) throw forbidden('You cannot decide an emergency offboarding about yourself; ask another HR Manager or Admin.');
      if (request.state !== 'HELD') {
        abort(userError('CONFLICT', ['input', 'id'], `The request is ${request.state.toLowerCase()}: only a held one is confirmed or declined.`));
      }
      const decided = { decidedBy: describeCaller(ctx.caller), decidedAt: ctx.clock.now(), decisionNote: note };
      let workflowId: string | null = null;
      if (decision === 'CONFIRMED') {
        const { workflow, action } = await startEmergencyOffboarding(tx, ctx, {
          employeeId: request.employeeId,
          reason: emergencyReason(request.alertId, request.severity, request.reason),
          field: ['input', 'id'],
        });
        workflowId = workflow.id;
        await store.updateRequest(tx, request.id, { ...decided, state: 'ACTED', workflowId, action });
      } else {
        await store.updateRequest(tx, request.id, { ...decided, state: 'DECLINED' });
      }
      await recordEvent(tx, {
        type: 'emergency_offboarding.decided',
        subject: `employee:${request.employeeId}`,
        data: { requestId: request.id, employeeId: request.employeeId, alertId: request.alertId, decision, workflowId },
      });
      return request.id;
    },
    { reload: async (reloadCtx, requestId) => (await store.findRequestsByIds(reloadCtx.db, [requestId]))[0] ?? null },
  );
}
