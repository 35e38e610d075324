import {
  countUnitPeople,
  listUnitPeople,
  type AddressValue,
  type EmployeeConnectionModel,
  type EmployeeRecord,
} from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { assertHrRead, assertMayReadOrganisation } from './organisation.access.js';
import { departmentOn, existsFrom, isArchivedOn, type DepartmentModel, type LocationModel } from './organisation.model.js';
import type { OrganisationChangeRow } from './organisation.tables.js';
import { openDepartmentsOn, subtreeOn } from './organisation.tree.js';

// Reading the organisation: lists and the tree as of a day, and each field through the
// "Organisation" rules. Everything goes through the request's loaders: a whole tree of departments
// with their people and headcounts costs a constant number of statements.

const byName = (a: { name: string; id: string }, b: { name: string; id: string }): number => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export async function listDepartments(
  ctx: RequestContext,
  args: { asOf?: CalendarDate | null; includeArchived?: boolean | null },
): Promise<DepartmentModel[]> {
  assertMayReadOrganisation(ctx);
  const asOf = args.asOf ?? ctx.today;
  const timelines = await ctx.loaders.organisation.allDepartments();
  return timelines
    .filter((timeline) => existsFrom(timeline) <= asOf && (args.includeArchived === true || !isArchivedOn(timeline.row, asOf)))
    .map((timeline) => departmentOn(timeline, asOf))
    .sort(byName);
}

/** One department as of a day; null when there is none, or it does not exist yet then. */
export async function getDepartment(ctx: RequestContext, id: string, asOf?: CalendarDate | null): Promise<DepartmentModel | null> {
  assertMayReadOrganisation(ctx);
  const key = normaliseId(id);
  if (!isUuid(key)) return null;
  const department = await ctx.loaders.organisation.department.load({ key, asOf: asOf ?? ctx.today });
  return department && department.existsFrom <= department.asOf ? department : null;
}

export async function parentOf(ctx: RequestContext, department: DepartmentModel): Promise<DepartmentModel | null> {
  return department.parentId ? ctx.loaders.organisation.department.load({ key: department.parentId, asOf: department.asOf }) : null;
}

export async function childrenOf(ctx: RequestContext, department: DepartmentModel): Promise<DepartmentModel[]> {
  const open = openDepartmentsOn(await ctx.loaders.organisation.allDepartments(), department.asOf);
  const childIds = [...open.values()].filter((other) => other.parentId === department.id).map((other) => other.id);
  const children = await ctx.loaders.organisation.department.loadMany(childIds.map((key) => ({ key, asOf: department.asOf })));
  return children.flatMap((child) => {
    if (child instanceof Error) throw child;
    return child ? [child] : [];
  }).sort(byName);
}

export async function headOf(ctx: RequestContext, department: DepartmentModel): Promise<EmployeeRecord | null> {
  return department.headId ? ctx.loaders.employees.byId.load({ key: department.headId, asOf: department.asOf }) : null;
}

export function costCentreOf(ctx: RequestContext, department: DepartmentModel): string | null {
  assertHrRead(ctx, 'cost centres');
  return department.costCentre;
}

export function departmentHistory(ctx: RequestContext, department: DepartmentModel): Promise<OrganisationChangeRow[]> {
  assertHrRead(ctx, 'the history of departments');
  return ctx.loaders.organisation.departmentHistory.load(department.id);
}

export function departmentPeople(
  ctx: RequestContext,
  department: DepartmentModel,
  args: { first?: number | null; after?: string | null; asOf?: CalendarDate | null },
): Promise<EmployeeConnectionModel> {
  return listUnitPeople(ctx, 'departmentId', department.id, { ...args, asOf: args.asOf ?? department.asOf });
}

export async function departmentHeadcount(
  ctx: RequestContext,
  department: DepartmentModel,
  args: { asOf?: CalendarDate | null; includeSubDepartments?: boolean | null },
): Promise<number> {
  assertMayReadOrganisation(ctx);
  const asOf = args.asOf ?? department.asOf;
  const ids = args.includeSubDepartments
    ? subtreeOn(openDepartmentsOn(await ctx.loaders.organisation.allDepartments(), asOf), department.id)
    : [department.id];
  return countUnitPeople(ctx, 'departmentId', ids, asOf);
}

// ---------------------------------------------------------------- locations

export async function listLocations(
  ctx: RequestContext,
  args: { asOf?: CalendarDate | null; includeArchived?: boolean | null },
): Promise<LocationModel[]> {
  assertMayReadOrganisation(ctx);
  const asOf = args.asOf ?? ctx.today;
  const rows = await ctx.loaders.organisation.allLocations();
  return rows.filter((row) => args.includeArchived === true || !isArchivedOn(row, asOf));
}

export function getLocation(ctx: RequestContext, id: string): Promise<LocationModel | null> {
  assertMayReadOrganisation(ctx);
  const key = normaliseId(id);
  return isUuid(key) ? ctx.loaders.organisation.location.load(key) : Promise.resolve(null);
}

/** The postal address, with the location's own city and country; null when none is recorded. */
export function addressOf(location: LocationModel): AddressValue | null {
  if (location.addressLine1 === null) return null;
  return {
    line1: location.addressLine1,
    line2: location.addressLine2,
    city: location.city,
    region: location.region,
    postalCode: location.postalCode,
    countryCode: location.countryCode,
  };
}

export function locationHistory(ctx: RequestContext, location: LocationModel): Promise<OrganisationChangeRow[]> {
  assertHrRead(ctx, 'the history of locations');
  return ctx.loaders.organisation.locationHistory.load(location.id);
}

export function locationPeople(
  ctx: RequestContext,
  location: LocationModel,
  args: { first?: number | null; after?: string | null; asOf?: CalendarDate | null },
): Promise<EmployeeConnectionModel> {
  return listUnitPeople(ctx, 'locationId', location.id, { ...args, asOf: args.asOf ?? ctx.today });
}

export function locationHeadcount(ctx: RequestContext, location: LocationModel, asOf?: CalendarDate | null): Promise<number> {
  return countUnitPeople(ctx, 'locationId', [location.id], asOf ?? ctx.today);
}
