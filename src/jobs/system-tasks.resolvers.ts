import type { Resolvers } from '../generated/graphql.js';
import * as tasks from './jobs.service.js';

export const systemTaskResolvers: Resolvers = {
  Query: {
    systemTasks: async (_root, args, ctx) => {
      const page = await tasks.listTasks(ctx, args);
      return {
        nodes: page.tasks,
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: null, endCursor: page.endCursor },
      };
    },
  },
  Mutation: {
    redriveSystemTask: async (_root, { id }, ctx) => {
      const outcome = await tasks.redriveTask(ctx, id);
      return outcome.ok ? { task: outcome.value, userErrors: [] } : { task: null, userErrors: outcome.errors };
    },
  },
  SystemTask: {
    payload: (task) => JSON.stringify(task.payload),
    result: (task) => (task.result === null ? null : JSON.stringify(task.result)),
    nextAttemptAt: (task) => (task.state === 'PENDING' ? task.nextAttemptAt : null),
    waitingReason: (task) => (task.state === 'PENDING' ? task.waitingReason : null),
  },
};
