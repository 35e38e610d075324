import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/database.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { intervalOfMs } from '../shared/durable/sql.js';
import {
  defaultIdempotencyKey,
  isSystemTaskKind,
  systemTaskDefinition,
  type SystemTaskKind,
  type SystemTaskPayload,
  type SystemTaskSubject,
} from './task-catalog.js';
import { systemTasks, type SystemTaskRow, type SystemTaskStateValue } from './system-tasks.tables.js';

// SYSTEM tasks in the database: enqueueing (inside the caller's transaction), reading, Admin
// re-drive, cancellation, the /ready summary, and the claim/settle statements of the runner.
// SQL only; running handlers is runner.ts's job.

/** The NOTIFY channel the runner listens on; `enqueueSystemTask` notifies it (delivered on commit). */
export const systemTaskChannel = 'people_system_tasks';

/** States of a task that is not done: it still needs to run, is running, or waits for a re-drive. */
export const unfinishedStates: readonly SystemTaskStateValue[] = ['PENDING', 'RUNNING', 'FAILED'];

export type SystemTask = SystemTaskRow;

/** A task of the catalog, as `enqueueSystemTask` takes it. */
export interface NewSystemTask<K extends SystemTaskKind> {
  kind: K;
  /** `<kind>:<id>` with one of the kind's subject kinds, e.g. `employee:<uuid>`. */
  subject: SystemTaskSubject<K>;
  /** Ids and codes only; checked against the catalog. */
  payload: SystemTaskPayload<K>;
  /** Not run before this instant (e.g. the day after an employee's last day); default: now. */
  runAfter?: Date;
  /** Default: the catalog's key for the payload (e.g. `revoke-access:<workflowId>`), else the task's id. */
  idempotencyKey?: string;
  /** Default: the catalog's `maxAttempts`. */
  maxAttempts?: number;
}

export interface EnqueuedSystemTask {
  id: string;
  /** False when a task with this idempotency key was already there: that task is returned instead. */
  created: boolean;
  state: SystemTaskStateValue;
}

const subjectPattern = /^[A-Za-z0-9_.-]+:\S+$/;
const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;
/** Payloads hold ids; anything bigger is a caller putting a document where ids belong. */
export const maxPayloadBytes = 4_096;

/**
 * Records a SYSTEM task to run once `tx` commits, and returns its id: pass the transaction that
 * makes the change needing it (`writeTransaction(ctx, async (tx) => { …; await
 * enqueueSystemTask(tx, …) })`), so the task exists if and only if the change committed.
 *
 * Idempotent by key: when a task with the same idempotency key exists (whatever its state), it is
 * returned (`created: false`) and nothing is written. A key already used by another kind throws.
 * The payload is checked against the catalog (a mismatch throws and records nothing).
 */
export async function enqueueSystemTask<K extends SystemTaskKind>(db: Database, task: NewSystemTask<K>): Promise<EnqueuedSystemTask> {
  if (!isSystemTaskKind(task.kind)) throw new RangeError(`system task kind ${String(task.kind)} is not in the task catalog`);
  const definition = systemTaskDefinition(task.kind);
  const subjectKind = task.subject.slice(0, task.subject.indexOf(':'));
  if (task.subject.length > 200 || !subjectPattern.test(task.subject) || !definition.subjectKinds.includes(subjectKind)) {
    throw new RangeError(`the subject of ${task.kind} must be one of ${definition.subjectKinds.map((kind) => `${kind}:<id>`).join(', ')}`);
  }
  const checked = definition.payload.safeParse(task.payload);
  if (!checked.success) {
    // Paths and zod's messages only: they name fields and expected kinds, never the values.
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
    throw new TypeError(`the payload of ${task.kind} does not match the task catalog: ${problems.join('; ')}`);
  }
  const payload: Record<string, unknown> = checked.data;
  const json = JSON.stringify(payload);
  if (Buffer.byteLength(json, 'utf8') > maxPayloadBytes) throw new RangeError(`system task payload is larger than ${maxPayloadBytes} bytes`);
  const maxAttempts = task.maxAttempts ?? definition.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be a positive whole number');
  if (task.runAfter !== undefined && Number.isNaN(task.runAfter.getTime())) throw new RangeError('runAfter is not a valid date');
  const key = task.idempotencyKey ?? defaultIdempotencyKey(task.kind, payload);
  if (key !== null && !idempotencyKeyPattern.test(key)) {
    throw new RangeError('idempotencyKey must be 1 to 200 printable ASCII characters without spaces (it is sent as a header)');
  }
  const runAfter = task.runAfter?.toISOString() ?? null;

  const inserted = await queryRows<{ id: string; state: SystemTaskStateValue }>(
    db,
    sql`with inserted as (
      insert into ${systemTasks} (id, kind, subject, payload, idempotency_key, max_attempts, run_after, next_attempt_at)
      select new.id, ${task.kind}, ${task.subject}, ${json}::jsonb, coalesce(${key}, new.id::text), ${maxAttempts},
        coalesce(${runAfter}::timestamptz, now()), coalesce(${runAfter}::timestamptz, now())
      from (select gen_random_uuid() as id) as new
      on conflict (idempotency_key) do nothing
      returning id, state
    )
    select id::text as id, state::text as state, pg_notify(${systemTaskChannel}, '') from inserted`,
  );
  const created = inserted[0];
  if (created) return { id: created.id, created: true, state: created.state };
  if (key === null) throw new Error('insert into system_tasks returned no row');
  const existing = await findSystemTaskByIdempotencyKey(db, key);
  if (!existing) throw new Error('system task vanished between its insert and its read');
  if (existing.kind !== task.kind) {
    throw new RangeError(`the idempotency key is already used by a ${existing.kind} task`);
  }
  return { id: existing.id, created: false, state: existing.state };
}

