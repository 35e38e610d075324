import { GraphQLError } from 'graphql';
import { callerAllowed, forbidden } from '../auth/auth.service.js';
import { certificationCapabilities, certificationsOf } from '../certifications/certification.service.js';
import { employeeCapabilities } from '../employees/employee.service.js';
import { systemCapabilities } from '../events/events.service.js';
import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { pendingSignaturesOf } from '../legal/legal.service.js';
import { pendingReviewsOf, reviewCapabilities } from '../reviews/review.service.js';
import { addDays } from '../shared/dates.js';
import { balancesOf, pendingApprovalsFor, requestsOf, timeOffCapabilities } from '../timeoff/timeoff.service.js';
import { trainingCapabilities, trainingDueOf } from '../training/training.service.js';
import { myTasks, workflowCapabilities } from '../workflows/workflow.service.js';
import type { MeModel } from './portal.model.js';

// `me`: the signed-in person and what waits for them, for the employee portal's home page. The
// portal owns no data: each part is read through its domain's service, under that domain's
// rules, so `me` shows nothing the same caller could not read field by field.

/** The signed-in person; a service key is no person, and hears so. */
export function me(ctx: RequestContext): MeModel {
  const { caller } = ctx;
  if (caller.kind === 'service') {
    throw forbidden(`\`me\` answers for a person signed in with Hub; the ${caller.service} service key is not one. Services read employees by id or e-mail.`);
  }
  if (caller.kind !== 'user') throw forbidden('`me` answers for a person signed in with Hub.');
  return { caller };
}

/** Every capability the caller has, in the contract's order, each decided by its own domain's rules. */
export async function capabilitiesOf(ctx: RequestContext): Promise<Capability[]> {
  const parts = [
    await employeeCapabilities(ctx),
    timeOffCapabilities(ctx),
    certificationCapabilities(ctx),
    reviewCapabilities(ctx),
    trainingCapabilities(ctx),
    workflowCapabilities(ctx),
    systemCapabilities(ctx),
  ];
  return parts.flat();
}

export function employeeOf(ctx: RequestContext, me: MeModel) {
  const id = me.caller.employeeId;
  return id ? ctx.loaders.employees.byId.load({ key: id, asOf: ctx.today }) : null;
}

/** Legal's policies and documents awaiting the signed-in person's signature; null with no employee record. */
export async function pendingSignaturesOfMe(ctx: RequestContext, me: MeModel) {
  const employee = await employeeOf(ctx, me);
  return employee ? pendingSignaturesOf(ctx, employee) : null;
}

export async function timeOffBalancesOf(ctx: RequestContext, me: MeModel) {
  const id = me.caller.employeeId;
  return id ? balancesOf(ctx, id, ctx.today) : [];
}

function checkCount(value: number, min: number, max: number, argumentName: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GraphQLError(`\`${argumentName}\` is ${min} to ${max}.`, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
  }
}

export async function recentTimeOffRequestsOf(ctx: RequestContext, me: MeModel, first: number) {
  checkCount(first, 1, 50, 'first');
  const id = me.caller.employeeId;
  return id ? (await requestsOf(ctx, id, {})).slice(0, first) : [];
}

export function pendingApprovalsOf(ctx: RequestContext) {
  return pendingApprovalsFor(ctx);
}

export function pendingReviews(ctx: RequestContext) {
  return pendingReviewsOf(ctx);
}

export async function expiringCertificationsOf(ctx: RequestContext, me: MeModel, withinDays: number) {
  checkCount(withinDays, 1, 366, 'withinDays');
  const id = me.caller.employeeId;
  if (!id) return [];
  const until = addDays(ctx.today, withinDays);
  const current = await certificationsOf(ctx, id, {});
  return current
    .filter((certification) => certification.expiresOn !== null && certification.expiresOn >= ctx.today && certification.expiresOn <= until)
    .sort((a, b) => (a.expiresOn ?? '').localeCompare(b.expiresOn ?? '') || a.id.localeCompare(b.id));
}

export function trainingDue(ctx: RequestContext, withinDays: number) {
  checkCount(withinDays, 0, 366, 'withinDays');
  return trainingDueOf(ctx, withinDays);
}

/**
 * Their open workflow tasks, as the workflows domain's inbox answers them (`myWorkflowTasks`).
 * Someone People does not know (no role, no employee record) has none: the inbox refuses them.
 */
export async function openWorkflowTasksOf(ctx: RequestContext, first: number) {
  if (!callerAllowed(ctx, ['knownUser'])) return [];
  return myTasks(ctx, { states: ['OPEN'], first });
}
