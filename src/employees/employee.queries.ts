import { GraphQLError } from 'graphql';
import { assertDirectoryAccess, forbidden } from '../auth/auth.service.js';
import type { EmployeeFilter, EmployeeSort } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { assertLookupAccess, canRead, employeeFieldGroups, mayFilterByEmployment, type EmployeeField } from './employee.access.js';
import { decodeCursor, encodeCursor, type EmployeeConnectionModel } from './employee.connection.js';
import { displayNameOf, type EmployeeRecord, type JobState, type OrgChartNodeModel } from './employee.model.js';
import * as store from './employee.store.js';
import type { OrganisationUnitField } from './employee.store.js';
import { pageSize } from '../shared/paging.js';

// Reading employees: lookups, the directory, the org chart, and each field through the
// permission matrix. Everything goes through the request's loaders, so nothing costs N+1.

export const maxPageSize = 100;
export const maxOrgChartDepth = 20;

function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

// ---------------------------------------------------------------- reads

export async function getEmployee(ctx: RequestContext, id: string, asOf?: CalendarDate | null) {
  assertLookupAccess(ctx);
  return ctx.loaders.employees.byId.load({ key: normaliseId(id), asOf: asOf ?? ctx.today });
}

export async function getEmployeeByEmail(ctx: RequestContext, email: string, asOf?: CalendarDate | null) {
  assertLookupAccess(ctx);
  return ctx.loaders.employees.byEmail.load({ key: email.trim(), asOf: asOf ?? ctx.today });
}

/**
 * Job state on another day than the record was read for (same day: no query, and no promise, so
 * a loaded field is read synchronously).
 */
function jobStateOn(
  ctx: RequestContext,
  employee: EmployeeRecord,
  asOf: CalendarDate | null | undefined,
): JobState | null | Promise<JobState | null> {
  if (!asOf || asOf === employee.asOf) return employee.job;
  return ctx.loaders.employees.jobState.load({ key: employee.id, asOf });
}

/** A value picked from the job state on a day: synchronous when the record already holds that day. */
function fromJob<T>(
  ctx: RequestContext,
  employee: EmployeeRecord,
  asOf: CalendarDate | null | undefined,
  pick: (job: JobState | null) => T,
): T | Promise<T> {
  const job = jobStateOn(ctx, employee, asOf);
  return job instanceof Promise ? job.then(pick) : pick(job);
}

async function loadRecords(ctx: RequestContext, ids: string[], asOf: CalendarDate): Promise<EmployeeRecord[]> {
  const records = await ctx.loaders.employees.byId.loadMany(ids.map((key) => ({ key, asOf })));
  return records.flatMap((record) => {
    if (record instanceof Error) throw record;
    return record ? [record] : [];
  });
}

/** What each readable field of an employee answers; every one is checked against the permission matrix first. */
const fieldReaders = {
  id: (_ctx, employee) => employee.id,
  email: (_ctx, employee) => employee.email,
  firstName: (_ctx, employee) => employee.firstName,
  lastName: (_ctx, employee) => employee.lastName,
  preferredName: (_ctx, employee) => employee.preferredName,
  displayName: (_ctx, employee) => displayNameOf(employee),
  employeeNumber: (_ctx, employee) => employee.employeeNumber,
  hubUserId: (_ctx, employee) => employee.hubUserId,
  hireDate: (_ctx, employee) => employee.hireDate,
  workPhone: (_ctx, employee) => employee.workPhone,
  createdAt: async (ctx, employee) => (await ctx.loaders.employees.recordTimes.load(employee.id))?.createdAt ?? null,
  updatedAt: async (ctx, employee) => (await ctx.loaders.employees.recordTimes.load(employee.id))?.updatedAt ?? null,
  jobTitle: (ctx, employee, asOf) => fromJob(ctx, employee, asOf, (job) => job?.jobTitle ?? null),
  status: (ctx, employee, asOf) => fromJob(ctx, employee, asOf, (job) => job?.status ?? null),
  employmentType: (ctx, employee, asOf) => fromJob(ctx, employee, asOf, (job) => job?.employmentType ?? null),
  terminationDate: (ctx, employee, asOf) => fromJob(ctx, employee, asOf, (job) => job?.terminationDate ?? null),
  department: async (ctx, employee, asOf) => {
    const id = (await jobStateOn(ctx, employee, asOf))?.departmentId;
    // The department as it stood on that day: last March's chart shows last March's names.
    return id ? ctx.loaders.organisation.department.load({ key: id, asOf: asOf ?? employee.asOf }) : null;
  },
  location: async (ctx, employee, asOf) => {
    const id = (await jobStateOn(ctx, employee, asOf))?.locationId;
    return id ? ctx.loaders.organisation.location.load(id) : null;
  },
  manager: async (ctx, employee, asOf) => {
    const id = (await jobStateOn(ctx, employee, asOf))?.managerId;
    return id ? ctx.loaders.employees.byId.load({ key: id, asOf: asOf ?? employee.asOf }) : null;
  },
  directReports: async (ctx, employee, asOf) => {
    const day = asOf ?? employee.asOf;
    return loadRecords(ctx, await ctx.loaders.employees.directReportIds.load({ key: employee.id, asOf: day }), day);
  },
  reportingChain: async (ctx, employee, asOf) => {
    const day = asOf ?? employee.asOf;
    return loadRecords(ctx, await ctx.loaders.employees.reportingChainIds.load({ key: employee.id, asOf: day }), day);
  },
  timezone: (ctx, employee) => timeZoneOf(ctx, employee),
  personalEmail: async (ctx, employee) => (await ctx.loaders.employees.personalData.load(employee.id))?.personalEmail ?? null,
  personalPhone: async (ctx, employee) => (await ctx.loaders.employees.personalData.load(employee.id))?.personalPhone ?? null,
  dateOfBirth: async (ctx, employee) => (await ctx.loaders.employees.personalData.load(employee.id))?.dateOfBirth ?? null,
  homeAddress: async (ctx, employee) => (await ctx.loaders.employees.personalData.load(employee.id))?.homeAddress ?? null,
  emergencyContact: async (ctx, employee) =>
    (await ctx.loaders.employees.personalData.load(employee.id))?.emergencyContact ?? null,
  history: (ctx, employee) => ctx.loaders.employees.history.load(employee.id),
} satisfies Record<EmployeeField, FieldReader>;

