import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { employeeChanges, employees, employmentStatus } from '../employees/employee.tables.js';

// On- and offboarding. Templates are data (like time-off policies): a list of task templates with
// assignees, due offsets in working days and conditions. Starting a workflow copies the tasks that
// apply to the employee, with their assignee and due date worked out then, so a template changed
// later never rewrites a workflow under way. Every change to a workflow is a history row.

export const workflowKind = pgEnum('workflow_kind', ['ONBOARDING', 'OFFBOARDING']);
export const workflowUrgency = pgEnum('workflow_urgency', ['STANDARD', 'EMERGENCY']);
export const workflowState = pgEnum('workflow_state', ['ACTIVE', 'COMPLETED', 'CANCELLED']);
/** How a workflow was started: a hire (createEmployee), HR by hand, a status change made another way, or Defend's flow. */
export const workflowStartedVia = pgEnum('workflow_started_via', ['HIRE', 'HR', 'STATUS_CHANGE', 'DEFEND']);
export const workflowAssigneeKind = pgEnum('workflow_assignee_kind', ['MANAGER', 'HR', 'IT', 'EMPLOYEE', 'NAMED', 'SYSTEM']);
/** Who works a task that is no one person's: the HR or IT group, or People itself. */
export const workflowAssigneeGroup = pgEnum('workflow_assignee_group', ['HR', 'IT', 'SYSTEM']);
export const workflowTaskState = pgEnum('workflow_task_state', ['OPEN', 'DONE', 'SKIPPED']);
/**
 * What completes a task: a person (MANUAL), or People itself when something it tracks is done
 * (ACKNOWLEDGE_POLICIES: every Legal policy that applies to the employee is acknowledged; see
 * src/legal/legal.onboarding.ts). Either may also be completed by hand.
 */
export const workflowTaskKind = pgEnum('workflow_task_kind', [
  'MANUAL',
  'ACKNOWLEDGE_POLICIES',
  // HR reviews an insider-threat signal Defend reported (src/defend/): shown to HR only.
  'REVIEW_INSIDER_THREAT',
]);
export const workflowChangeKind = pgEnum('workflow_change_kind', [
  'STARTED',
  'TASK_COMPLETED',
  'TASK_SKIPPED',
  'TASK_REOPENED',
  'TASK_REASSIGNED',
  'COMPLETED',
  'CANCELLED',
  // The anchor day moved (a corrected hire date), and the open tasks' due dates with it.
  'RESCHEDULED',
  // Defend's emergency made an offboarding under way EMERGENCY.
  'ESCALATED',
  // A task added to a workflow under way (an insider-threat review).
  'TASK_ADDED',
  // The leaver's time off after the last day was cancelled (timeoff.cancel_after_last_day).
  'TIME_OFF_CANCELLED',
]);

export type WorkflowKindValue = (typeof workflowKind.enumValues)[number];
export type WorkflowUrgencyValue = (typeof workflowUrgency.enumValues)[number];
export type WorkflowStateValue = (typeof workflowState.enumValues)[number];
export type WorkflowStartedViaValue = (typeof workflowStartedVia.enumValues)[number];
export type WorkflowAssigneeKindValue = (typeof workflowAssigneeKind.enumValues)[number];
export type WorkflowAssigneeGroupValue = (typeof workflowAssigneeGroup.enumValues)[number];
export type WorkflowTaskStateValue = (typeof workflowTaskState.enumValues)[number];
export type WorkflowTaskKindValue = (typeof workflowTaskKind.enumValues)[number];
export type WorkflowChangeKindValue = (typeof workflowChangeKind.enumValues)[number];

/** Whom a template or a task applies to: employees matching every non-empty list (all empty: everyone). */
export interface WorkflowConditionsValue {
  departmentIds: string[];
  locationIds: string[];
  employmentTypes: string[];
}

/** One task of a template, as stored (JSON): copied onto a workflow when one starts. */
export interface TaskTemplateValue {
  title: string;
  description: string | null;
  assigneeKind: WorkflowAssigneeKindValue;
  /** NAMED only: the employee. */
  assigneeId: string | null;
  /** Working days from the anchor day (negative: before it) at the employee's location. */
  dueOffsetDays: number;
  required: boolean;
  conditions: WorkflowConditionsValue;
  /** Absent in templates stored before task kinds: MANUAL. */
  kind?: WorkflowTaskKindValue;
}

