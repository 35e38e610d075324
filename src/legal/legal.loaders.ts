import type { Database } from '../db/database.js';
import { findEmployedOn, type EmployedPerson } from '../employees/employee.service.js';
import { findSystemTasks, type SystemTask } from '../jobs/jobs.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid } from '../shared/ids.js';
import { byIdLoader, datedLoader, groupedLoader } from '../shared/loaders.js';
import type { OrganisationNames } from './legal.audience.js';
import { readOrganisationNames } from './legal.requirements.js';
import * as store from './legal.store.js';
import type { LegalAcknowledgementRow, LegalPolicyRow, LegalSyncStateRow } from './legal.tables.js';

/**
 * A value read once per request, the first time it is asked for (the loaders start afresh after a
 * write). Kept as a settled promise: a drizzle query is a thenable that runs again on every `then`.
 */
function once<T>(read: () => PromiseLike<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => (value ??= Promise.resolve(read()));
}

/** Like `once`, for a value that depends on the day it is read for. */
function oncePerDay<T>(read: (day: CalendarDate) => PromiseLike<T>): (day: CalendarDate) => Promise<T> {
  const values = new Map<CalendarDate, Promise<T>>();
  return (day) => {
    let value = values.get(day);
    if (!value) values.set(day, (value = Promise.resolve(read(day))));
    return value;
  };
}

/** Per-request loaders of the Legal domain: a list of employees' statuses costs a constant number of statements. */
export function createLegalLoaders(db: Database) {
  return {
    /** Legal's active policies (People's copy), by title. */
    activePolicies: once<LegalPolicyRow[]>(() => store.findActivePolicies(db)),
    /** The sync's row: when People last synced and how Legal is doing. */
    syncState: once<LegalSyncStateRow | null>(() => store.findSyncState(db)),
    /** Department codes and names on a day (in practice the request's today), location names: what a policy's audience is matched against. */
    organisationNames: oncePerDay<OrganisationNames>((day) => readOrganisationNames(db, day)),
    /** Each employee as employed on a day (null when not employed then): what an audience is decided on. */
    employed: datedLoader<EmployedPerson | null>(async (ids, asOf) => {
      const people = await findEmployedOn(db, asOf, ids.filter(isUuid));
      return new Map(people.map((person) => [person.id, person]));
    }, null),
    /** Each employee's acknowledgements, of any policy and version. */
    acknowledgements: groupedLoader<LegalAcknowledgementRow>((ids) => store.findAcknowledgementsOfEmployees(db, ids), (row) => row.employeeId),
    /** The tasks proxying signatures to Legal, by id. */
    submissionTasks: byIdLoader<SystemTask>((ids) => findSystemTasks(db, ids)),
  };
}

export type LegalLoaders = ReturnType<typeof createLegalLoaders>;
