// The employee domain's public surface: reads (with the permission matrix) and changes (with
// their rules and transactions). Resolvers and other domains import from here.
export * from './employee.queries.js';
export * from './employee.commands.js';
// Correcting a hire date, and the interface other domains' records that hang on it implement.
export { correctHireDate, hireDateConflict, type HireDateCorrection, type HireDateDependent } from './employee.hire-date.js';
// Employment on a day, as other domains read it (no permission checks: facts for their rules).
export * from './employment.js';
export { displayNameOf } from './employee.model.js';
// For other domains' SQL that lists rows by person, and for the demo seed's "is it empty?".
export { countEmployeesStored, employeeNames } from './employee.store.js';
