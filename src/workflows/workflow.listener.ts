import { findEmployeesByIds, terminalStatuses, type EmploymentListener } from '../employees/employee.service.js';
import { cancelActiveWorkflow } from './workflow.cancel.js';
import { createWorkflow, jobOf } from './workflow.start.js';
import * as store from './workflow.store.js';
import { pickTemplate } from './workflow.templates.js';

// Hires start onboarding and leavers offboarding, in the transaction that records them: the
// employee domain tells its listeners (ctx.employmentListeners, wired in graphql/request-context.ts).

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
