// The time-off domain's public surface. Resolvers, the seed and other domains import from here.
export * from './timeoff.queries.js';
export * from './timeoff.approvals.js';
export * from './timeoff.requests.js';
export * from './timeoff.decisions.js';
export * from './timeoff.adjustments.js';
// What waits for a person, and what they may do (the portal's `me`).
export { pendingApprovalsFor } from './timeoff.inbox.js';
export { timeOffCapabilities } from './timeoff.capabilities.js';
// Working days and who is off, for other domains' rules (skill matching asks who is available).
export { addDays, daysBetween, isWeekend, yearOf, type Holiday } from './calendar.js';
export { findEmployeesOff } from './availability.js';
// What time off says when a hire date is corrected (an employment listener, wired in graphql/request-context.ts).
export { timeOffEmploymentListener } from './timeoff.hire-date.js';
// For the demo seed, which writes policies, rules and calendars as set-up data (no caller).
export { sinceAlways } from './policy-terms.js';
export { insertHolidayCalendar, insertPolicy, replaceRuleSet, upsertOverride } from './timeoff.store.js';
export type { ApprovalStep } from './timeoff.tables.js';
// Working days from a day at a location (due dates of on- and offboarding tasks).
export { workingDaysFrom } from './working-days.js';
