import type { Database } from '../db/database.js';
import { isUuid } from '../shared/ids.js';
import { byIdLoader, byKeyLoader, datedLoader, groupedLoader, partitionedLoader } from '../shared/loaders.js';
import type { EmployeeRecord, EmployeeRecordTimes, JobState } from './employee.model.js';
import {
  countDirectReports,
  countPeopleByUnit,
  findChanges,
  findAllReportIds,
  findDirectReportIds,
  findEmployeesByEmailsWithManagers,
  findEmployeesByIds,
  findJobStates,
  findPersonalData,
  findRecordTimes,
  findReportingChains,
  listPeopleByUnit,
  type OrganisationUnitField,
  type UnitMemberRow,
} from './employee.store.js';
import type { EmployeeChangeRow, EmployeePersonalDataRow } from './employee.tables.js';
import { groupBy } from '../shared/collections.js';
import type { CalendarDate } from '../shared/dates.js';

/** A department or location, and the day its people are read for. */
export interface UnitKey {
  unit: OrganisationUnitField;
  unitId: string;
  asOf: CalendarDate;
}

/** A page of a unit's people: `limit` after the name cursor `after`. */
export interface UnitPageKey extends UnitKey {
  limit: number;
  after: readonly string[] | null;
}

export interface UnitCount {
  employed: number;
  notLeft: number;
}

/** Per-request loaders: every employee read in a request goes through these, so lists never cost N+1. */
export function createEmployeeLoaders(db: Database) {
  const byId = datedLoader<EmployeeRecord | null>(async (ids, asOf) => {
    const records = await findEmployeesByIds(db, ids.filter(isUuid), asOf);
    return new Map(records.map((record) => [record.id, record]));
  }, null);

  const byEmail = datedLoader<EmployeeRecord | null>(async (emails, asOf) => {
    // Their managers come along (Defend asks for them): primed by id, so `manager` costs no statement.
    const records = await findEmployeesByEmailsWithManagers(db, emails, asOf);
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

  /** Asked for by `createdAt` and `updatedAt` only: records leave the row's timestamps out. */
  const recordTimes = byIdLoader<EmployeeRecordTimes>((ids) => findRecordTimes(db, ids));

  const personalData = byKeyLoader<EmployeePersonalDataRow>((ids) => findPersonalData(db, ids), (row) => row.employeeId);

  const history = groupedLoader<EmployeeChangeRow>((ids) => findChanges(db, ids), (row) => row.employeeId);

  /** People per department or location on a day: one statement per kind of unit and day, however many units. */
  const unitCount = partitionedLoader<UnitKey, UnitCount>({
    idOf: (key) => key.unitId,
    argumentsOf: (key) => `${key.unit}|${key.asOf}`,
    load: (unitIds, { unit, asOf }) => countPeopleByUnit(db, unit, unitIds, asOf),
    missing: { employed: 0, notLeft: 0 },
  });

  /** A page of each unit's people: one statement per kind of unit, day and page (the first pages of many units share one). */
  const unitPage = partitionedLoader<UnitPageKey, UnitMemberRow[]>({
    idOf: (key) => key.unitId,
    argumentsOf: (key) => JSON.stringify([key.unit, key.asOf, key.limit, key.after]),
    load: async (unitIds, { unit, asOf, limit, after }) => groupBy(await listPeopleByUnit(db, unit, unitIds, asOf, { limit, after }), (row) => row.unitId),
    missing: [],
  });

  return {
    byId,
    byEmail,
    jobState,
    directReportIds,
    directReportCount,
    reportingChainIds,
    allReportIds,
    recordTimes,
    personalData,
    history,
    unitCount,
    unitPage,
  };
}

export type EmployeeLoaders = ReturnType<typeof createEmployeeLoaders>;
