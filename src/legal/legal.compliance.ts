import { GraphQLError } from 'graphql';
import type { EmployeeRecord } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import { systemTaskProgress } from '../jobs/jobs.service.js';
import { describeLegalFailure, type LegalPendingDocument } from '../peers/legal-client.js';
import { assertMayRead, dashboardScope } from './legal.access.js';
import { requirementsOf, type Requirement } from './legal.audience.js';
import { connectionOf, notConfiguredMessage, type LegalConnectionModel } from './legal.integration.js';
import type {
  AcknowledgementSubmissionModel,
  ComplianceCounts,
  DepartmentComplianceModel,
  EmployeePolicyAcknowledgementsModel,
  PendingSignaturesModel,
  PolicyAcknowledgementConnectionModel,
  PolicyComplianceModel,
  PolicyComplianceReportModel,
} from './legal.model.js';
import { readRequirements } from './legal.requirements.js';
import { pageSize } from '../shared/paging.js';

// Reads of compliance: HR's dashboard, an employee's statuses and what awaits their signature.
// All answer from People's copy of Legal's data and carry how fresh it is and how Legal is doing,
// so Legal being down or misconfigured shows as such, never as an empty dashboard.

/** How Legal is doing, as this request's answers show it (one read per request). */
export async function legalConnection(ctx: RequestContext): Promise<LegalConnectionModel> {
  return connectionOf(ctx.legal, await ctx.loaders.legal.syncState());
}

/** Late first, then by due date (none last), then by name. */
function byUrgency(a: Requirement, b: Requirement): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.dueDate !== b.dueDate) return a.dueDate === null ? 1 : b.dueDate === null ? -1 : a.dueDate < b.dueDate ? -1 : 1;
  return (
    a.employee.lastName.localeCompare(b.employee.lastName) ||
    a.employee.firstName.localeCompare(b.employee.firstName) ||
    a.employee.id.localeCompare(b.employee.id) ||
    a.policy.title.localeCompare(b.policy.title)
  );
}

function countsOf(requirements: readonly Requirement[]): ComplianceCounts {
  let acknowledged = 0;
  let overdue = 0;
  for (const requirement of requirements) {
    if (requirement.status === 'ACKNOWLEDGED') acknowledged += 1;
    if (requirement.overdue) overdue += 1;
  }
  return { required: requirements.length, acknowledged, pending: requirements.length - acknowledged, overdue };
}

export interface PolicyComplianceFilter {
  policyIds?: readonly string[] | null;
  departmentIds?: readonly string[] | null;
  locationIds?: readonly string[] | null;
}

/** HR's dashboard (a Manager's: their reports only): per active policy, its counts by department and the pending employees. */
export async function policyCompliance(ctx: RequestContext, filter: PolicyComplianceFilter | null | undefined): Promise<PolicyComplianceReportModel> {
  const scope = await dashboardScope(ctx);
  const { policies, requirements } = await readRequirements(ctx.db, ctx.today, scope.everyone ? undefined : scope.employeeIds);
  const legal = await legalConnection(ctx);
  const names = await ctx.loaders.legal.organisationNames(ctx.today);
  const policyIds = filter?.policyIds?.length ? new Set(filter.policyIds) : null;
  const departmentIds = filter?.departmentIds?.length ? new Set(filter.departmentIds) : null;
  const locationIds = filter?.locationIds?.length ? new Set(filter.locationIds) : null;
  const kept = requirements.filter(
    ({ employee }) =>
      (!departmentIds || (employee.departmentId !== null && departmentIds.has(employee.departmentId))) &&
      (!locationIds || (employee.locationId !== null && locationIds.has(employee.locationId))),
  );
  const departmentName = (id: string | null): string | null => (id === null ? null : (names.departments.get(id)?.name ?? id));

  const report: PolicyComplianceModel[] = policies
    .filter((policy) => !policyIds || policyIds.has(policy.id))
    .map((policy) => {
      const ofPolicy = kept.filter((requirement) => requirement.policy.id === policy.id);
      const byDepartment = new Map<string | null, Requirement[]>();
      for (const requirement of ofPolicy) {
        const group = byDepartment.get(requirement.employee.departmentId);
        if (group) group.push(requirement);
        else byDepartment.set(requirement.employee.departmentId, [requirement]);
      }
      const departments: DepartmentComplianceModel[] = [...byDepartment]
        .map(([departmentId, group]) => ({ departmentId, ...countsOf(group) }))
        .sort((a, b) => {
          const [nameA, nameB] = [departmentName(a.departmentId), departmentName(b.departmentId)];
          return nameA === nameB ? 0 : nameA === null ? 1 : nameB === null ? -1 : nameA.localeCompare(nameB);
        });
      return {
        policy,
        ...countsOf(ofPolicy),
        byDepartment: departments,
        pendingRequirements: ofPolicy.filter((requirement) => requirement.status !== 'ACKNOWLEDGED').sort(byUrgency),
      };
    });
  return { policies: report, syncedAt: legal.syncedAt, legal };
}

const maxPageSize = 100;

