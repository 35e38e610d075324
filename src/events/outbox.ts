import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../db/database.js';
import { intervalOfMs as interval } from '../shared/durable/sql.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { eventDefinition, isEventType, type EventData, type EventSubject, type EventType } from './event-catalog.js';
import { outboxEvents, type OutboxEventRow, type OutboxEventStateValue } from './outbox.tables.js';

// The transactional outbox: recording (inside the caller's transaction), admin listing and
// re-drive, and the claim/settle statements the dispatcher uses. SQL only; no HTTP here.

/** The NOTIFY channel the dispatcher listens on; `recordEvent` notifies it (delivered on commit). */
export const outboxChannel = 'people_outbox';

/** An event of the catalog (`event-catalog.ts`), as `recordEvent` takes it. */
export interface CatalogEvent<T extends EventType> {
  type: T;
  /** `<kind>:<id>` with one of the type's subject kinds; delivery order is kept per subject. */
  subject: EventSubject<T>;
  /** The type's data shape; checked against the catalog when recorded. */
  data: EventData<T>;
  /** When the change happened; default: the transaction's `now()`. */
  occurredAt?: Date;
  /** Not delivered before this instant; default: now. */
  deliverAfter?: Date;
}

/** An outbox row to insert, whatever its type: what `insertOutboxEvent` takes. */
export interface NewEvent {
  /** Dotted event name, e.g. `employee.hired` (lower case, digits, `_` and `.`). */
  type: string;
  /** `<kind>:<id>`, e.g. `employee:<uuid>`; delivery order is kept per subject. */
  subject: string;
  /** Thin and free of personal data and secrets: see `event-catalog.ts`. */
  data: Record<string, unknown>;
  /** When the change happened; default: the transaction's `now()`. */
  occurredAt?: Date;
  /** Not delivered before this instant; default: now. */
  deliverAfter?: Date;
  /** Version of `data`'s shape for this type; default 1. */
  schemaVersion?: number;
}

const typePattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const subjectPattern = /^[A-Za-z0-9_.-]+:\S+$/;
/** Events are thin; anything bigger is a caller putting a document where ids belong. */
export const maxEventDataBytes = 16_384;

function validate(event: NewEvent): string {
  if (event.type.length > 100 || !typePattern.test(event.type)) {
    throw new RangeError(`event type must match ${typePattern.source} (at most 100 characters)`);
  }
  if (event.subject.length > 200 || !subjectPattern.test(event.subject)) {
    throw new RangeError('event subject must look like `<kind>:<id>` (at most 200 characters, no spaces)');
  }
  const version = event.schemaVersion ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new RangeError('event schemaVersion must be a positive integer');
  for (const [name, value] of [
    ['occurredAt', event.occurredAt],
    ['deliverAfter', event.deliverAfter],
  ] as const) {
    if (value !== undefined && Number.isNaN(value.getTime())) throw new RangeError(`event ${name} is not a valid date`);
  }
  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new TypeError('event data must be a JSON object');
  }
  const json = JSON.stringify(event.data);
  if (Buffer.byteLength(json, 'utf8') > maxEventDataBytes) {
    throw new RangeError(`event data is larger than ${maxEventDataBytes} bytes; events carry ids, not documents`);
  }
  return json;
}

/**
 * Records an event of the catalog in the outbox and returns its id: `data` is checked against
 * the type's shape (a mismatch throws and records nothing) and `schemaVersion` is the catalog's.
 * Pass the transaction that makes the change (`db.transaction(async (tx) => { …; await
 * recordEvent(tx, …) })`): the event then commits or rolls back with it. One statement, which also `pg_notify`s the dispatcher; PostgreSQL delivers
 * the notification only when the transaction commits (and drops it on rollback).
 *
 * Order per subject is recording order (`sequence`). Transactions that record events for the
 * same subject must be serialised by the caller (the employee mutations lock the employee row
 * first), or their order is whichever inserts first.
 */
