// The time-off domain's public surface. Resolvers, the seed and other domains import from here.
export * from './timeoff.queries.js';
export * from './timeoff.approvals.js';
export * from './timeoff.requests.js';
export * from './timeoff.decisions.js';
export * from './timeoff.adjustments.js';
