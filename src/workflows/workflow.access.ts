import { allows, assertCallerAllowed, callerAllowed, forbidden, isOwnRecord, relationTo, type RuleTable } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { isPeoplesTask } from './workflow.model.js';
import type { WorkflowRow, WorkflowTaskRow } from './workflow.tables.js';

// Who may see and do what with on- and offboarding: the README's workflow matrix, as data.
//
// What a caller sees of one workflow is a view:
//
//   full      everything: HR's notes (reason, who started it, leaving status, template,
//             cancellation reason), every task with its note, the history.
//   team      the workflow and every task, without HR's notes; task notes only of their own tasks.
//   assignee  the workflow and only the tasks assigned to them (with their notes).
//   summary   state, urgency and dates; no tasks (Defend's view of an offboarding).
//
// The employee a workflow is about never gets more than the "own" rows below, whatever their
// role: HR on their own offboarding does not read HR's notes about them, and acts on it only
// through the tasks assigned to them (separation of duties: `isOwnRecord`).

export const workflowRules = {
  /** Every workflow in `full`; starting, cancelling and reassigning; working any task (never on their own workflow). */
  run: ['hr'],
  /** The `team` view of the workflows of people below them in the reporting line. */
  team: ['line'],
  /** The `team` view of their own onboarding. */
  ownOnboarding: ['self'],
  /** The `assignee` view of their own standard offboarding (an emergency one they never see). */
  ownStandardOffboarding: ['self'],
  /** The `summary` view of offboardings (`Employee.offboarding`, and a Workflow reference). */
  offboardingSummary: ['service:DEFEND'],
  /** An employee's list of workflows (`Employee.workflows`, `Employee.offboarding`), each then shown in the caller's view. */
  employeeWorkflows: ['hr', 'line', 'self'],
  /** Templates: HR reads them; HR Manager and Admin change them. */
  readTemplates: ['hr'],
  writeTemplates: ['ADMIN', 'HR_MANAGER'],
  /** Whose inbox holds the HR and IT groups' tasks (People has no IT role: HR works them, or reassigns them to a person). */
  groupInbox: ['hr'],
  /** Only people work workflows; services read (Defend) or nothing. */
  act: ['knownUser'],
  /**
   * Reversing (cancelling) an EMERGENCY offboarding, which gives back the employee's access, and
   * seeing and working an insider-threat review task: those who see the signals (src/defend/).
   */
  emergency: ['ADMIN', 'HR_MANAGER'],
} as const satisfies RuleTable;

export type WorkflowView = 'full' | 'team' | 'assignee' | 'summary';

function assignedToCaller(ctx: RequestContext, task: Pick<WorkflowTaskRow, 'assigneeId'>): boolean {
  const { caller } = ctx;
  return caller.kind === 'user' && caller.employeeId !== null && task.assigneeId === caller.employeeId;
}

/** How much of a workflow the caller sees; null: nothing (not even that it exists). */
export async function viewOf(ctx: RequestContext, workflow: WorkflowRow): Promise<WorkflowView | null> {
  const { caller } = ctx;
  if (caller.kind === 'system') return 'full';
  if (caller.kind === 'service') return workflow.kind === 'OFFBOARDING' && callerAllowed(ctx, workflowRules.offboardingSummary) ? 'summary' : null;
  const hasTasks = async () => (await ctx.loaders.workflows.tasks.load(workflow.id)).some((task) => assignedToCaller(ctx, task));
  if (await isOwnRecord(ctx, workflow.employeeId)) {
    // Self rights come with the record the caller is taken for only; other ties just refuse.
    const own = await relationTo(ctx, workflow.employeeId, [workflowRules.ownOnboarding, workflowRules.ownStandardOffboarding]);
    if (workflow.kind === 'ONBOARDING' && allows(workflowRules.ownOnboarding, own)) return 'team';
    if (workflow.kind === 'OFFBOARDING' && workflow.urgency === 'STANDARD' && allows(workflowRules.ownStandardOffboarding, own)) {
      return 'assignee';
    }
    return workflow.urgency === 'STANDARD' && (await hasTasks()) ? 'assignee' : null;
  }
  const relation = await relationTo(ctx, workflow.employeeId, [workflowRules.run, workflowRules.team]);
  if (allows(workflowRules.run, relation)) return 'full';
  if (allows(workflowRules.team, relation)) return 'team';
  return (await hasTasks()) ? 'assignee' : null;
}

/**
 * The tasks a view may know exist: an insider-threat review says a signal exists, so only HR sees
 * it (the signal itself: Admin, HR Manager); other views neither list nor count it.
 */
export function tasksKnownTo(view: WorkflowView | null, tasks: readonly WorkflowTaskRow[]): readonly WorkflowTaskRow[] {
  return view === 'full' ? tasks : tasks.filter((task) => task.kind !== 'REVIEW_INSIDER_THREAT');
}