export async function recordEvent<T extends EventType>(db: Database, event: CatalogEvent<T>): Promise<string> {
  // Types keep callers to the catalog; these checks hold the line for values the types cannot see.
  if (!isEventType(event.type)) throw new RangeError(`event type ${String(event.type)} is not in the event catalog`);
  const definition = eventDefinition(event.type);
  const kind = event.subject.slice(0, event.subject.indexOf(':'));
  if (!definition.subjectKinds.includes(kind)) {
    throw new RangeError(`the subject of ${event.type} must be one of ${definition.subjectKinds.map((k) => `${k}:<id>`).join(', ')}`);
  }
  const checked = definition.data.safeParse(event.data);
  if (!checked.success) {
    // Paths and zod's messages only: they name fields and expected kinds, never the values.
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`);
    throw new TypeError(`event data of ${event.type} does not match the catalog: ${problems.join('; ')}`);
  }
  return insertOutboxEvent(db, { ...event, schemaVersion: definition.schemaVersion });
}

/**
 * Inserts an outbox row of any type: the catalog-free step under `recordEvent`. Product code
 * records through `recordEvent`, so every event is in the catalog; this is for the outbox's own
 * tests, which exercise the machinery with types and versions of their choosing.
 */
export async function insertOutboxEvent(db: Database, event: NewEvent): Promise<string> {
  const json = validate(event);
  const occurredAt = event.occurredAt?.toISOString() ?? null;
  const deliverAfter = event.deliverAfter?.toISOString() ?? null;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with inserted as (
      insert into ${outboxEvents} (type, subject, data, schema_version, occurred_at, deliver_after, next_attempt_at)
      values (${event.type}, ${event.subject}, ${json}::jsonb, ${event.schemaVersion ?? 1},
        coalesce(${occurredAt}::timestamptz, now()),
        coalesce(${deliverAfter}::timestamptz, now()),
        coalesce(${deliverAfter}::timestamptz, now()))
      returning id
    )
    select id::text as id, pg_notify(${outboxChannel}, '') from inserted`,
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('insert into outbox_events returned no row');
  return id;
}

// ---------------------------------------------------------------- admin

export type OutboxEvent = OutboxEventRow;

export interface ListEventsOptions {
  state?: OutboxEventStateValue;
  type?: string;
  subject?: string;
  /** Page size, 1–500. */
  first: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

export interface EventPage {
  /** Newest recorded first (by `sequence`, descending). */
  events: OutboxEvent[];
  hasNextPage: boolean;
  /** Pass as `after` for the next (older) page; null on an empty page. */
  endCursor: string | null;
}

export const maxListPageSize = 500;

/**
 * Lists outbox events for replay and troubleshooting, NEWEST FIRST (descending `sequence`),
 * optionally filtered by state, type and subject. Cursors are opaque strings.
 */
export async function listEvents(db: Database, options: ListEventsOptions): Promise<EventPage> {
  const { first } = options;
  if (!Number.isInteger(first) || first < 1 || first > maxListPageSize) {
    throw new RangeError(`first must be a whole number from 1 to ${maxListPageSize}`);
  }
  const after = options.after ? decodeListCursor(options.after) : null;
  const conditions: (SQL | undefined)[] = [
    options.state ? eq(outboxEvents.state, options.state) : undefined,
    options.type ? eq(outboxEvents.type, options.type) : undefined,
    options.subject ? eq(outboxEvents.subject, options.subject) : undefined,
    after !== null ? lt(outboxEvents.sequence, after) : undefined,
  ];
  const rows = await db
    .select()
    .from(outboxEvents)
    .where(and(...conditions))
    .orderBy(desc(outboxEvents.sequence))
    .limit(first + 1);
  const events = rows.slice(0, first);
  const last = events[events.length - 1];
  return { events, hasNextPage: rows.length > first, endCursor: last ? String(last.sequence) : null };
}

function decodeListCursor(cursor: string): number {
  const value = /^\d{1,15}$/.test(cursor) ? Number(cursor) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new RangeError('after is not a cursor returned by listEvents');
  return value;
}

export async function findEvent(db: Database, id: string): Promise<OutboxEvent | null> {
  if (!isUuid(id.trim())) return null;
  const rows = await db.select().from(outboxEvents).where(eq(outboxEvents.id, normaliseId(id)));
  return rows[0] ?? null;
}

/**
 * Moves a dead event back to pending, attempts reset to 0, due now. False when there is no such
 * event or it is not dead. A re-driven event takes its old place in its subject's order: it holds
 * back that subject's events still pending, not ones already delivered.
 */
export async function redriveEvent(db: Database, id: string): Promise<boolean> {
  if (!isUuid(id.trim())) return false;
  const rows = await db
    .update(outboxEvents)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: sql`now()`, lastError: null })
    .where(and(eq(outboxEvents.id, normaliseId(id)), eq(outboxEvents.state, 'dead')))
    .returning({ id: outboxEvents.id });
  return rows.length > 0;
}

