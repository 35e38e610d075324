// The organisation domain's public surface (departments and locations): other domains and the
// seed import from here.
export { findDepartments, findLocations, insertDepartment, insertLocation, listDepartments, listLocations } from './organisation.store.js';
export type { DepartmentRow, LocationRow } from './organisation.tables.js';
