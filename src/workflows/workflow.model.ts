import type { CalendarDate } from '../shared/dates.js';
import type { WorkflowConditionsValue, WorkflowRow, WorkflowTaskRow } from './workflow.tables.js';

// Workflows as resolvers see them, and what their state means: progress, overdue, completion.

export interface WorkflowProgressModel {
  total: number;
  done: number;
  skipped: number;
  open: number;
  required: number;
  requiredDone: number;
  overdue: number;
}

/** A page of workflows; `totalCount` is counted only when a query asks for it. */
export interface WorkflowConnectionModel {
  edges: { cursor: string; node: WorkflowRow }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** People do these; SYSTEM tasks are done by People itself when the workflow completes. */
export function isPeoplesTask(task: Pick<WorkflowTaskRow, 'assigneeGroup'>): boolean {
  return task.assigneeGroup !== 'SYSTEM';
}

/**
 * Open after its due date in a workflow under way (SYSTEM tasks never are: People does them at
 * completion; nor are the tasks left open when a workflow completes or is cancelled).
 */
export function isOverdue(
  workflow: Pick<WorkflowRow, 'state'>,
  task: Pick<WorkflowTaskRow, 'state' | 'dueDate' | 'assigneeGroup'>,
  today: CalendarDate,
): boolean {
  return workflow.state === 'ACTIVE' && task.state === 'OPEN' && isPeoplesTask(task) && task.dueDate < today;
}

export function progressOf(workflow: Pick<WorkflowRow, 'state'>, tasks: readonly WorkflowTaskRow[], today: CalendarDate): WorkflowProgressModel {
  const required = tasks.filter((task) => task.required && isPeoplesTask(task));
  return {
    total: tasks.length,
    done: tasks.filter((task) => task.state === 'DONE').length,
    skipped: tasks.filter((task) => task.state === 'SKIPPED').length,
    open: tasks.filter((task) => task.state === 'OPEN').length,
    required: required.length,
    requiredDone: required.filter((task) => task.state === 'DONE').length,
    overdue: tasks.filter((task) => isOverdue(workflow, task, today)).length,
  };
}

/**
 * Its tasks are finished: every required task people do is done; when none is required, every
 * one is done or skipped. (SQL twin: `tasksFinished` in workflow.store.ts.)
 */
export function tasksFinished(tasks: readonly WorkflowTaskRow[]): boolean {
  const peoples = tasks.filter(isPeoplesTask);
  const required = peoples.filter((task) => task.required);
  return required.length > 0 ? required.every((task) => task.state === 'DONE') : peoples.every((task) => task.state !== 'OPEN');
}

/** A workflow under way completes on `today`: its tasks are finished, and an offboarding's last day has come. */
export function isDue(workflow: Pick<WorkflowRow, 'kind' | 'anchorDay'>, tasks: readonly WorkflowTaskRow[], today: CalendarDate): boolean {
  return tasksFinished(tasks) && (workflow.kind !== 'OFFBOARDING' || workflow.anchorDay <= today);
}

/** Whether an employee's job on a day meets conditions: every non-empty list names their value. */
export function meetsConditions(
  conditions: WorkflowConditionsValue,
  job: { departmentId: string | null; locationId: string | null; employmentType: string | null },
): boolean {
  const meets = (wanted: readonly string[], value: string | null) => wanted.length === 0 || (value !== null && wanted.includes(value));
  return (
    meets(conditions.departmentIds, job.departmentId) &&
    meets(conditions.locationIds, job.locationId) &&
    meets(conditions.employmentTypes, job.employmentType)
  );
}

/** How specific conditions are: the number of criteria they set (the most specific matching template wins). */
export function specificityOf(conditions: WorkflowConditionsValue): number {
  return [conditions.departmentIds, conditions.locationIds, conditions.employmentTypes].filter((list) => list.length > 0).length;
}

export const noConditions: WorkflowConditionsValue = { departmentIds: [], locationIds: [], employmentTypes: [] };
