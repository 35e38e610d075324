import { describeCaller } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { employedStatuses, findEmployeesByIds, findUnitMembersFrom, type FieldChangeValue } from '../employees/employee.service.js';
import type { ArchiveOrganisationUnitInput, CreateDepartmentInput, UpdateDepartmentInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { departmentNotFound, employeeNotFound, notEmployedOn } from '../shared/common-errors.js';
import type { CalendarDate } from '../shared/dates.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { assertMayAdministerOrganisation } from './organisation.access.js';
import { recordOrganisationChange, describeMembers } from './organisation.changes.js';
import {
  datedDepartmentFields,
  departmentOn,
  existsFrom,
  isArchivedOn,
  stateOn,
  type DepartmentModel,
  type DepartmentState,
  type DepartmentTimeline,
} from './organisation.model.js';
import * as store from './organisation.store.js';
import { findTreeProblem, type TreeProblem } from './organisation.tree.js';
import { parseArchive, parseCreateDepartment, parseUpdateDepartment } from './organisation.validation.js';

// Creating, changing and archiving departments. Every change takes the tree's lock first, then
// checks the tree on every day from its effective date on (organisation.tree.ts), and records its
// history row and `organisation.changed` event in the same transaction.

type DepartmentOutcome = Outcome<DepartmentModel>;

/** What a write returns: the department, and the day the payload reads it for (the change's). */
interface Written {
  id: string;
  asOf: CalendarDate;
}

const duplicateCode = (code?: string): UserError =>
  userError('DUPLICATE_DEPARTMENT_CODE', ['input', 'code'], `Another department already has the code${code ? ` ${code}` : ''}.`);

const departmentWrite = {
  uniqueViolations: { departments_code_unique: () => duplicateCode() },
  reload: (ctx: RequestContext, written: Written) => ctx.loaders.organisation.department.load({ key: written.id, asOf: written.asOf }),
} satisfies WriteOptions<Written, DepartmentModel>;

const textOf = (value: string | null | undefined): string | null => value ?? null;

/** A head must be an employee employed (ACTIVE or ON_LEAVE) on the day they start heading the department. */
async function checkHead(tx: Database, headId: string, day: CalendarDate): Promise<UserError[]> {
  const field = ['input', 'headId'];
  const [head] = await findEmployeesByIds(tx, [headId], day);
  if (!head) return [employeeNotFound(field)];
  const status = head.job?.status ?? null;
  return status !== null && employedStatuses.includes(status) ? [] : [notEmployedOn(field, day)];
}

function nameOn(timelines: readonly DepartmentTimeline[], id: string, day: CalendarDate): string {
  const timeline = timelines.find((candidate) => candidate.row.id === id);
  return timeline ? stateOn(timeline, day).name : id;
}

/** The user error a problem in the tree answers, worded with the departments' names on that day. */
function treeError(timelines: readonly DepartmentTimeline[], problem: TreeProblem): UserError {
  const parentField = ['input', 'parentId'];
  switch (problem.kind) {
    case 'PARENT_NOT_YET_CREATED':
      return userError(
        'NOT_YET_CREATED',
        parentField,
        `The parent department ${nameOn(timelines, problem.parentId, problem.day)} exists only from ${problem.parentExistsFrom}, after ${problem.day}.`,
      );
    case 'PARENT_ARCHIVED':
      return userError('ARCHIVED', parentField, `The parent department ${nameOn(timelines, problem.parentId, problem.day)} is archived on ${problem.day}.`);
    case 'CYCLE':
      return userError(
        'DEPARTMENT_CYCLE',
        parentField,
        `${nameOn(timelines, problem.parentId, problem.day)} sits below this department on ${problem.day}; that would make a cycle.`,
      );
    case 'DUPLICATE_NAME':
      return userError('DUPLICATE_DEPARTMENT_NAME', ['input', 'name'], `Another department is called "${problem.name}" on ${problem.day}.`);
    case 'CHILDREN_LEFT': {
      const names = problem.childIds.map((id) => nameOn(timelines, id, problem.day)).sort();
      return userError(
        'HAS_SUB_DEPARTMENTS',
        ['input', 'id'],
        `${names.length} department(s) still sit below it on ${problem.day}: ${names.join(', ')}. Move or archive them first.`,
      );
    }
  }
}

/** Re-reads every timeline (with this transaction's writes) and refuses the change if it breaks the tree. */
async function abortIfTreeBroken(tx: Database, departmentId: string, from: CalendarDate): Promise<void> {
  const timelines = await store.findDepartmentTimelines(tx);
  const problem = findTreeProblem(timelines, departmentId, from);
  if (problem) abort(treeError(timelines, problem));
}

export async function createDepartment(ctx: RequestContext, input: CreateDepartmentInput): Promise<DepartmentOutcome> {
  assertMayAdministerOrganisation(ctx);
  const { code, state, effectiveFrom, reason, errors } = parseCreateDepartment(input, ctx.today);
  if (errors.length > 0) return fail(...errors);
  const recordedBy = describeCaller(ctx.caller);

  return writeTransaction(ctx, async (tx): Promise<Written> => {
    await store.lockDepartmentTree(tx);
    const timelines = await store.findDepartmentTimelines(tx);
    if (timelines.some((timeline) => timeline.row.code === code)) abort(duplicateCode(code));
    if (state.parentId && !timelines.some((timeline) => timeline.row.id === state.parentId)) abort(departmentNotFound(['input', 'parentId']));
    if (state.headId) abortIf(await checkHead(tx, state.headId, effectiveFrom));

    const row = await store.insertDepartmentRow(tx, { code });
    const changes: FieldChangeValue[] = [
      { field: 'code', before: null, after: code },
      ...Object.entries(state).map(([field, after]) => ({ field, before: null, after: textOf(after) })),
    ];
    const changeId = await store.insertChange(tx, { unit: 'department', unitId: row.id, kind: 'CREATED', recordedBy, effectiveFrom, reason, changes });
    await store.insertVersion(tx, row.id, changeId, effectiveFrom, state);
    await abortIfTreeBroken(tx, row.id, effectiveFrom);
    await recordOrganisationChange(tx, { unit: 'DEPARTMENT', id: row.id, change: 'CREATED', fields: changes.map((change) => change.field), effectiveFrom });
    return { id: row.id, asOf: effectiveFrom };
  }, departmentWrite);
}

export async function updateDepartment(ctx: RequestContext, input: UpdateDepartmentInput): Promise<DepartmentOutcome> {
  assertMayAdministerOrganisation(ctx);
  const { id, dated, code, effectiveFrom, reason, errors } = parseUpdateDepartment(input, ctx.today);
  if (errors.length > 0) return fail(...errors);
  const recordedBy = describeCaller(ctx.caller);
  const dateField = ['input', 'effectiveFrom'];

  return writeTransaction(ctx, async (tx): Promise<Written> => {
    await store.lockDepartmentTree(tx);
    const timelines = await store.findDepartmentTimelines(tx);
    const department = timelines.find((timeline) => timeline.row.id === id);
    if (!department) abort(departmentNotFound(['input', 'id']));
    const changedFields: string[] = [];

    // The code is not dated: it changes at once, recorded as of today.
    if (code !== undefined && code !== department.row.code) {
      if (timelines.some((timeline) => timeline.row.code === code)) abort(duplicateCode(code));
      await store.updateDepartmentRow(tx, id, { code });
      const changes = [{ field: 'code', before: department.row.code, after: code }];
      await store.insertChange(tx, { unit: 'department', unitId: id, kind: 'UPDATED', recordedBy, effectiveFrom: ctx.today, reason, changes });
      changedFields.push('code');
    }

    const given = datedDepartmentFields.filter((field) => dated[field] !== undefined);
    if (given.length > 0) {
      const from = existsFrom(department);
      if (effectiveFrom < from) abort(userError('NOT_YET_CREATED', dateField, `The department exists from ${from}; a change cannot apply before.`));
      if (isArchivedOn(department.row, effectiveFrom)) {
        abort(userError('ARCHIVED', dateField, `The department is archived from ${department.row.archivedOn ?? ''}.`));
      }
      const before = stateOn(department, effectiveFrom);
      const values: Partial<DepartmentState> = {};
      const changes: FieldChangeValue[] = [];
      for (const field of given) {
        const next = dated[field] ?? null;
        if (next === before[field]) continue;
        Object.assign(values, { [field]: next });
        changes.push({ field, before: before[field], after: next });
      }
      if (values.parentId && !timelines.some((timeline) => timeline.row.id === values.parentId)) abort(departmentNotFound(['input', 'parentId']));
      if (values.headId) abortIf(await checkHead(tx, values.headId, effectiveFrom));
      if (changes.length > 0) {
        const changeId = await store.insertChange(tx, { unit: 'department', unitId: id, kind: 'UPDATED', recordedBy, effectiveFrom, reason, changes });
        await store.insertVersion(tx, id, changeId, effectiveFrom, values);
        await store.updateDepartmentRow(tx, id, {});
        await abortIfTreeBroken(tx, id, effectiveFrom);
        changedFields.push(...changes.map((change) => change.field));
      }
    }
    if (changedFields.length > 0) {
      const datedChange = changedFields.some((field) => field !== 'code');
      await recordOrganisationChange(tx, {
        unit: 'DEPARTMENT',
        id,
        change: 'UPDATED',
        fields: changedFields,
        effectiveFrom: datedChange ? effectiveFrom : ctx.today,
      });
    }
    return { id, asOf: effectiveFrom };
  }, departmentWrite);
}

export async function archiveDepartment(ctx: RequestContext, input: ArchiveOrganisationUnitInput): Promise<DepartmentOutcome> {
  assertMayAdministerOrganisation(ctx);
  const { id, effectiveFrom, reason, errors } = parseArchive(input, ctx.today, 'department');
  if (errors.length > 0) return fail(...errors);
  const recordedBy = describeCaller(ctx.caller);
  const dateField = ['input', 'effectiveFrom'];

  return writeTransaction(ctx, async (tx): Promise<Written> => {
    await store.lockDepartmentTree(tx);
    // The row's update lock waits for moves into the department in flight (they share-lock it), and holds off new ones.
    const row = await store.lockDepartmentRow(tx, id);
    const [department] = row ? await store.findDepartmentTimelines(tx, [id]) : [];
    if (!department) abort(departmentNotFound(['input', 'id']));
    if (department.row.archivedOn !== null) {
      abort(userError('ARCHIVED', ['input', 'id'], `The department is already archived from ${department.row.archivedOn}.`));
    }
    const from = existsFrom(department);
    if (effectiveFrom < from) abort(userError('NOT_YET_CREATED', dateField, `The department exists from ${from}; it cannot be archived before.`));
    const members = await findUnitMembersFrom(tx, 'departmentId', id, effectiveFrom);
    if (members.length > 0) {
      const name = departmentOn(department, effectiveFrom).name;
      abort(userError('HAS_MEMBERS', ['input', 'id'], await describeMembers(tx, members, `${name} on or after ${effectiveFrom}`, ctx.today)));
    }
    await store.updateDepartmentRow(tx, id, { archivedOn: effectiveFrom });
    await abortIfTreeBroken(tx, id, effectiveFrom);
    const changes = [{ field: 'archivedOn', before: null, after: effectiveFrom }];
    await store.insertChange(tx, { unit: 'department', unitId: id, kind: 'ARCHIVED', recordedBy, effectiveFrom, reason, changes });
    await recordOrganisationChange(tx, { unit: 'DEPARTMENT', id, change: 'ARCHIVED', fields: ['archivedOn'], effectiveFrom });
    return { id, asOf: effectiveFrom };
  }, departmentWrite);
}

