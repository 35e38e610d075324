import type { Database } from '../db/database.js';
import { lockUnitsForAssignment } from '../organisation/organisation.service.js';
import { departmentNotFound, locationNotFound } from '../shared/common-errors.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid } from '../shared/ids.js';
import { userError, type UserError } from '../shared/user-errors.js';
import { allowedStatusTransitions, employedOrPreHireStatuses, terminalStatuses } from './employee.model.js';
import * as store from './employee.store.js';
import type { EmploymentStatusValue } from './employee.tables.js';

// The rules a change must keep, each answering the user errors that break it: unique identity,
// existing references, a manager who is employed and no reporting cycle, a valid status timeline.

export async function checkIdentityUnique(
  tx: Database,
  candidate: { email?: string | undefined; employeeNumber?: string | undefined; hubUserId?: string | null | undefined },
  exceptId?: string,
): Promise<UserError[]> {
  const clashes = await store.findConflictingIdentity(tx, candidate, exceptId);
  const errors: UserError[] = [];
  if (candidate.email && clashes.some((row) => row.email.toLowerCase() === candidate.email?.toLowerCase())) {
    errors.push(duplicateError('email', candidate.email));
  }
  if (candidate.employeeNumber && clashes.some((row) => row.employeeNumber === candidate.employeeNumber)) {
    errors.push(duplicateError('employeeNumber', candidate.employeeNumber));
  }
  if (candidate.hubUserId && clashes.some((row) => row.hubUserId === candidate.hubUserId)) {
    errors.push(duplicateError('hubUserId', candidate.hubUserId));
  }
  return errors;
}

/**
 * The department and location someone is placed in from `from` must exist then and be in use:
 * not archived on that day, nor archived later while the placement would still hold (the
 * employee's next move of that field comes after the archive day, or never). The units are
 * share-locked, so archiving one waits for this change and then sees it.
 */
export async function checkReferences(
  tx: Database,
  values: { departmentId?: string | null | undefined; locationId?: string | null | undefined },
  placement: { employeeId: string | null; from: CalendarDate },
): Promise<UserError[]> {
  const errors: UserError[] = [];
  const wanted = {
    departmentId: values.departmentId && isUuid(values.departmentId) ? values.departmentId : null,
    locationId: values.locationId && isUuid(values.locationId) ? values.locationId : null,
  };
  const { department, location } = await lockUnitsForAssignment(tx, wanted);
  const units = [
    { field: 'departmentId', given: values.departmentId, unit: department, label: 'department', notFound: departmentNotFound },
    { field: 'locationId', given: values.locationId, unit: location, label: 'location', notFound: locationNotFound },
  ] as const;
  for (const { field, given, unit, label, notFound } of units) {
    if (!given) continue;
    const path = ['input', field];
    if (!unit) {
      errors.push(notFound(path));
      continue;
    }
    if (unit.existsFrom !== null && unit.existsFrom > placement.from) {
      errors.push(userError('NOT_YET_CREATED', path, `The ${label} exists from ${unit.existsFrom}, after ${placement.from}.`));
      continue;
    }
    if (unit.archivedOn === null) continue;
    if (unit.archivedOn <= placement.from) {
      errors.push(userError('ARCHIVED', path, `The ${label} is archived from ${unit.archivedOn}.`));
      continue;
    }
    const movesOn = placement.employeeId ? await store.findNextUnitChange(tx, placement.employeeId, field, placement.from) : null;
    if (movesOn === null || movesOn > unit.archivedOn) {
      errors.push(
        userError(
          'ARCHIVED',
          path,
          `The ${label} is archived from ${unit.archivedOn}, and the employee would still be there then: record their move out first.`,
        ),
      );
    }
  }
  return errors;
}

/**
 * A new manager must exist, be employed on the day the line starts, and not sit below the
 * employee on that day or on any later day a reporting line changes.
 */
