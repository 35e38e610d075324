import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { groupBy } from '../shared/collections.js';
import { byIdLoader, datedLoader, groupedLoader, partitionedLoader } from '../shared/loaders.js';
import { loadAvailability, type AvailabilityDayModel } from './availability.js';
import { loadBalances, type Balance } from './balance.js';
import { createTimeOffAdminLoaders } from './admin/loaders.js';
import * as store from './timeoff.store.js';
import type {
  TimeOffAdjustmentRow,
  TimeOffDecisionRow,
  TimeOffPolicyRow,
  TimeOffRequestDayRow,
  TimeOffRequestRow,
  TimeOffRequestSummary,
  TimeOffStatusValue,
} from './timeoff.tables.js';

/** A key for an employee's requests in a range. */
export interface RequestRangeKey {
  employeeId: string;
  from: CalendarDate | null;
  to: CalendarDate | null;
  statuses: readonly TimeOffStatusValue[] | null;
}

/** The range and statuses, whoever asks: keys that share them batch into one statement. */
const rangeOf = (key: RequestRangeKey): string =>
  `${key.from ?? ''}|${key.to ?? ''}|${key.statuses ? [...key.statuses].sort().join(',') : '*'}`;

/** Per-request loaders of the time-off domain: lists of employees or requests never cost N+1. */
export function createTimeOffLoaders(db: Database) {
  const request = byIdLoader<TimeOffRequestRow>((ids) => store.findRequestsByIds(db, ids));

  const policy = byIdLoader<TimeOffPolicyRow>((ids) => store.findPoliciesByIds(db, ids));

  const days = groupedLoader<TimeOffRequestDayRow>((ids) => store.findDaysOfRequests(db, ids), (row) => row.requestId);

  const decisions = groupedLoader<TimeOffDecisionRow>((ids) => store.findDecisionsOfRequests(db, ids), (row) => row.requestId);

  /** Every adjustment of an employee's balances, latest effective first; filtered by the caller. */
  const adjustmentsOf = groupedLoader<TimeOffAdjustmentRow>((ids) => store.findAdjustments(db, ids), (row) => row.employeeId);

  /** Balances by employee (the key), batched per day asked for (in practice one). */
  const balances = datedLoader<Balance[]>((employeeIds, asOf) => loadBalances(db, employeeIds, asOf), []);

  /** Requests by employee and range: one statement per distinct range (in practice one). */
  const requestsOf = partitionedLoader<RequestRangeKey, TimeOffRequestSummary[]>({
    idOf: (key) => key.employeeId,
    argumentsOf: rangeOf,
    load: async (employeeIds, range) => groupBy(await store.findRequestsOfEmployees(db, employeeIds, range), (row) => row.employeeId),
    missing: [],
  });

  /** Availability by employee, one batch per distinct range and statuses (in practice one). */
  const availability = partitionedLoader<RequestRangeKey, AvailabilityDayModel[]>({
    idOf: (key) => key.employeeId,
    argumentsOf: rangeOf,
    load: async (employeeIds, { from, to, statuses }) =>
      from && to ? loadAvailability(db, employeeIds, from, to, statuses ?? ['APPROVED']) : new Map(),
    missing: [],
  });

  return {
    availability,
    request,
    policy,
    days,
    decisions,
    balances,
    requestsOf,
    adjustmentsOf,
    ...createTimeOffAdminLoaders(db),
  };
}

export type TimeOffLoaders = ReturnType<typeof createTimeOffLoaders>;
