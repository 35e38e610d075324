import type { Database } from '../../db/database.js';
import { byKeyLoader, groupedLoader } from '../../shared/loaders.js';
import type { Holiday } from '../calendar.js';
import type { HolidayCalendarRow, TimeOffPolicyOverrideRecord, TimeOffPolicyRuleSetRow } from './model.js';
import * as adminStore from './store.js';

// Per-request loaders of time-off administration: a list of policies or employees asking for
// their rules, overrides or holidays costs one statement per batch.

export function createTimeOffAdminLoaders(db: Database) {
  return {
    policyRuleSets: groupedLoader<TimeOffPolicyRuleSetRow>((ids) => adminStore.findRuleSetsOfPolicies(db, ids), (row) => row.policyId),
    policyOverrides: groupedLoader<TimeOffPolicyOverrideRecord>((ids) => adminStore.findOverridesOfPolicies(db, ids), (row) => row.policyId),
    employeeOverrides: groupedLoader<TimeOffPolicyOverrideRecord>((ids) => adminStore.findOverridesOfEmployees(db, ids), (row) => row.employeeId),
    /** The holiday calendar of each location (at most one). */
    calendarOfLocation: byKeyLoader<HolidayCalendarRow>((ids) => adminStore.findCalendars(db, ids), (row) => row.locationId),
    holidaysOfCalendar: groupedLoader<Holiday & { calendarId: string }>(
      (ids) => adminStore.findHolidaysOfCalendars(db, ids),
      (row) => row.calendarId,
    ),
  };
}
