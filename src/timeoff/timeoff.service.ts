// The time-off domain's public surface. Resolvers, the seed and other domains import from here.
export * from './timeoff.queries.js';
export * from './timeoff.approvals.js';
export * from './timeoff.requests.js';
export * from './timeoff.decisions.js';
export * from './timeoff.adjustments.js';
// Working days from a day at a location (due dates of on- and offboarding tasks).
export { workingDaysFrom } from './working-days.js';
