import type { Database } from '../db/database.js';
import { findEmployedOn } from '../employees/employee.service.js';
import { departmentOn, findDepartmentTimelines, listLocationRows } from '../organisation/organisation.service.js';
import type { CalendarDate } from '../shared/dates.js';
import { requirementsOf, type OrganisationNames, type Requirement } from './legal.audience.js';
import * as store from './legal.store.js';
import type { LegalPolicyRow } from './legal.tables.js';

// Who must acknowledge which active policy on a day, read in a fixed number of statements for any
// number of employees: the dashboard (everyone, or a Manager's reports) and the onboarding check
// (one employee, inside a transaction) use it. Per-request reads of single employees go through
// the loaders instead (legal.loaders.ts).

/** Department codes and names as they stand on `day` (names are effective-dated), and location names. */
export async function readOrganisationNames(db: Database, day: CalendarDate): Promise<OrganisationNames> {
  // One after the other: PGlite has one connection, and inside a transaction there is one anyway.
  const timelines = await findDepartmentTimelines(db);
  const locations = await listLocationRows(db);
  const departments = timelines.map((timeline) => departmentOn(timeline, day));
  return {
    departments: new Map(departments.map((department) => [department.id, { code: department.code, name: department.name }])),
    locations: new Map(locations.map((location) => [location.id, { name: location.name }])),
  };
}

/** Every requirement of the active policies on `today`, of everyone employed or of `employeeIds`. */
export async function readRequirements(
  db: Database,
  today: CalendarDate,
  employeeIds?: readonly string[],
): Promise<{ policies: LegalPolicyRow[]; requirements: Requirement[] }> {
  const policies = await store.findActivePolicies(db);
  if (policies.length === 0) return { policies, requirements: [] };
  // One after the other: PGlite has one connection, and inside a transaction there is one anyway.
  const people = await findEmployedOn(db, today, employeeIds);
  const names = await readOrganisationNames(db, today);
  const acknowledgements = await store.findAcknowledgementsOfVersions(db, policies, employeeIds ? people.map((person) => person.id) : undefined);
  return { policies, requirements: requirementsOf(policies, people, acknowledgements, names, today) };
}
