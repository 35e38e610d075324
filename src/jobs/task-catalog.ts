import { z } from 'zod';

// Every kind of SYSTEM task People runs: what its payload holds, what its subject names, how
// often it is tried and how its idempotency key is made. `enqueueSystemTask` accepts only these
// kinds and checks the payload against the shape; the runner checks it again before a handler
// sees it, and `SystemTaskHandlers` (runner.ts) must have a handler for each kind.
//
// Payloads hold IDS and codes only: a handler reads what it needs (an e-mail address, a Hub user
// id) when it runs, so the task sees the record as it is then (a Hub link added after a failure
// counts at the re-drive) and no personal data is copied into this table.
//
// Adding a kind: an entry here, a handler (see `src/access/hub-access.tasks.ts`), and its
// registration in main.ts; then `enqueueSystemTask(tx, { kind, subject, payload })` in the
// transaction of the change that needs it.

export interface SystemTaskDefinition {
  /** What the task does, in one line (for the README and Admins). */
  readonly description: string;
  /** Kinds of thing the subject (`<kind>:<id>`) names. */
  readonly subjectKinds: readonly [string, ...string[]];
  /** The shape of the payload; unknown fields are refused. */
  readonly payload: z.ZodObject<z.ZodRawShape, z.core.$strict>;
  /** Runs before a retryable failure becomes FAILED (waiting for configuration does not count). */
  readonly maxAttempts: number;
  /**
   * The default idempotency key, `<prefix>:<field values joined by ':'>`; without it the task's
   * own id. One key, one task: enqueueing it again returns the task already there.
   */
  readonly idempotencyKey?: { readonly prefix: string; readonly fields: readonly string[] };
  /**
   * Listed one by one in /ready while not done (PENDING, RUNNING or FAILED): a task a person must
   * know about until it has succeeded, such as revoking a leaver's access.
   */
  readonly visibleUntilDone: boolean;
}

/** A People id (a UUID). */
const id = z.guid();
/** Why the task exists, as a code in capitals (`OFFBOARDING`): never free text, which could hold personal data. */
const reasonCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be a code in capitals, such as OFFBOARDING');

export const systemTaskCatalog = {
  'hub.revoke_access': {
    description: "Asks Hub to revoke a leaver's access (POST {HUB_API_URL}/users/{hubUserId}/revoke-access).",
    subjectKinds: ['employee', 'workflow'],
    payload: z.strictObject({
      employeeId: id,
      /** The workflow that needs it; one revocation per workflow. */
      workflowId: id,
      reason: reasonCode,
    }),
    // Back-off of 2 s doubling up to 10 min, full jitter: about 2 hours of failing Hub on average (3.5 at most) before FAILED.
    maxAttempts: 30,
    idempotencyKey: { prefix: 'revoke-access', fields: ['workflowId'] },
    visibleUntilDone: true,
  },
  'hub.restore_access': {
    description: 'Asks Hub to give back access a workflow revoked (POST {HUB_API_URL}/users/{hubUserId}/restore-access).',
    subjectKinds: ['employee', 'workflow'],
    payload: z.strictObject({
      employeeId: id,
      /** The workflow whose revocation this undoes; it runs only once that revocation has settled. */
      workflowId: id,
      reason: reasonCode,
    }),
    maxAttempts: 30,
    idempotencyKey: { prefix: 'restore-access', fields: ['workflowId'] },
    visibleUntilDone: true,
  },
  'timeoff.cancel_after_last_day': {
    description: "Cancels a leaver's pending and approved time off that starts after their last day, through time off's cancel path, once that day has come.",
    subjectKinds: ['workflow'],
    payload: z.strictObject({
      employeeId: id,
      /** The offboarding whose last day it follows; read when the task runs (a cancelled one cancels nothing). */
      workflowId: id,
    }),
    // Database work only: a few tries cover a deadlock or a restart; then a person looks.
    maxAttempts: 10,
    idempotencyKey: { prefix: 'cancel-time-off', fields: ['workflowId'] },
    visibleUntilDone: false,
  },
  'legal.submit_acknowledgement': {
    description: "Proxies an employee's policy acknowledgement to Legal (POST {LEGAL_API_URL}/acknowledgements), once per signature.",
    subjectKinds: ['employee'],
    payload: z.strictObject({
      employeeId: id,
      /** People's acknowledgement (legal_acknowledgements), read when the task runs. */
      acknowledgementId: id,
      /** Which signature of it: signing again after a decline or failure is a new submission. */
      submission: z.number().int().min(1),
    }),
    // As Hub's tasks: hours of a failing Legal before FAILED (then an Admin re-drives it); the signature is never lost.
    maxAttempts: 30,
    idempotencyKey: { prefix: 'legal-acknowledgement', fields: ['acknowledgementId', 'submission'] },
    visibleUntilDone: false,
  },
} as const satisfies Record<string, SystemTaskDefinition>;

type Catalog = typeof systemTaskCatalog;

/** Every kind of SYSTEM task. */
export type SystemTaskKind = keyof Catalog;

/** The payload of each kind. */
export type SystemTaskPayloads = { [K in SystemTaskKind]: z.infer<Catalog[K]['payload']> };

/** The payload of a task of kind `K`. */
export type SystemTaskPayload<K extends SystemTaskKind> = SystemTaskPayloads[K];

/**
 * Each kind's payload shape, typed by its kind, so code generic over the kind (the runner) gets
 * that kind's payload rather than the union of all of them. A kind missing here does not compile.
 */
export const payloadShapes: { readonly [K in SystemTaskKind]: z.ZodType<SystemTaskPayloads[K]> } = {
  'hub.revoke_access': systemTaskCatalog['hub.revoke_access'].payload,
  'hub.restore_access': systemTaskCatalog['hub.restore_access'].payload,
  'legal.submit_acknowledgement': systemTaskCatalog['legal.submit_acknowledgement'].payload,
  'timeoff.cancel_after_last_day': systemTaskCatalog['timeoff.cancel_after_last_day'].payload,
};

/** A subject a task of kind `K` may have: `<kind>:<id>` with one of its subject kinds. */
export type SystemTaskSubject<K extends SystemTaskKind> = `${Catalog[K]['subjectKinds'][number]}:${string}`;

export function isSystemTaskKind(kind: string): kind is SystemTaskKind {
  return Object.hasOwn(systemTaskCatalog, kind);
}

export const systemTaskKinds: readonly SystemTaskKind[] = Object.keys(systemTaskCatalog).filter(isSystemTaskKind);

/** The catalog entry of `kind`, seen through the common shape. */
export function systemTaskDefinition(kind: SystemTaskKind): SystemTaskDefinition {
  return systemTaskCatalog[kind];
}

/** The idempotency key of the catalog for this payload, or null when the kind defines none. */
export function defaultIdempotencyKey(kind: SystemTaskKind, payload: Readonly<Record<string, unknown>>): string | null {
  const rule = systemTaskDefinition(kind).idempotencyKey;
  if (!rule) return null;
  const values = rule.fields.map((field) => payload[field]);
  if (values.some((value) => typeof value !== 'string' && typeof value !== 'number')) {
    throw new TypeError(`the idempotency key of ${kind} needs ${rule.fields.join(', ')} in its payload`);
  }
  return [rule.prefix, ...values.map(String)].join(':');
}
