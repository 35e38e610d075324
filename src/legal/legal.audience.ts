import type { EmployedPerson } from '../employees/employee.service.js';
import { addDays, type CalendarDate } from '../shared/dates.js';
import type { LegalAcknowledgementRow, LegalPolicyRow, PolicyAudienceValue } from './legal.tables.js';

// Who must acknowledge a policy, and by when: People's to say, on People's own employee data.
// Legal names the audience (everyone, or departments / locations / employment types); People
// matches it against the job each employee holds on the day asked about. Only people employed
// that day (ACTIVE or ON_LEAVE) must acknowledge: leavers and future hires are not counted.

/** Departments and locations by id, with the names Legal's audience may use for them. */
export interface OrganisationNames {
  departments: ReadonlyMap<string, { code: string; name: string }>;
  locations: ReadonlyMap<string, { name: string }>;
}

function folded(text: string): string {
  return text.trim().toLowerCase();
}

/** Whether `names` (Legal's, any case) includes the department's code or name, or the location's name. */
function named(names: readonly string[], ...candidates: (string | undefined)[]): boolean {
  const wanted = new Set(names.map(folded));
  return candidates.some((candidate) => candidate !== undefined && wanted.has(folded(candidate)));
}

/**
 * Whether the audience includes this person: everyone, or every criterion Legal gave matches
 * (departments by code or name, locations by name, employment types); an empty list does not
 * narrow. An audience with no criterion at all and not `all` includes nobody.
 */
export function audienceIncludes(audience: PolicyAudienceValue, person: EmployedPerson, names: OrganisationNames): boolean {
  if (audience.all) return true;
  const { departments, locations, employmentTypes } = audience;
  if (departments.length === 0 && locations.length === 0 && employmentTypes.length === 0) return false;
  if (departments.length > 0) {
    const department = person.departmentId ? names.departments.get(person.departmentId) : undefined;
    if (!named(departments, department?.code, department?.name)) return false;
  }
  if (locations.length > 0) {
    const location = person.locationId ? names.locations.get(person.locationId) : undefined;
    if (!named(locations, location?.name)) return false;
  }
  if (employmentTypes.length > 0 && (person.employmentType === null || !employmentTypes.includes(person.employmentType))) return false;
  return true;
}

/** Names in the audience that match no department or location of People (a typo at Legal, a renamed team). */
export function unmatchedAudienceNames(audience: PolicyAudienceValue, names: OrganisationNames): string[] {
  const departmentNames = new Set([...names.departments.values()].flatMap((department) => [folded(department.code), folded(department.name)]));
  const locationNames = new Set([...names.locations.values()].map((location) => folded(location.name)));
  return [
    ...audience.departments.filter((name) => !departmentNames.has(folded(name))),
    ...audience.locations.filter((name) => !locationNames.has(folded(name))),
  ];
}

/** The effective date or the hire date, whichever is later, plus the days allowed; null: no deadline. */
export function dueDateOf(policy: Pick<LegalPolicyRow, 'effectiveDate' | 'daysToAcknowledge'>, hireDate: CalendarDate): CalendarDate | null {
  if (policy.daysToAcknowledge === null) return null;
  const start = hireDate > policy.effectiveDate ? hireDate : policy.effectiveDate;
  return addDays(start, policy.daysToAcknowledge);
}

/** PENDING: nothing signed yet; the rest are the acknowledgement's status. */
export type RequirementStatus = 'PENDING' | 'SUBMITTED' | 'ACKNOWLEDGED' | 'DECLINED' | 'FAILED';

/** One employee's duty to acknowledge one policy (its current version), and where it stands. */
export interface Requirement {
  policy: LegalPolicyRow;
  employee: EmployedPerson;
  dueDate: CalendarDate | null;
  status: RequirementStatus;
  /**
   * Past its due date and not done. A signature awaiting Legal's confirmation (SUBMITTED) is not
   * late: the employee has signed, the rest is between People and Legal.
   */
  overdue: boolean;
  /** The acknowledgement of the current version, if any. */
  acknowledgement: LegalAcknowledgementRow | null;
}

const doneOrInHand: readonly RequirementStatus[] = ['ACKNOWLEDGED', 'SUBMITTED'];

export function requirementOf(
  policy: LegalPolicyRow,
  employee: EmployedPerson,
  acknowledgement: LegalAcknowledgementRow | null,
  today: CalendarDate,
): Requirement {
  const dueDate = dueDateOf(policy, employee.hireDate);
  const status: RequirementStatus = acknowledgement?.status ?? 'PENDING';
  return { policy, employee, dueDate, status, overdue: dueDate !== null && today > dueDate && !doneOrInHand.includes(status), acknowledgement };
}

/** The key acknowledgements are found by: one employee, one policy version. */
export function acknowledgementKey(employeeId: string, policyId: string, version: string): string {
  return `${employeeId}|${policyId}|${version}`;
}

/**
 * Every duty of `people` towards `policies` on `today`: each policy each person is in the
 * audience of, with the status of their acknowledgement of its current version.
 */
export function requirementsOf(
  policies: readonly LegalPolicyRow[],
  people: readonly EmployedPerson[],
  acknowledgements: readonly LegalAcknowledgementRow[],
  names: OrganisationNames,
  today: CalendarDate,
): Requirement[] {
  const byKey = new Map(acknowledgements.map((row) => [acknowledgementKey(row.employeeId, row.policyId, row.policyVersion), row]));
  const requirements: Requirement[] = [];
  for (const policy of policies) {
    for (const person of people) {
      if (!audienceIncludes(policy.audience, person, names)) continue;
      const acknowledgement = byKey.get(acknowledgementKey(person.id, policy.id, policy.version)) ?? null;
      requirements.push(requirementOf(policy, person, acknowledgement, today));
    }
  }
  return requirements;
}