/** Re-drives every dead event (optionally of one type or subject), e.g. after a long Bus outage. */
export async function redriveDeadEvents(db: Database, filter: { type?: string; subject?: string } = {}): Promise<number> {
  const rows = await db
    .update(outboxEvents)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: sql`now()`, lastError: null })
    .where(
      and(
        eq(outboxEvents.state, 'dead'),
        filter.type ? eq(outboxEvents.type, filter.type) : undefined,
        filter.subject ? eq(outboxEvents.subject, filter.subject) : undefined,
      ),
    )
    .returning({ id: outboxEvents.id });
  return rows.length;
}

export interface OutboxBacklog {
  pending: number;
  dead: number;
  /** When the oldest pending event was recorded; null when nothing is pending. */
  oldestPendingAt: Date | null;
}

/** Pending and dead counts (index-only; delivered history is not counted), for /ready and metrics. */
export async function countBacklog(db: Database): Promise<OutboxBacklog> {
  const rows = await db
    .select({
      pending: sql<number>`count(*) filter (where ${outboxEvents.state} = 'pending')::int`.mapWith(Number),
      dead: sql<number>`count(*) filter (where ${outboxEvents.state} = 'dead')::int`.mapWith(Number),
      oldestPendingAt: sql<Date | null>`min(${outboxEvents.createdAt}) filter (where ${outboxEvents.state} = 'pending')`.mapWith(
        outboxEvents.createdAt,
      ),
    })
    .from(outboxEvents)
    .where(inArray(outboxEvents.state, ['pending', 'dead']));
  const row = rows[0];
  return { pending: row?.pending ?? 0, dead: row?.dead ?? 0, oldestPendingAt: row?.oldestPendingAt ?? null };
}

// ---------------------------------------------------------------- dispatcher statements

/**
 * True when no EARLIER event of the same subject is pending and due. That keeps order per
 * subject, across retries too (a failing event is still pending, so it holds back the ones after
 * it). Not blocking: dead events (they wait for a re-drive, the rest of the subject goes on) and
 * events scheduled for later (`deliver_after` in the future: they take their place in the order
 * when they become due).
 */
const isHeadOfSubject = sql`not exists (
  select 1 from ${outboxEvents} as earlier
  where earlier.subject = ${outboxEvents.subject}
    and earlier.state = 'pending'
    and earlier.sequence < ${outboxEvents.sequence}
    and earlier.deliver_after <= now())`;

export interface ClaimedEvent extends OutboxEvent {
  /** The DB's `now()` at the claim, as text: later claims of one drain pass it as `dueBy`. */
  claimedAt: string;
}

/**
 * Claims up to `limit` due events for delivery: in one short transaction, `SELECT … FOR UPDATE
 * SKIP LOCKED` picks them (dispatchers racing for a row skip it instead of waiting) and a lease is
 * written (`next_attempt_at = now() + leaseMs`, `attempts + 1`), then the transaction commits and
 * the caller publishes outside it. Until the lease expires no other dispatcher sees those rows as
 * due; if the claimer dies, they become due again when it does. At most one event per subject is
 * returned (only the head of a subject is eligible), so a batch can be published concurrently.
 *
 * `dueBy` (a previous claim's `claimedAt`) restricts one drain to what was due when it started,
 * so it ends even when retries are due again at once.
 */
