import { allowedNow, callerAllowed } from '../auth/auth.service.js';
import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { timeOffAdminRules } from './admin/access.js';
import { timeOffRules } from './timeoff.access.js';

/** What the caller may do with time off, by the rules that decide it (see `Me.capabilities`). */
export function timeOffCapabilities(ctx: RequestContext): Capability[] {
  const { caller } = ctx;
  const capabilities: Capability[] = [];
  if (caller.kind === 'user' && caller.employeeId !== null && allowedNow(ctx, timeOffRules.request, caller.employeeId)) {
    capabilities.push('REQUEST_TIME_OFF');
  }
  if (callerAllowed(ctx, timeOffRules.adjustBalances)) capabilities.push('ADJUST_TIME_OFF_BALANCES');
  if (callerAllowed(ctx, timeOffAdminRules.administer)) capabilities.push('ADMINISTER_TIME_OFF');
  return capabilities;
}
