import { and, asc, desc, eq, getTableColumns, inArray, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { columnsReader, compiledRead, placeholder, type RawRow } from '../db/compiled-read.js';
import { isAnyUuid, queryRows, type Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import {
  employedStatuses,
  terminalStatuses,
  type EmployedPerson,
  type EmployeeRecord,
  type EmployeeRecordTimes,
  type EmployeeRowTimestamp,
  type EmploymentTimeline,
  type JobField,
  type JobState,
} from './employee.model.js';
import {
  employeeChanges,
  employeeCurrentJobs,
  employeeCurrentJobsDay,
  employeeJobChanges,
  employeePersonalData,
  employees,
  employeeNumberSequence,
  employeeSearchText,
  type EmployeeChangeRow,
  type EmployeePersonalDataRow,
  type EmployeeRow,
  type EmploymentStatusValue,
  type EmploymentTypeValue,
  type FieldChangeValue,
} from './employee.tables.js';

// Data access for employees: SQL only, no rules. Every read is set-based so loaders can batch it.

const jc = employeeJobChanges;

/** `(…)` list of the terminal statuses, for `in` / `not in` in raw SQL: built from the one set. */
const terminalStatusList = sql`${[...terminalStatuses]}`;

/** The latest value of one job field on or before the day the enclosing query filters to. */
function latestValue<T>(column: AnyPgColumn, field: JobField): SQL<T | null> {
  return sql<T | null>`(array_agg(${column} order by ${jc.effectiveFrom} desc, ${jc.sequence} desc) filter (where ${field} = any(${jc.fields})))[1]`;
}

/**
 * Which employees a job-state query covers: all, a list of ids, the ids a subquery selects, the
 * few ids a subquery selects (`few`: the search's candidates), or the ids of a `uuid[]` expression
 * (`anyOf`).
 */
type EmployeeScope = readonly string[] | { select: SQL } | { few: SQL } | { anyOf: SQL } | undefined;

function scopeCondition(column: AnyPgColumn, scope: EmployeeScope): SQL | undefined {
  if (scope === undefined) return undefined;
  if ('few' in scope) return isAnyOf(column, scope.few);
  if ('anyOf' in scope) return sql`${column} = any(${scope.anyOf})`;
  return 'select' in scope ? inArray(column, scope.select) : isAnyUuid(column, scope);
}

/** A day as a value, or as the placeholder of a compiled read (`compiledRead`). */
type Day = CalendarDate | Placeholder<string, CalendarDate>;

/**
 * `column = any(array(subquery))`: the subquery runs once, and the planner, taking an array for
 * a few values, looks each up by index. With `in (subquery)` it guesses a share of the table
 * (for a search, hundreds of rows where there are a dozen) and hashes it after a full scan.
 */
function isAnyOf(column: AnyPgColumn, subquery: SQL): SQL {
  return sql`${column} = any(array(${subquery}))`;
}

const cj = employeeCurrentJobs;
/** The day `employee_current_jobs` holds, as a scalar subquery. */
const currentJobsDay = sql`(select ${employeeCurrentJobsDay.asOf} from ${employeeCurrentJobsDay})`;

/** Job state folded from the history on `asOf`: one aggregate over the sparse timeline. */
function foldedJobState(db: Database, asOf: Day, scope: EmployeeScope, condition?: SQL) {
  return db
    .select({
      employeeId: jc.employeeId,
      status: latestValue<EmploymentStatusValue>(jc.status, 'status').as('status'),
      jobTitle: latestValue<string>(jc.jobTitle, 'jobTitle').as('job_title'),
      departmentId: latestValue<string>(jc.departmentId, 'departmentId').as('department_id'),
      locationId: latestValue<string>(jc.locationId, 'locationId').as('location_id'),
      employmentType: latestValue<EmploymentTypeValue>(jc.employmentType, 'employmentType').as('employment_type'),
      managerId: latestValue<string>(jc.managerId, 'managerId').as('manager_id'),
      terminationDate: sql<
        string | null
      >`(array_agg(case when ${jc.status} in ${terminalStatusList} then ${jc.effectiveFrom} end order by ${jc.effectiveFrom} desc, ${jc.sequence} desc) filter (where 'status' = any(${jc.fields})))[1]`.as(
        'termination_date',
      ),
    })
    .from(jc)
    .where(and(lte(jc.effectiveFrom, asOf), scopeCondition(jc.employeeId, scope), condition))
    .groupBy(jc.employeeId);
}

/**
 * Job state of every employee (or of a scope) on `asOf`, output columns snake_case so raw CTEs
 * can use it too. One statement, two branches of which PostgreSQL runs one (each guarded by a
 * one-time condition on the day): the maintained `employee_current_jobs` when `asOf` is the day it
 * holds (today, normally), else the history folded on `asOf`. So every reader gets the fast path
 * on today without knowing about it, and another day (or a table not yet rolled to today) still
 * reads the record.
 */
function jobStateQuery(db: Database, asOf: Day, scope?: EmployeeScope) {
  return foldedJobState(db, asOf, scope, sql`${currentJobsDay} is distinct from ${asOf}::date`).unionAll(
      db
        .select({
          employeeId: cj.employeeId,
          status: sql<EmploymentStatusValue | null>`${cj.status}`.as('status'),
          jobTitle: sql<string | null>`${cj.jobTitle}`.as('job_title'),
          departmentId: sql<string | null>`${cj.departmentId}`.as('department_id'),
          locationId: sql<string | null>`${cj.locationId}`.as('location_id'),
          employmentType: sql<EmploymentTypeValue | null>`${cj.employmentType}`.as('employment_type'),
          managerId: sql<string | null>`${cj.managerId}`.as('manager_id'),
          terminationDate: sql<string | null>`${cj.terminationDate}`.as('termination_date'),
        })
        .from(cj)
        .where(and(scopeCondition(cj.employeeId, scope), sql`${currentJobsDay} = ${asOf}::date`)),
    );
}

type JobStateQuery = ReturnType<typeof jobStateQuery>;

/**
 * A walk along the reporting lines on `asOf` (a recursive query), written once over `state`, a
 * relation with `jobStateQuery`'s columns, and run in one statement of two branches of which
 * PostgreSQL runs one, as `jobStateQuery`: on the day `employee_current_jobs` holds, over that
 * table itself, so the walk reads only the people it reaches (through the manager and status
 * indexes); on another day over the history folded into a CTE. `reportsOf(manager)` is a lateral
 * FROM item (join it `on true`): the rows of `state` whose manager is `manager`.
 */
function reportingWalk(db: Database, asOf: CalendarDate, walk: (state: SQL, reportsOf: (manager: SQL) => SQL) => SQL): SQL {
  // `offset 0` keeps the lookup per row: flattened into a join, the planner (which guesses a
  // recursive step's rows badly) hashes the whole table instead, growing with the company. For
  // walks bounded by a small result (the org chart's levels, at most `maxRows`).
  const indexedReports = (manager: SQL) => sql`lateral (select * from ${cj} r where r.manager_id = ${manager} offset 0)`;
  const foldedReports = (manager: SQL) => sql`lateral (select * from state r where r.manager_id = ${manager})`;
  return sql`select * from (${walk(sql`${cj}`, indexedReports)}) as walk where ${currentJobsDay} = ${asOf}::date
    union all
    select * from (with state as (${foldedJobState(db, asOf, undefined)}) select * from (${walk(sql`state`, foldedReports)}) as walk) as walk
      where ${currentJobsDay} is distinct from ${asOf}::date`;
}

function jobColumns(job: ReturnType<JobStateQuery['as']>) {
  return {
    status: job.status,
    jobTitle: job.jobTitle,
    departmentId: job.departmentId,
    locationId: job.locationId,
    employmentType: job.employmentType,
    managerId: job.managerId,
    terminationDate: job.terminationDate,
    present: job.employeeId,
  };
}

/** The employee columns a record holds (see `EmployeeRecord`), for every read that makes records. */
const { createdAt: _createdAt, updatedAt: _updatedAt, accessSuspendedAt: _accessSuspendedAt, ...recordColumns } = getTableColumns(employees);

interface JoinedRow {
  employee: Omit<EmployeeRow, EmployeeRowTimestamp>;
  // Null (as a whole) when the employee has no job record yet on the day.
  job: (JobState & { present: string | null }) | null;
}

function toRecord(row: JoinedRow, asOf: CalendarDate): EmployeeRecord {
  if (!row.job?.present) return { ...row.employee, asOf, job: null };
  const { present: _present, ...job } = row.job;
  return { ...row.employee, asOf, job };
}

function selectEmployeesWithJob(db: Database, asOf: CalendarDate, scope?: EmployeeScope) {
  const job = jobStateQuery(db, asOf, scope).as('job');
  return {
    job,
    query: db
      .select({ employee: recordColumns, job: jobColumns(job) })
      .from(employees)
      .leftJoin(job, eq(job.employeeId, employees.id)),
  };
}

/**
 * Employees and their job on a day, the columns the hot reads (the Employee loader: PSA's
 * batches, Defend's lookups) decode by hand: the employee's own columns, then the job's.
 */
const employeeRow = columnsReader(recordColumns, sql`e`);
const { employeeId: _jobEmployee, ...jobStateColumns } = getTableColumns(employeeCurrentJobs);
const jobRow = columnsReader(jobStateColumns, sql`job`, employeeRow.end);
/** Where the row says whether the employee has a job record on the day (null: none yet). */
const jobPresent = jobRow.end;

function decodeEmployeeWithJob(row: RawRow, asOf: CalendarDate): EmployeeRecord {
  // One object per employee (and one for the job): a batch decodes hundreds of them.
  return Object.assign(employeeRow.decode(row), { asOf, job: row[jobPresent] === null ? null : jobRow.decode(row) });
}

function employeesWithJobWhere(db: Database, scope: EmployeeScope, condition: SQL): SQL {
  const job = jobStateQuery(db, placeholder<CalendarDate>('asOf'), scope);
  return sql`select ${employeeRow.select}, ${jobRow.select}, job.employee_id
    from ${employees} e left join (${job}) job on job.employee_id = e.id
    where ${condition}`;
}

const employeesByIds = compiledRead<{ ids: string[]; asOf: CalendarDate }>(
  'employees_by_ids',
  (db) => {
    // The ids bound once and named: PostgreSQL parses an array parameter each time it appears in
    // a statement (about 0.8 ms per 1,000 uuids: the calendar's 944 employees took 2.3 ms three
    // times over), and postgres.js serialises it each time too.
    const ids = sql`(select ids from asked)::uuid[]`;
    return sql`with asked as (select ${placeholder<string[]>('ids')}::uuid[] as ids)
      ${employeesWithJobWhere(db, { anyOf: ids }, sql`e.id = any(${ids})`)}`;
  },
);

/**
 * Employees by e-mail, and their managers on the day. A lookup by e-mail is one person (Defend's
 * and Legal's flows), and Defend asks for the manager with it: read in the same statement, the
 * manager costs no second round trip (issue 14: Defend's lookup was two statements to the floor's one).
 *
 * The e-mails reach the planner only through subqueries (`any(array(select …))`), like the people
 * they find: PostgreSQL then costs the statement the same whatever the values, so after its first
 * few runs on a connection it keeps one generic plan instead of planning each lookup anew (about
 * 0.8 ms per lookup, four times the lookup itself).
 */
const employeesByEmailsWithManagers = compiledRead<{ emails: string[]; asOf: CalendarDate }>(
  'employees_by_emails_with_managers',
  (db) => {
    const asOf = placeholder<CalendarDate>('asOf');
    const emails = sql`array(select unnest(${placeholder<string[]>('emails')}::text[]))`;
    const askedJobs = jobStateQuery(db, asOf, { few: sql`select id from asked` });
    const job = jobStateQuery(db, asOf, { few: sql`select id from people` });
    return sql`with asked as (select ${employees.id} from ${employees} where lower(${employees.email}) = any(${emails})),
      people as (select id from asked union select manager_id from (${askedJobs}) asked_job where manager_id is not null)
      select ${employeeRow.select}, ${jobRow.select}, job.employee_id
      from ${employees} e left join (${job}) job on job.employee_id = e.id
      where e.id = any(array(select id from people))`;
  },
);

export async function findEmployeesByIds(
  db: Database,
  ids: readonly string[],
  asOf: CalendarDate,
): Promise<EmployeeRecord[]> {
  if (ids.length === 0) return [];
  const rows = await employeesByIds(db, { ids: [...ids], asOf });
  return rows.map((row) => decodeEmployeeWithJob(row, asOf));
}

/**
 * Every employee with their job on `asOf` (null before their first record): one statement, for
 * set-based work over the whole organisation (who a review cycle or a training rule covers).
 */
export async function findEveryoneOn(db: Database, asOf: CalendarDate): Promise<EmployeeRecord[]> {
  const { query } = selectEmployeesWithJob(db, asOf);
  const rows = await query;
  return rows.map((row) => toRecord(row, asOf));
}

/** The employees with these e-mails (any case), and the managers they have on `asOf`, in no order. */
export async function findEmployeesByEmailsWithManagers(
  db: Database,
  emails: readonly string[],
  asOf: CalendarDate,
): Promise<EmployeeRecord[]> {
  if (emails.length === 0) return [];
  const rows = await employeesByEmailsWithManagers(db, { emails: emails.map((email) => email.toLowerCase()), asOf });
  return rows.map((row) => decodeEmployeeWithJob(row, asOf));
}

/**
 * Everyone employed (ACTIVE or ON_LEAVE) on `asOf`, or those of `employeeIds` who are, with the
 * job fields rules about groups of people are decided on. One statement, ordered by name.
 */
export async function findEmployedOn(db: Database, asOf: CalendarDate, employeeIds?: readonly string[]): Promise<EmployedPerson[]> {
  if (employeeIds?.length === 0) return [];
  const { job, query } = selectEmployeesWithJob(db, asOf, employeeIds);
  const rows = await query
    .where(and(inArray(job.status, [...employedStatuses]), employeeIds ? inArray(employees.id, [...employeeIds]) : undefined))
    .orderBy(asc(employees.lastName), asc(employees.firstName), asc(employees.id));
  return rows.map(({ employee, job: state }) => ({
    id: employee.id,
    hubUserId: employee.hubUserId,
    email: employee.email,
    firstName: employee.firstName,
    lastName: employee.lastName,
    preferredName: employee.preferredName,
    hireDate: employee.hireDate,
    departmentId: state?.departmentId ?? null,
    locationId: state?.locationId ?? null,
    employmentType: state?.employmentType ?? null,
  }));
}

export async function findJobStates(
  db: Database,
  ids: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, JobState>> {
  if (ids.length === 0) return new Map();
  const rows = await jobStateQuery(db, asOf, ids);
  return new Map(rows.map(({ employeeId, ...state }) => [employeeId, state]));
}

/**
 * Each employee's location and status timelines: every change effective on or before `to`,
 * oldest first, so the value on any day up to `to` can be read off them. One statement for any
 * number of employees.
 */
export async function findEmploymentTimelines(
  db: Database,
  employeeIds: readonly string[],
  to: CalendarDate,
): Promise<Map<string, EmploymentTimeline>> {
  const result = new Map<string, EmploymentTimeline>();
  if (employeeIds.length === 0) return result;
  const rows = await db
    .select({
      employeeId: jc.employeeId,
      effectiveFrom: jc.effectiveFrom,
      fields: jc.fields,
      locationId: jc.locationId,
      status: jc.status,
    })
    .from(jc)
    .where(and(inArray(jc.employeeId, [...employeeIds]), lte(jc.effectiveFrom, to)))
    .orderBy(asc(jc.effectiveFrom), asc(jc.sequence));
  for (const id of employeeIds) result.set(id, { locations: [], statuses: [] });
  for (const row of rows) {
    const timeline = result.get(row.employeeId);
    if (!timeline) continue;
    if (row.fields.includes('locationId')) timeline.locations.push({ from: row.effectiveFrom, locationId: row.locationId });
    if (row.fields.includes('status') && row.status) timeline.statuses.push({ from: row.effectiveFrom, status: row.status });
  }
  return result;
}

export async function findHireDate(db: Database, employeeId: string): Promise<CalendarDate | null> {
  const rows = await db.select({ hireDate: employees.hireDate }).from(employees).where(eq(employees.id, employeeId));
  return rows[0]?.hireDate ?? null;
}

/** Direct reports of each manager on `asOf`, ordered by name. */
/**
 * Employees who reported to one of `managerIds` at some time: the only ones who can on a given
 * day. Narrows the job-state aggregate to them (through the manager index) instead of everyone.
 */
function everReportedTo(managerIds: readonly string[]): EmployeeScope {
  return { select: sql`(select ${jc.employeeId} from ${jc} where ${inArray(jc.managerId, [...managerIds])})` };
}

export async function findDirectReportIds(
  db: Database,
  managerIds: readonly string[],
  asOf: CalendarDate,
): Promise<{ managerId: string; employeeId: string }[]> {
  if (managerIds.length === 0) return [];
  const job = jobStateQuery(db, asOf, everReportedTo(managerIds)).as('job');
  const rows = await db
    .select({ managerId: job.managerId, employeeId: employees.id })
    .from(job)
    .innerJoin(employees, eq(employees.id, job.employeeId))
    .where(inArray(job.managerId, [...managerIds]))
    .orderBy(asc(employees.lastName), asc(employees.firstName), asc(employees.id));
  return rows.flatMap((row) => (row.managerId ? [{ managerId: row.managerId, employeeId: row.employeeId }] : []));
}

// Guards recursive walks against a cycle that slipped past validation (e.g. written by hand).
const maxChainLength = 64;

/** Each employee's managers on `asOf`, level 1 being the direct manager. One recursive query for all. */
export async function findReportingChains(
  db: Database,
  ids: readonly string[],
  asOf: CalendarDate,
): Promise<{ employeeId: string; managerId: string; level: number }[]> {
  if (ids.length === 0) return [];
  return queryRows(
    db,
    sql`select * from (${reportingWalk(
      db,
      asOf,
      (state) => sql`with recursive chain as (
        select s.employee_id as origin, s.manager_id as ancestor, 1 as level
          from ${state} s where s.employee_id in ${[...ids]} and s.manager_id is not null
        union all
        select c.origin, s.manager_id, c.level + 1
          from chain c join ${state} s on s.employee_id = c.ancestor
          where s.manager_id is not null and c.level < ${maxChainLength}
      )
      select origin as "employeeId", ancestor as "managerId", level from chain`,
    )}) as chain order by "employeeId", level`,
  );
}

/** Everyone below each of `managerIds` on `asOf` (direct and indirect reports). One recursive query. */
export async function findAllReportIds(
  db: Database,
  managerIds: readonly string[],
  asOf: CalendarDate,
): Promise<{ managerId: string; employeeId: string }[]> {
  if (managerIds.length === 0) return [];
  return queryRows(
    db,
    reportingWalk(
      db,
      asOf,
      // Not `reportsOf`: a walk to everyone below reads much of the table, which one hash of it
      // (built once for all steps) does faster than a lookup per person.
      (state) => sql`with recursive below as (
        select manager_id as top, employee_id from ${state} where manager_id in ${[...managerIds]}
        union
        select b.top, s.employee_id from ${state} s join below b on s.manager_id = b.employee_id
      )
      select top as "managerId", employee_id as "employeeId" from below`,
    ),
  );
}

/** Every employee below `managerId` on `asOf`, as an SQL condition on `employees.id`. */
function isBelowManager(db: Database, managerId: string, asOf: CalendarDate): SQL {
  return sql`${employees.id} in (select employee_id from (${reportingWalk(
    db,
    asOf,
    // A join, not `reportsOf`, as in findAllReportIds.
    (state) => sql`with recursive below as (
      select employee_id from ${state} where manager_id = ${managerId}
      union
      select s.employee_id from ${state} s join below b on s.manager_id = b.employee_id
    )
    select employee_id from below`,
  )}) as below)`;
}

export interface OrgTreeRow {
  employeeId: string;
  managerId: string | null;
  depth: number;
}

/**
 * The reporting tree on `asOf` from `rootId` (or from everyone without a manager), `maxDepth`
 * levels down, leaving out people who have left, at most `maxRows` of it (the first levels
 * first). One recursive query; PostgreSQL stops recursing once it has `maxRows`.
 */
export async function findOrgTree(
  db: Database,
  rootId: string | null,
  maxDepth: number,
  asOf: CalendarDate,
  maxRows: number,
): Promise<OrgTreeRow[]> {
  // Without a root: everyone with no manager, or whose manager has left (so nobody drops out of the
  // chart). Two lookups (the manager index for null, the status index for who has left), not a
  // pass over everyone.
  const roots = (state: SQL, reportsOf: (manager: SQL) => SQL) =>
    rootId
      ? sql`select s.employee_id, s.manager_id from ${state} s where s.employee_id = ${rootId} and s.status not in ${terminalStatusList}`
      : sql`select s.employee_id, s.manager_id from ${state} s where s.manager_id is null and s.status not in ${terminalStatusList}
          union all
          select s.employee_id, s.manager_id from ${state} m join ${reportsOf(sql`m.employee_id`)} s on true
            where m.status in ${terminalStatusList} and s.status not in ${terminalStatusList}`;
  return queryRows(
    db,
    sql`select t.employee_id as "employeeId", t.manager_id as "managerId", t.depth
      from (${reportingWalk(
        db,
        asOf,
        (state, reportsOf) => sql`with recursive tree as (
          select r.employee_id, r.manager_id, 0 as depth from (${roots(state, reportsOf)}) r
          union all
          select s.employee_id, s.manager_id, t.depth + 1 from tree t
            join ${reportsOf(sql`t.employee_id`)} s on true
            where t.depth < ${maxDepth} and s.status not in ${terminalStatusList}
        )
        select * from tree limit ${maxRows}`,
      )}) t
      cross join lateral (select e.id, e.last_name, e.first_name from employees e where e.id = t.employee_id offset 0) e
      order by t.depth, e.last_name, e.first_name, e.id`,
  );
}

/** How many employed direct reports each manager has on `asOf`. */
export async function countDirectReports(
  db: Database,
  managerIds: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, number>> {
  if (managerIds.length === 0) return new Map();
  const job = jobStateQuery(db, asOf, everReportedTo(managerIds)).as('job');
  const rows = await db
    .select({ managerId: job.managerId, count: sql<number>`count(*)::int` })
    .from(job)
    .where(and(inArray(job.managerId, [...managerIds]), sql`${job.status} not in ${terminalStatusList}`))
    .groupBy(job.managerId);
  return new Map(rows.flatMap((row) => (row.managerId ? [[row.managerId, row.count] as const] : [])));
}

export type EmployeeSortField = 'NAME' | 'HIRE_DATE' | 'EMPLOYEE_NUMBER' | 'EMAIL';
export type SortDirection = 'ASC' | 'DESC';

/** Columns of each sort order; the last is always the id, so every order is total and cursors are stable. */
export const sortKeys: Record<EmployeeSortField, readonly AnyPgColumn[]> = {
  NAME: [employees.lastName, employees.firstName, employees.id],
  HIRE_DATE: [employees.hireDate, employees.id],
  EMPLOYEE_NUMBER: [employees.employeeNumber, employees.id],
  EMAIL: [employees.email, employees.id],
};

export function sortValuesOf(record: EmployeeRecord, field: EmployeeSortField): string[] {
  switch (field) {
    case 'NAME':
      return [record.lastName, record.firstName, record.id];
    case 'HIRE_DATE':
      return [record.hireDate, record.id];
    case 'EMPLOYEE_NUMBER':
      return [record.employeeNumber, record.id];
    case 'EMAIL':
      return [record.email, record.id];
  }
}

export interface EmployeeListCriteria {
  asOf: CalendarDate;
  statuses?: readonly EmploymentStatusValue[] | null;
  departmentIds?: readonly string[] | null;
  locationIds?: readonly string[] | null;
  employmentTypes?: readonly EmploymentTypeValue[] | null;
  managerId?: string | null;
  includeIndirectReports?: boolean | null;
  searchTerms?: readonly string[];
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function listConditions(
  db: Database,
  job: ReturnType<JobStateQuery['as']>,
  criteria: EmployeeListCriteria,
): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (criteria.statuses?.length) conditions.push(inArray(job.status, [...criteria.statuses]));
  if (criteria.departmentIds?.length) conditions.push(inArray(job.departmentId, [...criteria.departmentIds]));
  if (criteria.locationIds?.length) conditions.push(inArray(job.locationId, [...criteria.locationIds]));
  if (criteria.employmentTypes?.length) conditions.push(inArray(job.employmentType, [...criteria.employmentTypes]));
  if (criteria.managerId) {
    conditions.push(
      criteria.includeIndirectReports
        ? isBelowManager(db, criteria.managerId, criteria.asOf)
        : eq(job.managerId, criteria.managerId),
    );
  }
  const candidates = searchCandidates(criteria.searchTerms);
  if (candidates) conditions.push(isAnyOf(employees.id, candidates));
  for (const term of criteria.searchTerms ?? []) {
    const pattern = `%${escapeLike(term)}%`;
    conditions.push(
      or(
        sql`${employees.firstName} ilike ${pattern}`,
        sql`${employees.lastName} ilike ${pattern}`,
        sql`coalesce(${employees.preferredName}, '') ilike ${pattern}`,
        sql`${employees.email} ilike ${pattern}`,
        sql`${employees.employeeNumber} ilike ${pattern}`,
        sql`coalesce(${job.jobTitle}, '') ilike ${pattern}`,
      ),
    );
  }
  return and(...conditions);
}

/**
 * The employees who can match every search term, found through the trigram indexes: those whose
 * searchable columns (`employeeSearchText`) or any job title they ever had (so every day's title
 * is covered) contain the term. A superset of the matches, which the per-column conditions then
 * narrow; null without terms. Lets a search read its few candidates instead of everyone.
 */
function searchCandidates(terms: readonly string[] | undefined): SQL | null {
  if (!terms?.length) return null;
  const perTerm = terms.map((term) => {
    const pattern = `%${escapeLike(term)}%`;
    return sql`(select ${employees.id} from ${employees} where ${employeeSearchText(employees)} ilike ${pattern}
      union select ${jc.employeeId} from ${jc} where ${jc.jobTitle} ilike ${pattern})`;
  });
  return sql`(${sql.join(perTerm, sql` intersect `)})`;
}

/**
 * Whether a condition of `listConditions` reads the job state: as `filtersOnJob`, except that
 * everyone below a manager is a walk of its own, which does not.
 */
function conditionsReadJob(criteria: EmployeeListCriteria): boolean {
  return filtersOnJob({ ...criteria, managerId: criteria.includeIndirectReports ? null : criteria.managerId });
}

/** Whether a filter needs job fields, and so every employee's job state on the day. */
function filtersOnJob(criteria: EmployeeListCriteria): boolean {
  return Boolean(
    criteria.statuses?.length ||
      criteria.departmentIds?.length ||
      criteria.locationIds?.length ||
      criteria.employmentTypes?.length ||
      criteria.managerId ||
      criteria.searchTerms?.length,
  );
}

/**
 * A page of the directory, and, when the page is the first of a filter that needs job fields,
 * how many employees the filter matches in all (`total`, counted by the same statement: the
 * filter runs once, not again for `totalCount`). Otherwise `total` is null: count separately.
 */
export async function listEmployees(
  db: Database,
  criteria: EmployeeListCriteria,
  page: { sort: EmployeeSortField; direction: SortDirection; after: readonly string[] | null; limit: number },
): Promise<{ records: EmployeeRecord[]; total: number | null }> {
  const keys = sortKeys[page.sort];
  const afterCondition = page.after
    ? sql`(${sql.join([...keys], sql`, `)}) ${page.direction === 'ASC' ? sql`>` : sql`<`} (${sql.join(
        page.after.map((value) => sql`${value}`),
        sql`, `,
      )})`
    : undefined;
  const order = keys.map((column) => (page.direction === 'ASC' ? asc(column) : desc(column)));
  if (!filtersOnJob(criteria)) {
    // Sorting and paging use employee columns only: take the page through the sort index first
    // and work out the job state of those rows alone, so a page costs the same at any size.
    const pageIds = db.select({ id: employees.id }).from(employees).where(afterCondition).orderBy(...order).limit(page.limit);
    const { query } = selectEmployeesWithJob(db, criteria.asOf, { select: sql`(${pageIds})` });
    const rows = await query.where(inArray(employees.id, sql`(${pageIds})`)).orderBy(...order);
    return { records: rows.map((row) => toRecord(row, criteria.asOf)), total: null };
  }
  // A search needs the job state of its candidates only.
  const candidates = searchCandidates(criteria.searchTerms);
  const job = jobStateQuery(db, criteria.asOf, candidates ? { few: candidates } : undefined).as('job');
  // The filter, its count and the page's order over narrow rows (id, sort keys), without the job
  // state when no condition reads it (everyone below a manager): the filter reads everyone it
  // matches anyway, so counting them in the same pass is free, on the first page (after a cursor
  // the window would count only what follows it). Then the page's rows, at most `limit`, in full.
  const filtered = db
    .select({ id: employees.id, total: sql<number>`(count(*) over ())::int`.as('total') })
    .from(employees)
    .$dynamic();
  const matching = (conditionsReadJob(criteria) ? filtered.leftJoin(job, eq(job.employeeId, employees.id)) : filtered)
    .where(and(listConditions(db, job, criteria), afterCondition))
    .orderBy(...order)
    .limit(page.limit);
  const matched = db.$with('matched').as(matching);
  const pageJob = jobStateQuery(db, criteria.asOf, { select: sql`(select id from ${matched})` }).as('job');
  const rows = await db
    .with(matched)
    .select({ employee: employees, job: jobColumns(pageJob), total: matched.total })
    .from(matched)
    .innerJoin(employees, eq(employees.id, matched.id))
    .leftJoin(pageJob, eq(pageJob.employeeId, employees.id))
    .orderBy(...order);
  const records = rows.map((row) => toRecord(row, criteria.asOf));
  return { records, total: page.after ? null : (rows[0]?.total ?? 0) };
}

export async function countEmployees(db: Database, criteria: EmployeeListCriteria): Promise<number> {
  if (!filtersOnJob(criteria)) return countEmployeesStored(db);
  const candidates = searchCandidates(criteria.searchTerms);
  const job = jobStateQuery(db, criteria.asOf, candidates ? { few: candidates } : undefined).as('job');
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(employees)
    .leftJoin(job, eq(job.employeeId, employees.id))
    .where(listConditions(db, job, criteria));
  return rows[0]?.count ?? 0;
}

/**
 * Employees' names as a subquery that another domain joins on `id` to order its own rows by
 * person in the same statement (last name, first name, id: the directory's name order).
 */
export function employeeNames(db: Database) {
  return db
    .select({ id: employees.id, lastName: employees.lastName, firstName: employees.firstName })
    .from(employees)
    .as('employee_name');
}

/** When each employee's row was created and last changed (`EmployeeRecord` leaves them out). */
export async function findRecordTimes(db: Database, ids: readonly string[]): Promise<EmployeeRecordTimes[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: employees.id, createdAt: employees.createdAt, updatedAt: employees.updatedAt })
    .from(employees)
    .where(isAnyUuid(employees.id, ids));
}

export async function findPersonalData(
  db: Database,
  ids: readonly string[],
): Promise<EmployeePersonalDataRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(employeePersonalData).where(inArray(employeePersonalData.employeeId, [...ids]));
}

export async function findChanges(db: Database, employeeIds: readonly string[]): Promise<EmployeeChangeRow[]> {
  if (employeeIds.length === 0) return [];
  return db
    .select()
    .from(employeeChanges)
    .where(inArray(employeeChanges.employeeId, [...employeeIds]))
    .orderBy(desc(employeeChanges.sequence));
}

// ---- writes (always inside the caller's transaction) ----

/** Serialises changes to one employee; null when there is no such employee. */
export async function lockEmployee(db: Database, id: string): Promise<EmployeeRow | null> {
  const rows = await db.select().from(employees).where(eq(employees.id, id)).for('update');
  return rows[0] ?? null;
}

/** Serialises reporting-line changes, so two concurrent moves cannot build a cycle between them. */
export async function lockReportingLines(db: Database): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('people.reporting-lines'))`);
}

export async function nextEmployeeNumber(db: Database): Promise<string> {
  const rows = await queryRows<{ value: string }>(db, sql`select nextval(${employeeNumberSequence.seqName})::text as value`);
  return `E${(rows[0]?.value ?? '').padStart(6, '0')}`;
}

export async function findConflictingIdentity(
  db: Database,
  candidate: { email?: string | undefined; employeeNumber?: string | undefined; hubUserId?: string | null | undefined },
  exceptId?: string,
): Promise<Pick<EmployeeRow, 'id' | 'email' | 'employeeNumber' | 'hubUserId'>[]> {
  const matches: SQL[] = [];
  if (candidate.email) matches.push(sql`lower(${employees.email}) = ${candidate.email.toLowerCase()}`);
  if (candidate.employeeNumber) matches.push(eq(employees.employeeNumber, candidate.employeeNumber));
  if (candidate.hubUserId) matches.push(eq(employees.hubUserId, candidate.hubUserId));
  if (matches.length === 0) return [];
  return db
    .select({
      id: employees.id,
      email: employees.email,
      employeeNumber: employees.employeeNumber,
      hubUserId: employees.hubUserId,
    })
    .from(employees)
    .where(and(or(...matches), exceptId ? sql`${employees.id} <> ${exceptId}` : undefined));
}

export async function insertEmployee(db: Database, values: typeof employees.$inferInsert): Promise<EmployeeRow> {
  const [row] = await db.insert(employees).values(values).returning();
  if (!row) throw new Error('insert into employees returned no row');
  return row;
}

export async function updateEmployeeRow(
  db: Database,
  id: string,
  values: Partial<typeof employees.$inferInsert>,
): Promise<void> {
  await db
    .update(employees)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(employees.id, id));
}

export async function upsertPersonalData(
  db: Database,
  employeeId: string,
  values: Partial<Omit<typeof employeePersonalData.$inferInsert, 'employeeId'>>,
): Promise<void> {
  await db
    .insert(employeePersonalData)
    .values({ employeeId, ...values })
    .onConflictDoUpdate({ target: employeePersonalData.employeeId, set: values });
}

export async function insertChange(
  db: Database,
  values: {
    employeeId: string;
    kind: EmployeeChangeRow['kind'];
    recordedBy: string;
    effectiveFrom: CalendarDate;
    reason: string | null;
    changes: FieldChangeValue[];
  },
): Promise<string> {
  const [row] = await db.insert(employeeChanges).values(values).returning({ id: employeeChanges.id });
  if (!row) throw new Error('insert into employee_changes returned no row');
  return row.id;
}

export type JobChangeValues = Partial<Omit<JobState, 'terminationDate'>>;

export async function insertJobChange(
  db: Database,
  employeeId: string,
  changeId: string,
  effectiveFrom: CalendarDate,
  values: JobChangeValues,
): Promise<void> {
  const fields = Object.keys(values) as JobField[];
  await db.insert(jc).values({ employeeId, changeId, effectiveFrom, fields, ...values });
  await refreshCurrentJobs(db, [employeeId]);
}

/** Every status change of one employee in timeline order. */
export async function findStatusTimeline(
  db: Database,
  employeeId: string,
): Promise<{ effectiveFrom: CalendarDate; status: EmploymentStatusValue }[]> {
  const rows = await db
    .select({ effectiveFrom: jc.effectiveFrom, status: jc.status })
    .from(jc)
    .where(and(eq(jc.employeeId, employeeId), sql`'status' = any(${jc.fields})`))
    .orderBy(asc(jc.effectiveFrom), asc(jc.sequence));
  return rows.flatMap((row) => (row.status ? [{ effectiveFrom: row.effectiveFrom, status: row.status }] : []));
}

/** The status change a history row (`employee_changes`) put on the timeline, and whether its lifecycle event went out. */
export async function findStatusChange(
  db: Database,
  employeeId: string,
  changeId: string,
): Promise<{ id: string; effectiveFrom: CalendarDate; status: EmploymentStatusValue; announced: boolean } | null> {
  const rows = await db
    .select({ id: jc.id, effectiveFrom: jc.effectiveFrom, status: jc.status, processedAt: jc.lifecycleProcessedAt })
    .from(jc)
    .where(and(eq(jc.employeeId, employeeId), eq(jc.changeId, changeId), sql`'status' = any(${jc.fields})`));
  const row = rows[0];
  return row?.status ? { id: row.id, effectiveFrom: row.effectiveFrom, status: row.status, announced: row.processedAt !== null } : null;
}

/** Takes a scheduled job change off the timeline (its history row stays, and a new one says why). */
export async function deleteJobChange(db: Database, jobChangeId: string): Promise<void> {
  const deleted = await db.delete(jc).where(eq(jc.id, jobChangeId)).returning({ employeeId: jc.employeeId });
  await refreshCurrentJobs(db, deleted.map((row) => row.employeeId));
}

/** Days after `after` on which anyone's manager changes: a new reporting line must be acyclic on each. */
export async function findLaterManagerChangeDates(db: Database, after: CalendarDate): Promise<CalendarDate[]> {
  const rows = await db
    .selectDistinct({ effectiveFrom: jc.effectiveFrom })
    .from(jc)
    .where(and(sql`${jc.effectiveFrom} > ${after}`, sql`'managerId' = any(${jc.fields})`))
    .orderBy(asc(jc.effectiveFrom));
  return rows.map((row) => row.effectiveFrom);
}

export async function countEmployeesStored(db: Database): Promise<number> {
  const rows = await db.select({ count: sql<number>`count(*)::int` }).from(employees);
  return rows[0]?.count ?? 0;
}

/** What ties each employee to a person (id, login e-mail, Hub link): the separation-of-duties check reads it. */
export async function findEmployeeIdentities(
  db: Database,
  ids: readonly string[],
): Promise<Pick<EmployeeRow, 'id' | 'email' | 'hubUserId'>[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: employees.id, email: employees.email, hubUserId: employees.hubUserId })
    .from(employees)
    .where(inArray(employees.id, [...ids]));
}

/**
 * The employee a signed-in person is: the one linked to their Hub user id, else the one with
 * their work e-mail that is linked to no Hub user yet. Returns their status on `asOf` so a
 * leaver's token can be refused.
 */
export async function findEmployeeForIdentity(
  db: Database,
  identity: { hubUserId: string; email: string },
  asOf: CalendarDate,
): Promise<{ id: string; status: EmploymentStatusValue | null; accessSuspended: boolean } | null> {
  const rows = await db
    .select({ id: employees.id, hubUserId: employees.hubUserId, accessSuspendedAt: employees.accessSuspendedAt })
    .from(employees)
    .where(or(eq(employees.hubUserId, identity.hubUserId), sql`lower(${employees.email}) = ${identity.email.toLowerCase()}`));
  // The Hub link decides. The e-mail stands in only for a record linked to nobody yet: one
  // linked to another Hub user belongs to that user, whatever e-mail this token carries.
  const match = rows.find((row) => row.hubUserId === identity.hubUserId) ?? rows.find((row) => row.hubUserId === null);
  if (!match) return null;
  const state = (await findJobStates(db, [match.id], asOf)).get(match.id);
  return { id: match.id, status: state?.status ?? null, accessSuspended: match.accessSuspendedAt !== null };
}

/** Suspends (an instant) or restores (null) the employee's People access; the caller holds the employee's lock. */
export async function setAccessSuspended(db: Database, employeeId: string, at: Date | null): Promise<void> {
  await db.update(employees).set({ accessSuspendedAt: at }).where(eq(employees.id, employeeId));
}

export interface DueStatusChange {
  id: string;
  employeeId: string;
  hubUserId: string | null;
  effectiveFrom: CalendarDate;
  status: EmploymentStatusValue;
  previousStatus: EmploymentStatusValue | null;
}

/**
 * Status changes in effect by `today` whose lifecycle event is not out yet, locked for this
 * transaction; rows another replica is processing are skipped, so each is handled once.
 */
export async function claimDueStatusChanges(
  db: Database,
  today: CalendarDate,
  limit: number,
  employeeId?: string,
): Promise<DueStatusChange[]> {
  const claimed = await db
    .select({ id: jc.id })
    .from(jc)
    .where(
      and(
        sql`${jc.lifecycleProcessedAt} is null and 'status' = any(${jc.fields})`,
        lte(jc.effectiveFrom, today),
        employeeId ? eq(jc.employeeId, employeeId) : undefined,
      ),
    )
    .orderBy(asc(jc.effectiveFrom), asc(jc.sequence))
    .limit(limit)
    .for('update', { skipLocked: true });
  if (claimed.length === 0) return [];
  const ids = claimed.map((row) => row.id);
  return queryRows<DueStatusChange>(
    db,
    sql`select t.id, t.employee_id as "employeeId", e.hub_user_id as "hubUserId",
        t.effective_from::text as "effectiveFrom", t.status, t.previous_status as "previousStatus"
      from (
        select id, employee_id, effective_from, sequence, status,
          lag(status) over (partition by employee_id order by effective_from, sequence) as previous_status
        from ${jc}
        where 'status' = any(fields) and employee_id in (select employee_id from ${jc} where id in ${ids})
      ) t
      join ${employees} e on e.id = t.employee_id
      where t.id in ${ids}
      order by t.effective_from, t.sequence`,
  );
}

export async function markLifecycleProcessed(db: Database, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(jc).set({ lifecycleProcessedAt: sql`now()` }).where(inArray(jc.id, [...ids]));
}

// ---- people by department or location (for the organisation domain, through employment.ts)

/** The job field that places someone in a department or a location. */
export type OrganisationUnitField = 'departmentId' | 'locationId';

const unitColumns = { departmentId: jc.departmentId, locationId: jc.locationId } as const;
const unitStateColumns = { departmentId: sql.raw('department_id'), locationId: sql.raw('location_id') } as const;

/** Employees who were ever in one of the units: the only ones who can be on a given day. */
function everIn(unit: OrganisationUnitField, unitIds: readonly string[]): EmployeeScope {
  return { select: sql`(select ${jc.employeeId} from ${jc} where ${inArray(unitColumns[unit], [...unitIds])})` };
}

/**
 * How many people each unit has on `asOf`: `employed` (ACTIVE or ON_LEAVE) and `notLeft`
 * (employed or PRE_HIRE). One statement for any number of units.
 */
export async function countPeopleByUnit(
  db: Database,
  unit: OrganisationUnitField,
  unitIds: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, { employed: number; notLeft: number }>> {
  if (unitIds.length === 0) return new Map();
  const column = unitStateColumns[unit];
  const rows = await queryRows<{ unitId: string; employed: number; notLeft: number }>(
    db,
    sql`with state as (${jobStateQuery(db, asOf, everIn(unit, unitIds))})
      select ${column} as "unitId",
        (count(*) filter (where status in ${sql`${[...employedStatuses]}`}))::int as "employed",
        (count(*) filter (where status not in ${terminalStatusList}))::int as "notLeft"
      from state
      where ${column} in ${[...unitIds]} and status is not null
      group by ${column}`,
  );
  return new Map(rows.map((row) => [row.unitId, { employed: Number(row.employed), notLeft: Number(row.notLeft) }]));
}

export interface UnitMemberRow {
  unitId: string;
  employeeId: string;
  lastName: string;
  firstName: string;
}

/**
 * A page of each unit's people on `asOf` (everyone who has not left: PRE_HIRE, ACTIVE, ON_LEAVE),
 * by name, after `after` (last name, first name, id), at most `limit` each. One statement for any
 * number of units: a window over the units ranks each one's people.
 */
export async function listPeopleByUnit(
  db: Database,
  unit: OrganisationUnitField,
  unitIds: readonly string[],
  asOf: CalendarDate,
  page: { limit: number; after: readonly string[] | null },
): Promise<UnitMemberRow[]> {
  if (unitIds.length === 0 || page.limit <= 0) return [];
  const column = unitStateColumns[unit];
  const after = page.after
    ? sql`and (e.last_name, e.first_name, e.id) > (${sql.join(page.after.map((value) => sql`${value}`), sql`, `)})`
    : sql``;
  const rows = await queryRows<UnitMemberRow & { rank: number }>(
    db,
    sql`with state as (${jobStateQuery(db, asOf, everIn(unit, unitIds))})
      select "unitId", "employeeId", "lastName", "firstName" from (
        select s.${column} as "unitId", e.id as "employeeId", e.last_name as "lastName", e.first_name as "firstName",
          row_number() over (partition by s.${column} order by e.last_name, e.first_name, e.id) as rank
        from state s join ${employees} e on e.id = s.employee_id
        where s.${column} in ${[...unitIds]} and s.status is not null and s.status not in ${terminalStatusList} ${after}
      ) ranked
      where rank <= ${page.limit}
      order by "unitId", rank`,
  );
  return rows.map(({ unitId, employeeId, lastName, firstName }) => ({ unitId, employeeId, lastName, firstName }));
}

/** Every job change of the people who were ever in the unit, in timeline order per person. */
export async function findTimelinesOfUnitMembers(
  db: Database,
  unit: OrganisationUnitField,
  unitId: string,
): Promise<{ employeeId: string; effectiveFrom: CalendarDate; fields: string[]; unitId: string | null; status: EmploymentStatusValue | null }[]> {
  return db
    .select({ employeeId: jc.employeeId, effectiveFrom: jc.effectiveFrom, fields: jc.fields, unitId: unitColumns[unit], status: jc.status })
    .from(jc)
    .where(inArray(jc.employeeId, db.select({ id: jc.employeeId }).from(jc).where(eq(unitColumns[unit], unitId))))
    .orderBy(asc(jc.employeeId), asc(jc.effectiveFrom), asc(jc.sequence));
}

/** The first day after `after` on which the employee's department (or location) is set again; null if never. */
export async function findNextUnitChange(
  db: Database,
  employeeId: string,
  unit: OrganisationUnitField,
  after: CalendarDate,
): Promise<CalendarDate | null> {
  const rows = await db
    .select({ effectiveFrom: jc.effectiveFrom })
    .from(jc)
    .where(and(eq(jc.employeeId, employeeId), sql`${jc.effectiveFrom} > ${after}`, sql`${unit} = any(${jc.fields})`))
    .orderBy(asc(jc.effectiveFrom))
    .limit(1);
  return rows[0]?.effectiveFrom ?? null;
}

// ---- the hire and what hangs on it (hire-date correction)

export interface JobTimelineRow {
  id: string;
  sequence: number;
  changeId: string;
  changeKind: EmployeeChangeRow['kind'];
  effectiveFrom: CalendarDate;
  fields: string[];
  status: EmploymentStatusValue | null;
  lifecycleProcessedAt: Date | null;
}

/** One employee's whole job timeline, oldest first, with the kind of change each row belongs to. */
export async function findJobTimeline(db: Database, employeeId: string): Promise<JobTimelineRow[]> {
  return db
    .select({
      id: jc.id,
      sequence: jc.sequence,
      changeId: jc.changeId,
      changeKind: employeeChanges.kind,
      effectiveFrom: jc.effectiveFrom,
      fields: jc.fields,
      status: jc.status,
      lifecycleProcessedAt: jc.lifecycleProcessedAt,
    })
    .from(jc)
    .innerJoin(employeeChanges, eq(employeeChanges.id, jc.changeId))
    .where(eq(jc.employeeId, employeeId))
    .orderBy(asc(jc.effectiveFrom), asc(jc.sequence));
}

export async function updateJobChange(
  db: Database,
  id: string,
  values: { effectiveFrom?: CalendarDate; status?: EmploymentStatusValue; lifecycleProcessedAt?: Date | null },
): Promise<void> {
  const updated = await db.update(jc).set(values).where(eq(jc.id, id)).returning({ employeeId: jc.employeeId });
  if (values.effectiveFrom !== undefined || values.status !== undefined) await refreshCurrentJobs(db, updated.map((row) => row.employeeId));
}

// ---------------------------------------------------------------- current jobs (issue 14)

const currentJobColumns = sql.raw(
  '"employee_id", "status", "job_title", "department_id", "location_id", "employment_type", "manager_id", "termination_date"',
);

/** Replaces the current-job rows of a scope with the history folded on `day`. */
async function refoldCurrentJobs(db: Database, day: CalendarDate, scope: { select: SQL } | readonly string[]): Promise<void> {
  await db.delete(cj).where(scopeCondition(cj.employeeId, scope));
  // Column order: the folded query's keys are declared in the table's order.
  await db.execute(sql`insert into ${cj} (${currentJobColumns}) ${foldedJobState(db, day, scope)}`);
}

/**
 * Re-folds the current jobs of employees whose job history just changed, as of the day the
 * table holds, in the caller's transaction (every write of `employee_job_changes` goes through
 * this file and calls it). The day row is share-locked: a roll to another day waits for this
 * transaction to commit, and this one for a roll under way, so neither misses the other's rows.
 */
export async function refreshCurrentJobs(db: Database, employeeIds: readonly string[]): Promise<void> {
  if (employeeIds.length === 0) return;
  const [day] = await db.select({ asOf: employeeCurrentJobsDay.asOf }).from(employeeCurrentJobsDay).for('share');
  if (!day) return;
  await refoldCurrentJobs(db, day.asOf, employeeIds);
}

/**
 * Rolls `employee_current_jobs` to `day` (normally today, from the lifecycle scheduler): only
 * employees with a job change dated between the old day and the new one can differ, so only
 * they are re-folded. Either direction (a test clock may go back). Returns how many employees
 * were re-folded, or null when the table already held `day`.
 */
export async function rollCurrentJobs(db: Database, day: CalendarDate): Promise<number | null> {
  const [held] = await db.select({ asOf: employeeCurrentJobsDay.asOf }).from(employeeCurrentJobsDay).for('update');
  if (held?.asOf === day) return null;
  if (!held) {
    // No day yet (the migration writes one): fold everyone.
    await refoldCurrentJobs(db, day, { select: sql`(select ${employees.id} from ${employees})` });
    await db.insert(employeeCurrentJobsDay).values({ asOf: day });
    return countEmployeesStored(db);
  }
  const [low, high] = held.asOf < day ? [held.asOf, day] : [day, held.asOf];
  const affected = await db
    .selectDistinct({ employeeId: jc.employeeId })
    .from(jc)
    .where(and(sql`${jc.effectiveFrom} > ${low}`, lte(jc.effectiveFrom, high)));
  const ids = affected.map((row) => row.employeeId);
  if (ids.length > 0) await refoldCurrentJobs(db, day, ids);
  await db.update(employeeCurrentJobsDay).set({ asOf: day });
  return ids.length;
}

/** Folds every employee's current job on `day` afresh (after rows were written around the store, e.g. a bulk load). */
export async function rebuildCurrentJobs(db: Database, day: CalendarDate): Promise<void> {
  await db.select({ asOf: employeeCurrentJobsDay.asOf }).from(employeeCurrentJobsDay).for('update');
  await refoldCurrentJobs(db, day, { select: sql`(select ${employees.id} from ${employees})` });
  await db.insert(employeeCurrentJobsDay).values({ asOf: day }).onConflictDoUpdate({ target: employeeCurrentJobsDay.only, set: { asOf: day } });
}

/** Reporting lines to `managerId` that other employees' timelines start before `before`. */
export async function findReportLinesBefore(
  db: Database,
  managerId: string,
  before: CalendarDate,
): Promise<{ employeeId: string; effectiveFrom: CalendarDate }[]> {
  return db
    .select({ employeeId: jc.employeeId, effectiveFrom: jc.effectiveFrom })
    .from(jc)
    .where(and(eq(jc.managerId, managerId), sql`'managerId' = any(${jc.fields})`, sql`${jc.effectiveFrom} < ${before}`, sql`${jc.employeeId} <> ${managerId}`))
    .orderBy(asc(jc.effectiveFrom));
}
