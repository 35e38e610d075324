import { assertDirectoryAccess, forbidden, isOwnRecord, isSelf, unauthenticated } from '../auth/access.js';
import { hasRole, hrRoles, type Caller, type Role, type ServiceName } from '../auth/caller.js';
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

/** Who sees a group: roles (about anyone), `reports` (a Manager about their reports), `self`, services. */
interface GroupRule {
  roles: readonly Role[];
  managerOfReports: boolean;
  self: boolean;
  services: readonly ServiceName[];
}

const everyRole: readonly Role[] = ['ADMIN', 'HR_MANAGER', 'HR_STAFF', 'MANAGER', 'VIEWER'];

export const readRules: Readonly<Record<EmployeeFieldGroup, GroupRule>> = {
  profile: { roles: everyRole, managerOfReports: true, self: true, services: ['PSA', 'DEFEND'] },
  organisation: { roles: everyRole, managerOfReports: true, self: true, services: ['DEFEND'] },
  status: { roles: hrRoles, managerOfReports: true, self: true, services: ['PSA', 'DEFEND'] },
  employment: { roles: hrRoles, managerOfReports: true, self: true, services: ['DEFEND'] },
  identity: { roles: hrRoles, managerOfReports: false, self: true, services: [] },
  personal: { roles: hrRoles, managerOfReports: false, self: true, services: [] },
  history: { roles: hrRoles, managerOfReports: false, self: true, services: [] },
};

/** What every signed-in employee may see of colleagues, role or not. */
const directoryGroups: readonly EmployeeFieldGroup[] = ['profile', 'organisation'];

/** Looking one employee up (by id, e-mail or entity reference): people, and the services whose flows need it. */
export function assertLookupAccess(ctx: RequestContext): void {
  const { caller } = ctx;
  if (caller.kind === 'service') {
    if (caller.service === 'PSA' || caller.service === 'DEFEND') return;
    throw forbidden(`The ${caller.service} service key does not give access to employees.`);
  }
  assertDirectoryAccess(ctx);
}

/** Ids of everyone below the calling user (direct and indirect reports, today); empty for others. */
export function reportsOfCaller(ctx: RequestContext): Promise<ReadonlySet<string>> {
  const { caller } = ctx;
  if (caller.kind !== 'user' || caller.employeeId === null || !caller.roles.includes('MANAGER')) {
    return Promise.resolve(new Set());
  }
  return ctx.loaders.employees.allReportIds.load({ key: caller.employeeId, asOf: ctx.today }).then((ids) => new Set(ids));
}

export async function canRead(ctx: RequestContext, employeeId: string, group: EmployeeFieldGroup): Promise<boolean> {
  const { caller } = ctx;
  const rule = readRules[group];
  switch (caller.kind) {
    case 'anonymous':
      return false;
    case 'system':
      return true;
    case 'service':
      return rule.services.includes(caller.service);
    case 'user':
      if (rule.self && isSelf(caller, employeeId)) return true;
      if (caller.roles.some((role) => rule.roles.includes(role))) return true;
      // A plain employee (no role) browses the directory like a Viewer.
      if (caller.employeeId !== null && directoryGroups.includes(group)) return true;
      if (rule.managerOfReports && hasRole(caller, 'MANAGER')) return (await reportsOfCaller(ctx)).has(employeeId);
      return false;
  }
}

export async function assertCanRead(ctx: RequestContext, employeeId: string, field: EmployeeField): Promise<void> {
  if (!(await canRead(ctx, employeeId, employeeFieldGroups[field]))) {
    throw forbidden(`You may not see ${field} of this employee.`);
  }
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

/** `correctHireDate` is HR's alone (never on one's own record), like a status change. */
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
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (caller.kind === 'system') return;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot change employees.`);
  const isHr = hasRole(caller, ...hrRoles);
  const adminOnly = fields.filter((field) => (adminOnlyFields as readonly string[]).includes(field));
  if (action === 'create') {
    if (!isHr) throw forbidden('Only Admin, HR Manager and HR Staff may hire.');
    assertAdminOnlyFields(caller, adminOnly);
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
    if (isSelf(caller, target)) return;
  }
  assertAdminOnlyFields(caller, adminOnly);
  if (isHr) return;
  if (action === 'correctHireDate') throw forbidden('Only HR corrects hire dates.');
  if (hasRole(caller, 'MANAGER') && action === 'update' && (await reportsOfCaller(ctx)).has(target)) {
    const notAllowed = fields.filter((field) => !(managerFields as readonly string[]).includes(field));
    if (notAllowed.length > 0) throw forbidden(`A manager may change only ${managerFields.join(', ')} of their reports.`);
    if (newManagerId !== undefined) {
      const withinTeam = newManagerId !== null && (newManagerId === caller.employeeId || (await reportsOfCaller(ctx)).has(newManagerId));
      if (!withinTeam) throw forbidden('A manager may move their reports only to themself or to someone in their team.');
    }
    return;
  }
  throw forbidden(
    hasRole(caller, 'MANAGER')
      ? 'Managers may change only their own reports.'
      : 'You may not change this employee.',
  );
}

function assertAdminOnlyFields(caller: Caller, given: readonly string[]): void {
  if (given.length > 0 && !hasRole(caller, 'ADMIN')) {
    throw forbidden(
      `Only an Admin may set ${given.join(', ')}: the link to a Hub user decides who a person is in People. Hub links it at the person's first sign-in.`,
    );
  }
}
