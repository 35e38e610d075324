import { allowedNow, callerAllowed } from '../auth/auth.service.js';
import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { certificationRules } from './certification.access.js';
import { mayMatch } from './qualification.js';

/** What the caller may do with certifications, by the rules that decide it (see `Me.capabilities`). */
export function certificationCapabilities(ctx: RequestContext): Capability[] {
  const { caller } = ctx;
  const capabilities: Capability[] = [];
  if (caller.kind === 'user' && caller.employeeId !== null && allowedNow(ctx, certificationRules.record, caller.employeeId)) {
    capabilities.push('RECORD_OWN_CERTIFICATIONS');
  }
  if (callerAllowed(ctx, certificationRules.report)) capabilities.push('VIEW_CERTIFICATION_REPORTS');
  if (callerAllowed(ctx, certificationRules.writeCatalog)) capabilities.push('ADMINISTER_CERTIFICATION_CATALOG');
  if (mayMatch(ctx)) capabilities.push('FIND_QUALIFIED_EMPLOYEES');
  return capabilities;
}