// ---------------------------------------------------------------- reads

export async function findSystemTask(db: Database, id: string): Promise<SystemTask | null> {
  if (!isUuid(id.trim())) return null;
  const rows = await db.select().from(systemTasks).where(eq(systemTasks.id, normaliseId(id)));
  return rows[0] ?? null;
}

/** Tasks by id (any order; ids that name none are left out): one statement for a list's worth. */
export async function findSystemTasks(db: Database, ids: readonly string[]): Promise<SystemTask[]> {
  const wanted = ids.map((id) => id.trim()).filter(isUuid).map(normaliseId);
  if (wanted.length === 0) return [];
  return db.select().from(systemTasks).where(inArray(systemTasks.id, wanted));
}

/** The task with this idempotency key (e.g. `revoke-access:<workflowId>`), or null. */
export async function findSystemTaskByIdempotencyKey(db: Database, key: string): Promise<SystemTask | null> {
  const rows = await db.select().from(systemTasks).where(eq(systemTasks.idempotencyKey, key));
  return rows[0] ?? null;
}

/**
 * How a task is doing, as a workflow shows it (e.g. `accessRevocation { state attempts lastError
 * nextAttemptAt }`): `nextAttemptAt` only while PENDING (when RUNNING the column holds the lease).
 */
export interface SystemTaskProgress {
  taskId: string;
  kind: string;
  state: SystemTaskStateValue;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  /** Why a PENDING task cannot run yet (e.g. "HUB_API_URL is not set…"); null otherwise. */
  waitingReason: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
  result: Record<string, unknown> | null;
}

export function systemTaskProgress(task: SystemTask): SystemTaskProgress {
  return {
    taskId: task.id,
    kind: task.kind,
    state: task.state,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    lastError: task.lastError,
    waitingReason: task.state === 'PENDING' ? task.waitingReason : null,
    nextAttemptAt: task.state === 'PENDING' ? task.nextAttemptAt : null,
    createdAt: task.createdAt,
    finishedAt: task.finishedAt,
    result: task.result,
  };
}

