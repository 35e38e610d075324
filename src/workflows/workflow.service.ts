import { workflowAssigneeGroup, workflowKind, workflowStartedVia, workflowUrgency } from './workflow.tables.js';

// The workflow domain's public surface: on- and offboarding templates, workflows and their tasks.
// Resolvers, the composition layer and other domains (Defend's flows) import from here.
export { createTemplate, updateTemplate, listTemplates, getTemplate } from './workflow.templates.js';
export {
  startOnboarding,
  startOffboarding,
  // Inside another domain's transaction: Defend's emergency offboarding starts one this way.
  startOffboardingIn,
  type OffboardingStart,
  type LeavingStatusValue,
} from './workflow.start.js';
export { workflowEmploymentListener } from './workflow.listener.js';
export { cancelWorkflow } from './workflow.cancel.js';
export { completeTask, skipTask, reopenTask, reassignTask, type TaskChangeResult } from './workflow.tasks.js';
export { runWorkflowCheck, startWorkflowScheduler, markSystemTasksDone, revocationKey } from './workflow.completion.js';
// Defend's flows (src/defend/) inside their transaction: an emergency offboarding, an insider-threat review task.
export { startEmergencyOffboarding, addInsiderThreatReview, insiderThreatReviewTitle, type EmergencyAction } from './workflow.emergency.js';
// The SYSTEM task that cancels a leaver's time off after the last day (main.ts registers it).
export { createWorkflowTaskHandlers } from './workflow.time-off.js';
// For domains that track what a task waits for (Legal: policies acknowledged).
export { completeTasksOfKind, employeesWaitingOn, type AutomatedTaskKind } from './workflow.automation.js';
export * from './workflow.queries.js';
// What a person may do with workflows (the portal's `me`).
export { workflowCapabilities } from './workflow.capabilities.js';
export type { WorkflowRow, WorkflowTaskRow, WorkflowTemplateRow } from './workflow.tables.js';

// The enums' values, for the event catalog's shapes.
export const workflowKindValues = workflowKind.enumValues;
export const workflowUrgencyValues = workflowUrgency.enumValues;
export const workflowStartedViaValues = workflowStartedVia.enumValues;
export const workflowAssigneeGroupValues = workflowAssigneeGroup.enumValues;
