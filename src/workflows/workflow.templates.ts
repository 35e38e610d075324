import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { findEmployeesByIds, terminalStatuses } from '../employees/employee.service.js';
import type { CreateWorkflowTemplateInput, UpdateWorkflowTemplateInput, WorkflowKind } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { findDepartments, findLocations } from '../organisation/organisation.service.js';
import { departmentNotFound, employeeLeft, employeeNotFound, locationNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { assertMayReadTemplates, assertMayWriteTemplates } from './workflow.access.js';
import { meetsConditions, specificityOf } from './workflow.model.js';
import * as store from './workflow.store.js';
import type { TaskTemplateValue, WorkflowConditionsValue, WorkflowKindValue, WorkflowTemplateRow } from './workflow.tables.js';
import { parseCreateTemplate, parseUpdateTemplate } from './workflow.validation.js';

// Templates are data: HR Managers and Admins write them, HR reads them. A change never reaches a
// workflow already started (it copied its tasks). Each change locks its template first.

export const templateNotFound = (field: readonly string[]) =>
  userError('WORKFLOW_TEMPLATE_NOT_FOUND', [...field], 'No on- or offboarding template has this id.');

const duplicateName = (kind: WorkflowKindValue) =>
  userError('DUPLICATE_WORKFLOW_TEMPLATE', ['input', 'name'], `Another ${kind.toLowerCase()} template has this name.`);

function templateWrite(kind: () => WorkflowKindValue) {
  return {
    uniqueViolations: { workflow_templates_kind_name_key: () => duplicateName(kind()) },
    reload: (ctx, id) => ctx.loaders.workflows.template.load(id),
  } satisfies WriteOptions<string, WorkflowTemplateRow>;
}

/**
 * The references of a template, checked against the database: departments and locations exist,
 * named assignees exist and have not left (as of today).
 */
async function checkReferences(
  tx: Database,
  today: string,
  conditions: WorkflowConditionsValue | undefined,
  tasks: readonly TaskTemplateValue[] | undefined,
): Promise<UserError[]> {
  const all = [
    ...(conditions ? [{ path: ['input', 'conditions'], conditions }] : []),
    ...(tasks ?? []).map((task, index) => ({ path: ['input', 'tasks', String(index), 'conditions'], conditions: task.conditions })),
  ];
  const departmentIds = [...new Set(all.flatMap((entry) => entry.conditions.departmentIds))].filter(isUuid);
  const locationIds = [...new Set(all.flatMap((entry) => entry.conditions.locationIds))].filter(isUuid);
  const departments = new Set((await findDepartments(tx, departmentIds)).map((row) => row.id));
  const locations = new Set((await findLocations(tx, locationIds)).map((row) => row.id));
  const errors: UserError[] = [];
  for (const { path, conditions: listed } of all) {
    listed.departmentIds.forEach((id, index) => {
      if (isUuid(id) && !departments.has(id)) errors.push(departmentNotFound([...path, 'departmentIds', String(index)]));
    });
    listed.locationIds.forEach((id, index) => {
      if (isUuid(id) && !locations.has(id)) errors.push(locationNotFound([...path, 'locationIds', String(index)]));
    });
  }
  const named = (tasks ?? []).flatMap((task, index) => (task.assigneeId && isUuid(task.assigneeId) ? [{ index, id: task.assigneeId }] : []));
  if (named.length > 0) {
    const people = new Map((await findEmployeesByIds(tx, named.map((entry) => entry.id), today)).map((record) => [record.id, record]));
    for (const { index, id } of named) {
      const at = ['input', 'tasks', String(index), 'assigneeId'];
      const person = people.get(id);
      if (!person) errors.push(employeeNotFound(at));
      else if (person.job?.status && terminalStatuses.includes(person.job.status)) errors.push(employeeLeft(at));
    }
  }
  return errors;
}

export async function createTemplate(ctx: RequestContext, input: CreateWorkflowTemplateInput): Promise<Outcome<WorkflowTemplateRow>> {
  assertMayWriteTemplates(ctx);
  const { fields, errors } = parseCreateTemplate(input);
  if (errors.length > 0) return fail(...errors);
  return writeTransaction(
    ctx,
    async (tx) => {
      const problems = await checkReferences(tx, ctx.today, fields.conditions, fields.tasks);
      if (await store.findTemplateIdByName(tx, fields.kind, fields.name)) problems.push(duplicateName(fields.kind));
      abortIf(problems);
      const template = await store.insertTemplate(tx, { ...fields, updatedBy: describeCaller(ctx.caller) });
      return template.id;
    },
    templateWrite(() => fields.kind),
  );
}

export async function updateTemplate(ctx: RequestContext, input: UpdateWorkflowTemplateInput): Promise<Outcome<WorkflowTemplateRow>> {
  assertMayWriteTemplates(ctx);
  const id = normaliseId(input.id);
  const { patch, errors } = parseUpdateTemplate(input);
  if (!isUuid(id)) errors.unshift(templateNotFound(['input', 'id']));
  if (errors.length > 0) return fail(...errors);
  let kind: WorkflowKindValue = 'ONBOARDING';
  return writeTransaction(
    ctx,
    async (tx) => {
      const current = await store.lockTemplate(tx, id);
      if (!current) abort(templateNotFound(['input', 'id']));
      kind = current.kind;
      const problems = await checkReferences(tx, ctx.today, patch.conditions, patch.tasks);
      if (patch.name !== undefined && patch.name.toLowerCase() !== current.name.toLowerCase()) {
        const holder = await store.findTemplateIdByName(tx, current.kind, patch.name);
        if (holder && holder !== id) problems.push(duplicateName(current.kind));
      }
      abortIf(problems);
      if (Object.keys(patch).length > 0) await store.updateTemplate(tx, id, { ...patch, updatedBy: describeCaller(ctx.caller) });
      return id;
    },
    templateWrite(() => kind),
  );
}

export async function listTemplates(
  ctx: RequestContext,
  args: { kind?: WorkflowKind | null; includeInactive?: boolean | null },
): Promise<WorkflowTemplateRow[]> {
  assertMayReadTemplates(ctx);
  const rows = await store.findTemplates(ctx.db, { kind: args.kind ?? null, includeInactive: args.includeInactive === true });
  for (const row of rows) ctx.loaders.workflows.template.prime(row.id, row);
  return rows;
}

export async function getTemplate(ctx: RequestContext, id: string): Promise<WorkflowTemplateRow | null> {
  assertMayReadTemplates(ctx);
  return ctx.loaders.workflows.template.load(normaliseId(id));
}

export interface TemplateJob {
  departmentId: string | null;
  locationId: string | null;
  employmentType: string | null;
}

/**
 * Of `templates`, the one for an employee with this job: of those whose conditions the job meets,
 * the most specific (most criteria set), then the first (the oldest, as `findActiveTemplates`
 * orders them). Null when none matches.
 */
export function pickTemplate(templates: readonly WorkflowTemplateRow[], job: TemplateJob): WorkflowTemplateRow | null {
  let best: WorkflowTemplateRow | null = null;
  for (const template of templates) {
    if (!meetsConditions(template.conditions, job)) continue;
    if (!best || specificityOf(template.conditions) > specificityOf(best.conditions)) best = template;
  }
  return best;
}

/** The active template of `kind` for an employee with this job (see `pickTemplate`). */
export async function findMatchingTemplate(tx: Database, kind: WorkflowKindValue, job: TemplateJob): Promise<WorkflowTemplateRow | null> {
  return pickTemplate(await store.findActiveTemplates(tx, kind), job);
}
