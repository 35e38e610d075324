import { GraphQLError } from 'graphql';
import { assertCallerAllowed, callerAllowed, type RuleTable } from '../auth/auth.service.js';
import type { Capability } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { userError, type Outcome } from '../shared/user-errors.js';
import { findEvent, listEvents, maxListPageSize, redriveDeadEvents, redriveEvent, type EventPage, type OutboxEvent } from './outbox.js';
import type { OutboxEventStateValue } from './outbox.tables.js';
import { pageSize } from '../shared/paging.js';

// What other domains use of events: recording one in the transaction of its change, typed by the catalog.
export { countBacklog as outboxBacklog, maxListPageSize, recordEvent, type OutboxBacklog } from './outbox.js';
export type { EventData, EventType } from './event-catalog.js';
export type { OutboxDispatcher } from './dispatcher.js';

// Admin access to the outbox: replay listing and re-drive of dead events.

const rules = {
  replay: ['ADMIN'],
} as const satisfies RuleTable;

/** What the caller may do with People's operations (see `Me.capabilities`): events, and system tasks by the same rule. */
export function systemCapabilities(ctx: RequestContext): Capability[] {
  return callerAllowed(ctx, rules.replay) ? ['ADMINISTER_SYSTEM'] : [];
}

function assertAdmin(ctx: RequestContext): void {
  assertCallerAllowed(ctx, rules.replay, 'Only an Admin may see and re-drive events.');
}

export async function listOutboxEvents(
  ctx: RequestContext,
  args: { state?: OutboxEventStateValue | null; type?: string | null; subject?: string | null; first?: number | null; after?: string | null },
): Promise<EventPage> {
  assertAdmin(ctx);
  const first = pageSize(args.first, { fallback: 50, min: 1, max: maxListPageSize });
  try {
    return await listEvents(ctx.db, {
      first,
      ...(args.state ? { state: args.state } : {}),
      ...(args.type ? { type: args.type } : {}),
      ...(args.subject ? { subject: args.subject } : {}),
      after: args.after ?? null,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

export async function redriveOutboxEvent(ctx: RequestContext, id: string): Promise<Outcome<OutboxEvent>> {
  assertAdmin(ctx);
  const field = ['id'];
  if (!(await redriveEvent(ctx.db, id))) {
    const existing = await findEvent(ctx.db, id);
    return {
      ok: false,
      errors: [
        existing
          ? userError('EVENT_NOT_DEAD', field, `The event is ${existing.state}; only dead events are re-driven.`)
          : userError('EVENT_NOT_FOUND', field, `No event has the id "${id}".`),
      ],
    };
  }
  const event = await findEvent(ctx.db, id);
  if (!event) throw new Error(`event ${id} vanished after its re-drive`);
  ctx.logger.info({ eventId: event.id, type: event.type }, 'dead event re-driven');
  return { ok: true, value: event };
}

export async function redriveAllDead(ctx: RequestContext, type?: string | null): Promise<number> {
  assertAdmin(ctx);
  const count = await redriveDeadEvents(ctx.db, type ? { type } : {});
  ctx.logger.info({ count, type: type ?? null }, 'dead events re-driven');
  return count;
}