/** The tasks a view shows: all, or the caller's own. */
export function visibleTasks(ctx: RequestContext, view: WorkflowView, tasks: readonly WorkflowTaskRow[]): WorkflowTaskRow[] {
  const shown = tasksKnownTo(view, tasks);
  if (view === 'full' || view === 'team') return [...shown];
  if (view === 'assignee') return shown.filter((task) => assignedToCaller(ctx, task));
  return [];
}

/** A task's note: for HR, and for the person the task is assigned to. */
export function mayReadNote(ctx: RequestContext, view: WorkflowView, task: WorkflowTaskRow): boolean {
  return view === 'full' || assignedToCaller(ctx, task);
}

const viewNames: Record<WorkflowView, string> = {
  full: 'HR',
  team: 'the line above the employee',
  assignee: 'the people with tasks in it',
  summary: 'Defend',
};

/** Refuses (FORBIDDEN) unless the view is one of `allowed`; `what` names the field. */
export function assertView(view: WorkflowView | null, allowed: readonly WorkflowView[], what: string): asserts view is WorkflowView {
  if (view === null || !allowed.includes(view)) {
    throw forbidden(`You may not see ${what} of this workflow (it is for ${allowed.map((name) => viewNames[name]).join(', ')}).`);
  }
}

/** An employee's workflows: HR, the line above them, the employee themself; nobody else (services included). */
export async function mayListEmployeeWorkflows(ctx: RequestContext, employeeId: string): Promise<boolean> {
  return allows(workflowRules.employeeWorkflows, await relationTo(ctx, employeeId, [workflowRules.employeeWorkflows]));
}

// ---- acting

/** People, not services: only people work workflows (Defend's flows call the domain functions). */
export function assertPerson(ctx: RequestContext, what: string): void {
  const { caller } = ctx;
  if (caller.kind === 'service') throw forbidden(`The ${caller.service} service key cannot ${what}.`);
  assertCallerAllowed(ctx, workflowRules.act, 'Your account has no People role and no employee record.');
}

export function assertMayReadTemplates(ctx: RequestContext): void {
  assertPerson(ctx, 'read workflow templates');
  assertCallerAllowed(ctx, workflowRules.readTemplates, 'Only HR sees on- and offboarding templates.');
}

export function assertMayWriteTemplates(ctx: RequestContext): void {
  assertPerson(ctx, 'change workflow templates');
  if (callerAllowed(ctx, workflowRules.writeTemplates)) return;
  if (callerAllowed(ctx, ['HR_STAFF'])) throw forbidden('HR Staff see workflow templates but do not change them: ask an HR Manager or Admin.');
  throw forbidden('Only HR Managers and Admins change on- and offboarding templates.');
}

/** Running workflows (starting, cancelling, reassigning): HR. */
export function assertMayRunWorkflows(ctx: RequestContext, what: string): void {
  assertPerson(ctx, what);
  assertCallerAllowed(ctx, workflowRules.run, `Only Admin, HR Manager and HR Staff may ${what}.`);
}

/**
 * Starting and cancelling a workflow, and reassigning its tasks: HR, never on their own record
 * (inside a transaction pass it as `tx`).
 */
export async function assertMayRun(ctx: RequestContext, employeeId: string, what: string, tx?: Database): Promise<void> {
  assertMayRunWorkflows(ctx, what);
  if (await isOwnRecord(ctx, employeeId, tx)) throw forbidden(`You cannot ${what} for yourself; ask someone else in HR.`);
}

export interface TaskPermissions {
  /** Complete, skip (optional ones) and reopen it. */
  work: boolean;
  /** Give it to someone else. */
  reassign: boolean;
}

/**
 * What the caller may do with a task: its assignee works it (on their own workflow too); HR works
 * and reassigns any other, never on their own workflow; nobody works SYSTEM tasks (People does).
 * `own` is `isOwnRecord` of the workflow's employee.
 */
export function taskPermissions(ctx: RequestContext, task: WorkflowTaskRow, own: boolean): TaskPermissions {
  const { caller } = ctx;
  if (caller.kind === 'service' || !isPeoplesTask(task)) return { work: false, reassign: false };
  if (task.kind === 'REVIEW_INSIDER_THREAT') return { work: !own && callerAllowed(ctx, workflowRules.emergency), reassign: false };
  const runs = !own && callerAllowed(ctx, workflowRules.run);
  return { work: runs || assignedToCaller(ctx, task), reassign: runs };
}

/** Refuses a task action the caller may not take. */
export function assertTaskPermission(ctx: RequestContext, allowed: boolean, what: string): void {
  assertPerson(ctx, what);
  if (!allowed) {
    throw forbidden(`You may not ${what}: it is for the person it is assigned to, or HR (never on their own workflow).`);
  }
}
