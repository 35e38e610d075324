import { GraphQLError } from 'graphql';
import { callerAllowed, forbidden, lineBelowCaller, type RuleTable } from '../auth/auth.service.js';
import { findEmploymentTimelines, findJobStates, statusOn, type StatusSpan } from '../employees/employee.service.js';
import type { CertificationMatchMode, QualifiedEmployeesFilter, TimeOffRequestStatus } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { daysBetween, findEmployeesOff } from '../timeoff/timeoff.service.js';
import { matchKey } from './catalog-matching.js';
import type {
  CertificationMatchModel,
  CertificationModel,
  QualifiedEmployeeModel,
  QualifiedEmployeesResultModel,
} from './certification.model.js';
import type { CertificationVerificationStateValue } from './certification.tables.js';
import { findCatalogEntries } from './certification.store.js';
import { findCountingCertifications } from './qualification.store.js';
import { pageSize } from '../shared/paging.js';

// Skill matching for dispatch: who holds the named certifications (all or any of them), is
// employed, and (for a range) has no time off blocking it. Availability comes from the time-off
// domain's own calculation, so a holiday or a half day means the same here as in PSA's calendar.
//
// Statements, whatever the number of holders: names (1), holders (1), job state (1); with a
// range also the job timelines (1), the days taken (1) and, when someone took any, the holidays
// (1). Fewer when nobody could qualify.

export const maxRequestedNames = 20;
export const maxNameLength = 200;
export const maxResults = 500;
/** Longest availability range, in days, as the time-off calendar answers. */
export const maxAvailabilityDays = 366;

const rules = {
  /** Matching by certification (dispatch planning is also a manager's and a viewer's job). */
  match: ['hr', 'MANAGER', 'VIEWER', 'service:PSA'],
  /** Filtering everyone matched by availability; anyone else who may match, only their own reports. */
  seeEveryonesAvailability: ['hr', 'service:PSA'],
} as const satisfies RuleTable;

export interface QualifiedEmployeesArgs {
  certifications: readonly string[];
  match?: CertificationMatchMode | null;
  activeOn?: CalendarDate | null;
  activeThrough?: CalendarDate | null;
  availableFrom?: CalendarDate | null;
  availableTo?: CalendarDate | null;
  statuses?: readonly TimeOffRequestStatus[] | null;
  includeUnverified?: boolean | null;
  filter?: QualifiedEmployeesFilter | null;
  first?: number | null;
}

function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

export function mayMatch(ctx: RequestContext): boolean {
  return callerAllowed(ctx, rules.match);
}

export function assertMayMatch(ctx: RequestContext): void {
  const { caller } = ctx;
  if (callerAllowed(ctx, rules.match)) return;
  throw forbidden(
    caller.kind === 'service'
      ? `The ${caller.service} service key does not match employees by certification.`
      : 'Matching employees by certification needs a People role (HR, Manager or Viewer).',
  );
}

interface CheckedDates {
  activeOn: CalendarDate;
  activeThrough: CalendarDate;
  range: { from: CalendarDate; to: CalendarDate } | null;
  first: number;
}

function checkArguments(args: QualifiedEmployeesArgs, today: CalendarDate): CheckedDates {
  if (args.certifications.length === 0) throw badInput('Name at least one certification.', 'certifications');
  if (args.certifications.length > maxRequestedNames) {
    throw badInput(`Name at most ${maxRequestedNames} certifications.`, 'certifications');
  }
  if (args.certifications.some((name) => name.length > maxNameLength)) {
    throw badInput(`A certification name is at most ${maxNameLength} characters.`, 'certifications');
  }
  const first = pageSize(args.first, { fallback: 100, min: 1, max: maxResults });
  const activeOn = args.activeOn ?? today;
  const activeThrough = args.activeThrough ?? activeOn;
  if (activeThrough < activeOn) throw badInput('`activeThrough` is before `activeOn`.', 'activeThrough');
  const from = args.availableFrom ?? null;
  const to = args.availableTo ?? null;
  if ((from === null) !== (to === null)) {
    throw badInput('Give both `availableFrom` and `availableTo`, or neither.', from === null ? 'availableFrom' : 'availableTo');
  }
  if (from === null || to === null) return { activeOn, activeThrough, range: null, first };
  if (to < from) throw badInput('`availableTo` is before `availableFrom`.', 'availableTo');
  if (daysBetween(from, to) + 1 > maxAvailabilityDays) {
    throw badInput(`The availability range covers at most ${maxAvailabilityDays} days.`, 'availableTo');
  }
  return { activeOn, activeThrough, range: { from, to }, first };
}

/** Requested names in order, exact repeats once: each answers to the catalog entries carrying its key. */
function resolveNames(
  names: readonly string[],
  entries: readonly { id: string; matchKeys: string[] }[],
): { resolved: { requested: string; entryIds: ReadonlySet<string> }[]; unknown: string[] } {
  const resolved: { requested: string; entryIds: ReadonlySet<string> }[] = [];
  const unknown: string[] = [];
  for (const requested of new Set(names)) {
    const key = matchKey(requested);
    const entryIds = new Set(entries.filter((entry) => key !== '' && entry.matchKeys.includes(key)).map((entry) => entry.id));
    if (entryIds.size === 0) unknown.push(requested);
    else resolved.push({ requested, entryIds });
  }
  return { resolved, unknown };
}

