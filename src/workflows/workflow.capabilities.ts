import { callerAllowed } from '../auth/auth.service.js';
import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { workflowRules } from './workflow.access.js';

/** What the caller may do with on- and offboarding, by the rules that decide it (see `Me.capabilities`). */
export function workflowCapabilities(ctx: RequestContext): Capability[] {
  const capabilities: Capability[] = [];
  if (callerAllowed(ctx, workflowRules.run)) capabilities.push('RUN_WORKFLOWS');
  if (callerAllowed(ctx, workflowRules.writeTemplates)) capabilities.push('ADMINISTER_WORKFLOW_TEMPLATES');
  return capabilities;
}
