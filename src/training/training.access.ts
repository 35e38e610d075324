import { allowedOn, assertCallerAllowed, callerAllowed, forbidden, type RuleTable } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and do what with training (the README's training matrix), as data. Enrollments are
// the employee's, their line's (anyone above them in the reporting line today) and HR's; the
// employee also enrolls themself in open courses and records their completion of self-paced ones.

export const trainingRules = {
  /** The catalog: every signed-in person. */
  catalog: ['knownUser'],
  /** Inactive courses and the rules: HR. */
  readAdministration: ['hr'],
  /** Courses and rules. */
  administer: ['ADMIN', 'HR_MANAGER'],
  compliance: ['hr'],
  /** An employee's enrollments. */
  seeEnrollments: ['hr', 'self', 'line'],
  /** Enrolling, completing and withdrawing for someone: HR and the line above them. */
  manageEnrollments: ['hr', 'line'],
  /** Whose enrollments of others are recorded as HR's (the rest, by the line, as LINE). */
  enrollAsHr: ['hr'],
} as const satisfies RuleTable;

/** Services neither read nor change training: refused outright (saying so is no leak). */
export function refuseServices(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key does not read or change training.`);
}

export function assertMayBrowseCatalog(ctx: RequestContext): void {
  refuseServices(ctx);
  assertCallerAllowed(ctx, trainingRules.catalog, 'Your account has no People role and no employee record.');
}

export function mayReadAdministration(ctx: RequestContext): boolean {
  return callerAllowed(ctx, trainingRules.readAdministration);
}

export function assertMayReadAdministration(ctx: RequestContext): void {
  refuseServices(ctx);
  assertCallerAllowed(ctx, trainingRules.readAdministration, 'Only Admin, HR Manager and HR Staff see training rules.');
}

export function mayAdminister(ctx: RequestContext): boolean {
  return callerAllowed(ctx, trainingRules.administer);
}

export function assertMayAdminister(ctx: RequestContext): void {
  refuseServices(ctx);
  assertCallerAllowed(ctx, trainingRules.administer, 'Only Admin and HR Manager change the training catalog and its rules.');
}

export function mayReadCompliance(ctx: RequestContext): boolean {
  return callerAllowed(ctx, trainingRules.compliance);
}

export function assertMayReadCompliance(ctx: RequestContext): void {
  refuseServices(ctx);
  assertCallerAllowed(ctx, trainingRules.compliance, 'Only Admin, HR Manager and HR Staff see training compliance.');
}

export function maySeeEnrollments(ctx: RequestContext, employeeId: string): boolean | Promise<boolean> {
  return allowedOn(ctx, trainingRules.seeEnrollments, employeeId);
}

export async function assertMaySeeEnrollments(ctx: RequestContext, employeeId: string): Promise<void> {
  refuseServices(ctx);
  if (!(await maySeeEnrollments(ctx, employeeId))) throw forbidden('You may not see the training of this employee.');
}

/** HR, or someone above the employee in the reporting line. */
export function mayManageEnrollments(ctx: RequestContext, employeeId: string): boolean | Promise<boolean> {
  return allowedOn(ctx, trainingRules.manageEnrollments, employeeId);
}

export function enrollsAsHr(ctx: RequestContext): boolean {
  return callerAllowed(ctx, trainingRules.enrollAsHr);
}

/** The employee themself (the record they are taken for). */
export function isSelf(ctx: RequestContext, employeeId: string): boolean {
  const { caller } = ctx;
  return caller.kind === 'user' && caller.employeeId === employeeId;
}
