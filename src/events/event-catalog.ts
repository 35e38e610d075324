import { z } from 'zod';
import { roles } from '../auth/auth.service.js';
import { employmentStatusValues } from '../employees/employee.service.js';
import { workflowAssigneeGroupValues, workflowKindValues, workflowStartedViaValues, workflowUrgencyValues } from '../workflows/workflow.service.js';

// Every event People sends to Bus: its type, the version and shape of its `data`, what its
// subject names and when it is recorded. `recordEvent` accepts only these types, checks `data`
// against the shape and stamps the version, so this file is the contract consumers can rely on.
// The README's "Events to Bus" table lists the same types (test/events/event-catalog.test.ts).
//
// Data is THIN: ids, codes, enums, dates and the names of changed fields. No names, e-mail
// addresses, phone numbers, birth dates, addresses, free text, tokens or keys, because events
// leave People: Bus fans them out to many products and keeps them, beyond People's access rules.
// A consumer that needs details asks People's API with the ids, where those rules apply.
// The sign-in events are the exception, and list what they carry in `personalData`.
//
// Changing an event: a new optional field keeps its version; removing, renaming or retyping a
// field, or making one required, is breaking: bump `schemaVersion` (consumers switch on it).

export interface EventDefinition {
  /** Version of `data`'s shape, sent in the envelope; bumped on a breaking change. */
  readonly schemaVersion: number;
  /** Kinds of thing the subject (`<kind>:<id>`) names; order is kept per subject. */
  readonly subjectKinds: readonly [string, ...string[]];
  /** When the event is recorded, in one line. */
  readonly when: string;
  /** The shape of `data`; unknown fields are refused, so nothing rides along unlisted. */
  readonly data: z.ZodObject<z.ZodRawShape, z.core.$strict>;
  /** Fields of `data` that are personal data despite the rule above, with the reason. */
  readonly personalData?: { readonly fields: readonly string[]; readonly why: string };
}

// Shapes, not business rules: a value the change itself accepted must never fail its event
// (an empty `sub` in a refused token is still recorded as refused, not a 500).
/** A People id (a UUID). */
const id = z.guid();
/** A calendar day, `YYYY-MM-DD`. */
const calendarDate = z.iso.date();
/** Hub's id of a user: opaque, not a name or an e-mail address. */
const hubUserId = z.string();
/** Why a sign-in was refused, a code such as `bad_signature` or `employment_ended`. */
const refusalReason = z.string();
// Lazy: the employee service imports the outbox (and so this file) while it loads.
const employmentStatusValue = z.lazy(() => z.enum(employmentStatusValues));
/** Legal's id of a policy: opaque, short, printable (not a People UUID). */
const legalPolicyId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/);
/** Defend's alert id: Defend's identifier, checked at the mutation (letters, digits, `._:-`). */
const defendAlertId = z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/);
const defendSeverityValue = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const policyVersion = z.string().regex(/^[A-Za-z0-9._-]{1,40}$/);
/** An acknowledgement's status in People (legal_acknowledgement_status). */
const acknowledgementStatusValue = z.enum(['SUBMITTED', 'ACKNOWLEDGED', 'DECLINED', 'FAILED']);

/**
 * The sign-in events break the rule above: they were designed for security monitoring before the
 * catalog existed (the sign-in tests check `ip` and `userAgent`). The same values are in
 * `login_attempts`; dropping them from the events is a breaking change (version 2), not yet decided.
 */
const signInMonitoring = 'security monitoring of sign-ins (kept from before the catalog; also in login_attempts)';

const employeeLifecycleData = z.strictObject({
  employeeId: id,
  hubUserId: hubUserId.nullable(),
  status: employmentStatusValue,
  previousStatus: employmentStatusValue.nullable(),
  effectiveDate: calendarDate,
  changedFields: z.array(z.string()).readonly(),
});

/** Hub access changes, done by SYSTEM tasks (`src/access/hub-access.tasks.ts`). */
const accessChangeData = z.strictObject({
  employeeId: id,
  /** The workflow that asked for it. */
  workflowId: id,
  /** The system task that did it (listed by the Admin query `systemTasks`). */
  taskId: id,
  /** Why, as a code (e.g. `OFFBOARDING`). */
  reason: z.string(),
  /** Runs it took. */
  attempts: z.number().int(),
});

