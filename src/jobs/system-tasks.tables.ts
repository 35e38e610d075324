import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * PENDING: waiting for its next try (`next_attempt_at`), possibly because something outside it is
 * missing (`waiting_reason`). RUNNING: claimed by a runner until `next_attempt_at` (its lease).
 * SUCCEEDED and FAILED: done (FAILED until an Admin re-drives it). CANCELLED: called off before it
 * ran, because the change that needed it was undone.
 */
export const systemTaskState = pgEnum('system_task_state', ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Side effects People runs itself (revoking Hub access, cancelling a leaver's time off…), written
 * in the same transaction as the change that needs them and run durably by the system-task runner
 * (`src/jobs/README.md`).
 *
 * - `payload` holds ids only (checked against the task catalog, `task-catalog.ts`); handlers read
 *   the rest (e-mail, Hub user id) when they run, so nothing personal is copied here.
 * - `idempotency_key` is unique: enqueueing the same key twice gives the task already there, and
 *   peers receive it as `Idempotency-Key`, the same on every attempt.
 * - `next_attempt_at` is when a PENDING task may run next, and when a RUNNING task's lease ends
 *   (a runner that died; another replica takes it over then). `claim_token` fences a claim: a
 *   runner that lost its lease cannot record its outcome over the new owner's.
 * - `attempts` counts runs (a run that only found its configuration missing gives its attempt
 *   back); `last_error` and `waiting_reason` are short texts without secrets or personal data.
 */
export const systemTasks = pgTable(
  'system_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Listing order and cursor: creation order, unique even for tasks created in one instant.
    sequence: bigserial('sequence', { mode: 'number' }).notNull().unique(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    state: systemTaskState('state').notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAfter: timestamp('run_after', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    claimToken: uuid('claim_token'),
    lastError: text('last_error'),
    waitingReason: text('waiting_reason'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** When the latest attempt started. */
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    /** When it became SUCCEEDED, FAILED or CANCELLED. */
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // The runner: unfinished tasks by when they are due (partial, so finished history costs nothing).
    index('system_tasks_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`state in ('PENDING', 'RUNNING')`),
    // Admin listing (newest first) by state, kind or subject.
    index('system_tasks_state_idx').on(t.state, t.sequence),
    index('system_tasks_kind_idx').on(t.kind, t.sequence),
    index('system_tasks_subject_idx').on(t.subject, t.sequence),
  ],
);

export type SystemTaskRow = typeof systemTasks.$inferSelect;
export type SystemTaskStateValue = (typeof systemTaskState.enumValues)[number];
