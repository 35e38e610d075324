import type { CalendarDate } from '../../shared/dates.js';
import type { holidayCalendars, timeOffPolicyOverrides, timeOffPolicyRules, timeOffPolicyRuleSets } from '../timeoff.tables.js';

// Row shapes the administration resolvers map GraphQL types onto (see codegen.ts mappers).

export type TimeOffPolicyRuleRow = typeof timeOffPolicyRules.$inferSelect;
/** A rule set with its rules, as TimeOffPolicy.assignmentHistory shows it. */
export type TimeOffPolicyRuleSetRow = typeof timeOffPolicyRuleSets.$inferSelect & { rules: TimeOffPolicyRuleRow[] };
export type TimeOffPolicyOverrideRecord = typeof timeOffPolicyOverrides.$inferSelect;
/**
 * An override as shown: an assignment or exclusion (rows handing back to the rules only end the
 * one before them), with the day the next row of the employee and policy starts.
 */
export type TimeOffPolicyOverrideRow = Omit<TimeOffPolicyOverrideRecord, 'assigned'> & { assigned: boolean; until: CalendarDate | null };
export type HolidayCalendarRow = typeof holidayCalendars.$inferSelect;
