// The Defend domain's public surface: Defend's flows (an emergency offboarding behind a circuit
// breaker, insider-threat signals for HR) and HR's side of them. The workflow domain does the
// offboarding itself (startEmergencyOffboarding, addInsiderThreatReview).
export { triggerEmergencyOffboarding, listEmergencyRequests, decideEmergencyRequest } from './defend.emergency.js';
export { reportInsiderThreatSignal, signalsOfEmployee, type SignalReport } from './defend.signals.js';
export { defendRules } from './defend.access.js';
export type { InsiderThreatSignalRow, EmergencyOffboardingRequestRow } from './defend.tables.js';
