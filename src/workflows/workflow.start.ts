import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import {
  findEmployeesByIds,
  lockEmployee,
  recordStatusChange,
  terminalStatuses,
  type EmployeeRecord,
} from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { StartOffboardingInput, StartOnboardingInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { employeeNotFound, notEmployedOn } from '../shared/common-errors.js';
import { addYears, type CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { checkText, fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { workingDaysFrom } from '../timeoff/timeoff.service.js';
import { assertMayRun } from './workflow.access.js';
import { cancelActiveWorkflow } from './workflow.cancel.js';
import { completeIfDue, enqueueTimeOffCancellation } from './workflow.completion.js';
import { meetsConditions } from './workflow.model.js';
import * as store from './workflow.store.js';
import type {
  WorkflowAssigneeGroupValue,
  WorkflowKindValue,
  WorkflowRow,
  WorkflowStartedViaValue,
  WorkflowTemplateRow,
  WorkflowUrgencyValue,
} from './workflow.tables.js';
import { findMatchingTemplate, templateNotFound, type TemplateJob } from './workflow.templates.js';
import { limits } from './workflow.validation.js';

// Starting on- and offboarding. A workflow copies the tasks of its template that apply to the
// employee (their job on the anchor day), each with its assignee and its due date worked out now:
// working days from the anchor day at the employee's location. A template changed later never
// rewrites a workflow under way.
//
// Every start runs in the transaction of what caused it, with the employee's row locked first:
// createEmployee (a hire), changeEmployeeStatus (a leaver), startOnboarding / startOffboarding
// (HR), and Defend's flows (`startOffboardingIn`); the first two through workflow.listener.ts.

export type LeavingStatusValue = 'TERMINATED' | 'RESIGNED';

/** How far from today an anchor day may be: further is a typo, not a plan (as for employee dates). */
const maxYearsAway = 2;

const alreadyActive = (kind: WorkflowKindValue, field: readonly string[]) =>
  userError('WORKFLOW_ALREADY_ACTIVE', [...field], `The employee already has an ${kind.toLowerCase()} under way.`);

/** What a new workflow is, before its tasks are worked out. */
interface NewWorkflow {
  kind: WorkflowKindValue;
  employee: EmployeeRecord;
  anchorDay: CalendarDate;
  urgency: WorkflowUrgencyValue;
  startedVia: WorkflowStartedViaValue;
  template: WorkflowTemplateRow | null;
  reason: string | null;
  leavingStatus?: LeavingStatusValue;
  statusChangeId?: string;
  /** Where the caller's input names the employee, for WORKFLOW_ALREADY_ACTIVE. */
  employeeField: readonly string[];
  /** Said in the STARTED history row (e.g. why an emergency scheduled no leaving status). */
  note?: string;
}

interface ResolvedAssignee {
  assigneeId: string | null;
  assigneeGroup: WorkflowAssigneeGroupValue | null;
  /** Why the template's assignee could not have it, for the history. */
  fallback: string | null;
}

/**
 * The assignee of each task kind for this employee: their manager and named people while they
 * have not left (HR otherwise), the employee, or a group.
 */
async function assigneeResolver(tx: Database, employee: EmployeeRecord, names: readonly string[], today: CalendarDate) {
  const managerId = employee.job?.managerId ?? null;
  const people = [...new Set([...(managerId ? [managerId] : []), ...names])];
  const records = new Map((await findEmployeesByIds(tx, people, today)).map((record) => [record.id, record]));
  const present = (id: string) => {
    const status = records.get(id)?.job?.status;
    return status !== undefined && status !== null && !terminalStatuses.includes(status);
  };
  return (kind: string, namedId: string | null): ResolvedAssignee => {
    switch (kind) {
      case 'EMPLOYEE':
        return { assigneeId: employee.id, assigneeGroup: null, fallback: null };
      case 'MANAGER':
        if (managerId && present(managerId)) return { assigneeId: managerId, assigneeGroup: null, fallback: null };
        return { assigneeId: null, assigneeGroup: 'HR', fallback: managerId ? 'the manager has left' : 'the employee has no manager' };
      case 'NAMED':
        if (namedId && present(namedId)) return { assigneeId: namedId, assigneeGroup: null, fallback: null };
        return { assigneeId: null, assigneeGroup: 'HR', fallback: 'the named assignee has left' };
      case 'IT':
        return { assigneeId: null, assigneeGroup: 'IT', fallback: null };
      case 'SYSTEM':
        return { assigneeId: null, assigneeGroup: 'SYSTEM', fallback: null };
      default:
        return { assigneeId: null, assigneeGroup: 'HR', fallback: null };
    }
  };
}

/**
 * Creates the workflow with its tasks, its STARTED history row and its `*.started` event, in the
 * caller's transaction (the employee's row locked); completes it at once when nothing is left to
 * do. Aborts with WORKFLOW_ALREADY_ACTIVE when one of the kind is under way.
 */
export async function createWorkflow(tx: Database, ctx: RequestContext, spec: NewWorkflow): Promise<WorkflowRow> {
  const { employee, template } = spec;
  if (await store.lockActiveWorkflow(tx, employee.id, spec.kind)) abort(alreadyActive(spec.kind, spec.employeeField));
  const job = jobOf(employee);
  const templates = (template?.tasks ?? []).filter((task) => meetsConditions(task.conditions, job));
  const resolve = await assigneeResolver(tx, employee, templates.flatMap((task) => (task.assigneeId ? [task.assigneeId] : [])), ctx.today);
  const dueDates = await workingDaysFrom(tx, job.locationId, spec.anchorDay, templates.map((task) => task.dueOffsetDays));
  const recordedBy = describeCaller(ctx.caller);

  const workflow = await store.insertWorkflow(tx, {
    kind: spec.kind,
    urgency: spec.urgency,
    employeeId: employee.id,
    anchorDay: spec.anchorDay,
    templateId: template?.id ?? null,
    startedVia: spec.startedVia,
    startedBy: recordedBy,
    reason: spec.reason,
    leavingStatus: spec.leavingStatus ?? null,
    statusChangeId: spec.statusChangeId ?? null,
  });
  const fallbacks: string[] = [];
  const tasks = await store.insertTasks(
    tx,
    templates.map((task, position) => {
      const assignee = resolve(task.assigneeKind, task.assigneeId);
      if (assignee.fallback) fallbacks.push(`"${task.title}" went to HR: ${assignee.fallback}.`);
      const dueDate = dueDates.get(task.dueOffsetDays);
      if (!dueDate) throw new Error(`no due date worked out for offset ${task.dueOffsetDays}`);
      return {
        workflowId: workflow.id,
        position,
        title: task.title,
        description: task.description,
        assigneeKind: task.assigneeKind,
        assigneeId: assignee.assigneeId,
        assigneeGroup: assignee.assigneeGroup,
        dueOffsetDays: task.dueOffsetDays,
        dueDate,
        required: task.required,
        kind: task.kind ?? 'MANUAL',
      };
    }),
  );
  await store.insertHistory(tx, [
    {
      workflowId: workflow.id,
      kind: 'STARTED',
      taskId: null,
      recordedBy,
      note: [spec.note, ...fallbacks].filter((part) => part !== undefined).join(' ') || null,
      changes: [
        { field: 'state', before: null, after: 'ACTIVE' },
        { field: 'anchorDay', before: null, after: spec.anchorDay },
        { field: 'templateId', before: null, after: template?.id ?? null },
      ],
    },
  ]);
  const assigneeIds = [...new Set(tasks.flatMap((task) => (task.assigneeId ? [task.assigneeId] : [])))];
  const assigneeGroups = [...new Set(tasks.flatMap((task) => (task.assigneeGroup && task.assigneeGroup !== 'SYSTEM' ? [task.assigneeGroup] : [])))];
  await recordEvent(tx, {
    type: spec.kind === 'ONBOARDING' ? 'onboarding.started' : 'offboarding.started',
    subject: `workflow:${workflow.id}`,
    data: {
      workflowId: workflow.id,
      employeeId: employee.id,
      hubUserId: employee.hubUserId,
      kind: spec.kind,
      urgency: spec.urgency,
      anchorDay: spec.anchorDay,
      startedVia: spec.startedVia,
      templateId: template?.id ?? null,
      assigneeIds,
      assigneeGroups,
      taskCount: tasks.length,
    },
  });
  // The leaver's time off after the last day is cancelled once that day comes (a SYSTEM task, run
  // durably; it cancels nothing if the offboarding is cancelled first).
  if (spec.kind === 'OFFBOARDING') await enqueueTimeOffCancellation(tx, workflow);
  await completeIfDue(tx, workflow, tasks, { recordedBy, today: ctx.today, now: ctx.clock.now() });
  return workflow;
}

/** What templates and their tasks are matched against: the job on the anchor day. */
export function jobOf(employee: EmployeeRecord): TemplateJob {
  return {
    departmentId: employee.job?.departmentId ?? null,
    locationId: employee.job?.locationId ?? null,
    employmentType: employee.job?.employmentType ?? null,
  };
}

/** The employee (locked) with their job on `day`, or abort EMPLOYEE_NOT_FOUND at `field`. */
async function lockedEmployeeOn(tx: Database, employeeId: string, day: CalendarDate, field: readonly string[]): Promise<EmployeeRecord> {
  if (!isUuid(employeeId) || !(await lockEmployee(tx, employeeId))) abort(employeeNotFound(field));
  const [employee] = await findEmployeesByIds(tx, [employeeId], day);
  if (!employee) abort(employeeNotFound(field));
  return employee;
}

/** The template to start from: the one named (active, of the kind), or the one that matches the employee. */
async function templateFor(
  tx: Database,
  kind: WorkflowKindValue,
  employee: EmployeeRecord,
  templateId: string | null,
  fields: { template: readonly string[]; employee: readonly string[] },
): Promise<WorkflowTemplateRow> {
  const template = await optionalTemplateFor(tx, kind, employee, templateId, fields);
  if (!template) {
    abort(
      userError(
        'WORKFLOW_TEMPLATE_NOT_FOUND',
        [...fields.employee],
        `No active ${kind.toLowerCase()} template applies to this employee: create one, or name one with templateId.`,
      ),
    );
  }
  return template;
}

/** As `templateFor`, but null when none is named and none matches (Defend's emergency starts without one then). */
async function optionalTemplateFor(
  tx: Database,
  kind: WorkflowKindValue,
  employee: EmployeeRecord,
  templateId: string | null,
  fields: { template: readonly string[]; employee: readonly string[] },
): Promise<WorkflowTemplateRow | null> {
  if (templateId !== null) {
    const [template] = isUuid(templateId) ? await store.findTemplatesByIds(tx, [templateId]) : [];
    if (!template) abort(templateNotFound(fields.template));
    if (template.kind !== kind) {
      abort(userError('INVALID_VALUE', [...fields.template], `This is an ${template.kind.toLowerCase()} template; an ${kind.toLowerCase()} needs an ${kind.toLowerCase()} one.`));
    }
    if (!template.active) abort(userError('INVALID_VALUE', [...fields.template], 'This template is inactive: activate it first.'));
    return template;
  }
  return findMatchingTemplate(tx, kind, jobOf(employee));
}

function checkAnchor(field: readonly string[], day: CalendarDate, today: CalendarDate): UserError[] {
  const earliest = addYears(today, -maxYearsAway);
  const latest = addYears(today, maxYearsAway);
  if (day < earliest || day > latest) return [userError('DATE_TOO_FAR', [...field], `${field.at(-1)} must be between ${earliest} and ${latest}.`)];
  return [];
}

/** Every start answers the workflow as read after the commit. */
const workflowWrite = {
  uniqueViolations: { workflows_one_active_per_kind: () => alreadyActive('ONBOARDING', ['input', 'employeeId']) },
  reload: (ctx, id) => ctx.loaders.workflows.byId.load(id),
} satisfies WriteOptions<string, WorkflowRow>;

// ---------------------------------------------------------------- onboarding

export async function startOnboarding(ctx: RequestContext, input: StartOnboardingInput): Promise<Outcome<WorkflowRow>> {
  const employeeId = normaliseId(input.employeeId);
  await assertMayRun(ctx, employeeId, 'start an onboarding');
  const errors: UserError[] = [];
  const reason = checkText(['input', 'reason'], input.reason, { required: false, max: limits.note }, errors);
  if (input.startDate) errors.push(...checkAnchor(['input', 'startDate'], input.startDate, ctx.today));
  if (errors.length > 0) return fail(...errors);
  const templateId = input.templateId ? normaliseId(input.templateId) : null;

  return writeTransaction(
    ctx,
    async (tx) => {
      const hired = await lockedEmployeeOn(tx, employeeId, ctx.today, ['input', 'employeeId']);
      const anchorDay = input.startDate ?? hired.hireDate;
      const [employee = hired] = anchorDay === ctx.today ? [] : await findEmployeesByIds(tx, [employeeId], anchorDay);
      const status = employee.job?.status ?? null;
      if (status === null || terminalStatuses.includes(status)) abort(notEmployedOn(['input', input.startDate ? 'startDate' : 'employeeId'], anchorDay));
      const template = await templateFor(tx, 'ONBOARDING', employee, templateId, { template: ['input', 'templateId'], employee: ['input', 'employeeId'] });
      const workflow = await createWorkflow(tx, ctx, {
        kind: 'ONBOARDING',
        employee,
        anchorDay,
        urgency: 'STANDARD',
        startedVia: 'HR',
        template,
        reason,
        employeeField: ['input', 'employeeId'],
      });
      return workflow.id;
    },
    workflowWrite,
  );
}

// ---------------------------------------------------------------- offboarding

export interface OffboardingStart {
  employeeId: string;
  /** The day the leaving status takes effect. */
  lastDay: CalendarDate;
  status: LeavingStatusValue;
  reason: string | null;
  templateId?: string | null;
  urgency?: WorkflowUrgencyValue;
  startedVia?: Extract<WorkflowStartedViaValue, 'HR' | 'DEFEND'>;
  /** Start without tasks when no template is named and none matches (Defend's emergency: it must act, whatever HR has set up). */
  templateOptional?: boolean;
  /**
   * Do not schedule the leaving status (Defend's emergency for someone with reports: the rule
   * "no reports left behind" must not stop a security response); `note` says why, for HR.
   */
  withoutStatusChange?: { note: string };
  /** Where the caller's input holds each value, for user errors. */
  fields?: { employee: readonly string[]; lastDay: readonly string[]; status: readonly string[]; template: readonly string[] };
}

const offboardingFields = {
  employee: ['input', 'employeeId'],
  lastDay: ['input', 'lastDay'],
  status: ['input', 'status'],
  template: ['input', 'templateId'],
} as const;

/**
 * Starts an offboarding inside the caller's transaction (Defend's flows call this): locks the
 * employee, schedules the leaving status for the last day (the status change's rules apply:
 * after the hire date, a transition allowed, no reports left behind), cancels an onboarding under
 * way, and creates the offboarding from the template named or matching. Aborts with user errors.
 * Permission checks are the caller's.
 */
export async function startOffboardingIn(tx: Database, ctx: RequestContext, start: OffboardingStart): Promise<WorkflowRow> {
  const fields = start.fields ?? offboardingFields;
  const employee = await lockedEmployeeOn(tx, start.employeeId, start.lastDay, fields.employee);
  if (await store.lockActiveWorkflow(tx, employee.id, 'OFFBOARDING')) abort(alreadyActive('OFFBOARDING', fields.employee));
  const template = start.templateOptional
    ? await optionalTemplateFor(tx, 'OFFBOARDING', employee, start.templateId ?? null, fields)
    : await templateFor(tx, 'OFFBOARDING', employee, start.templateId ?? null, fields);
  const changeId = start.withoutStatusChange
    ? null
    : (
        await recordStatusChange(tx, ctx, {
          employeeId: employee.id,
          status: start.status,
          effectiveDate: start.lastDay,
          reason: start.reason,
          fields: { status: fields.status, date: fields.lastDay, employee: fields.employee },
        })
      ).changeId;
  await cancelActiveWorkflow(tx, ctx, employee.id, 'ONBOARDING', 'An offboarding started.');
  return createWorkflow(tx, ctx, {
    kind: 'OFFBOARDING',
    employee,
    anchorDay: start.lastDay,
    urgency: start.urgency ?? 'STANDARD',
    startedVia: start.startedVia ?? 'HR',
    template,
    reason: start.reason,
    leavingStatus: start.status,
    ...(changeId ? { statusChangeId: changeId } : {}),
    employeeField: fields.employee,
    ...(start.withoutStatusChange ? { note: start.withoutStatusChange.note } : {}),
  });
}

export async function startOffboarding(ctx: RequestContext, input: StartOffboardingInput): Promise<Outcome<WorkflowRow>> {
  const employeeId = normaliseId(input.employeeId);
  await assertMayRun(ctx, employeeId, 'start an offboarding');
  const errors: UserError[] = [];
  const reason = checkText(['input', 'reason'], input.reason, { required: true, max: limits.note }, errors);
  errors.push(...checkAnchor(['input', 'lastDay'], input.lastDay, ctx.today));
  if (errors.length > 0) return fail(...errors);

  return writeTransaction(
    ctx,
    async (tx) => {
      const workflow = await startOffboardingIn(tx, ctx, {
        employeeId,
        lastDay: input.lastDay,
        status: input.status,
        reason,
        templateId: input.templateId ? normaliseId(input.templateId) : null,
      });
      return workflow.id;
    },
    { ...workflowWrite, uniqueViolations: { workflows_one_active_per_kind: () => alreadyActive('OFFBOARDING', ['input', 'employeeId']) } },
  );
}
