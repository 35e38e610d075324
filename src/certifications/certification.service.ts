// The certification domain's entry points: reads, catalog writes and record changes.
export * from './certification.queries.js';
export * from './certification.catalog.js';
export * from './certification.commands.js';
export * from './certification.decisions.js';