export interface ListSystemTasksOptions {
  state?: SystemTaskStateValue;
  /** Only tasks not done: PENDING, RUNNING or FAILED. */
  unfinished?: boolean;
  kind?: string;
  subject?: string;
  /** Page size, 1–500. */
  first: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

export interface SystemTaskPage {
  /** Newest first. */
  tasks: SystemTask[];
  hasNextPage: boolean;
  /** Pass as `after` for the next (older) page; null on an empty page. */
  endCursor: string | null;
}

export const maxSystemTaskPageSize = 500;

/** Lists tasks NEWEST FIRST, optionally by state (or unfinished), kind and subject. Cursors are opaque. */
export async function listSystemTasks(db: Database, options: ListSystemTasksOptions): Promise<SystemTaskPage> {
  const { first } = options;
  if (!Number.isInteger(first) || first < 1 || first > maxSystemTaskPageSize) {
    throw new RangeError(`first must be a whole number from 1 to ${maxSystemTaskPageSize}`);
  }
  const after = options.after ? decodeCursor(options.after) : null;
  const rows = await db
    .select()
    .from(systemTasks)
    .where(
      and(
        options.state ? eq(systemTasks.state, options.state) : undefined,
        options.unfinished ? inArray(systemTasks.state, [...unfinishedStates]) : undefined,
        options.kind ? eq(systemTasks.kind, options.kind) : undefined,
        options.subject ? eq(systemTasks.subject, options.subject) : undefined,
        after !== null ? lt(systemTasks.sequence, after) : undefined,
      ),
    )
    .orderBy(desc(systemTasks.sequence))
    .limit(first + 1);
  const tasks = rows.slice(0, first);
  const last = tasks[tasks.length - 1];
  return { tasks, hasNextPage: rows.length > first, endCursor: last ? String(last.sequence) : null };
}

function decodeCursor(cursor: string): number {
  const value = /^\d{1,15}$/.test(cursor) ? Number(cursor) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new RangeError('after is not a cursor returned by systemTasks');
  return value;
}

// ---------------------------------------------------------------- admin and workflows

export type RedriveResult =
  | { ok: true; task: SystemTask }
  | { ok: false; reason: 'NOT_FOUND' }
  | { ok: false; reason: 'NOT_REDRIVABLE'; state: SystemTaskStateValue };

/**
 * Runs a task again as soon as a runner is free: a FAILED task goes back to PENDING with its
 * attempts reset to 0; a PENDING one (backing off, or waiting for configuration) becomes due now.
 * RUNNING, SUCCEEDED and CANCELLED tasks are not re-driven. The last error stays until the next
 * attempt replaces or clears it.
 */
export async function redriveSystemTask(db: Database, id: string): Promise<RedriveResult> {
  if (!isUuid(id.trim())) return { ok: false, reason: 'NOT_FOUND' };
  const taskId = normaliseId(id);
  const rows = await db
    .update(systemTasks)
    .set({
      state: 'PENDING',
      attempts: sql`case when ${systemTasks.state} = 'FAILED' then 0 else ${systemTasks.attempts} end`,
      nextAttemptAt: sql`now()`,
      finishedAt: null,
    })
    .where(and(eq(systemTasks.id, taskId), inArray(systemTasks.state, ['FAILED', 'PENDING'])))
    .returning();
  const task = rows[0];
  if (task) {
    await db.execute(sql`select pg_notify(${systemTaskChannel}, '')`);
    return { ok: true, task };
  }
  const existing = await findSystemTask(db, taskId);
  return existing ? { ok: false, reason: 'NOT_REDRIVABLE', state: existing.state } : { ok: false, reason: 'NOT_FOUND' };
}

export type CancelResult = { cancelled: true } | { cancelled: false; state: SystemTaskStateValue | null };

/**
 * Calls off a task that has not run to completion: PENDING or FAILED becomes CANCELLED, with
 * `reason` (a code in capitals, e.g. `OFFBOARDING_REVERSED`) in its result. A RUNNING task is not
 * cancelled (its effect may already have happened): `{ cancelled: false, state: 'RUNNING' }`, and
 * the caller undoes it another way (e.g. `hub.restore_access`, which waits for it to settle).
 * `state` is null when there is no such task. Use the transaction of the change that calls it off.
 */
export async function cancelSystemTask(db: Database, id: string, reason: string): Promise<CancelResult> {
  if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(reason)) throw new RangeError('reason must be a code in capitals, such as OFFBOARDING_REVERSED');
  if (!isUuid(id.trim())) return { cancelled: false, state: null };
  const taskId = normaliseId(id);
  const rows = await db
    .update(systemTasks)
    .set({
      state: 'CANCELLED',
      claimToken: null,
      waitingReason: null,
      finishedAt: sql`now()`,
      result: { cancelledBecause: reason },
    })
    .where(and(eq(systemTasks.id, taskId), inArray(systemTasks.state, ['PENDING', 'FAILED'])))
    .returning({ id: systemTasks.id });
  if (rows.length > 0) return { cancelled: true };
  const existing = await findSystemTask(db, taskId);
  return { cancelled: false, state: existing?.state ?? null };
}

// ---------------------------------------------------------------- /ready

export interface SystemTaskSummary {
  pending: number;
  running: number;
  failed: number;
  /** PENDING tasks that cannot run for a reason outside them (configuration), per kind and reason. */
  waiting: { kind: string; reason: string; count: number }[];
  /** When the oldest PENDING task was created; null when none is. */
  oldestPendingAt: Date | null;
  /** Unfinished tasks of kinds that must not go unnoticed (`visibleUntilDone`), oldest first, at most `unfinishedListLimit`. */
  unfinished: (SystemTaskProgress & { subject: string; payload: Record<string, unknown> })[];
  /** How many such tasks there are (more than `unfinished` holds when over the limit). */
  unfinishedCount: number;
  /** Unfinished tasks per kind and state (metrics, integration diagnostics). */
  byKind: { kind: string; state: SystemTaskStateValue; count: number }[];
}

