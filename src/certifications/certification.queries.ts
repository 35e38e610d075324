import { GraphQLError } from 'graphql';
import { forbidden } from '../auth/auth.service.js';
import { displayNameOf, terminalStatuses, type EmployeeRecord } from '../employees/employee.service.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { matchKey } from './catalog-matching.js';
import { assertMayRead, mayRead } from './certification.access.js';
import type { CertificationModel, CertificationVerificationModel, ExpiringCertificationGroupModel } from './certification.model.js';
import { certificationStatus, isExpiredOn, plusDays } from './certification.status.js';
import * as store from './certification.store.js';
import type { CertificationCatalogRow, EmployeeCertificationRow } from './certification.tables.js';

// Reads of the certification domain: the catalog, one record, an employee's records, the report.

export function asModel(row: EmployeeCertificationRow, statusAsOf: CalendarDate): CertificationModel {
  return { ...row, statusAsOf };
}

// ---------------------------------------------------------------- catalog

export async function catalog(
  ctx: RequestContext,
  args: { search?: string | null; tag?: string | null },
): Promise<CertificationCatalogRow[]> {
  await assertMayRead(ctx, 'catalog', null, 'the certification catalog');
  const search = args.search ? matchKey(args.search) : '';
  const tag = args.tag ? matchKey(args.tag) : '';
  const entries = await store.findCatalogEntries(ctx.db, {
    ...(search ? { keys: [search] } : {}),
    ...(tag ? { tagKey: tag } : {}),
  });
  // match_keys mixes names and tags; `tag` asks for the tag itself.
  const tagged = tag ? entries.filter((entry) => entry.tags.some((candidate) => matchKey(candidate) === tag)) : entries;
  for (const entry of tagged) ctx.loaders.certifications.catalogEntry.prime(entry.id, entry);
  return tagged;
}

export async function catalogEntryOf(ctx: RequestContext, certification: CertificationModel): Promise<CertificationCatalogRow> {
  const entry = await ctx.loaders.certifications.catalogEntry.load(certification.catalogEntryId);
  if (!entry) throw new Error(`catalog entry ${certification.catalogEntryId} of certification ${certification.id} is missing`);
  return entry;
}

// ---------------------------------------------------------------- records

/** One record (its history too), or null when there is none, it was removed, or the caller may not see it. */
export async function getCertification(ctx: RequestContext, id: string): Promise<CertificationModel | null> {
  const { caller } = ctx;
  // Services either read certifications or not at all: telling them so is no leak.
  if (caller.kind === 'service' && !(await mayRead(ctx, 'records', null))) {
    throw forbidden(`The ${caller.service} service key does not read certifications.`);
  }
  const row = await ctx.loaders.certifications.byId.load(normaliseId(id));
  if (!row || row.removedAt !== null) return null;
  return (await mayRead(ctx, 'records', row.employeeId)) ? asModel(row, ctx.today) : null;
}

/**
 * `Employee.certifications`: current records issued on or before `activeOn` (default today),
 * expired ones only when asked. One loader keyed by employee: the filters apply in memory, so a
 * batch of employees costs one statement whatever the arguments.
 */
export async function certificationsOf(
  ctx: RequestContext,
  employeeId: string,
  args: { activeOn?: CalendarDate | null; includeExpired?: boolean | null },
): Promise<CertificationModel[]> {
  await assertMayRead(ctx, 'records', employeeId, 'the certifications of this employee');
  const day = args.activeOn ?? ctx.today;
  const rows = await ctx.loaders.certifications.current.load(employeeId);
  return rows
    .filter((row) => row.issuedOn <= day && (args.includeExpired === true || !isExpiredOn(row.expiresOn, day)))
    .map((row) => asModel(row, day));
}

export function statusOf(ctx: RequestContext, certification: CertificationModel) {
  return certificationStatus(certification.expiresOn, certification.statusAsOf, ctx.certifications.expiringWindowDays);
}

/** Credential id and evidence link: FORBIDDEN at the field for those who may not see them. */
export async function sensitiveField(
  ctx: RequestContext,
  certification: CertificationModel,
  name: 'credentialId' | 'evidenceUrl',
): Promise<string | null> {
  await assertMayRead(ctx, 'sensitive', certification.employeeId, `${name} of this certification`);
  return certification[name];
}

