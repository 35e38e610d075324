import type { CalendarDate } from '../shared/dates.js';
import { existsFrom, isArchivedOn, isOpenOn, nameKey, stateOn, type DepartmentState, type DepartmentTimeline } from './organisation.model.js';

// The department tree on any day, and what a change must keep on every day it holds: a parent
// that exists and is not archived, no cycle, and no two departments with one name. Departments
// are few (tens to hundreds) and change rarely, so every timeline is in memory and each day a
// change could break is checked, as the reporting line is checked for managers.

export interface OpenDepartment extends DepartmentState {
  id: string;
}

/** The departments in use on `day` (created, not archived), with their dated fields then. */
export function openDepartmentsOn(timelines: readonly DepartmentTimeline[], day: CalendarDate): Map<string, OpenDepartment> {
  const open = new Map<string, OpenDepartment>();
  for (const timeline of timelines) {
    if (isOpenOn(timeline, day)) open.set(timeline.row.id, { id: timeline.row.id, ...stateOn(timeline, day) });
  }
  return open;
}

/** Ids of `rootId` and every department below it on `day` (the root first). */
export function subtreeOn(open: ReadonlyMap<string, OpenDepartment>, rootId: string): string[] {
  const childrenOf = new Map<string, string[]>();
  for (const department of open.values()) {
    if (department.parentId === null) continue;
    childrenOf.set(department.parentId, [...(childrenOf.get(department.parentId) ?? []), department.id]);
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  const queue = [rootId];
  while (queue.length > 0) {
    const id = queue.shift();
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
    queue.push(...(childrenOf.get(id) ?? []));
  }
  return ids;
}

export type TreeProblem =
  | { kind: 'PARENT_NOT_YET_CREATED'; day: CalendarDate; parentId: string; parentExistsFrom: CalendarDate }
  | { kind: 'PARENT_ARCHIVED'; day: CalendarDate; parentId: string }
  | { kind: 'CYCLE'; day: CalendarDate; parentId: string }
  | { kind: 'DUPLICATE_NAME'; day: CalendarDate; name: string }
  | { kind: 'CHILDREN_LEFT'; day: CalendarDate; childIds: string[] };

/** Every day from `from` on where the tree can differ from the day before: the days to check. */
function daysToCheck(timelines: readonly DepartmentTimeline[], from: CalendarDate): CalendarDate[] {
  const days = new Set<CalendarDate>([from]);
  for (const timeline of timelines) {
    for (const version of timeline.versions) if (version.effectiveFrom > from) days.add(version.effectiveFrom);
    if (timeline.row.archivedOn !== null && timeline.row.archivedOn > from) days.add(timeline.row.archivedOn);
  }
  return [...days].sort();
}

/**
 * The first problem that involves department `departmentId` on `from` or any later day, with the
 * timelines as they would be after the change (null: none). Problems elsewhere in the tree are
 * not this change's to answer for.
 */
export function findTreeProblem(timelines: readonly DepartmentTimeline[], departmentId: string, from: CalendarDate): TreeProblem | null {
  const byId = new Map(timelines.map((timeline) => [timeline.row.id, timeline]));
  const subject = byId.get(departmentId);
  if (!subject) return null;
  for (const day of daysToCheck(timelines, from)) {
    const open = openDepartmentsOn(timelines, day);
    const department = open.get(departmentId);
    if (department) {
      const problem = parentProblem(open, byId, department, day) ?? nameProblem(open, department, day);
      if (problem) return problem;
    } else if (isArchivedOn(subject.row, day)) {
      const childIds = [...open.values()].filter((other) => other.parentId === departmentId).map((other) => other.id);
      if (childIds.length > 0) return { kind: 'CHILDREN_LEFT', day, childIds };
    }
  }
  return null;
}

function parentProblem(
  open: ReadonlyMap<string, OpenDepartment>,
  byId: ReadonlyMap<string, DepartmentTimeline>,
  department: OpenDepartment,
  day: CalendarDate,
): TreeProblem | null {
  const { parentId } = department;
  if (parentId === null) return null;
  if (!open.has(parentId)) {
    const parent = byId.get(parentId);
    if (parent && existsFrom(parent) > day) return { kind: 'PARENT_NOT_YET_CREATED', day, parentId, parentExistsFrom: existsFrom(parent) };
    return { kind: 'PARENT_ARCHIVED', day, parentId };
  }
  // Walk up from the parent: meeting the department again is a cycle. Bounded by the number of
  // departments, so a cycle elsewhere (written by hand) cannot loop forever.
  let current: string | null = parentId;
  for (let steps = 0; current !== null && steps <= open.size; steps += 1) {
    if (current === department.id) return { kind: 'CYCLE', day, parentId };
    current = open.get(current)?.parentId ?? null;
  }
  return null;
}

function nameProblem(open: ReadonlyMap<string, OpenDepartment>, department: OpenDepartment, day: CalendarDate): TreeProblem | null {
  const key = nameKey(department.name);
  for (const other of open.values()) {
    if (other.id !== department.id && nameKey(other.name) === key) return { kind: 'DUPLICATE_NAME', day, name: other.name };
  }
  return null;
}
