import { GraphQLError } from 'graphql';
import { assertCallerAllowed, type RuleTable } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';
import { userError, type Outcome } from '../shared/user-errors.js';
import { listSystemTasks, maxSystemTaskPageSize, redriveSystemTask, type SystemTask, type SystemTaskPage } from './system-tasks.js';
import type { SystemTaskStateValue } from './system-tasks.tables.js';
import { pageSize } from '../shared/paging.js';

// The jobs domain's public surface: SYSTEM tasks (durable side effects People runs itself) for
// other domains (enqueue in the transaction of the change, read progress, cancel), the runner
// for main.ts, and Admin access (listing with their state, and re-drive).

export {
  cancelSystemTask,
  enqueueSystemTask,
  findSystemTask,
  findSystemTasks,
  findSystemTaskByIdempotencyKey,
  listSystemTasks,
  maxSystemTaskPageSize,
  summarizeSystemTasks,
  systemTaskChannel,
  systemTaskProgress,
  type SystemTask,
  type SystemTaskProgress,
  type SystemTaskSummary,
} from './system-tasks.js';
export {
  createSystemTaskRunner,
  type RunningSystemTask,
  type SystemTaskFailure,
  type SystemTaskHandler,
  type SystemTaskHandlers,
  type SystemTaskOutcome,
  type SystemTaskRunner,
} from './runner.js';
export { defaultIdempotencyKey, type SystemTaskKind } from './task-catalog.js';

const systemTaskRules = {
  administer: ['ADMIN'],
} as const satisfies RuleTable;

function assertAdmin(ctx: RequestContext): void {
  assertCallerAllowed(ctx, systemTaskRules.administer, 'Only an Admin may see and re-drive system tasks.');
}

export async function listTasks(
  ctx: RequestContext,
  args: {
    state?: SystemTaskStateValue | null;
    unfinished?: boolean | null;
    kind?: string | null;
    subject?: string | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<SystemTaskPage> {
  assertAdmin(ctx);
  const first = pageSize(args.first, { fallback: 50, min: 1, max: maxSystemTaskPageSize });
  try {
    return await listSystemTasks(ctx.db, {
      first,
      ...(args.state ? { state: args.state } : {}),
      ...(args.unfinished ? { unfinished: true } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.subject ? { subject: args.subject } : {}),
      after: args.after ?? null,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

export async function redriveTask(ctx: RequestContext, id: string): Promise<Outcome<SystemTask>> {
  assertAdmin(ctx);
  const field = ['id'];
  const redriven = await redriveSystemTask(ctx.db, id);
  if (!redriven.ok) {
    return {
      ok: false,
      errors: [
        redriven.reason === 'NOT_FOUND'
          ? userError('SYSTEM_TASK_NOT_FOUND', field, `No system task has the id "${id}".`)
          : userError(
              'CONFLICT',
              field,
              `The task is ${redriven.state}; only FAILED tasks (run again from attempt 1) and PENDING ones (run now) are re-driven.`,
            ),
      ],
    };
  }
  ctx.logger.info({ taskId: redriven.task.id, kind: redriven.task.kind }, 'system task re-driven');
  return { ok: true, value: redriven.task };
}
