import { and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import {
  workflowHistory,
  workflows,
  workflowTasks,
  workflowTemplates,
  type WorkflowAssigneeGroupValue,
  type WorkflowHistoryRow,
  type WorkflowKindValue,
  type WorkflowRow,
  type WorkflowStateValue,
  type WorkflowTaskKindValue,
  type WorkflowTaskRow,
  type WorkflowTaskStateValue,
  type WorkflowTemplateRow,
  type WorkflowUrgencyValue,
} from './workflow.tables.js';

// SQL only, set-based: reads take many ids, so the loaders cost one statement per batch.

const w = workflows;
const t = workflowTasks;
const tpl = workflowTemplates;
const h = workflowHistory;

// ---------------------------------------------------------------- templates

export function findTemplates(db: Database, options: { kind?: WorkflowKindValue | null; includeInactive: boolean }): Promise<WorkflowTemplateRow[]> {
  return db
    .select()
    .from(tpl)
    .where(and(options.kind ? eq(tpl.kind, options.kind) : undefined, options.includeInactive ? undefined : eq(tpl.active, true)))
    .orderBy(asc(tpl.kind), asc(tpl.name), asc(tpl.id));
}

export function findTemplatesByIds(db: Database, ids: readonly string[]): Promise<WorkflowTemplateRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(tpl).where(inArray(tpl.id, [...ids]));
}

/** Active templates of a kind, oldest first (the tie-break when several match). */
export function findActiveTemplates(db: Database, kind: WorkflowKindValue): Promise<WorkflowTemplateRow[]> {
  return db.select().from(tpl).where(and(eq(tpl.kind, kind), eq(tpl.active, true))).orderBy(asc(tpl.createdAt), asc(tpl.id));
}

/** The template of `kind` with this name (case-insensitive), if any. */
export async function findTemplateIdByName(db: Database, kind: WorkflowKindValue, name: string): Promise<string | null> {
  const rows = await db
    .select({ id: tpl.id })
    .from(tpl)
    .where(and(eq(tpl.kind, kind), sql`lower(${tpl.name}) = lower(${name})`));
  return rows[0]?.id ?? null;
}

export async function insertTemplate(db: Database, values: typeof tpl.$inferInsert): Promise<WorkflowTemplateRow> {
  const [row] = await db.insert(tpl).values(values).returning();
  if (!row) throw new Error('insert into workflow_templates returned no row');
  return row;
}

/** The template, its row locked until the transaction ends (changes to one template run one after the other). */
export async function lockTemplate(db: Database, id: string): Promise<WorkflowTemplateRow | null> {
  const rows = await db.select().from(tpl).where(eq(tpl.id, id)).for('update');
  return rows[0] ?? null;
}

export async function updateTemplate(db: Database, id: string, values: Partial<typeof tpl.$inferInsert>): Promise<void> {
  await db
    .update(tpl)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(tpl.id, id));
}

// ---------------------------------------------------------------- workflows

export function findWorkflowsByIds(db: Database, ids: readonly string[]): Promise<WorkflowRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(w).where(inArray(w.id, [...ids]));
}

