// The certification domain's entry points: reads, catalog writes and record changes.
export * from './certification.queries.js';
export * from './certification.catalog.js';
export * from './certification.commands.js';
export * from './certification.decisions.js';
// What a person may do with certifications (the portal's `me`).
export { certificationCapabilities } from './certification.capabilities.js';
// For the demo seed and the operation cost rule.
export { catalogMatchKeys } from './catalog-matching.js';
export { defaultExpiry, plusDays } from './certification.status.js';
export { maxResults as maxQualifiedEmployees } from './qualification.js';
// For courses that prepare for a certification (training).
export type { CertificationCatalogRow } from './certification.tables.js';
