import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid } from '../shared/ids.js';
import type { EmployeeRecord, JobState } from './employee.model.js';
import {
  countDirectReports,
  findChanges,
  findAllReportIds,
  findDirectReportIds,
  findEmployeesByEmails,
  findEmployeesByIds,
  findJobStates,
  findPersonalData,
  findReportingChains,
} from './employee.store.js';
import type { EmployeeChangeRow, EmployeePersonalDataRow } from './employee.tables.js';
import { groupBy } from '../shared/collections.js';

/** A key for data that depends on the day it is read for. */
export interface DatedKey {
  key: string;
  asOf: CalendarDate;
}

const datedCacheKey = ({ key, asOf }: DatedKey): string => `${asOf}|${key}`;

/** Batches dated keys into one query per distinct day (in practice: one). */
function datedLoader<V>(
  load: (keys: string[], asOf: CalendarDate) => Promise<Map<string, V>>,
  missing: V,
): DataLoader<DatedKey, V, string> {
  return new DataLoader<DatedKey, V, string>(
    async (requests) => {
      const byDay = new Map<CalendarDate, Set<string>>();
      for (const { key, asOf } of requests) {
        const keys = byDay.get(asOf) ?? new Set<string>();
        keys.add(key);
        byDay.set(asOf, keys);
      }
      const results = new Map<string, V>();
      for (const [asOf, keys] of byDay) {
        const found = await load([...keys], asOf);
        for (const [key, value] of found) results.set(datedCacheKey({ key, asOf }), value);
      }
      return requests.map((request) => results.get(datedCacheKey(request)) ?? missing);
    },
    { cacheKeyFn: datedCacheKey, maxBatchSize: 5000 },
  );
}


/** Per-request loaders: every employee read in a request goes through these, so lists never cost N+1. */
export function createEmployeeLoaders(db: Database) {
  const byId = datedLoader<EmployeeRecord | null>(async (ids, asOf) => {
    const records = await findEmployeesByIds(db, ids.filter(isUuid), asOf);
    return new Map(records.map((record) => [record.id, record]));
  }, null);

  const byEmail = datedLoader<EmployeeRecord | null>(async (emails, asOf) => {
    const records = await findEmployeesByEmails(db, emails, asOf);
    for (const record of records) byId.prime({ key: record.id, asOf }, record);
    // Keys arrive as asked; match them case-insensitively.
    const byLowerEmail = new Map(records.map((record) => [record.email.toLowerCase(), record]));
    return new Map(emails.map((email) => [email, byLowerEmail.get(email.toLowerCase()) ?? null]));
  }, null);

  const jobState = datedLoader<JobState | null>((ids, asOf) => findJobStates(db, ids.filter(isUuid), asOf), null);

  const directReportIds = datedLoader<string[]>(async (managerIds, asOf) => {
    const rows = await findDirectReportIds(db, managerIds, asOf);
    const grouped = groupBy(rows, (row) => row.managerId);
    return new Map([...grouped].map(([managerId, group]) => [managerId, group.map((row) => row.employeeId)]));
  }, []);

  const directReportCount = datedLoader<number>(
    (managerIds, asOf) => countDirectReports(db, managerIds, asOf),
    0,
  );

  const reportingChainIds = datedLoader<string[]>(async (ids, asOf) => {
    const rows = await findReportingChains(db, ids, asOf);
    const grouped = groupBy(rows, (row) => row.employeeId);
    return new Map([...grouped].map(([id, group]) => [id, group.map((row) => row.managerId)]));
  }, []);

  const allReportIds = datedLoader<string[]>(async (managerIds, asOf) => {
    const grouped = groupBy(await findAllReportIds(db, managerIds, asOf), (row) => row.managerId);
    return new Map([...grouped].map(([managerId, group]) => [managerId, group.map((row) => row.employeeId)]));
  }, []);

  const personalData = new DataLoader<string, EmployeePersonalDataRow | null>(async (ids) => {
    const rows = await findPersonalData(db, ids);
    const byEmployee = new Map(rows.map((row) => [row.employeeId, row]));
    return ids.map((id) => byEmployee.get(id) ?? null);
  });

  const history = new DataLoader<string, EmployeeChangeRow[]>(async (ids) => {
    const grouped = groupBy(await findChanges(db, ids), (row) => row.employeeId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  return {
    byId,
    byEmail,
    jobState,
    directReportIds,
    directReportCount,
    reportingChainIds,
    allReportIds,
    personalData,
    history,
  };
}

export type EmployeeLoaders = ReturnType<typeof createEmployeeLoaders>;