export async function checkManager(
  tx: Database,
  employeeId: string | null,
  managerId: string,
  from: CalendarDate,
  today: CalendarDate,
): Promise<UserError[]> {
  const field = ['input', 'managerId'];
  const [manager] = isUuid(managerId) ? await store.findEmployeesByIds(tx, [managerId], from) : [];
  if (!manager) return [userError('MANAGER_NOT_FOUND', field, `No employee has the id "${managerId}".`)];
  const status = manager.job?.status ?? null;
  if (status === null || !employedOrPreHireStatuses.includes(status)) {
    return [
      userError(
        'MANAGER_NOT_EMPLOYED',
        field,
        `The manager is not employed on ${from} (status ${status ?? 'none yet'}).`,
      ),
    ];
  }
  // A departure already booked for the future would leave the new report without a manager.
  // (Past departures are history: back-filling an old reporting line stays possible.)
  const leaving = (await store.findStatusTimeline(tx, managerId)).find(
    (entry) => entry.effectiveFrom > from && entry.effectiveFrom > today && terminalStatuses.includes(entry.status),
  );
  if (leaving) {
    return [
      userError('MANAGER_NOT_EMPLOYED', field, `The manager is scheduled to leave on ${leaving.effectiveFrom}.`),
    ];
  }
  if (employeeId === null) return [];
  if (managerId === employeeId) return [userError('MANAGER_CYCLE', field, 'An employee cannot be their own manager.')];
  for (const day of [from, ...(await store.findLaterManagerChangeDates(tx, from))]) {
    const chain = await store.findReportingChains(tx, [managerId], day);
    if (chain.some((link) => link.managerId === employeeId)) {
      return [
        userError('MANAGER_CYCLE', field, `The new manager reports to this employee on ${day}; that would make a cycle.`),
      ];
    }
  }
  return [];
}

/** Someone leaving must not leave reports without a manager, on their last day or after. */
export async function checkNoReportsLeft(
  tx: Database,
  employeeId: string,
  leavingOn: CalendarDate,
  today: CalendarDate,
): Promise<UserError[]> {
  const days = [leavingOn, ...(await store.findLaterManagerChangeDates(tx, leavingOn))];
  if (today > leavingOn) days.push(today);
  const reports = new Set<string>();
  for (const day of days) {
    for (const row of await store.findDirectReportIds(tx, [employeeId], day)) reports.add(row.employeeId);
  }
  if (reports.size === 0) return [];
  return [
    userError(
      'HAS_DIRECT_REPORTS',
      ['input', 'status'],
      `${reports.size} employee(s) would still report to this person after ${leavingOn}; give them another manager first.`,
    ),
  ];
}

/**
 * The new status must follow the one in force on its day, and must not make the next
 * scheduled change impossible (e.g. a leave keyed after a termination that is already booked).
 */
export function checkStatusTimeline(
  timeline: { effectiveFrom: CalendarDate; status: EmploymentStatusValue }[],
  next: EmploymentStatusValue,
  on: CalendarDate,
): UserError[] {
  const field = ['input', 'status'];
  const previous = timeline.filter((entry) => entry.effectiveFrom <= on).at(-1);
  const following = timeline.find((entry) => entry.effectiveFrom > on);
  if (!previous) {
    return [userError('BEFORE_HIRE_DATE', ['input', 'effectiveDate'], `The employee has no status yet on ${on}.`)];
  }
  if (previous.status === next) {
    return [userError('STATUS_TRANSITION_NOT_ALLOWED', field, `The employee is already ${next} on ${on}.`)];
  }
  if (!allowedStatusTransitions[previous.status].includes(next)) {
    return [
      userError(
        'STATUS_TRANSITION_NOT_ALLOWED',
        field,
        `An employee who is ${previous.status} cannot become ${next}; allowed: ${allowedStatusTransitions[previous.status].join(', ') || 'none'}.`,
      ),
    ];
  }
  if (following && following.status !== next && !allowedStatusTransitions[next].includes(following.status)) {
    return [
      userError(
        'STATUS_TRANSITION_NOT_ALLOWED',
        field,
        `A change to ${following.status} is already scheduled for ${following.effectiveFrom}, which cannot follow ${next}.`,
      ),
    ];
  }
  return [];
}

export function duplicateError(field: 'email' | 'employeeNumber' | 'hubUserId', value?: string): UserError {
  const described = value ? ` "${value}"` : '';
  switch (field) {
    case 'email':
      return userError('DUPLICATE_EMAIL', ['input', 'email'], `Another employee already has the e-mail${described}.`);
    case 'employeeNumber':
      return userError(
        'DUPLICATE_EMPLOYEE_NUMBER',
        ['input', 'employeeNumber'],
        `Another employee already has the employee number${described}.`,
      );
    case 'hubUserId':
      return userError(
        'DUPLICATE_HUB_USER_ID',
        ['input', 'hubUserId'],
        `Another employee is already linked to the Hub user${described}.`,
      );
  }
}