export async function claimDueEvents(
  db: Database,
  options: { limit: number; leaseMs: number; dueBy?: string | null },
): Promise<ClaimedEvent[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outboxEvents.id, claimedAt: sql<string>`now()::text` })
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.state, 'pending'),
          sql`${outboxEvents.nextAttemptAt} <= now()`,
          options.dueBy ? sql`${outboxEvents.nextAttemptAt} <= ${options.dueBy}::timestamptz` : undefined,
          isHeadOfSubject,
        ),
      )
      .orderBy(asc(outboxEvents.sequence))
      .limit(options.limit)
      .for('update', { of: outboxEvents, skipLocked: true });
    const claimedAt = due[0]?.claimedAt;
    if (claimedAt === undefined) return [];
    const claimed = await tx
      .update(outboxEvents)
      .set({ attempts: sql`${outboxEvents.attempts} + 1`, nextAttemptAt: sql`now() + ${interval(options.leaseMs)}` })
      .where(
        inArray(
          outboxEvents.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
    return claimed.sort((a, b) => a.sequence - b.sequence).map((event) => ({ ...event, claimedAt }));
  });
}

/** The claim's fence: the row is still ours only if nobody re-claimed it (which bumps attempts). */
function stillClaimed(event: Pick<ClaimedEvent, 'id' | 'attempts'>): SQL | undefined {
  return and(
    eq(outboxEvents.id, event.id),
    eq(outboxEvents.attempts, event.attempts),
    eq(outboxEvents.state, 'pending'),
  );
}

/** Marks a claimed event delivered. False if the lease was lost (another dispatcher re-claimed it). */
export async function markDelivered(db: Database, event: Pick<ClaimedEvent, 'id' | 'attempts'>): Promise<boolean> {
  const rows = await db
    .update(outboxEvents)
    .set({ state: 'delivered', deliveredAt: sql`now()`, lastError: null })
    .where(stillClaimed(event))
    .returning({ id: outboxEvents.id });
  return rows.length > 0;
}

export type FailureOutcome =
  /** Try again after `delayMs`; the attempt counts. */
  | { kind: 'retry'; delayMs: number; error: string }
  /** Try again after `delayMs` without using up an attempt (the fault is People's set-up, not the event). */
  | { kind: 'postpone'; delayMs: number; error: string }
  /** Give up: dead until re-driven. */
  | { kind: 'dead'; error: string };

/** Records a failed attempt of a claimed event. False if the lease was lost. */
export async function markFailed(
  db: Database,
  event: Pick<ClaimedEvent, 'id' | 'attempts'>,
  outcome: FailureOutcome,
): Promise<boolean> {
  const lastError = outcome.error.slice(0, 300);
  const values =
    outcome.kind === 'dead'
      ? { state: 'dead' as const, lastError }
      : {
          lastError,
          nextAttemptAt: sql`now() + ${interval(outcome.delayMs)}`,
          attempts: outcome.kind === 'postpone' ? sql`greatest(${outboxEvents.attempts} - 1, 0)` : undefined,
        };
  const rows = await db.update(outboxEvents).set(values).where(stillClaimed(event)).returning({ id: outboxEvents.id });
  return rows.length > 0;
}

/**
 * Milliseconds until the next event becomes claimable (negative: already due), or null when
 * nothing is pending. Only heads of subjects count: an event waiting behind an earlier one of its
 * subject becomes claimable when that one is settled, not at its own `next_attempt_at`.
 */
export async function msUntilNextDue(db: Database): Promise<number | null> {
  const rows = await db
    .select({
      ms: sql<number | null>`(extract(epoch from (min(${outboxEvents.nextAttemptAt}) - now())) * 1000)::float8`,
    })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.state, 'pending'), isHeadOfSubject));
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Number(ms);
}
