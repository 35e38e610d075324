import { sql } from 'drizzle-orm';
import { doublePrecision, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { employees } from '../employees/employee.tables.js';
import { workflows, workflowTasks } from '../workflows/workflow.tables.js';

// What Defend (the security product) tells People, kept once per Defend alert: insider-threat
// signals for HR, and emergency offboarding requests with what People did about each (acted, or
// held for HR by the circuit breaker). `alert_id` is unique in each table: Defend retries, and a
// retry must neither store a second signal nor start a second offboarding.

export const defendSeverity = pgEnum('defend_severity', ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
/**
 * ACTED: People started (or escalated) the emergency offboarding at once, or an HR Manager or
 * Admin confirmed a held request. HELD: the circuit breaker kept it for HR. DECLINED: HR said no.
 */
export const emergencyRequestState = pgEnum('emergency_request_state', ['ACTED', 'HELD', 'DECLINED']);

export type DefendSeverityValue = (typeof defendSeverity.enumValues)[number];
export type EmergencyRequestStateValue = (typeof emergencyRequestState.enumValues)[number];

export const insiderThreatSignals = pgTable(
  'insider_threat_signals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Defend's alert id: one signal per alert, whatever Defend's retries. */
    alertId: text('alert_id').notNull(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    severity: defendSeverity('severity').notNull(),
    score: doublePrecision('score').notNull(),
    /** Defend's words: Admin and HR Manager read it, nobody else (never in events or logs). */
    summary: text('summary').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true, mode: 'date' }).notNull(),
    detailsUrl: text('details_url'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    reportedBy: text('reported_by').notNull(),
    /** The offboarding under way it was added to (with its review task); null when there was none. */
    workflowId: uuid('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
    reviewTaskId: uuid('review_task_id').references(() => workflowTasks.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('insider_threat_signals_alert_key').on(t.alertId), index('insider_threat_signals_employee_idx').on(t.employeeId, t.receivedAt)],
);

export const emergencyOffboardingRequests = pgTable(
  'emergency_offboarding_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    alertId: text('alert_id').notNull(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    severity: defendSeverity('severity').notNull(),
    /** Defend's reason, for HR. */
    reason: text('reason').notNull(),
    state: emergencyRequestState('state').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The offboarding it started or escalated; null while held or once declined. */
    workflowId: uuid('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
    /** STARTED (a new offboarding) or ESCALATED (the one under way became EMERGENCY); null until it acts. */
    action: text('action'),
    /** Who confirmed or declined a held request, when and why. */
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decisionNote: text('decision_note'),
  },
  (t) => [
    uniqueIndex('emergency_offboarding_requests_alert_key').on(t.alertId),
    // The circuit breaker counts the last hour's requests.
    index('emergency_offboarding_requests_requested_idx').on(t.requestedAt),
    index('emergency_offboarding_requests_held_idx').on(t.requestedAt).where(sql`${t.state} = 'HELD'`),
  ],
);

export type InsiderThreatSignalRow = typeof insiderThreatSignals.$inferSelect;
export type EmergencyOffboardingRequestRow = typeof emergencyOffboardingRequests.$inferSelect;
