// The employee domain's public surface: reads (with the permission matrix) and changes (with
// their rules and transactions). Resolvers and other domains import from here.
export * from './employee.queries.js';
export * from './employee.commands.js';
