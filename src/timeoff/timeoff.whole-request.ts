import type { RequestContext } from '../graphql/context.js';
import type { TimeOffRequestModel, TimeOffRequestRow } from './timeoff.tables.js';

/**
 * The whole row of a request: itself when it is one, else read through the request loader (one
 * statement for every summary of the response that needs it: its chain, reason or creation time).
 */
export async function wholeRequest(ctx: RequestContext, request: TimeOffRequestModel): Promise<TimeOffRequestRow> {
  if ('approvalChain' in request) return request;
  const row = await ctx.loaders.timeOff.request.load(request.id);
  // Only a request deleted since it was read (its employee removed) has no row.
  if (!row) throw new Error(`time-off request ${request.id} no longer exists`);
  return row;
}