function encodeCursor(employeeId: string): string {
  return Buffer.from(JSON.stringify({ e: employeeId })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const payload: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof payload === 'object' && payload !== null && 'e' in payload && typeof payload.e === 'string') return payload.e;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError('`after` is not a cursor of this list.', { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
}

/** A page of a policy's pending employees, in the dashboard's order. */
export function pendingEmployees(
  compliance: PolicyComplianceModel,
  args: { first?: number | null; after?: string | null; overdueOnly?: boolean | null },
): PolicyAcknowledgementConnectionModel {
  const first = pageSize(args.first, { fallback: 25, min: 1, max: maxPageSize });
  const all = args.overdueOnly ? compliance.pendingRequirements.filter((requirement) => requirement.overdue) : compliance.pendingRequirements;
  let start = 0;
  if (args.after) {
    const afterId = decodeCursor(args.after);
    const index = all.findIndex((requirement) => requirement.employee.id === afterId);
    // Someone who acknowledged since the last page is no longer pending: the cursor is then stale, not wrong.
    if (index < 0) throw new GraphQLError('`after` names an employee no longer in this list: start again from the first page.', { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
    start = index + 1;
  }
  const page = all.slice(start, start + first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.employee.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + first < all.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: all.length,
  };
}

/** The requirements of one employee today, soonest due first (none when they are not employed today). */
async function requirementsOfEmployee(ctx: RequestContext, employeeId: string): Promise<Requirement[]> {
  const loaders = ctx.loaders.legal;
  const [person, policies, names, acknowledgements] = await Promise.all([
    loaders.employed.load({ key: employeeId, asOf: ctx.today }),
    loaders.activePolicies(),
    loaders.organisationNames(ctx.today),
    loaders.acknowledgements.load(employeeId),
  ]);
  if (!person) return [];
  return requirementsOf(policies, [person], acknowledgements, names, ctx.today).sort(byUrgency);
}

/** Employee.policyAcknowledgements: every active policy that applies to them, with where it stands. */
export async function acknowledgementsOf(ctx: RequestContext, employeeId: string): Promise<EmployeePolicyAcknowledgementsModel> {
  await assertMayRead(ctx, 'statuses', employeeId, "this employee's policy acknowledgements");
  const [acknowledgements, legal] = await Promise.all([requirementsOfEmployee(ctx, employeeId), legalConnection(ctx)]);
  return { acknowledgements, syncedAt: legal.syncedAt, legal };
}

const stillToSign: readonly Requirement['status'][] = ['PENDING', 'DECLINED', 'FAILED'];

/** Employee.pendingSignatures: policies still to sign, and Legal's other documents awaiting their e-signature. */
export async function pendingSignaturesOf(ctx: RequestContext, employee: EmployeeRecord): Promise<PendingSignaturesModel> {
  await assertMayRead(ctx, 'signatures', employee.id, "this employee's pending signatures");
  const [requirements, legal] = await Promise.all([requirementsOfEmployee(ctx, employee.id), legalConnection(ctx)]);
  const { documents, documentsError } = await documentsAwaitingSignature(ctx, employee.hubUserId);
  return {
    policies: requirements.filter((requirement) => stillToSign.includes(requirement.status)),
    documents,
    documentsError,
    syncedAt: legal.syncedAt,
    legal,
  };
}

/** Legal's other documents awaiting this signer, asked now (once: the portal shows the error, a reload asks again). */
async function documentsAwaitingSignature(
  ctx: RequestContext,
  hubUserId: string | null,
): Promise<{ documents: LegalPendingDocument[]; documentsError: string | null }> {
  const client = ctx.legal.client;
  if (!client) return { documents: [], documentsError: notConfiguredMessage };
  if (hubUserId === null) {
    return { documents: [], documentsError: 'This employee is not linked to a Hub user yet, so Legal cannot be asked for their documents.' };
  }
  const answer = await client.pendingDocuments(hubUserId, { attempts: 1 });
  if (!answer.ok) return { documents: [], documentsError: describeLegalFailure(answer.failure) };
  const documents = [...answer.value].sort((a, b) =>
    a.dueDate === b.dueDate ? a.title.localeCompare(b.title) : a.dueDate === null ? 1 : b.dueDate === null ? -1 : a.dueDate < b.dueDate ? -1 : 1,
  );
  return { documents, documentsError: null };
}

/** The employee a requirement is about, as the rest of the answer reads employees (they were employed today, so they exist). */
export async function employeeOfRequirement(ctx: RequestContext, requirement: Requirement): Promise<EmployeeRecord> {
  const employee = await ctx.loaders.employees.byId.load({ key: requirement.employee.id, asOf: ctx.today });
  if (!employee) throw new Error(`employee ${requirement.employee.id} vanished while answering`);
  return employee;
}

/** How the proxy of the latest signature made in People is going (the task's state); null when none was made in People. */
export async function submissionOf(ctx: RequestContext, requirement: Requirement): Promise<AcknowledgementSubmissionModel | null> {
  const row = requirement.acknowledgement;
  if (!row?.submissionTaskId) return null;
  const task = await ctx.loaders.legal.submissionTasks.load(row.submissionTaskId);
  if (!task) return null;
  const progress = systemTaskProgress(task);
  return {
    state: progress.state,
    attempts: progress.attempts,
    lastError: progress.lastError,
    waitingReason: progress.waitingReason,
    nextAttemptAt: progress.nextAttemptAt,
    legalAcknowledgementId: row.legalAcknowledgementId,
  };
}
