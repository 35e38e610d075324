// The organisation domain's public surface for other domains: departments and locations by id
// (to check references inside their transactions).
export { findDepartments, findLocations } from './organisation.store.js';
