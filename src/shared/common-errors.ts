import { userError, type UserError } from './user-errors.js';

// User errors more than one domain answers with: one code and one message each; the field path
// is the caller's (where the id or date was in its input).

type Field = readonly string[];

export const employeeNotFound = (field: Field): UserError => userError('EMPLOYEE_NOT_FOUND', [...field], 'No employee has this id.');

/** EMPLOYEE_NOT_ACTIVE: the employee (an approver, a requester) has left the organisation. */
export const employeeLeft = (field: Field): UserError => userError('EMPLOYEE_NOT_ACTIVE', [...field], 'The employee has left the organisation.');

/** EMPLOYEE_NOT_ACTIVE: not employed (active or on leave) on `day`, e.g. before the start date. */
export const notEmployedOn = (field: Field, day: string): UserError =>
  userError('EMPLOYEE_NOT_ACTIVE', [...field], `The employee is not employed on ${day}.`);

export const departmentNotFound = (field: Field): UserError => userError('DEPARTMENT_NOT_FOUND', [...field], 'No department has this id.');

export const locationNotFound = (field: Field): UserError => userError('LOCATION_NOT_FOUND', [...field], 'No location has this id.');
