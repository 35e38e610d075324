import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { mayAdminister, mayReadCompliance } from './training.access.js';

/** What the caller may do with training, by the rules that decide it (see `Me.capabilities`). */
export function trainingCapabilities(ctx: RequestContext): Capability[] {
  const { caller } = ctx;
  const capabilities: Capability[] = [];
  // Their own training and self-enrollment: an employee record (the `self` grant) is all it takes.
  if (caller.kind === 'user' && caller.employeeId !== null) capabilities.push('ENROLL_IN_TRAINING');
  if (mayAdminister(ctx)) capabilities.push('ADMINISTER_TRAINING');
  if (mayReadCompliance(ctx)) capabilities.push('VIEW_TRAINING_COMPLIANCE');
  return capabilities;
}