/**
 * The employee's IANA time zone: their own, else their location's on the day the record was
 * read for, else UTC. A fact (no permission check): time off reads "today" where someone works.
 */
export async function timeZoneOf(ctx: RequestContext, employee: EmployeeRecord): Promise<string> {
  if (employee.timezone) return employee.timezone;
  const locationId = employee.job?.locationId;
  const location = locationId ? await ctx.loaders.organisation.location.load(locationId) : null;
  return location?.timezone ?? 'UTC';
}

type FieldReader = (ctx: RequestContext, employee: EmployeeRecord, asOf: CalendarDate | null | undefined) => unknown;
type FieldValue<F extends EmployeeField> = Awaited<ReturnType<(typeof fieldReaders)[F]>>;

/**
 * One field of an employee, if the caller may see it (else FORBIDDEN). The decision is
 * synchronous from what the caller is; only a caller whose reporting line decides waits, once,
 * on their reports, which the request looks up once for every employee.
 */
export function readField<F extends EmployeeField>(
  ctx: RequestContext,
  employee: EmployeeRecord,
  field: F,
  asOf?: CalendarDate | null,
): FieldValue<F> | Promise<FieldValue<F>> {
  const reader = fieldReaders[field] as (ctx: RequestContext, employee: EmployeeRecord, asOf: CalendarDate | null | undefined) => FieldValue<F> | Promise<FieldValue<F>>;
  const allowed = canRead(ctx, employee.id, employeeFieldGroups[field]);
  // Decided without waiting for almost every caller (see allowedOn): then a loaded field is a plain value.
  if (allowed === true) return reader(ctx, employee, asOf);
  if (allowed === false) throw forbidden(`You may not see ${field} of this employee.`);
  return allowed.then((ok) => {
    if (!ok) throw forbidden(`You may not see ${field} of this employee.`);
    return reader(ctx, employee, asOf);
  });
}

export async function listEmployees(
  ctx: RequestContext,
  args: {
    filter?: EmployeeFilter | null;
    sort?: EmployeeSort | null;
    first?: number | null;
    after?: string | null;
    asOf?: CalendarDate | null;
  },
): Promise<EmployeeConnectionModel> {
  assertDirectoryAccess(ctx);
  if ((args.filter?.status?.length || args.filter?.employmentTypes?.length) && !mayFilterByEmployment(ctx)) {
    throw forbidden('Filtering by status or employment type needs an HR role or the Manager role.');
  }
  const first = pageSize(args.first, { fallback: 25, min: 0, max: maxPageSize });
  const sort = args.sort?.field ?? 'NAME';
  const direction = args.sort?.direction ?? 'ASC';
  const after = args.after ? decodeCursor(args.after, sort, store.sortKeys[sort].length) : null;
  const search = args.filter?.search?.trim() ?? '';
  if (search.length > 200) throw badInput('`filter.search` must be at most 200 characters.', 'filter');
  const managerId = args.filter?.managerId ? normaliseId(args.filter.managerId) : null;
  const asOf = args.asOf ?? ctx.today;
  const criteria: store.EmployeeListCriteria = {
    asOf,
    statuses: args.filter?.status,
    departmentIds: args.filter?.departmentIds?.map(normaliseId).filter(isUuid),
    locationIds: args.filter?.locationIds?.map(normaliseId).filter(isUuid),
    employmentTypes: args.filter?.employmentTypes,
    managerId,
    includeIndirectReports: args.filter?.includeIndirectReports,
    searchTerms: search ? search.split(/\s+/).slice(0, 10) : [],
  };
  // A filter naming only ids that cannot exist matches nothing (rather than being ignored).
  const impossible =
    (managerId !== null && !isUuid(managerId)) ||
    (args.filter?.departmentIds?.length && !criteria.departmentIds?.length) ||
    (args.filter?.locationIds?.length && !criteria.locationIds?.length);

  const listed =
    impossible || first === 0
      ? { records: [], total: impossible ? 0 : null }
      : await store.listEmployees(ctx.db, criteria, { sort, direction, after, limit: first + 1 });
  const rows = listed.records;
  const page = rows.slice(0, first);
  for (const record of page) ctx.loaders.employees.byId.prime({ key: record.id, asOf }, record);
  const edges = page.map((node) => ({ cursor: encodeCursor(sort, store.sortValuesOf(node, sort)), node }));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (total ??= listed.total !== null ? Promise.resolve(listed.total) : store.countEmployees(ctx.db, criteria)),
  };
}

