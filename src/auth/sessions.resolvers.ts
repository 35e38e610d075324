import type { Resolvers } from '../generated/graphql.js';
import type { Outcome } from '../shared/user-errors.js';
import * as sessions from './session-management.js';
import type { UserSessionRow } from './sessions.tables.js';

// Thin: People sessions, listed and ended; the rules live in session-management.ts.

/** A failed call ends nothing: `ended` is empty then, never null. */
const endedPayload = (outcome: Outcome<UserSessionRow[]>) =>
  outcome.ok ? { ended: outcome.value, userErrors: [] } : { ended: [], userErrors: outcome.errors };

export const sessionResolvers: Resolvers = {
  Query: {
    sessionsOf: (_root, args, ctx) => sessions.sessionsOf(ctx, args),
  },
  Mutation: {
    endSession: async (_root, { id }, ctx) => endedPayload(await sessions.endOneSession(ctx, id)),
    endSessionsOf: async (_root, { input }, ctx) => endedPayload(await sessions.endSessionsOfPerson(ctx, input)),
  },
  Me: {
    sessions: (_me, args, ctx) => sessions.ownSessions(ctx, args),
  },
  Session: {
    current: (session, _args, ctx) => ctx.caller.kind === 'user' && ctx.caller.sessionId === session.id,
  },
};
