import { GraphQLError } from 'graphql';
import { forbidden, unauthenticated } from '../auth/access.js';
import { hasRole } from '../auth/caller.js';
import type { RequestContext } from '../graphql/context.js';
import { userError, type Outcome } from '../shared/user-errors.js';
import { listSystemTasks, maxSystemTaskPageSize, redriveSystemTask, type SystemTask, type SystemTaskPage } from './system-tasks.js';
import type { SystemTaskStateValue } from './system-tasks.tables.js';

// Admin access to SYSTEM tasks: listing with their state, and re-drive.

function assertAdmin(ctx: RequestContext): void {
  if (ctx.caller.kind === 'anonymous') throw unauthenticated();
  if (ctx.caller.kind === 'system') return;
  if (!hasRole(ctx.caller, 'ADMIN')) throw forbidden('Only an Admin may see and re-drive system tasks.');
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
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > maxSystemTaskPageSize) {
    throw new GraphQLError(`\`first\` must be between 1 and ${maxSystemTaskPageSize}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
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
