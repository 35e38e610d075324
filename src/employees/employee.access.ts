import {
  allowedNow,
  allowedOn,
  assertCallerAllowed,
  callerAllowed,
  forbidden,
  isOwnRecord,
  lineBelowCaller,
  mayBrowseDirectory,
  type RuleTable,
} from '../auth/auth.service.js';
import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';

// Who may see and change what about an employee. This is the permission matrix of the README,
// as data; every read and write in the employee domain asks it, whichever path the request
// came by (root queries, entity references from the gateway, nested fields).

/** Employee fields, grouped by how sensitive they are. */
export type EmployeeFieldGroup =
  | 'profile'
  | 'organisation'
  | 'status'
  | 'employment'
  | 'identity'
  | 'personal'
  | 'history';

export const employeeFieldGroups = {
  id: 'profile',
  email: 'profile',
  firstName: 'profile',
  lastName: 'profile',
  preferredName: 'profile',
  displayName: 'profile',
  jobTitle: 'profile',
  location: 'profile',
  timezone: 'profile',
  employeeNumber: 'organisation',
  department: 'organisation',
  manager: 'organisation',
  directReports: 'organisation',
  reportingChain: 'organisation',
  workPhone: 'organisation',
  createdAt: 'organisation',
  updatedAt: 'organisation',
  status: 'status',
  employmentType: 'employment',
  hireDate: 'employment',
  terminationDate: 'employment',
  hubUserId: 'identity',
  personalEmail: 'personal',
  personalPhone: 'personal',
  dateOfBirth: 'personal',
  homeAddress: 'personal',
  emergencyContact: 'personal',
  history: 'history',
} as const satisfies Record<string, EmployeeFieldGroup>;

export type EmployeeField = keyof typeof employeeFieldGroups;

/**
 * Who sees each group (README, "Permission matrix"). Every role and every signed-in employee see
 * the profile and the organisation (`knownUser`: a role or an employee record, so a person with
 * no role browses the directory like a Viewer); a Manager sees status and employment of their
 * reports (`lineManager`).
 */
export const readRules = {
  profile: ['knownUser', 'service:PSA', 'service:DEFEND'],
  organisation: ['knownUser', 'service:DEFEND'],
  status: ['hr', 'self', 'lineManager', 'service:PSA', 'service:DEFEND'],
  employment: ['hr', 'self', 'lineManager', 'service:DEFEND'],
  identity: ['hr', 'self'],
  personal: ['hr', 'self'],
  history: ['hr', 'self'],
} as const satisfies RuleTable<EmployeeFieldGroup>;

/** What the caller may do with employees, beyond reading fields. */
const rules = {
  /** Looking one employee up (by id, e-mail or entity reference): people, and the services whose flows need it. */
  lookUp: ['knownUser', 'service:PSA', 'service:DEFEND'],
  filterByEmployment: ['hr', 'MANAGER'],
  hire: ['hr'],
  changeAnyone: ['hr'],
  /** Correcting a hire date (never on one's own record, like a status change). */
  correctHireDate: ['hr'],
  /** The self-service fields: on the record the caller is taken for only. */
  changeOwnDetails: ['self'],
  /** The manager fields of a Manager's reports. */
  changeReports: ['lineManager'],
  /** Where a Manager may move a report: to themself or to someone in their team (about the new manager). */
  moveWithinTeam: ['self', 'lineManager'],
  setIdentityLink: ['ADMIN'],
  manage: ['MANAGER'],
} as const satisfies RuleTable;

/** What the caller may do with employees, by the rules above (see `Me.capabilities`). */
export async function employeeCapabilities(ctx: RequestContext): Promise<Capability[]> {
  const { caller } = ctx;
  const capabilities: Capability[] = [];
  if (mayBrowseDirectory(ctx)) capabilities.push('BROWSE_DIRECTORY');
  if (caller.kind === 'user' && caller.employeeId !== null && allowedNow(ctx, rules.changeOwnDetails, caller.employeeId)) {
    capabilities.push('EDIT_OWN_PROFILE');
  }
  if ((await lineBelowCaller(ctx)).size > 0) capabilities.push('VIEW_TEAM');
  if (callerAllowed(ctx, rules.hire)) capabilities.push('HIRE_EMPLOYEES');
  return capabilities;
}

