import type { CalendarDate } from '../shared/dates.js';
import type { DepartmentRow, DepartmentVersionRow, LocationRow } from './organisation.tables.js';

// Departments as of a day, worked out from their timelines. Pure: the loaders cache each
// department's whole timeline once per request, and any day is read off it without SQL.

/** The effective-dated fields of a department, as `department_versions.fields` names them. */
export const datedDepartmentFields = ['name', 'parentId', 'headId', 'costCentre'] as const;
export type DatedDepartmentField = (typeof datedDepartmentFields)[number];

/** The dated fields in force on one day. */
export interface DepartmentState {
  name: string;
  parentId: string | null;
  headId: string | null;
  costCentre: string | null;
}

/** A department with every version, oldest first (by effective date, then recording order). */
export interface DepartmentTimeline {
  row: DepartmentRow;
  versions: readonly DepartmentVersionRow[];
}

/** A department as resolvers see it: the stored row plus its dated fields on `asOf`, the day it was read for. */
export interface DepartmentModel extends DepartmentRow, DepartmentState {
  asOf: CalendarDate;
  /** The first day the department exists (its earliest version). */
  existsFrom: CalendarDate;
}

/** A location as resolvers see it (locations are not effective-dated, only their archiving is). */
export type LocationModel = LocationRow;

/** The first day a department exists. */
export function existsFrom(timeline: DepartmentTimeline): CalendarDate {
  const first = timeline.versions[0];
  if (!first) throw new Error(`department ${timeline.row.id} has no version`);
  return first.effectiveFrom;
}

/**
 * The dated fields in force on `day`, folded from the sparse versions: each field takes the value
 * of the latest version on or before `day` that names it. Before the department exists, its first
 * version stands in (a record read for an earlier day still has a name).
 */
export function stateOn(timeline: DepartmentTimeline, day: CalendarDate): DepartmentState {
  const state: DepartmentState = { name: '', parentId: null, headId: null, costCentre: null };
  const [first] = timeline.versions;
  for (const version of timeline.versions) {
    if (version.effectiveFrom > day && version !== first) break;
    for (const field of version.fields) {
      if (field === 'name') state.name = version.name ?? state.name;
      else if (field === 'parentId') state.parentId = version.parentId;
      else if (field === 'headId') state.headId = version.headId;
      else if (field === 'costCentre') state.costCentre = version.costCentre;
    }
  }
  return state;
}

export function departmentOn(timeline: DepartmentTimeline, asOf: CalendarDate): DepartmentModel {
  return { ...timeline.row, ...stateOn(timeline, asOf), asOf, existsFrom: existsFrom(timeline) };
}

/** Archived on `day`: its archive date has come. */
export function isArchivedOn(unit: { archivedOn: CalendarDate | null }, day: CalendarDate): boolean {
  return unit.archivedOn !== null && unit.archivedOn <= day;
}

/** In use on `day`: created by then and not archived. */
export function isOpenOn(timeline: DepartmentTimeline, day: CalendarDate): boolean {
  return existsFrom(timeline) <= day && !isArchivedOn(timeline.row, day);
}

/** Names are unique whatever their case and spacing: "Sales " and "sales" would read as one department. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
