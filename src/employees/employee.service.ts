import { employmentStatus } from './employee.tables.js';

// The employee domain's public surface: reads (with the permission matrix) and changes (with
// their rules and transactions). Resolvers and other domains import from here.
export * from './employee.queries.js';
export * from './employee.commands.js';
// Status changes inside another domain's transaction (an offboarding schedules the leaving status).
export { recordStatusChange, cancelScheduledStatusChange, type StatusChangeInput, type ScheduledStatusCancellation } from './employee.status.js';
// Whether someone leaving on a day would leave reports behind (an emergency offboarding then schedules no leaving status).
export { checkNoReportsLeft } from './employee.rules.js';
// What other domains do when someone is hired or a status change is recorded (see ctx.employmentListeners).
export type { EmploymentListener, EmployeeCreated, HireDateCorrection, StatusChangeRecorded } from './employee.listeners.js';
// Correcting a hire date; the user error a listener answers when its records contradict the new one.
export { correctHireDate, hireDateConflict } from './employee.hire-date.js';
// Employment on a day, as other domains read it (no permission checks: facts for their rules).
export * from './employment.js';
export { displayNameOf } from './employee.model.js';
// Shapes other domains' records and answers reuse: a field's before and after in a history, an
// address, a page of employees (the organisation lists its people with it).
export type { AddressValue, FieldChangeValue } from './employee.tables.js';
export type { EmployeeConnectionModel } from './employee.connection.js';
// What a person may do with employees (the portal's `me`).
export { employeeCapabilities } from './employee.access.js';
// For other domains' SQL that lists rows by person, and for the demo seed's "is it empty?".
export { countEmployeesStored, employeeNames } from './employee.store.js';
// For auth (separation of duties) and Hub access tasks: what ties employees to a person (id,
// work e-mail, Hub user id); and linking at first sign-in.
export { findEmployeeIdentities } from './employee.store.js';
export { linkAtFirstSignIn } from './employee.identity.js';
/** Every employment status, in the database's order (the event catalog's enum). */
export const employmentStatusValues = employmentStatus.enumValues;
