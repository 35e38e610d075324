import { describeCaller } from '../auth/auth.service.js';
import { findEmployeesByIds, terminalStatuses, type EmploymentListener } from '../employees/employee.service.js';
import { workingDaysFrom } from '../timeoff/timeoff.service.js';
import { cancelActiveWorkflow } from './workflow.cancel.js';
import { createWorkflow, jobOf } from './workflow.start.js';
import * as store from './workflow.store.js';
import { pickTemplate } from './workflow.templates.js';

// Hires start onboarding and leavers offboarding, in the transaction that records them: the
// employee domain tells its listeners (ctx.employmentListeners, wired in graphql/request-context.ts).
// A corrected hire date moves the onboarding anchored on it, with its open tasks' due dates.

/**
 * Hires start onboarding, leavers offboarding, in the transaction that records them, when an
 * active template matches the employee; with none, nothing starts (and nothing fails).
 */
export const workflowEmploymentListener: EmploymentListener = {
  async employeeCreated(tx, ctx, created) {
    // Templates first: without any (a new installation, most tests) a hire costs one statement more.
    const templates = await store.findActiveTemplates(tx, 'ONBOARDING');
    if (templates.length === 0) return;
    const [employee] = await findEmployeesByIds(tx, [created.employeeId], created.hireDate);
    const template = employee ? pickTemplate(templates, jobOf(employee)) : null;
    if (!employee || !template) return;
    await createWorkflow(tx, ctx, {
      kind: 'ONBOARDING',
      employee,
      anchorDay: created.hireDate,
      urgency: 'STANDARD',
      startedVia: 'HIRE',
      template,
      reason: null,
      employeeField: ['input', 'email'],
    });
  },

  /**
   * The hire date moved: an onboarding under way anchored on the old one moves to the new one, and
   * each open task falls due its own number of working days from it (at the employee's location
   * then), as if the workflow had started with the right date. Done and skipped tasks stay as they
   * were; one history row says what moved.
   */
  async hireDateCorrected(tx, ctx, { employeeId, previousHireDate, hireDate }) {
    const workflow = await store.lockActiveWorkflow(tx, employeeId, 'ONBOARDING');
    if (!workflow || workflow.anchorDay !== previousHireDate) return;
    const [employee] = await findEmployeesByIds(tx, [employeeId], hireDate);
    const open = (await store.findTasksOfWorkflows(tx, [workflow.id])).filter((task) => task.state === 'OPEN');
    const dueDates = await workingDaysFrom(tx, employee?.job?.locationId ?? null, hireDate, open.map((task) => task.dueOffsetDays));
    for (const task of open) {
      const dueDate = dueDates.get(task.dueOffsetDays);
      if (dueDate && dueDate !== task.dueDate) await store.updateTask(tx, task.id, { dueDate });
    }
    await store.updateWorkflow(tx, workflow.id, { anchorDay: hireDate });
    await store.insertHistory(tx, [
      {
        workflowId: workflow.id,
        kind: 'RESCHEDULED',
        taskId: null,
        recordedBy: describeCaller(ctx.caller),
        note: `The hire date was corrected: ${open.length} open task(s) fall due from the new start.`,
        changes: [{ field: 'anchorDay', before: previousHireDate, after: hireDate }],
      },
    ]);
  },

  /** A change to TERMINATED or RESIGNED made another way than startOffboarding: no leaver skips offboarding. */
  async statusChangeRecorded(tx, ctx, change) {
    const leaving = change.status === 'TERMINATED' || change.status === 'RESIGNED' ? change.status : null;
    if (!leaving || (change.previousStatus !== null && terminalStatuses.includes(change.previousStatus))) return;
    // One under way already covers this leaver (its own status change may be another day).
    if (await store.lockActiveWorkflow(tx, change.employeeId, 'OFFBOARDING')) return;
    const templates = await store.findActiveTemplates(tx, 'OFFBOARDING');
    if (templates.length === 0) return;
    const [employee] = await findEmployeesByIds(tx, [change.employeeId], change.effectiveDate);
    const template = employee ? pickTemplate(templates, jobOf(employee)) : null;
    if (!employee || !template) return;
    await cancelActiveWorkflow(tx, ctx, employee.id, 'ONBOARDING', 'An offboarding started.');
    await createWorkflow(tx, ctx, {
      kind: 'OFFBOARDING',
      employee,
      anchorDay: change.effectiveDate,
      urgency: 'STANDARD',
      startedVia: 'STATUS_CHANGE',
      template,
      reason: change.reason,
      leavingStatus: leaving,
      statusChangeId: change.changeId,
      employeeField: ['input', 'id'],
    });
  },
};