export const unfinishedListLimit = 100;

/** Counts of unfinished tasks and the ones a person must see, for /ready (finished history is not read). */
export async function summarizeSystemTasks(db: Database): Promise<SystemTaskSummary> {
  const groups = await db
    .select({
      state: systemTasks.state,
      kind: systemTasks.kind,
      waitingReason: systemTasks.waitingReason,
      count: sql<number>`count(*)::int`.mapWith(Number),
      oldest: sql<Date | null>`min(${systemTasks.createdAt})`.mapWith(systemTasks.createdAt),
    })
    .from(systemTasks)
    .where(inArray(systemTasks.state, [...unfinishedStates]))
    .groupBy(systemTasks.state, systemTasks.kind, systemTasks.waitingReason);
  const summary: SystemTaskSummary = {
    pending: 0,
    running: 0,
    failed: 0,
    waiting: [],
    oldestPendingAt: null,
    unfinished: [],
    unfinishedCount: 0,
    byKind: [],
  };
  const mustBeSeen = new Set<string>();
  for (const group of groups) {
    const sameKindAndState = summary.byKind.find((entry) => entry.kind === group.kind && entry.state === group.state);
    if (sameKindAndState) sameKindAndState.count += group.count;
    else summary.byKind.push({ kind: group.kind, state: group.state, count: group.count });
    if (isSystemTaskKind(group.kind) && systemTaskDefinition(group.kind).visibleUntilDone) {
      mustBeSeen.add(group.kind);
      summary.unfinishedCount += group.count;
    }
    if (group.state === 'RUNNING') summary.running += group.count;
    if (group.state === 'FAILED') summary.failed += group.count;
    if (group.state !== 'PENDING') continue;
    summary.pending += group.count;
    if (group.oldest && (!summary.oldestPendingAt || group.oldest < summary.oldestPendingAt)) summary.oldestPendingAt = group.oldest;
    if (group.waitingReason !== null) summary.waiting.push({ kind: group.kind, reason: group.waitingReason, count: group.count });
  }
  if (mustBeSeen.size > 0) {
    const rows = await db
      .select()
      .from(systemTasks)
      .where(and(inArray(systemTasks.state, [...unfinishedStates]), inArray(systemTasks.kind, [...mustBeSeen])))
      .orderBy(asc(systemTasks.sequence))
      .limit(unfinishedListLimit);
    summary.unfinished = rows.map((task) => ({ ...systemTaskProgress(task), subject: task.subject, payload: task.payload }));
  }
  return summary;
}

// ---------------------------------------------------------------- runner statements

export interface ClaimedSystemTask extends SystemTask {
  claimToken: string;
  /** The DB's `now()` at the claim, as text: later claims of one drain pass it as `dueBy`. */
  claimedAt: string;
}

/**
 * Claims up to `limit` due tasks of `kinds`: in one short transaction, `SELECT … FOR UPDATE SKIP
 * LOCKED` picks PENDING tasks whose time has come and RUNNING ones whose lease ran out (their
 * runner died), and marks them RUNNING with a fresh `claim_token`, `attempts + 1` and a lease
 * (`next_attempt_at = now() + leaseMs`); then it commits and the caller runs them outside it.
 * Runners racing for a row skip it instead of waiting, so no task is claimed twice, and until the
 * lease ends no other runner sees it as due.
 *
 * `dueBy` (a previous claim's `claimedAt`) restricts one drain to what was due when it started,
 * so it ends even when retries are due again at once.
 */
export async function claimDueSystemTasks(
  db: Database,
  options: { kinds: readonly string[]; limit: number; leaseMs: number; dueBy?: string | null },
): Promise<ClaimedSystemTask[]> {
  if (options.kinds.length === 0) return [];
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: systemTasks.id, claimedAt: sql<string>`now()::text` })
      .from(systemTasks)
      .where(
        and(
          inArray(systemTasks.state, ['PENDING', 'RUNNING']),
          sql`${systemTasks.nextAttemptAt} <= now()`,
          options.dueBy ? sql`${systemTasks.nextAttemptAt} <= ${options.dueBy}::timestamptz` : undefined,
          inArray(systemTasks.kind, [...options.kinds]),
        ),
      )
      .orderBy(asc(systemTasks.nextAttemptAt), asc(systemTasks.sequence))
      .limit(options.limit)
      .for('update', { skipLocked: true });
    const claimedAt = due[0]?.claimedAt;
    if (claimedAt === undefined) return [];
    const claimed = await tx
      .update(systemTasks)
      .set({
        state: 'RUNNING',
        attempts: sql`${systemTasks.attempts} + 1`,
        claimToken: sql`gen_random_uuid()`,
        startedAt: sql`now()`,
        nextAttemptAt: sql`now() + ${intervalOfMs(options.leaseMs)}`,
      })
      .where(
        inArray(
          systemTasks.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
    return claimed
      .sort((a, b) => a.sequence - b.sequence)
      .flatMap((task) => (task.claimToken ? [{ ...task, claimToken: task.claimToken, claimedAt }] : []));
  });
}