/** The one to show when several held certifications satisfy a name: the longest valid (no expiry beats any). */
function outlasts(candidate: CertificationModel, current: CertificationModel): boolean {
  if (candidate.expiresOn !== current.expiresOn) {
    if (candidate.expiresOn === null) return true;
    if (current.expiresOn === null) return false;
    return candidate.expiresOn > current.expiresOn;
  }
  if (candidate.issuedOn !== current.issuedOn) return candidate.issuedOn > current.issuedOn;
  return candidate.id > current.id;
}

/** ACTIVE on every day of the range: on leave or gone for part of it, nobody can be sent. */
function activeThroughout(timeline: readonly StatusSpan[], from: CalendarDate, to: CalendarDate): boolean {
  if (statusOn(timeline, from) !== 'ACTIVE') return false;
  return timeline.every((span) => span.from <= from || span.from > to || span.status === 'ACTIVE');
}

/**
 * Filtering by availability tells who is off on which days, which only HR, PSA and the people
 * above someone in the reporting line may know (the time-off permission matrix): anyone else
 * matching by certification gets their own reports only, and a caller with no employee record
 * is refused. Null: no limit.
 */
async function availabilityScope(ctx: RequestContext): Promise<ReadonlySet<string> | null> {
  const { caller } = ctx;
  if (callerAllowed(ctx, rules.seeEveryonesAvailability)) return null;
  if (caller.kind !== 'user' || caller.employeeId === null) {
    throw forbidden('Filtering by availability shows who is off: it needs HR or PSA access, or people reporting to you.');
  }
  return lineBelowCaller(ctx);
}

export async function qualifiedEmployees(ctx: RequestContext, args: QualifiedEmployeesArgs): Promise<QualifiedEmployeesResultModel> {
  assertMayMatch(ctx);
  const dates = checkArguments(args, ctx.today);
  const mode: CertificationMatchMode = args.match ?? 'ALL';

  const keys = [...new Set(args.certifications.map(matchKey).filter((key) => key !== ''))];
  const { resolved, unknown } = resolveNames(args.certifications, await findCatalogEntries(ctx.db, { keys }));
  // Under ALL a name nobody can hold means nobody qualifies: no need to look for holders.
  if (resolved.length === 0 || (mode === 'ALL' && unknown.length > 0)) return { employees: [], unknownCertifications: unknown };

  const employeeIds = args.filter?.employeeIds ? [...new Set(args.filter.employeeIds.map(normaliseId).filter(isUuid))] : null;
  const verificationStates: CertificationVerificationStateValue[] = args.includeUnverified ? ['VERIFIED', 'UNVERIFIED'] : ['VERIFIED'];
  const rows = await findCountingCertifications(ctx.db, {
    catalogEntryIds: [...new Set(resolved.flatMap(({ entryIds }) => [...entryIds]))],
    activeOn: dates.activeOn,
    activeThrough: dates.activeThrough,
    verificationStates,
    employeeIds,
  });

  // Rows arrive ordered by holder name, so the first appearance of each holder keeps that order.
  const heldBy = new Map<string, CertificationModel[]>();
  for (const row of rows) {
    const held = heldBy.get(row.certification.employeeId) ?? [];
    held.push({ ...row.certification, statusAsOf: dates.activeOn });
    heldBy.set(row.certification.employeeId, held);
  }
  let qualified: QualifiedEmployeeModel[] = [];
  for (const [employeeId, held] of heldBy) {
    const matches: CertificationMatchModel[] = [];
    for (const { requested, entryIds } of resolved) {
      let best: CertificationModel | null = null;
      for (const certification of held) {
        if (entryIds.has(certification.catalogEntryId) && (best === null || outlasts(certification, best))) best = certification;
      }
      if (best) matches.push({ requested, certification: best });
    }
    const satisfied = mode === 'ALL' ? matches.length === resolved.length : matches.length > 0;
    if (satisfied) qualified.push({ employeeId, matches });
  }
  if (qualified.length === 0) return { employees: [], unknownCertifications: unknown };

  const states = await findJobStates(ctx.db, qualified.map((entry) => entry.employeeId), dates.activeOn);
  const locationIds = args.filter?.locationIds?.map(normaliseId) ?? null;
  const departmentIds = args.filter?.departmentIds?.map(normaliseId) ?? null;
  qualified = qualified.filter(({ employeeId }) => {
    const state = states.get(employeeId);
    if (state?.status !== 'ACTIVE') return false;
    if (locationIds && (state.locationId === null || !locationIds.includes(state.locationId))) return false;
    if (departmentIds && (state.departmentId === null || !departmentIds.includes(state.departmentId))) return false;
    return true;
  });

  if (dates.range && qualified.length > 0) {
    const scope = await availabilityScope(ctx);
    if (scope) qualified = qualified.filter(({ employeeId }) => scope.has(employeeId));
  }
  if (dates.range && qualified.length > 0) {
    const { from, to } = dates.range;
    const ids = qualified.map((entry) => entry.employeeId);
    const statuses = args.statuses?.length ? args.statuses : (['APPROVED'] as const);
    const timelines = await findEmploymentTimelines(ctx.db, ids, to);
    const off = await findEmployeesOff(ctx.db, timelines, from, to, statuses);
    qualified = qualified.filter(
      ({ employeeId }) => activeThroughout(timelines.get(employeeId)?.statuses ?? [], from, to) && !off.has(employeeId),
    );
  }

  return { employees: qualified.slice(0, dates.first), unknownCertifications: unknown };
}