/** Why a Hub access task failed, as a code: see `accessFailures` in `src/access/hub-access.tasks.ts`. */
const accessFailureData = accessChangeData.extend({
  failure: z.enum(['NO_HUB_USER_ID', 'EMPLOYEE_NOT_FOUND', 'HUB_USER_NOT_FOUND', 'HUB_REFUSED', 'RETRIES_EXHAUSTED']),
  /** Hub's HTTP status, when it answered. */
  hubStatus: z.number().int().nullable(),
});

// Lazy, as above: the workflow service imports the outbox (and so this file) while it loads.
const workflowKindValue = z.lazy(() => z.enum(workflowKindValues));
const workflowUrgencyValue = z.lazy(() => z.enum(workflowUrgencyValues));
/** A group a task is assigned to, for notifying its members (SYSTEM tasks notify nobody). */
const assigneeGroupValue = z.lazy(() => z.enum(workflowAssigneeGroupValues));

/**
 * A workflow has started: the ids Relay needs to notify whoever has tasks in it (the people by
 * employee id, the groups by name), never task titles or HR's reason.
 */
const workflowStartedData = z.strictObject({
  workflowId: id,
  employeeId: id,
  hubUserId: hubUserId.nullable(),
  kind: workflowKindValue,
  urgency: workflowUrgencyValue,
  /** Start date (onboarding) or last day (offboarding). */
  anchorDay: calendarDate,
  startedVia: z.lazy(() => z.enum(workflowStartedViaValues)),
  templateId: id.nullable(),
  /** Employees with at least one task, each once. */
  assigneeIds: z.array(id).readonly(),
  /** Groups with at least one task (HR, IT). */
  assigneeGroups: z.array(assigneeGroupValue).readonly(),
  taskCount: z.number().int().nonnegative(),
});

