import type { Database } from '../db/database.js';

// Placeholder until the system-task machinery (branch wt-jobs) is merged: the proxy is a task of kind
// `legal.submit_acknowledgement`, enqueued in the transaction of the signature.
export async function enqueueSubmission(_tx: Database, _submission: { employeeId: string; acknowledgementId: string; submission: number }): Promise<string | null> {
  throw new Error('the acknowledgement proxy needs the system-task machinery');
}
