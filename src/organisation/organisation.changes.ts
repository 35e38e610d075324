import type { Database } from '../db/database.js';
import { displayNameOf, findEmployeesByIds } from '../employees/employee.service.js';
import { recordEvent, type EventData } from '../events/events.service.js';
import type { CalendarDate } from '../shared/dates.js';

// What every change of the organisation shares: its thin event to Bus, and how a refusal names
// the people still working in a unit (HR administrators see their names anyway).

/** Records `organisation.changed` in the caller's transaction: ids and field names, nothing else. */
export function recordOrganisationChange(tx: Database, data: EventData<'organisation.changed'>): Promise<string> {
  const kind = data.unit === 'DEPARTMENT' ? 'department' : 'location';
  return recordEvent(tx, { type: 'organisation.changed', subject: `${kind}:${data.id}`, data });
}

/** How many people are named in a refusal; the rest are counted. */
const namedAtMost = 10;

/** "2 people work in Sales on or after 2026-09-01: Ada Lovelace (from 2026-09-01), …. Move them first." */
export async function describeMembers(
  tx: Database,
  members: readonly { employeeId: string; firstDay: CalendarDate }[],
  where: string,
  today: CalendarDate,
): Promise<string> {
  const named = members.slice(0, namedAtMost);
  const records = new Map((await findEmployeesByIds(tx, named.map((member) => member.employeeId), today)).map((record) => [record.id, record]));
  const names = named
    .map((member) => {
      const record = records.get(member.employeeId);
      return `${record ? displayNameOf(record) : member.employeeId} (from ${member.firstDay})`;
    })
    .sort();
  const more = members.length > named.length ? ` and ${members.length - named.length} more` : '';
  const people = members.length === 1 ? '1 person works' : `${members.length} people work`;
  return `${people} in ${where}: ${names.join(', ')}${more}. Move them elsewhere first.`;
}
