import type { RuleTable } from '../auth/auth.service.js';

// Who may do what with Defend's flows: the README's Defend rows, as data.

export const defendRules = {
  /** triggerEmergencyOffboarding, reportInsiderThreatSignal: Defend's key only. */
  flows: ['service:DEFEND'],
  /**
   * `Employee.insiderThreatSignals`: Admins and HR Managers, never about themselves. Not HR Staff,
   * managers, viewers, the employee, PSA, Legal, nor Defend (which has its own alerts): a signal
   * is an accusation, seen by as few as can act on it.
   */
  readSignals: ['ADMIN', 'HR_MANAGER'],
  /** `emergencyOffboardingRequests`, confirming and declining held ones (never one's own). */
  emergencyRequests: ['ADMIN', 'HR_MANAGER'],
} as const satisfies RuleTable;
