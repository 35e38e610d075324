import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { readRequirements } from './legal.requirements.js';

// Onboarding's "acknowledge policies" task completes by itself when every policy that applies to
// the new hire is acknowledged. Legal calls `onPolicyAcknowledged` in the transaction that records
// an acknowledgement as ACKNOWLEDGED (Legal's callback or the sync), whoever signed it and wherever.

/** How far an employee is with the active policies that apply to them today. */
export async function policyProgress(db: Database, employeeId: string, today: CalendarDate): Promise<{ required: number; acknowledged: number }> {
  const { requirements } = await readRequirements(db, today, [employeeId]);
  return { required: requirements.length, acknowledged: requirements.filter((requirement) => requirement.status === 'ACKNOWLEDGED').length };
}

/** Whether every active policy that applies to the employee today is acknowledged (true when none applies). */
export async function everyRequiredPolicyAcknowledged(db: Database, employeeId: string, today: CalendarDate): Promise<boolean> {
  const progress = await policyProgress(db, employeeId, today);
  return progress.acknowledged === progress.required;
}

/**
 * The hook: runs inside the transaction recording an ACKNOWLEDGED status. When onboarding
 * workflows exist, this is where their "acknowledge policies" task is completed once
 * `everyRequiredPolicyAcknowledged` holds (see README, "Legal: onboarding").
 */
export async function onPolicyAcknowledged(_tx: Database, _employeeId: string, _today: CalendarDate): Promise<void> {
  // No onboarding workflows yet: nothing to complete.
}
