// The Legal integration's public surface: compliance reads, the signing flow, and what the server
// wires at start (the connection to Legal, its sync and its callback).
export { acknowledgementsOf, employeeOfRequirement, legalConnection, submissionOf, pendingEmployees, pendingSignaturesOf, policyCompliance } from './legal.compliance.js';
export { acknowledgePolicy, policyToSign } from './legal.signing.js';
export { unmatchedAudienceNames } from './legal.audience.js';
export { createLegalIntegration, legalNotConfigured, notConfiguredMessage, type LegalIntegration } from './legal.integration.js';
export { createLegalSync, legalOutboundStatus, type LegalSync, type SyncResult } from './legal.sync.js';
export { createLegalCallbackRouter, legalCallbackPath } from './legal.callback.js';
export { createLegalTaskHandlers } from './legal.submission.js';
// For onboarding workflows: whether a new hire has acknowledged every policy that applies to them.
export { everyRequiredPolicyAcknowledged, policyProgress } from './legal.onboarding.js';