export async function orgChart(
  ctx: RequestContext,
  args: { rootId?: string | null; depth?: number | null; asOf?: CalendarDate | null },
): Promise<OrgChartNodeModel[]> {
  assertDirectoryAccess(ctx);
  const depth = args.depth ?? 3;
  if (!Number.isInteger(depth) || depth < 0 || depth > maxOrgChartDepth) {
    throw badInput(`\`depth\` must be between 0 and ${maxOrgChartDepth}.`, 'depth');
  }
  const rootId = args.rootId ? normaliseId(args.rootId) : null;
  if (rootId && !isUuid(rootId)) return [];
  const asOf = args.asOf ?? ctx.today;
  // The size of a chart depends on the data, so it is capped (and the operation cost counts on
  // the cap): over it the chart is refused before any employee is loaded, never cut short silently.
  const maxNodes = ctx.orgChartMaxNodes;
  const rows = await store.findOrgTree(ctx.db, rootId, depth, asOf, maxNodes + 1);
  if (rows.length > maxNodes) {
    throw new GraphQLError(
      `This org chart has more than ${maxNodes} people, the most one answer holds. ` +
        'Ask for a smaller `depth`, or start further down with `rootId`.',
      { extensions: { code: 'BAD_USER_INPUT', argumentName: 'depth', maxNodes } },
    );
  }
  const records = new Map(
    (await loadRecords(ctx, rows.map((row) => row.employeeId), asOf)).map((record) => [record.id, record]),
  );
  const nodes = new Map<string, OrgChartNodeModel>();
  const roots: OrgChartNodeModel[] = [];
  // Rows come ordered by depth, so a parent is always placed before its reports.
  for (const row of rows) {
    const employee = records.get(row.employeeId);
    if (!employee) continue;
    const node: OrgChartNodeModel = { employee, depth: row.depth, reports: [] };
    nodes.set(row.employeeId, node);
    const parent = row.depth > 0 && row.managerId ? nodes.get(row.managerId) : undefined;
    if (parent) parent.reports.push(node);
    else roots.push(node);
  }
  return roots;
}

// ---------------------------------------------------------------- people of a department or location

/**
 * The people of a department or location on `asOf` (everyone who has not left), by name, as a
 * connection: directory access, then every field through the permission matrix. The pages of many
 * units asked in one query cost one statement together (the unit page loader), and their people
 * one more.
 */
export async function listUnitPeople(
  ctx: RequestContext,
  unit: OrganisationUnitField,
  unitId: string,
  args: { first?: number | null; after?: string | null; asOf: CalendarDate },
): Promise<EmployeeConnectionModel> {
  assertDirectoryAccess(ctx);
  const first = pageSize(args.first, { fallback: 25, min: 0, max: maxPageSize });
  const after = args.after ? decodeCursor(args.after, 'NAME', store.sortKeys.NAME.length) : null;
  const { asOf } = args;
  const rows = first === 0 ? [] : await ctx.loaders.employees.unitPage.load({ unit, unitId, asOf, limit: first + 1, after });
  const page = rows.slice(0, first);
  const records = await loadRecords(ctx, page.map((row) => row.employeeId), asOf);
  const edges = records.map((node) => ({ cursor: encodeCursor('NAME', store.sortValuesOf(node, 'NAME')), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: async () => (await ctx.loaders.employees.unitCount.load({ unit, unitId, asOf })).notLeft,
  };
}

/**
 * Headcount of departments or locations on `asOf`: people employed there then (ACTIVE or
 * ON_LEAVE; PRE_HIRE not yet), summed over `unitIds`. Directory access; batched across units.
 */
export async function countUnitPeople(
  ctx: RequestContext,
  unit: OrganisationUnitField,
  unitIds: readonly string[],
  asOf: CalendarDate,
): Promise<number> {
  assertDirectoryAccess(ctx);
  const counts = await ctx.loaders.employees.unitCount.loadMany(unitIds.map((unitId) => ({ unit, unitId, asOf })));
  return counts.reduce<number>((total, count) => {
    if (count instanceof Error) throw count;
    return total + count.employed;
  }, 0);
}