export function assertLookupAccess(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'service' && !callerAllowed(ctx, rules.lookUp)) {
    throw forbidden(`The ${caller.service} service key does not give access to employees.`);
  }
  assertCallerAllowed(ctx, rules.lookUp, 'Your account has no People role and no employee record.');
}

/** Filtering the directory by status or employment type: HR and Managers. */
export function mayFilterByEmployment(ctx: RequestContext): boolean {
  return callerAllowed(ctx, rules.filterByEmployment);
}

/** Whether the caller sees `group` of an employee: synchronous unless only their reporting line can tell. */
export function canRead(ctx: RequestContext, employeeId: string, group: EmployeeFieldGroup): boolean | Promise<boolean> {
  return allowedOn(ctx, readRules[group], employeeId);
}

// ---- writes

/** Fields an employee may change about themself, whatever their role. */
export const selfServiceFields = [
  'preferredName',
  'workPhone',
  'personalEmail',
  'personalPhone',
  'homeAddress',
  'emergencyContact',
] as const;

/** Fields a Manager may change about their reports. */
export const managerFields = ['jobTitle', 'workPhone', 'managerId'] as const;

/** Fields only an Admin sets: the link to a Hub user decides who a caller is (HR included). */
export const adminOnlyFields = ['hubUserId'] as const;

export type WriteAction = 'create' | 'update' | 'changeStatus' | 'correctHireDate';

/**
 * May the caller make this change? `fields` are the inputs given. Nobody changes their own job,
 * status or manager (HR included): those need someone else. "Own" is any record tied to the
 * caller by id, Hub user id or e-mail (`isOwnRecord`); the self-service fields are granted on
 * the caller's own employee id only.
 */
export async function assertCanWrite(
  ctx: RequestContext,
  action: WriteAction,
  target: string | null,
  fields: readonly string[] = [],
  /** For updates that move the employee: the new manager (null: none). */
  newManagerId?: string | null,
): Promise<void> {
  const { caller } = ctx;
  if (caller.kind === 'system') return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot change employees.`);
  const adminOnly = fields.filter((field) => (adminOnlyFields as readonly string[]).includes(field));
  if (action === 'create') {
    if (!callerAllowed(ctx, rules.hire)) throw forbidden('Only Admin, HR Manager and HR Staff may hire.');
    assertAdminOnlyFields(ctx, adminOnly);
    return;
  }
  if (target === null) return;
  if (await isOwnRecord(ctx, target)) {
    const notAllowed =
      action === 'changeStatus'
        ? ['status']
        : action === 'correctHireDate'
          ? ['hire date']
          : fields.filter((field) => !(selfServiceFields as readonly string[]).includes(field));
    if (notAllowed.length > 0) {
      throw forbidden(`You cannot change your own ${notAllowed.join(', ')}; ask HR or your manager.`);
    }
    if (await allowedOn(ctx, rules.changeOwnDetails, target)) return;
  }
  assertAdminOnlyFields(ctx, adminOnly);
  if (action === 'correctHireDate') {
    assertCallerAllowed(ctx, rules.correctHireDate, 'Only HR corrects hire dates.');
    return;
  }
  if (callerAllowed(ctx, rules.changeAnyone)) return;
  if (action === 'update' && (await allowedOn(ctx, rules.changeReports, target))) {
    const notAllowed = fields.filter((field) => !(managerFields as readonly string[]).includes(field));
    if (notAllowed.length > 0) throw forbidden(`A manager may change only ${managerFields.join(', ')} of their reports.`);
    if (newManagerId !== undefined) {
      const withinTeam = newManagerId !== null && (await allowedOn(ctx, rules.moveWithinTeam, newManagerId));
      if (!withinTeam) throw forbidden('A manager may move their reports only to themself or to someone in their team.');
    }
    return;
  }
  throw forbidden(callerAllowed(ctx, rules.manage) ? 'Managers may change only their own reports.' : 'You may not change this employee.');
}

function assertAdminOnlyFields(ctx: RequestContext, given: readonly string[]): void {
  if (given.length > 0 && !callerAllowed(ctx, rules.setIdentityLink)) {
    throw forbidden(
      `Only an Admin may set ${given.join(', ')}: the link to a Hub user decides who a person is in People. Hub links it at the person's first sign-in.`,
    );
  }
}
