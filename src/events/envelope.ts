import type { OutboxEventRow } from './outbox.tables.js';

/**
 * What People sends to Bus for every event (JSON, one envelope per request).
 *
 * Events are THIN: `data` carries ids, the event type's facts that are not personal (a status,
 * an effective date), the names of the fields that changed and versions, e.g.
 * `{ employeeId, changedFields: ['jobTitle', 'managerId'], effectiveFrom: '2026-07-01' }`.
 * Never tokens, keys, e-mail addresses, names, phone numbers, dates of birth, addresses or other
 * personal data: Bus fans events out to many products and keeps them, and a consumer that needs
 * details asks People's API, where access rules apply. Each type's `data` is declared in
 * `event-catalog.ts`, and `recordEvent` holds callers to it.
 */
export interface EventEnvelope {
  /** The event id (a UUID); consumers de-duplicate on it, deliveries are at least once. */
  id: string;
  /** Dotted event name, e.g. `employee.hired`. */
  type: string;
  /** When the change happened (ISO 8601, UTC). */
  occurredAt: string;
  source: 'people';
  /** What the event is about, `<kind>:<id>`, e.g. `employee:3f0c…`; order is kept per subject. */
  subject: string;
  /** Version of `data`'s shape for this type; bumped on a breaking change. */
  schemaVersion: number;
  data: Record<string, unknown>;
}

export const eventSource = 'people';

export function toEnvelope(
  row: Pick<OutboxEventRow, 'id' | 'type' | 'occurredAt' | 'subject' | 'schemaVersion' | 'data'>,
): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    source: eventSource,
    subject: row.subject,
    schemaVersion: row.schemaVersion,
    data: row.data,
  };
}