export const workflowTemplates = pgTable(
  'workflow_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: workflowKind('kind').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    conditions: jsonb('conditions').$type<WorkflowConditionsValue>().notNull(),
    tasks: jsonb('tasks').$type<TaskTemplateValue[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [uniqueIndex('workflow_templates_kind_name_key').on(t.kind, sql`lower(${t.name})`)],
);

export const workflows = pgTable(
  'workflows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: workflowKind('kind').notNull(),
    urgency: workflowUrgency('urgency').notNull().default('STANDARD'),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    /** The start date (onboarding) or the last day (offboarding): due dates count working days from it. */
    anchorDay: date('anchor_day', { mode: 'string' }).notNull(),
    state: workflowState('state').notNull().default('ACTIVE'),
    /** Null when started without one, or once the template is gone. */
    templateId: uuid('template_id').references(() => workflowTemplates.id, { onDelete: 'set null' }),
    startedVia: workflowStartedVia('started_via').notNull(),
    startedBy: text('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    reason: text('reason'),
    /** Offboarding: the status the employee leaves with (TERMINATED, RESIGNED). */
    leavingStatus: employmentStatus('leaving_status'),
    /**
     * Offboarding: the employee's status change (history row) the leaving status was recorded
     * with; cancelling the offboarding cancels it while it has not taken effect.
     */
    statusChangeId: uuid('status_change_id').references(() => employeeChanges.id, { onDelete: 'set null' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    // One workflow of a kind under way per employee: a second start is a user error, also when racing.
    uniqueIndex('workflows_one_active_per_kind').on(t.employeeId, t.kind).where(sql`${t.state} = 'ACTIVE'`),
    index('workflows_employee_idx').on(t.employeeId, t.startedAt),
    index('workflows_started_idx').on(t.startedAt, t.id),
    index('workflows_due_offboarding_idx').on(t.anchorDay).where(sql`${t.state} = 'ACTIVE' and ${t.kind} = 'OFFBOARDING'`),
  ],
);

export const workflowTasks = pgTable(
  'workflow_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    /** Order within the workflow (the template's order). */
    position: integer('position').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    /** What the template said (the manager, HR…); the task's current assignee is below. */
    assigneeKind: workflowAssigneeKind('assignee_kind').notNull(),
    /** The person the task is assigned to; null when it is a group's. */
    assigneeId: uuid('assignee_id').references(() => employees.id, { onDelete: 'set null' }),
    /** The group the task is assigned to; null when it is a person's. */
    assigneeGroup: workflowAssigneeGroup('assignee_group'),
    dueOffsetDays: integer('due_offset_days').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    required: boolean('required').notNull(),
    kind: workflowTaskKind('kind').notNull().default('MANUAL'),
    state: workflowTaskState('state').notNull().default('OPEN'),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    completedBy: text('completed_by'),
    completedByEmployeeId: uuid('completed_by_employee_id').references(() => employees.id, { onDelete: 'set null' }),
    /** The completion note, or why it was skipped. */
    note: text('note'),
  },
  (t) => [
    index('workflow_tasks_workflow_idx').on(t.workflowId, t.position),
    index('workflow_tasks_assignee_idx').on(t.assigneeId, t.dueDate).where(sql`${t.state} = 'OPEN'`),
    index('workflow_tasks_group_idx').on(t.assigneeGroup, t.dueDate).where(sql`${t.state} = 'OPEN'`),
    // Open tasks People completes itself, found by kind when what they wait for happens.
    index('workflow_tasks_open_kind_idx').on(t.kind, t.workflowId).where(sql`${t.state} = 'OPEN' and ${t.kind} <> 'MANUAL'`),
  ],
);

/** Every change to a workflow and its tasks, in order. */
export const workflowHistory = pgTable(
  'workflow_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    kind: workflowChangeKind('kind').notNull(),
    taskId: uuid('task_id').references(() => workflowTasks.id, { onDelete: 'cascade' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
    note: text('note'),
    /** What moved: the task's state or assignee (ids), the workflow's state. */
    changes: jsonb('changes').$type<{ field: string; before: string | null; after: string | null }[]>().notNull(),
  },
  (t) => [index('workflow_history_workflow_idx').on(t.workflowId, t.sequence)],
);

export type WorkflowTemplateRow = typeof workflowTemplates.$inferSelect;
export type WorkflowRow = typeof workflows.$inferSelect;
export type WorkflowTaskRow = typeof workflowTasks.$inferSelect;
export type WorkflowHistoryRow = typeof workflowHistory.$inferSelect;
