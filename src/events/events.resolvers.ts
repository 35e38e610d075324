import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as events from './events.service.js';

const toGraphQLState = { pending: 'PENDING', delivered: 'DELIVERED', dead: 'DEAD' } as const;
const fromGraphQLState = { PENDING: 'pending', DELIVERED: 'delivered', DEAD: 'dead' } as const;

export const eventResolvers: Resolvers = {
  Query: {
    outboxEvents: async (_root, args, ctx) => {
      const page = await events.listOutboxEvents(ctx, { ...args, state: args.state ? fromGraphQLState[args.state] : null });
      return {
        nodes: page.events,
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: null, endCursor: page.endCursor },
      };
    },
  },
  Mutation: {
    redriveOutboxEvent: async (_root, { id }, ctx) => toPayload('event', await events.redriveOutboxEvent(ctx, id)),
    redriveDeadOutboxEvents: (_root, { type }, ctx) => events.redriveAllDead(ctx, type),
  },
  OutboxEvent: {
    data: (event) => JSON.stringify(event.data),
    state: (event) => toGraphQLState[event.state],
  },
};
