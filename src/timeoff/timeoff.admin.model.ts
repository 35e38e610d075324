import type { holidayCalendars, timeOffPolicyOverrides, timeOffPolicyRules } from './timeoff.tables.js';

// Row shapes the administration resolvers map GraphQL types onto (see codegen.ts mappers).

export type TimeOffPolicyRuleRow = typeof timeOffPolicyRules.$inferSelect;
export type TimeOffPolicyOverrideRow = typeof timeOffPolicyOverrides.$inferSelect;
export type HolidayCalendarRow = typeof holidayCalendars.$inferSelect;
