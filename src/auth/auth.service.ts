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