/** Every workflow of the employees, newest started first. */
export function findWorkflowsOfEmployees(db: Database, employeeIds: readonly string[]): Promise<WorkflowRow[]> {
  if (employeeIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(w)
    .where(inArray(w.employeeId, [...employeeIds]))
    .orderBy(desc(w.startedAt), desc(w.id));
}

/** The workflow, its row locked until the transaction ends: every change to it and its tasks takes this lock first. */
export async function lockWorkflow(db: Database, id: string): Promise<WorkflowRow | null> {
  const rows = await db.select().from(w).where(eq(w.id, id)).for('update');
  return rows[0] ?? null;
}

/** The employee's workflow of `kind` under way, its row locked. */
export async function lockActiveWorkflow(db: Database, employeeId: string, kind: WorkflowKindValue): Promise<WorkflowRow | null> {
  const rows = await db
    .select()
    .from(w)
    .where(and(eq(w.employeeId, employeeId), eq(w.kind, kind), eq(w.state, 'ACTIVE')))
    .for('update');
  return rows[0] ?? null;
}

export async function insertWorkflow(db: Database, values: typeof w.$inferInsert): Promise<WorkflowRow> {
  const [row] = await db.insert(w).values(values).returning();
  if (!row) throw new Error('insert into workflows returned no row');
  return row;
}

export async function updateWorkflow(db: Database, id: string, values: Partial<typeof w.$inferInsert>): Promise<void> {
  await db.update(w).set(values).where(eq(w.id, id));
}

/** What a list of workflows is filtered by; `scope` limits it to what the caller may see (null: everything). */
export interface WorkflowListCriteria {
  kinds?: readonly WorkflowKindValue[] | null;
  states?: readonly WorkflowStateValue[] | null;
  urgencies?: readonly WorkflowUrgencyValue[] | null;
  employeeIds?: readonly string[] | null;
  anchorFrom?: CalendarDate | null;
  anchorTo?: CalendarDate | null;
  scope: { employeeIds: readonly string[]; ownOnboardingsOf: string | null } | null;
}

function listConditions(criteria: WorkflowListCriteria): SQL | undefined {
  const { scope } = criteria;
  const scoped = scope
    ? or(
        scope.employeeIds.length > 0 ? inArray(w.employeeId, [...scope.employeeIds]) : sql`false`,
        scope.ownOnboardingsOf ? and(eq(w.employeeId, scope.ownOnboardingsOf), eq(w.kind, 'ONBOARDING')) : sql`false`,
      )
    : undefined;
  return and(
    criteria.kinds?.length ? inArray(w.kind, [...criteria.kinds]) : undefined,
    criteria.states?.length ? inArray(w.state, [...criteria.states]) : undefined,
    criteria.urgencies?.length ? inArray(w.urgency, [...criteria.urgencies]) : undefined,
    criteria.employeeIds ? (criteria.employeeIds.length > 0 ? inArray(w.employeeId, [...criteria.employeeIds]) : sql`false`) : undefined,
    criteria.anchorFrom ? gte(w.anchorDay, criteria.anchorFrom) : undefined,
    criteria.anchorTo ? lte(w.anchorDay, criteria.anchorTo) : undefined,
    scoped,
  );
}

/** A page, newest started first; `after` is the (startedAt, id) of the last row of the previous page. */
export function listWorkflows(
  db: Database,
  criteria: WorkflowListCriteria,
  after: { startedAt: Date; id: string } | null,
  limit: number,
): Promise<WorkflowRow[]> {
  const seek = after ? sql`(${w.startedAt}, ${w.id}) < (${after.startedAt}, ${after.id})` : undefined;
  return db
    .select()
    .from(w)
    .where(and(listConditions(criteria), seek))
    .orderBy(desc(w.startedAt), desc(w.id))
    .limit(limit);
}

export async function countWorkflows(db: Database, criteria: WorkflowListCriteria): Promise<number> {
  const rows = await db.select({ count: sql<number>`count(*)::int` }).from(w).where(listConditions(criteria));
  return rows[0]?.count ?? 0;
}

const notSystem = sql`${t.assigneeGroup} is distinct from 'SYSTEM'`;

/**
 * The workflow `workflowId` names has its tasks finished (as `isFinished` in workflow.model.ts):
 * no required task people do is left undone, and when there is no required one, no open one.
 */
function tasksFinished(workflowId: typeof w.id): SQL {
  const ofIt = sql`${t.workflowId} = ${workflowId} and ${notSystem}`;
  return sql`not exists (select 1 from ${t} where ${ofIt} and ${t.required} and ${t.state} <> 'DONE')
    and (exists (select 1 from ${t} where ${ofIt} and ${t.required})
      or not exists (select 1 from ${t} where ${ofIt} and ${t.state} = 'OPEN'))`;
}

/**
 * Offboardings under way whose last day has come by `today` and whose required tasks are done,
 * locked (SKIP LOCKED: a replica already completing one leaves it to that one), oldest last day first.
 */
export async function claimDueOffboardings(db: Database, today: CalendarDate, limit: number): Promise<WorkflowRow[]> {
  return db
    .select()
    .from(w)
    .where(
      and(
        eq(w.state, 'ACTIVE'),
        eq(w.kind, 'OFFBOARDING'),
        lte(w.anchorDay, today),
        tasksFinished(w.id),
      ),
    )
    .orderBy(asc(w.anchorDay), asc(w.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

// ---------------------------------------------------------------- tasks

export function insertTasks(db: Database, rows: (typeof t.$inferInsert)[]): Promise<WorkflowTaskRow[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insert(t).values(rows).returning();
}

/** Tasks of the workflows, in each workflow's order. */
export function findTasksOfWorkflows(db: Database, workflowIds: readonly string[]): Promise<WorkflowTaskRow[]> {
  if (workflowIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(t)
    .where(inArray(t.workflowId, [...workflowIds]))
    .orderBy(asc(t.workflowId), asc(t.position));
}

export function findTasksByIds(db: Database, ids: readonly string[]): Promise<WorkflowTaskRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(t).where(inArray(t.id, [...ids]));
}

export async function updateTask(db: Database, id: string, values: Partial<typeof t.$inferInsert>): Promise<WorkflowTaskRow> {
  const [row] = await db.update(t).set(values).where(eq(t.id, id)).returning();
  if (!row) throw new Error(`workflow task ${id} vanished under its workflow's lock`);
  return row;
}

/** Employees with an open task of `kind` in a workflow under way (for People to complete when it can). */
export async function findEmployeesWithOpenTasks(db: Database, kind: WorkflowTaskKindValue): Promise<string[]> {
  const rows = await db
    .selectDistinct({ employeeId: w.employeeId })
    .from(t)
    .innerJoin(w, eq(w.id, t.workflowId))
    .where(and(eq(t.kind, kind), eq(t.state, 'OPEN'), eq(w.state, 'ACTIVE')));
  return rows.map((row) => row.employeeId);
}

/** The employee's workflows under way with an open task of `kind`, their rows locked. */
export async function lockWorkflowsWithOpenTasks(db: Database, employeeId: string, kind: WorkflowTaskKindValue): Promise<WorkflowRow[]> {
  return db
    .select()
    .from(w)
    .where(
      and(
        eq(w.employeeId, employeeId),
        eq(w.state, 'ACTIVE'),
        sql`exists (select 1 from ${t} where ${t.workflowId} = ${w.id} and ${t.kind} = ${kind} and ${t.state} = 'OPEN')`,
      ),
    )
    .orderBy(asc(w.startedAt), asc(w.id))
    .for('update');
}

/** Marks a workflow's open tasks of `kind` done by People; answers them. */
export function completeTasksOfKind(
  db: Database,
  workflowId: string,
  kind: WorkflowTaskKindValue,
  completion: { completedBy: string; completedAt: Date; note: string },
): Promise<WorkflowTaskRow[]> {
  return db
    .update(t)
    .set({ state: 'DONE', completedAt: completion.completedAt, completedBy: completion.completedBy, completedByEmployeeId: null, note: completion.note })
    .where(and(eq(t.workflowId, workflowId), eq(t.kind, kind), eq(t.state, 'OPEN')))
    .returning();
}

/** Marks the open SYSTEM tasks of a workflow done (People does them when the workflow completes). */
export function completeSystemTasks(db: Database, workflowId: string, completedBy: string, completedAt: Date): Promise<WorkflowTaskRow[]> {
  return db
    .update(t)
    .set({ state: 'DONE', completedAt, completedBy, completedByEmployeeId: null })
    .where(and(eq(t.workflowId, workflowId), eq(t.assigneeGroup, 'SYSTEM'), eq(t.state, 'OPEN')))
    .returning();
}

/**
 * The inbox: tasks of workflows under way assigned to `employeeId` or to one of `groups`, in
 * `states`, by due date; at most `limit`.
 */
export function findInboxTasks(
  db: Database,
  options: { employeeId: string | null; groups: readonly WorkflowAssigneeGroupValue[]; states: readonly WorkflowTaskStateValue[]; limit: number },
): Promise<WorkflowTaskRow[]> {
  const mine = or(
    options.employeeId ? eq(t.assigneeId, options.employeeId) : undefined,
    options.groups.length > 0 ? inArray(t.assigneeGroup, [...options.groups]) : undefined,
  );
  if (!mine || options.states.length === 0) return Promise.resolve([]);
  return db
    .select({ task: t })
    .from(t)
    .innerJoin(w, eq(w.id, t.workflowId))
    .where(and(eq(w.state, 'ACTIVE'), mine, inArray(t.state, [...options.states]), notSystem))
    .orderBy(asc(t.dueDate), asc(t.workflowId), asc(t.position))
    .limit(options.limit)
    .then((rows) => rows.map((row) => row.task));
}

// ---------------------------------------------------------------- history

export type NewHistoryRow = Omit<typeof h.$inferInsert, 'id' | 'sequence' | 'recordedAt'>;

export async function insertHistory(db: Database, rows: NewHistoryRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(h).values(rows);
}

/** Every change of the workflows, oldest first. */
export function findHistoryOfWorkflows(db: Database, workflowIds: readonly string[]): Promise<WorkflowHistoryRow[]> {
  if (workflowIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(h)
    .where(inArray(h.workflowId, [...workflowIds]))
    .orderBy(asc(h.workflowId), asc(h.sequence));
}
