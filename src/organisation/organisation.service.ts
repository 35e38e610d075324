// The organisation domain's public surface: reads (with the "Organisation" rules) and changes of
// departments and locations. Resolvers and other domains import from here.
export * from './organisation.queries.js';
export * from './organisation.departments.js';
export * from './organisation.locations.js';