/** How a run ended, as recorded. */
export type SystemTaskSettlement =
  | { state: 'SUCCEEDED'; result: Record<string, unknown> | null }
  | { state: 'FAILED'; error: string; result: Record<string, unknown> | null }
  /** Retry after `delayMs`; the attempt counts. */
  | { state: 'PENDING'; retry: { error: string; delayMs: number } }
  /** Could not run for a reason outside the task: try after `delayMs`, the attempt given back. */
  | { state: 'PENDING'; waiting: { reason: string; delayMs: number } };

const maxTextLength = 500;

function settlementValues(settlement: SystemTaskSettlement) {
  const released = { claimToken: null };
  switch (settlement.state) {
    case 'SUCCEEDED':
      return { ...released, state: 'SUCCEEDED' as const, result: settlement.result, lastError: null, waitingReason: null, finishedAt: sql`now()` };
    case 'FAILED':
      return {
        ...released,
        state: 'FAILED' as const,
        result: settlement.result,
        lastError: settlement.error.slice(0, maxTextLength),
        waitingReason: null,
        finishedAt: sql`now()`,
      };
    default:
      if ('retry' in settlement) {
        return {
          ...released,
          state: 'PENDING' as const,
          lastError: settlement.retry.error.slice(0, maxTextLength),
          waitingReason: null,
          nextAttemptAt: sql`now() + ${intervalOfMs(settlement.retry.delayMs)}`,
        };
      }
      return {
        ...released,
        state: 'PENDING' as const,
        attempts: sql`greatest(${systemTasks.attempts} - 1, 0)`,
        waitingReason: settlement.waiting.reason.slice(0, maxTextLength),
        nextAttemptAt: sql`now() + ${intervalOfMs(settlement.waiting.delayMs)}`,
      };
  }
}

/**
 * Records how a claimed run ended and, in the same transaction, `alsoInTransaction` (a handler's
 * events, say), so they commit together exactly once. Fenced on the claim: false, with nothing
 * written, when the lease was lost (another runner re-claimed the task).
 */
export async function settleSystemTask(
  db: Database,
  claim: Pick<ClaimedSystemTask, 'id' | 'claimToken'>,
  settlement: SystemTaskSettlement,
  alsoInTransaction?: (tx: Database) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(systemTasks)
      .set(settlementValues(settlement))
      .where(and(eq(systemTasks.id, claim.id), eq(systemTasks.claimToken, claim.claimToken), eq(systemTasks.state, 'RUNNING')))
      .returning({ id: systemTasks.id });
    if (rows.length === 0) return false;
    await alsoInTransaction?.(tx);
    return true;
  });
}

/** Milliseconds until the next task of `kinds` is due (negative: already due), or null when none is unfinished. */
export async function msUntilNextSystemTaskDue(db: Database, kinds: readonly string[]): Promise<number | null> {
  if (kinds.length === 0) return null;
  const rows = await db
    .select({ ms: sql<number | null>`(extract(epoch from (min(${systemTasks.nextAttemptAt}) - now())) * 1000)::float8` })
    .from(systemTasks)
    .where(and(inArray(systemTasks.state, ['PENDING', 'RUNNING']), inArray(systemTasks.kind, [...kinds])));
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Number(ms);
}

/**
 * Makes tasks that were waiting for configuration due now: called when a runner starts, since
 * configuration only changes with a restart (HUB_API_URL set at last runs them at once).
 */
export async function wakeWaitingSystemTasks(db: Database, kinds: readonly string[]): Promise<number> {
  if (kinds.length === 0) return 0;
  const rows = await db
    .update(systemTasks)
    .set({ nextAttemptAt: sql`now()` })
    .where(
      and(
        eq(systemTasks.state, 'PENDING'),
        sql`${systemTasks.waitingReason} is not null`,
        sql`${systemTasks.nextAttemptAt} > now()`,
        inArray(systemTasks.kind, [...kinds]),
      ),
    )
    .returning({ id: systemTasks.id });
  return rows.length;
}
