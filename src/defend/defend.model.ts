import type { UserError } from '../shared/user-errors.js';
import type { EmergencyRequestStateValue } from './defend.tables.js';

/** What triggerEmergencyOffboarding answers before GraphQL resolves the workflow (by id, in Defend's view). */
export interface EmergencyTriggerModel {
  requestId: string | null;
  state: EmergencyRequestStateValue | null;
  held: boolean;
  duplicate: boolean;
  workflowId: string | null;
  userErrors: UserError[];
}