export const eventCatalog = {
  login_success: {
    schemaVersion: 1,
    subjectKinds: ['user'],
    when: 'a sign-in at /auth/sso succeeds',
    data: z.strictObject({
      hubUserId,
      employeeId: id.nullable(),
      sessionId: id,
      roles: z.array(z.enum(roles)).readonly(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      method: z.literal('hub_sso'),
    }),
    personalData: { fields: ['ip', 'userAgent'], why: signInMonitoring },
  },
  login_failed: {
    schemaVersion: 1,
    // `login:<ip>` when the token names no Hub user (the IP is in the subject then, too).
    subjectKinds: ['user', 'login'],
    when: 'a sign-in at /auth/sso is refused',
    data: z.strictObject({
      hubUserId: hubUserId.nullable(),
      // Only when the token names no Hub user; never the token itself.
      email: z.string().nullable(),
      reason: refusalReason,
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      method: z.literal('hub_sso'),
    }),
    personalData: { fields: ['email', 'ip', 'userAgent'], why: signInMonitoring },
  },
  session_ended: {
    schemaVersion: 1,
    subjectKinds: ['user'],
    when: 'a People session is ended before it expires: signed out at /auth/logout, ended by its owner or HR (endSession, endSessionsOf), or when an emergency offboarding suspends access',
    data: z.strictObject({
      hubUserId,
      sessionId: id,
      reason: z.enum(['signed_out', 'ended_by_user', 'ended_by_hr', 'access_suspended']),
      /** Who ended it (`user:<hub user id>`), as a change records its author. */
      endedBy: z.string(),
    }),
  },
  'employee.hired': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'an employee becomes ACTIVE from not being employed, on the day it takes effect',
    data: employeeLifecycleData,
  },
  'employee.terminated': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'status TERMINATED or RESIGNED takes effect, on that day',
    data: employeeLifecycleData,
  },
  'employee.identity_link.changed': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "an existing employee's link to a Hub user is set, changed or removed (by an Admin, or at their first sign-in)",
    data: z.strictObject({
      employeeId: id,
      change: z.enum(['LINKED', 'RELINKED', 'UNLINKED']),
      previouslyLinked: z.boolean(),
      linked: z.boolean(),
      /** API: an Admin through updateEmployee; FIRST_SIGN_IN: Hub's first sign-in by e-mail. */
      source: z.enum(['API', 'FIRST_SIGN_IN']),
    }),
  },
  'timeoff.policy.changed': {
    schemaVersion: 1,
    subjectKinds: ['time_off_policy'],
    when: 'a time-off policy is created or changed, or its assignment rules are replaced',
    data: z.strictObject({
      policyId: id,
      code: z.string(),
      change: z.enum(['CREATED', 'UPDATED', 'RULES_REPLACED']),
      /** Names of the fields that changed. */
      fields: z.array(z.string()).readonly(),
      /** When changed terms or rules take effect; absent when neither changed. */
      effectiveFrom: calendarDate.optional(),
    }),
  },
  'timeoff.policy_override.changed': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "an employee's override of a time-off policy is set or cleared",
    data: z.strictObject({
      employeeId: id,
      policyId: id,
      /** True: assigned, false: excluded, null: override cleared. */
      assigned: z.boolean().nullable(),
      effectiveFrom: calendarDate,
    }),
  },
  'onboarding.started': {
    schemaVersion: 1,
    subjectKinds: ['workflow'],
    when: 'an onboarding starts (a hire a template matches, or HR), with its tasks assigned',
    data: workflowStartedData,
  },
  'offboarding.started': {
    schemaVersion: 1,
    subjectKinds: ['workflow'],
    when: 'an offboarding starts (HR, a status change to TERMINATED or RESIGNED, or Defend), with its tasks assigned',
    data: workflowStartedData,
  },
  'workflow.completed': {
    schemaVersion: 1,
    subjectKinds: ['workflow'],
    when: "a workflow's required tasks are done (and an offboarding's last day has come)",
    data: z.strictObject({
      workflowId: id,
      employeeId: id,
      hubUserId: hubUserId.nullable(),
      kind: workflowKindValue,
      urgency: workflowUrgencyValue,
      anchorDay: calendarDate,
      /** The business day it completed on. */
      completedOn: calendarDate,
    }),
  },
  'workflow.cancelled': {
    schemaVersion: 1,
    subjectKinds: ['workflow'],
    when: 'HR cancels a workflow under way, or an offboarding starts while an onboarding is under way',
    data: z.strictObject({
      workflowId: id,
      employeeId: id,
      kind: workflowKindValue,
      urgency: workflowUrgencyValue,
      anchorDay: calendarDate,
      /** An offboarding's scheduled leaving status was taken back with it. */
      statusChangeCancelled: z.boolean(),
    }),
  },
  'workflow.task.assigned': {
    schemaVersion: 1,
    subjectKinds: ['workflow'],
    when: 'a task is reassigned to another person or group, or added to a workflow under way (an insider-threat review for HR); tasks assigned at the start are in *.started',
    data: z.strictObject({
      workflowId: id,
      taskId: id,
      employeeId: id,
      kind: workflowKindValue,
      /** The person who has it now, or null when a group has it. */
      assigneeId: id.nullable(),
      assigneeGroup: assigneeGroupValue.nullable(),
      previousAssigneeId: id.nullable(),
      previousAssigneeGroup: assigneeGroupValue.nullable(),
      dueDate: calendarDate,
    }),
  },
  'timeoff.holidays.changed': {
    schemaVersion: 1,
    subjectKinds: ['holiday_calendar'],
    when: 'a holiday calendar is created or a year of its holidays is replaced',
    data: z.strictObject({
      calendarId: id,
      locationId: id,
      change: z.enum(['CREATED', 'HOLIDAYS_SET']),
      /** The year replaced; null on creation. */
      year: z.number().int().nullable(),
    }),
  },
  'access.revoked': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "Hub confirmed it revoked an employee's access (the hub.revoke_access system task succeeded)",
    data: accessChangeData,
  },
  'access.revocation_failed': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'a hub.revoke_access system task FAILED: a person must act (link a Hub user, check Hub), then re-drive it',
    data: accessFailureData,
  },
  'access.restored': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "Hub confirmed it gave back an employee's access (the hub.restore_access system task succeeded)",
    data: accessChangeData,
  },
  'access.restoration_failed': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'a hub.restore_access system task FAILED: a person must act, then re-drive it',
    data: accessFailureData,
  },
  'insider_threat.flagged': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "Defend reports an insider-threat signal about an employee (reportInsiderThreatSignal), once per alert: HR Managers and Admins review it",
    data: z.strictObject({
      signalId: id,
      employeeId: id,
      /** Defend's alert id, for Defend and HR to find the alert. */
      alertId: defendAlertId,
      severity: defendSeverityValue,
      /** The offboarding under way it was added to, and its review task; null when the employee has none. */
      workflowId: id.nullable(),
      reviewTaskId: id.nullable(),
    }),
  },
  'emergency_offboarding.requested': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'Defend triggers an emergency offboarding (triggerEmergencyOffboarding), once per alert: People acted (STARTED, ESCALATED) or the circuit breaker HELD it for HR',
    data: z.strictObject({
      requestId: id,
      employeeId: id,
      alertId: defendAlertId,
      severity: defendSeverityValue,
      outcome: z.enum(['STARTED', 'ESCALATED', 'HELD']),
      /** The offboarding started or escalated; null while held. */
      workflowId: id.nullable(),
    }),
  },
  'emergency_offboarding.decided': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'an HR Manager or Admin confirms (the offboarding then acts) or declines an emergency offboarding the circuit breaker held',
    data: z.strictObject({
      requestId: id,
      employeeId: id,
      alertId: defendAlertId,
      decision: z.enum(['CONFIRMED', 'DECLINED']),
      workflowId: id.nullable(),
    }),
  },
  'legal.acknowledgement.submitted': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: 'an employee signs a policy in People (the acknowledgement is then proxied to Legal)',
    data: z.strictObject({
      employeeId: id,
      /** People's id of the acknowledgement. */
      acknowledgementId: id,
      policyId: legalPolicyId,
      policyVersion,
      /** 1 for the first signature of this version; more when signed again after a decline or failure. */
      submission: z.number().int().min(1),
    }),
  },
  'legal.acknowledgement.changed': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "an acknowledgement's status changes: Legal's callback or People's sync with Legal, or its proxy failing for good",
    data: z.strictObject({
      employeeId: id,
      acknowledgementId: id,
      policyId: legalPolicyId,
      policyVersion,
      status: acknowledgementStatusValue,
      /** Null when People learnt of the acknowledgement with this status (signed in Legal). */
      previousStatus: acknowledgementStatusValue.nullable(),
      source: z.enum(['CALLBACK', 'SYNC', 'PROXY']),
    }),
  },
  'employee.hire_date.corrected': {
    schemaVersion: 1,
    subjectKinds: ['employee'],
    when: "an employee's hire date is corrected (correctHireDate)",
    data: z.strictObject({
      employeeId: id,
      hireDate: calendarDate,
      previousHireDate: calendarDate,
    }),
  },
  'organisation.changed': {
    schemaVersion: 1,
    subjectKinds: ['department', 'location'],
    when: 'a department or location is created, changed or archived',
    data: z.strictObject({
      unit: z.enum(['DEPARTMENT', 'LOCATION']),
      /** The department's or location's id. */
      id,
      change: z.enum(['CREATED', 'UPDATED', 'ARCHIVED']),
      /** Names of the fields that changed (e.g. name, parentId, headId, costCentre, code, timezone, archivedOn). */
      fields: z.array(z.string()).readonly(),
      /** The day the change applies from. */
      effectiveFrom: calendarDate,
    }),
  },
  'review.released': {
    schemaVersion: 1,
    subjectKinds: ['performance_review'],
    when: 'HR released a performance review to its employee (one review, or every submitted review of a cycle)',
    data: z.strictObject({
      reviewId: id,
      cycleId: id,
      /** Whom to tell: the employee the review is about. */
      employeeId: id,
    }),
  },
  'training.assigned': {
    schemaVersion: 1,
    subjectKinds: ['training_enrollment'],
    when: 'an employee is enrolled in a course by someone else: HR, the line above them, or a training rule (new, or renewal)',
    data: z.strictObject({
      enrollmentId: id,
      employeeId: id,
      courseId: id,
      /** Why: HR or LINE enrolled them, a rule REQUIREMENT, or a RENEWAL of a rule's course. */
      source: z.enum(['HR', 'LINE', 'REQUIREMENT', 'RENEWAL']),
      /** The rule, for REQUIREMENT and RENEWAL. */
      requirementId: id.nullable(),
      dueOn: calendarDate.nullable(),
    }),
  },
} as const satisfies Record<string, EventDefinition>;

type Catalog = typeof eventCatalog;

/** Every event type People records. */
export type EventType = keyof Catalog;

/** The `data` of an event of type `T`. */
export type EventData<T extends EventType> = z.infer<Catalog[T]['data']>;

/** A subject an event of type `T` may have: `<kind>:<id>` with one of its kinds. */
export type EventSubject<T extends EventType> = `${Catalog[T]['subjectKinds'][number]}:${string}`;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

export const eventTypes: readonly EventType[] = Object.keys(eventCatalog).filter(isEventType);

/** The catalog entry of `type`, seen through the common shape (for code that handles any event). */
export function eventDefinition(type: EventType): EventDefinition {
  return eventCatalog[type];
}