export async function verificationOf(ctx: RequestContext, certification: CertificationModel): Promise<CertificationVerificationModel> {
  const mayReadComment = await mayRead(ctx, 'sensitive', certification.employeeId);
  return {
    state: certification.verificationState,
    decidedByEmployeeId: certification.verifiedByEmployeeId,
    decidedAt: certification.verifiedAt,
    comment: mayReadComment ? certification.verificationComment : null,
  };
}

export async function renewedFromOf(ctx: RequestContext, certification: CertificationModel): Promise<CertificationModel | null> {
  if (certification.renewedFromId === null) return null;
  const row = await ctx.loaders.certifications.byId.load(certification.renewedFromId);
  return row ? asModel(row, certification.statusAsOf) : null;
}

export async function renewedByOf(ctx: RequestContext, certification: CertificationModel): Promise<CertificationModel | null> {
  const row = await ctx.loaders.certifications.renewal.load(certification.id);
  return row ? asModel(row, certification.statusAsOf) : null;
}

// ---------------------------------------------------------------- expiring report

export const maxReportDays = 366;

/**
 * Current records expiring from `asOf` to `asOf + withinDays`, by the holder's department on
 * `asOf` (departments by name, none last; then by expiry and holder name). Holders who have left
 * by `asOf` are not reported: there is nothing left to renew. Three statements whatever the size.
 */
export async function expiringReport(
  ctx: RequestContext,
  args: { withinDays?: number | null; asOf?: CalendarDate | null; departmentIds?: readonly string[] | null },
): Promise<ExpiringCertificationGroupModel[]> {
  await assertMayRead(ctx, 'report', null, 'the expiring certifications report');
  const withinDays = args.withinDays ?? 30;
  if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > maxReportDays) {
    throw new GraphQLError(`withinDays is 1 to ${maxReportDays}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'withinDays' },
    });
  }
  const asOf = args.asOf ?? ctx.today;
  const rows = await store.findExpiringCertifications(ctx.db, asOf, plusDays(asOf, withinDays));
  const holders = await loadHolders(ctx, rows, asOf);
  const wanted = args.departmentIds ? new Set(args.departmentIds.map(normaliseId)) : null;

  const groups = new Map<string | null, { row: EmployeeCertificationRow; holder: EmployeeRecord }[]>();
  for (const row of rows) {
    const holder = holders.get(row.employeeId);
    if (!holder || (holder.job?.status && terminalStatuses.includes(holder.job.status))) continue;
    const departmentId = holder.job?.departmentId ?? null;
    if (wanted && (departmentId === null || !wanted.has(departmentId))) continue;
    groups.set(departmentId, [...(groups.get(departmentId) ?? []), { row, holder }]);
  }

  const departmentIds = [...groups.keys()].filter((id): id is string => id !== null && isUuid(id));
  const departments = await ctx.loaders.organisation.department.loadMany(departmentIds.map((key) => ({ key, asOf })));
  const nameOf = new Map<string, string>();
  departments.forEach((department, index) => {
    const id = departmentIds[index];
    if (id !== undefined && department && !(department instanceof Error)) nameOf.set(id, department.name);
  });

  const byDepartmentName = (a: string | null, b: string | null): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return (nameOf.get(a) ?? '').localeCompare(nameOf.get(b) ?? '') || a.localeCompare(b);
  };
  return [...groups.keys()].sort(byDepartmentName).map((departmentId) => ({
    departmentId,
    asOf,
    certifications: (groups.get(departmentId) ?? [])
      .sort(
        (a, b) =>
          (a.row.expiresOn ?? '').localeCompare(b.row.expiresOn ?? '') ||
          displayNameOf(a.holder).localeCompare(displayNameOf(b.holder)) ||
          a.row.id.localeCompare(b.row.id),
      )
      .map(({ row }) => asModel(row, asOf)),
  }));
}

async function loadHolders(
  ctx: RequestContext,
  rows: readonly EmployeeCertificationRow[],
  asOf: CalendarDate,
): Promise<Map<string, EmployeeRecord>> {
  const ids = [...new Set(rows.map((row) => row.employeeId))];
  const records = await ctx.loaders.employees.byId.loadMany(ids.map((key) => ({ key, asOf })));
  const holders = new Map<string, EmployeeRecord>();
  for (const record of records) {
    if (record instanceof Error) throw record;
    if (record) holders.set(record.id, record);
  }
  return holders;
}
