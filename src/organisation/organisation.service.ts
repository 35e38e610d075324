// The organisation domain's public surface: reads (with the "Organisation" rules) and changes of
// departments and locations, for the resolvers; and for other domains and the seed, the facts
// they need (no permission checks): placing someone in a department or location, the rows.
export * from './organisation.queries.js';
export * from './organisation.departments.js';
export * from './organisation.locations.js';
// What the organisation says when a hire date is corrected (an employment listener, wired in graphql/request-context.ts).
export { organisationEmploymentListener } from './organisation.hire-date.js';
export {
  findDepartments,
  findDepartmentTimelines,
  findLocations,
  insertDepartment,
  insertLocation,
  listDepartmentRows,
  listLocationRows,
  lockUnitsForAssignment,
  type AssignableUnit,
} from './organisation.store.js';
export { departmentOn } from './organisation.model.js';
export type { DepartmentModel, LocationModel } from './organisation.model.js';
export type { DepartmentRow, LocationRow } from './organisation.tables.js';
