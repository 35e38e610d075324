import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { groupBy } from '../shared/collections.js';
import { isUuid } from '../shared/ids.js';
import { loadAvailability, type AvailabilityDayModel } from './availability.js';
import { loadBalances, type Balance } from './balance.js';
import { createTimeOffAdminLoaders } from './timeoff.admin.loaders.js';
import * as store from './timeoff.store.js';
import type {
  TimeOffAdjustmentRow,
  TimeOffDecisionRow,
  TimeOffPolicyRow,
  TimeOffRequestDayRow,
  TimeOffRequestRow,
  TimeOffStatusValue,
} from './timeoff.tables.js';

/** A key for an employee's requests in a range. */
export interface RequestRangeKey {
  employeeId: string;
  from: CalendarDate | null;
  to: CalendarDate | null;
  statuses: readonly TimeOffStatusValue[] | null;
}

const rangeCacheKey = (key: RequestRangeKey): string =>
  `${key.employeeId}|${key.from ?? ''}|${key.to ?? ''}|${key.statuses ? [...key.statuses].sort().join(',') : '*'}`;


/** Per-request loaders of the time-off domain: lists of employees or requests never cost N+1. */
export function createTimeOffLoaders(db: Database) {
  const timeOffRequest = new DataLoader<string, TimeOffRequestRow | null>(async (ids) => {
    const rows = await store.findRequestsByIds(db, ids.filter(isUuid));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const timeOffPolicy = new DataLoader<string, TimeOffPolicyRow | null>(async (ids) => {
    const rows = await store.findPoliciesByIds(db, ids.filter(isUuid));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const timeOffDays = new DataLoader<string, TimeOffRequestDayRow[]>(async (ids) => {
    const grouped = groupBy(await store.findDaysOfRequests(db, ids), (row) => row.requestId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  const timeOffDecisions = new DataLoader<string, TimeOffDecisionRow[]>(async (ids) => {
    const grouped = groupBy(await store.findDecisionsOfRequests(db, ids), (row) => row.requestId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  /** Balances by employee, batched per day asked for (in practice one). */
  /** Every adjustment of an employee's balances, latest effective first; filtered by the caller. */
  const timeOffAdjustmentsOf = new DataLoader<string, TimeOffAdjustmentRow[]>(async (employeeIds) => {
    const byEmployee = groupBy(await store.findAdjustments(db, employeeIds.filter(isUuid)), (row) => row.employeeId);
    return employeeIds.map((id) => byEmployee.get(id) ?? []);
  });

  const timeOffBalances = new DataLoader<{ employeeId: string; asOf: CalendarDate }, Balance[], string>(
    async (keys) => {
      const byDay = new Map<CalendarDate, string[]>();
      for (const { employeeId, asOf } of keys) byDay.set(asOf, [...(byDay.get(asOf) ?? []), employeeId]);
      const results = new Map<string, Balance[]>();
      for (const [asOf, ids] of byDay) {
        const balances = await loadBalances(db, [...new Set(ids)], asOf);
        for (const [id, list] of balances) results.set(`${asOf}|${id}`, list);
      }
      return keys.map(({ employeeId, asOf }) => results.get(`${asOf}|${employeeId}`) ?? []);
    },
    { cacheKeyFn: ({ employeeId, asOf }) => `${asOf}|${employeeId}`, maxBatchSize: 5000 },
  );

  /** Requests by employee and range: one statement per distinct range (in practice one). */
  const timeOffRequestsOf = new DataLoader<RequestRangeKey, TimeOffRequestRow[], string>(
    async (keys) => {
      const byRange = groupBy(keys, (key) => rangeCacheKey({ ...key, employeeId: '' }));
      const results = new Map<string, TimeOffRequestRow[]>();
      for (const group of byRange.values()) {
        const first = group[0];
        if (!first) continue;
        const rows = await store.findRequestsOfEmployees(
          db,
          group.map((key) => key.employeeId),
          first,
        );
        for (const row of rows) timeOffRequest.prime(row.id, row);
        const grouped = groupBy(rows, (row) => row.employeeId);
        for (const key of group) results.set(rangeCacheKey(key), grouped.get(key.employeeId) ?? []);
      }
      return keys.map((key) => results.get(rangeCacheKey(key)) ?? []);
    },
    { cacheKeyFn: rangeCacheKey, maxBatchSize: 5000 },
  );

  /** Availability by employee, one batch per distinct range and statuses (in practice one). */
  const timeOffAvailability = new DataLoader<RequestRangeKey, AvailabilityDayModel[], string>(
    async (keys) => {
      const byRange = groupBy(keys, (key) => rangeCacheKey({ ...key, employeeId: '' }));
      const results = new Map<string, AvailabilityDayModel[]>();
      for (const group of byRange.values()) {
        const first = group[0];
        if (!first?.from || !first.to) continue;
        const days = await loadAvailability(
          db,
          [...new Set(group.map((key) => key.employeeId))],
          first.from,
          first.to,
          first.statuses ?? ['APPROVED'],
        );
        for (const key of group) results.set(rangeCacheKey(key), days.get(key.employeeId) ?? []);
      }
      return keys.map((key) => results.get(rangeCacheKey(key)) ?? []);
    },
    { cacheKeyFn: rangeCacheKey, maxBatchSize: 5000 },
  );

  return {
    timeOffAvailability,
    timeOffRequest,
    timeOffPolicy,
    timeOffDays,
    timeOffDecisions,
    timeOffBalances,
    timeOffRequestsOf,
    timeOffAdjustmentsOf,
    ...createTimeOffAdminLoaders(db),
  };
}

export type TimeOffLoaders = ReturnType<typeof createTimeOffLoaders>;
