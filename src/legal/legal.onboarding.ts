import type { Database } from '../db/database.js';
import { findHireDate, lockEmployee } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { completeTasksOfKind, employeesWaitingOn } from '../workflows/workflow.service.js';
import { readRequirements } from './legal.requirements.js';

// Onboarding's "acknowledge policies" tasks (kind ACKNOWLEDGE_POLICIES) complete by themselves
// once every policy that applies to the new hire is acknowledged: in the transaction that records
// an ACKNOWLEDGED status (Legal's callback or the sync), and after each sync for everyone still
// waiting (a policy Legal withdrew, a status that came while the task was not there yet).

/** Who completes them, in the workflow's history. */
export const legalActor = 'system:legal';

const completionNote = 'Done by People: every policy that applies to the employee is acknowledged in Legal.';

/** When a moment is, for what it records: the business day and the instant. */
export interface Moment {
  today: CalendarDate;
  now: Date;
}

/** The day an employee's policies are counted on: today, or their start date when later (a new hire acknowledges before day one). */
async function countingDay(db: Database, employeeId: string, today: CalendarDate): Promise<CalendarDate> {
  const hireDate = await findHireDate(db, employeeId);
  return hireDate !== null && hireDate > today ? hireDate : today;
}

/** How far an employee is with the active policies that apply to them (on their start date when it is still to come). */
export async function policyProgress(db: Database, employeeId: string, today: CalendarDate): Promise<{ required: number; acknowledged: number }> {
  const { requirements } = await readRequirements(db, await countingDay(db, employeeId, today), [employeeId]);
  return { required: requirements.length, acknowledged: requirements.filter((requirement) => requirement.status === 'ACKNOWLEDGED').length };
}

/** Whether every active policy that applies to the employee is acknowledged (true when none applies). */
export async function everyRequiredPolicyAcknowledged(db: Database, employeeId: string, today: CalendarDate): Promise<boolean> {
  const progress = await policyProgress(db, employeeId, today);
  return progress.acknowledged === progress.required;
}

/**
 * Inside the transaction that records an acknowledgement as ACKNOWLEDGED (the employee's row
 * locked): completes their ACKNOWLEDGE_POLICIES tasks once nothing is left to acknowledge.
 * Answers how many tasks it completed.
 */
export async function onPolicyAcknowledged(tx: Database, employeeId: string, when: Moment): Promise<number> {
  if (!(await everyRequiredPolicyAcknowledged(tx, employeeId, when.today))) return 0;
  return completeTasksOfKind(tx, employeeId, 'ACKNOWLEDGE_POLICIES', { recordedBy: legalActor, today: when.today, now: when.now, note: completionNote });
}

/** After a sync: the same for everyone with such a task still open, one transaction each. Answers how many tasks it completed. */
export async function completeWaitingPolicyTasks(db: Database, when: Moment): Promise<number> {
  let completed = 0;
  for (const employeeId of await employeesWaitingOn(db, 'ACKNOWLEDGE_POLICIES')) {
    completed += await db.transaction(async (tx) => ((await lockEmployee(tx, employeeId)) ? onPolicyAcknowledged(tx, employeeId, when) : 0));
  }
  return completed;
}
