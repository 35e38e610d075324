import type { Database } from '../db/database.js';
import { byIdLoader, groupedLoader } from '../shared/loaders.js';
import * as store from './workflow.store.js';
import type { WorkflowHistoryRow, WorkflowRow, WorkflowTaskRow } from './workflow.tables.js';

/** Per-request loaders of the workflow domain: lists of employees or workflows never cost N+1. */
export function createWorkflowLoaders(db: Database) {
  const byId = byIdLoader((ids) => store.findWorkflowsByIds(db, ids));

  /** Each employee's workflows, newest started first (kinds and states filter in memory: one statement per batch). */
  const ofEmployee = groupedLoader<WorkflowRow>(async (employeeIds) => {
    const rows = await store.findWorkflowsOfEmployees(db, employeeIds);
    for (const row of rows) byId.prime(row.id, row);
    return rows;
  }, (row) => row.employeeId);

  const taskById = byIdLoader((ids) => store.findTasksByIds(db, ids));

  /** Each workflow's tasks, in order. */
  const tasks = groupedLoader<WorkflowTaskRow>(async (workflowIds) => {
    const rows = await store.findTasksOfWorkflows(db, workflowIds);
    for (const row of rows) taskById.prime(row.id, row);
    return rows;
  }, (row) => row.workflowId);

  const history = groupedLoader<WorkflowHistoryRow>((workflowIds) => store.findHistoryOfWorkflows(db, workflowIds), (row) => row.workflowId);

  const template = byIdLoader((ids) => store.findTemplatesByIds(db, ids));

  return { byId, ofEmployee, taskById, tasks, history, template };
}

export type WorkflowLoaders = ReturnType<typeof createWorkflowLoaders>;
