// The auth domain's public surface for the other domains: who the caller is, how a change
// records them, the permission vocabulary with its evaluator, and the own-record check.

export { describeCaller, roles, type AuthenticatedCaller, type Caller, type Role, type ServiceName, type UserCaller } from './caller.js';
export {
  allowedNow,
  allowedOn,
  allows,
  assertAllowed,
  assertCallerAllowed,
  callerAllowed,
  forbidden,
  lineBelowCaller,
  relationTo,
  type Grant,
  type ImmediateRule,
  type Relation,
  type Rule,
  type RuleTable,
} from './permissions.js';
export { assertDirectoryAccess, assertNotOwnRecord, isOwnRecord, mayBrowseDirectory, unauthenticated } from './access.js';
export { serviceNames } from './caller.js';
// For the integration diagnostics: what the sign-in audit and the service-call counts say.
export {
  summarizeServiceCalls,
  type RefusedServiceCalls,
  type ServiceCall,
  type ServiceCallLog,
  type ServiceCallRefusal,
  type ServiceCallSummary,
} from './service-calls.js';
export { summarizeSignIns, type SignInSummary } from './sign-in-summary.js';
// For integration endpoints outside GraphQL (Legal's callback): who a request's headers name.
export { AuthenticationError, type Authenticator } from './authenticate.js';
// For flows that take People access away (an emergency offboarding): the person's sessions end with it.
export { endSessionsOfEmployeeIn, maxSessionsListed } from './session-management.js';
