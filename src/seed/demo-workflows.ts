import type { CreateWorkflowTemplateInput, WorkflowTaskTemplateInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { Outcome } from '../shared/user-errors.js';
import { completeTask, createTemplate, startOnboarding, type TaskChangeResult } from '../workflows/workflow.service.js';

/*
 * Demo on- and offboarding: one company-wide template of each kind, with tasks that appear only
 * where they apply (technical teams, contractors, employees), written through the same domain
 * functions the API uses. The templates are loaded before the organisation's scheduled changes,
 * so the scheduled resignation starts its offboarding as it would in use; the people starting
 * soon are then onboarded, and a few tasks are already done.
 */

type DepartmentKey = 'EXE' | 'MSV' | 'SDK' | 'CIN' | 'SOC' | 'SAL' | 'PFN';

export interface DemoWorkflowTemplatesInput {
  ctx: RequestContext;
  departments: Record<DepartmentKey, string>;
}

function unwrap<T>(outcome: Outcome<T>, what: string): T {
  if (outcome.ok) return outcome.value;
  throw new Error(`Demo seed: ${what} was refused: ${outcome.errors.map((error) => `${error.code}: ${error.message}`).join('; ')}`);
}

function onboardingTasks(departments: Record<DepartmentKey, string>): WorkflowTaskTemplateInput[] {
  const technical = [departments.MSV, departments.SDK, departments.CIN, departments.SOC];
  return [
    { title: 'Create Microsoft 365 and Hub accounts', description: 'Mailbox, Hub identity and MFA enrolment, ready before the first day.', assigneeKind: 'IT', dueOffsetDays: -3 },
    {
      title: 'Prepare laptop and peripherals',
      description: 'Image the laptop with the standard build, docking station and headset.',
      assigneeKind: 'IT',
      dueOffsetDays: -2,
      conditions: { employmentTypes: ['FULL_TIME', 'PART_TIME', 'INTERN', 'TEMPORARY'] },
    },
    { title: 'Contractor agreement and NDA on file', assigneeKind: 'HR', dueOffsetDays: -2, conditions: { employmentTypes: ['CONTRACTOR'] } },
    { title: 'Order building access badge', assigneeKind: 'HR', dueOffsetDays: -2 },
    { title: 'Send welcome e-mail and first-day agenda', assigneeKind: 'MANAGER', dueOffsetDays: -1 },
    { title: 'Welcome meeting and team introductions', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
    {
      title: 'Grant PSA and ticketing access',
      description: 'Technician licence in PSA, queues of the team, remote-support tooling.',
      assigneeKind: 'IT',
      dueOffsetDays: 0,
      conditions: { departmentIds: technical },
    },
    { title: 'Acknowledge the code of conduct and acceptable-use policy', assigneeKind: 'EMPLOYEE', dueOffsetDays: 2 },
    { title: 'Acknowledge the information security policy', assigneeKind: 'EMPLOYEE', dueOffsetDays: 2 },
    { title: 'Payroll, pension and benefits enrolment', assigneeKind: 'HR', dueOffsetDays: 3, conditions: { employmentTypes: ['FULL_TIME', 'PART_TIME', 'INTERN', 'TEMPORARY'] } },
    { title: 'Shadow a senior technician on the service desk', assigneeKind: 'MANAGER', dueOffsetDays: 3, required: false, conditions: { departmentIds: [departments.SDK] } },
    { title: 'Complete security awareness training', assigneeKind: 'EMPLOYEE', dueOffsetDays: 5 },
    { title: 'Add to directory groups and distribution lists', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
    { title: 'First-week check-in', assigneeKind: 'MANAGER', dueOffsetDays: 5 },
    { title: '30-day check-in', assigneeKind: 'MANAGER', dueOffsetDays: 21, required: false },
  ];
}

function offboardingTasks(departments: Record<DepartmentKey, string>): WorkflowTaskTemplateInput[] {
  const technical = [departments.MSV, departments.SDK, departments.CIN, departments.SOC];
  return [
    { title: 'Knowledge transfer and handover plan', assigneeKind: 'MANAGER', dueOffsetDays: -10 },
    { title: 'Reassign open tickets and PSA work', assigneeKind: 'MANAGER', dueOffsetDays: -3, conditions: { departmentIds: technical } },
    { title: 'Remove from on-call rotations', assigneeKind: 'MANAGER', dueOffsetDays: -3, conditions: { departmentIds: [departments.MSV, departments.CIN, departments.SOC] } },
    { title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -3, required: false },
    { title: 'Return laptop, badge and equipment', assigneeKind: 'EMPLOYEE', dueOffsetDays: -1 },
    { title: 'Collect equipment and wipe devices', assigneeKind: 'IT', dueOffsetDays: 0 },
    { title: 'Final pay, accrued leave and benefits', assigneeKind: 'HR', dueOffsetDays: 0 },
    { title: 'Revoke access in Hub and every system', assigneeKind: 'SYSTEM', dueOffsetDays: 0 },
  ];
}

/** The company's onboarding and offboarding templates. */
export async function seedDemoWorkflowTemplates(input: DemoWorkflowTemplatesInput): Promise<void> {
  const templates: CreateWorkflowTemplateInput[] = [
    {
      kind: 'ONBOARDING',
      name: 'Company onboarding',
      description: 'Everyone joining The One Stack: accounts and equipment before the first day, policies and check-ins after.',
      tasks: onboardingTasks(input.departments),
    },
    {
      kind: 'OFFBOARDING',
      name: 'Company offboarding',
      description: 'Everyone leaving: handover, equipment, final pay, and access revoked once the last day has come.',
      tasks: offboardingTasks(input.departments),
    },
  ];
  for (const template of templates) unwrap(await createTemplate(input.ctx, template), `the ${template.name} template`);
}

/**
 * Onboarding for the people starting soon (hired before the templates were loaded); the first
 * one is under way, with the accounts created and the badge ordered.
 */
export async function seedDemoOnboardings(ctx: RequestContext, startingSoon: readonly string[]): Promise<number> {
  let started = 0;
  for (const [index, employeeId] of startingSoon.entries()) {
    const workflow = unwrap(await startOnboarding(ctx, { employeeId, reason: 'New hire' }), 'an onboarding');
    started += 1;
    if (index > 0) continue;
    const tasks = await ctx.loaders.workflows.tasks.load(workflow.id);
    for (const task of tasks.filter((candidate) => candidate.title.startsWith('Create Microsoft') || candidate.title.startsWith('Order building'))) {
      unwrap<TaskChangeResult>(await completeTask(ctx, { id: task.id, note: 'Done ahead of the start date.' }), 'a demo task');
    }
  }
  return started;
}
