import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { mayManageCycles, mayReadCycles } from './review.access.js';

/** What the caller may do with reviews, by the rules that decide it (see `Me.capabilities`). */
export function reviewCapabilities(ctx: RequestContext): Capability[] {
  const { caller } = ctx;
  const capabilities: Capability[] = [];
  // Their own history and self reviews: an employee record (the `self` grant) is all it takes.
  if (caller.kind === 'user' && caller.employeeId !== null) capabilities.push('VIEW_OWN_REVIEWS');
  if (mayReadCycles(ctx)) capabilities.push('VIEW_REVIEW_CYCLES');
  if (mayManageCycles(ctx)) capabilities.push('MANAGE_REVIEW_CYCLES');
  return capabilities;
}
