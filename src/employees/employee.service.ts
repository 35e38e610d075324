import { GraphQLError } from 'graphql';
import type { Database } from '../db/database.js';
import type {
  ChangeEmployeeStatusInput,
  CreateEmployeeInput,
  EmployeeFilter,
  EmployeeSort,
  UpdateEmployeeInput,
} from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { resetLoaders } from '../graphql/context.js';
import { findDepartments, findLocations } from '../organisation/organisation.store.js';
import { describeCaller, hasRole, hrRoles } from '../auth/caller.js';
import type { CalendarDate } from '../shared/dates.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import {
  fail,
  succeed,
  uniqueViolationConstraint,
  userError,
  UserErrorsAbort,
  type Outcome,
  type UserError,
} from '../shared/user-errors.js';
import { assertDirectoryAccess, forbidden } from '../auth/access.js';
import { assertCanRead, assertCanWrite, assertLookupAccess, type EmployeeField } from './employee.access.js';
import { decodeCursor, encodeCursor, type EmployeeConnectionModel } from './employee.connection.js';
import {
  allowedStatusTransitions,
  displayNameOf,
  employedStatuses,
  terminalStatuses,
  type EmployeeRecord,
  type JobState,
  type OrgChartNodeModel,
} from './employee.model.js';
import { emitDueLifecycleEvents } from './employee.lifecycle.js';
import * as store from './employee.store.js';
import type {
  AddressValue,
  EmergencyContactValue,
  EmployeePersonalDataRow,
  EmployeeRow,
  EmploymentStatusValue,
  FieldChangeValue,
} from './employee.tables.js';
import {
  cleanText,
  validateChangeStatus,
  validateCreateEmployee,
  validateUpdateEmployee,
} from './employee.validation.js';

// The employee domain: reads, and the rules every change obeys. Resolvers stay thin and call these.

export const maxPageSize = 100;
export const maxOrgChartDepth = 20;

function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

// ---------------------------------------------------------------- reads

export async function getEmployee(ctx: RequestContext, id: string, asOf?: CalendarDate | null) {
  assertLookupAccess(ctx);
  return ctx.loaders.byId.load({ key: normaliseId(id), asOf: asOf ?? ctx.today });
}

export async function getEmployeeByEmail(ctx: RequestContext, email: string, asOf?: CalendarDate | null) {
  assertLookupAccess(ctx);
  return ctx.loaders.byEmail.load({ key: email.trim(), asOf: asOf ?? ctx.today });
}

/** Job state on another day than the record was read for (same day: no query). */
async function jobStateOn(
  ctx: RequestContext,
  employee: EmployeeRecord,
  asOf: CalendarDate | null | undefined,
): Promise<JobState | null> {
  if (!asOf || asOf === employee.asOf) return employee.job;
  return ctx.loaders.jobState.load({ key: employee.id, asOf });
}

async function loadRecords(ctx: RequestContext, ids: string[], asOf: CalendarDate): Promise<EmployeeRecord[]> {
  const records = await ctx.loaders.byId.loadMany(ids.map((key) => ({ key, asOf })));
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
  createdAt: (_ctx, employee) => employee.createdAt,
  updatedAt: (_ctx, employee) => employee.updatedAt,
  jobTitle: async (ctx, employee, asOf) => (await jobStateOn(ctx, employee, asOf))?.jobTitle ?? null,
  status: async (ctx, employee, asOf) => (await jobStateOn(ctx, employee, asOf))?.status ?? null,
  employmentType: async (ctx, employee, asOf) => (await jobStateOn(ctx, employee, asOf))?.employmentType ?? null,
  terminationDate: async (ctx, employee, asOf) => (await jobStateOn(ctx, employee, asOf))?.terminationDate ?? null,
  department: async (ctx, employee, asOf) => {
    const id = (await jobStateOn(ctx, employee, asOf))?.departmentId;
    return id ? ctx.loaders.department.load(id) : null;
  },
  location: async (ctx, employee, asOf) => {
    const id = (await jobStateOn(ctx, employee, asOf))?.locationId;
    return id ? ctx.loaders.location.load(id) : null;
  },
  manager: async (ctx, employee, asOf) => {
    const id = (await jobStateOn(ctx, employee, asOf))?.managerId;
    return id ? ctx.loaders.byId.load({ key: id, asOf: asOf ?? employee.asOf }) : null;
  },
  directReports: async (ctx, employee, asOf) => {
    const day = asOf ?? employee.asOf;
    return loadRecords(ctx, await ctx.loaders.directReportIds.load({ key: employee.id, asOf: day }), day);
  },
  reportingChain: async (ctx, employee, asOf) => {
    const day = asOf ?? employee.asOf;
    return loadRecords(ctx, await ctx.loaders.reportingChainIds.load({ key: employee.id, asOf: day }), day);
  },
  timezone: async (ctx, employee) => {
    if (employee.timezone) return employee.timezone;
    const locationId = employee.job?.locationId;
    const location = locationId ? await ctx.loaders.location.load(locationId) : null;
    return location?.timezone ?? 'UTC';
  },
  personalEmail: async (ctx, employee) => (await ctx.loaders.personalData.load(employee.id))?.personalEmail ?? null,
  personalPhone: async (ctx, employee) => (await ctx.loaders.personalData.load(employee.id))?.personalPhone ?? null,
  dateOfBirth: async (ctx, employee) => (await ctx.loaders.personalData.load(employee.id))?.dateOfBirth ?? null,
  homeAddress: async (ctx, employee) => (await ctx.loaders.personalData.load(employee.id))?.homeAddress ?? null,
  emergencyContact: async (ctx, employee) =>
    (await ctx.loaders.personalData.load(employee.id))?.emergencyContact ?? null,
  history: (ctx, employee) => ctx.loaders.history.load(employee.id),
} satisfies Record<EmployeeField, FieldReader>;

type FieldReader = (ctx: RequestContext, employee: EmployeeRecord, asOf: CalendarDate | null | undefined) => unknown;
type FieldValue<F extends EmployeeField> = Awaited<ReturnType<(typeof fieldReaders)[F]>>;

/** One field of an employee, if the caller may see it (else FORBIDDEN). */
export async function readField<F extends EmployeeField>(
  ctx: RequestContext,
  employee: EmployeeRecord,
  field: F,
  asOf?: CalendarDate | null,
): Promise<FieldValue<F>> {
  await assertCanRead(ctx, employee.id, field);
  const reader: (ctx: RequestContext, employee: EmployeeRecord, asOf: CalendarDate | null | undefined) => unknown =
    fieldReaders[field];
  return (await reader(ctx, employee, asOf)) as FieldValue<F>;
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
  const first = args.first ?? 25;
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw badInput(`\`first\` must be between 0 and ${maxPageSize}.`, 'first');
  }
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

  const rows =
    impossible || first === 0
      ? []
      : await store.listEmployees(ctx.db, criteria, { sort, direction, after, limit: first + 1 });
  const page = rows.slice(0, first);
  for (const record of page) ctx.loaders.byId.prime({ key: record.id, asOf }, record);
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
    totalCount: () => (total ??= impossible ? Promise.resolve(0) : store.countEmployees(ctx.db, criteria)),
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
  const rows = await store.findOrgTree(ctx.db, rootId, depth, asOf);
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

function mayFilterByEmployment(ctx: RequestContext): boolean {
  return ctx.caller.kind === 'system' || hasRole(ctx.caller, ...hrRoles, 'MANAGER');
}

// ---------------------------------------------------------------- writes

type WriteOutcome = Outcome<EmployeeRecord>;

/**
 * Runs a change in one transaction. User errors thrown inside roll it back and come back
 * as the outcome; a unique violation lost to a concurrent writer becomes a user error too.
 */
async function inTransaction(
  ctx: RequestContext,
  work: (tx: Database) => Promise<string>,
): Promise<WriteOutcome> {
  let employeeId: string;
  try {
    employeeId = await ctx.db.transaction(work);
  } catch (error) {
    if (error instanceof UserErrorsAbort) return fail(...error.errors);
    const duplicate = duplicateFromConstraint(uniqueViolationConstraint(error));
    if (duplicate) return fail(duplicate);
    throw error;
  }
  // What this request read before the change is stale now.
  resetLoaders(ctx);
  const record = await getEmployee(ctx, employeeId);
  if (!record) throw new Error(`employee ${employeeId} vanished after its change`);
  return succeed(record);
}

function abortIf(errors: UserError[]): void {
  if (errors.length > 0) throw new UserErrorsAbort(errors);
}

function duplicateFromConstraint(constraint: string | null): UserError | null {
  if (constraint === null) return null;
  if (constraint.includes('email')) return duplicateError('email');
  if (constraint.includes('employee_number')) return duplicateError('employeeNumber');
  if (constraint.includes('hub_user_id')) return duplicateError('hubUserId');
  return null;
}

function duplicateError(field: 'email' | 'employeeNumber' | 'hubUserId', value?: string): UserError {
  const described = value ? ` "${value}"` : '';
  switch (field) {
    case 'email':
      return userError('DUPLICATE_EMAIL', ['input', 'email'], `Another employee already has the e-mail${described}.`);
    case 'employeeNumber':
      return userError(
        'DUPLICATE_EMPLOYEE_NUMBER',
        ['input', 'employeeNumber'],
        `Another employee already has the employee number${described}.`,
      );
    case 'hubUserId':
      return userError(
        'DUPLICATE_HUB_USER_ID',
        ['input', 'hubUserId'],
        `Another employee is already linked to the Hub user${described}.`,
      );
  }
}

async function checkIdentityUnique(
  tx: Database,
  candidate: { email?: string | undefined; employeeNumber?: string | undefined; hubUserId?: string | null | undefined },
  exceptId?: string,
): Promise<UserError[]> {
  const clashes = await store.findConflictingIdentity(tx, candidate, exceptId);
  const errors: UserError[] = [];
  if (candidate.email && clashes.some((row) => row.email.toLowerCase() === candidate.email?.toLowerCase())) {
    errors.push(duplicateError('email', candidate.email));
  }
  if (candidate.employeeNumber && clashes.some((row) => row.employeeNumber === candidate.employeeNumber)) {
    errors.push(duplicateError('employeeNumber', candidate.employeeNumber));
  }
  if (candidate.hubUserId && clashes.some((row) => row.hubUserId === candidate.hubUserId)) {
    errors.push(duplicateError('hubUserId', candidate.hubUserId));
  }
  return errors;
}

async function checkReferences(
  tx: Database,
  values: { departmentId?: string | null | undefined; locationId?: string | null | undefined },
): Promise<UserError[]> {
  const errors: UserError[] = [];
  if (values.departmentId) {
    const found = isUuid(values.departmentId) ? await findDepartments(tx, [values.departmentId]) : [];
    if (found.length === 0) {
      errors.push(userError('DEPARTMENT_NOT_FOUND', ['input', 'departmentId'], `No department has the id "${values.departmentId}".`));
    }
  }
  if (values.locationId) {
    const found = isUuid(values.locationId) ? await findLocations(tx, [values.locationId]) : [];
    if (found.length === 0) {
      errors.push(userError('LOCATION_NOT_FOUND', ['input', 'locationId'], `No location has the id "${values.locationId}".`));
    }
  }
  return errors;
}

/**
 * A new manager must exist, be employed on the day the line starts, and not sit below the
 * employee on that day or on any later day a reporting line changes.
 */
async function checkManager(
  tx: Database,
  employeeId: string | null,
  managerId: string,
  from: CalendarDate,
  today: CalendarDate,
): Promise<UserError[]> {
  const field = ['input', 'managerId'];
  const [manager] = isUuid(managerId) ? await store.findEmployeesByIds(tx, [managerId], from) : [];
  if (!manager) return [userError('MANAGER_NOT_FOUND', field, `No employee has the id "${managerId}".`)];
  const status = manager.job?.status ?? null;
  if (status === null || !employedStatuses.includes(status)) {
    return [
      userError(
        'MANAGER_NOT_EMPLOYED',
        field,
        `The manager is not employed on ${from} (status ${status ?? 'none yet'}).`,
      ),
    ];
  }
  // A departure already booked for the future would leave the new report without a manager.
  // (Past departures are history: back-filling an old reporting line stays possible.)
  const leaving = (await store.findStatusTimeline(tx, managerId)).find(
    (entry) => entry.effectiveFrom > from && entry.effectiveFrom > today && terminalStatuses.includes(entry.status),
  );
  if (leaving) {
    return [
      userError('MANAGER_NOT_EMPLOYED', field, `The manager is scheduled to leave on ${leaving.effectiveFrom}.`),
    ];
  }
  if (employeeId === null) return [];
  if (managerId === employeeId) return [userError('MANAGER_CYCLE', field, 'An employee cannot be their own manager.')];
  for (const day of [from, ...(await store.findLaterManagerChangeDates(tx, from))]) {
    const chain = await store.findReportingChains(tx, [managerId], day);
    if (chain.some((link) => link.managerId === employeeId)) {
      return [
        userError('MANAGER_CYCLE', field, `The new manager reports to this employee on ${day}; that would make a cycle.`),
      ];
    }
  }
  return [];
}

const textOrNull = (value: string | null | undefined): string | null => (value == null ? null : String(value));
const jsonOrNull = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));

function addressValue(input: CreateEmployeeInput['homeAddress']): AddressValue | null {
  if (!input) return null;
  return {
    line1: input.line1.trim(),
    line2: cleanText(input.line2),
    city: input.city.trim(),
    region: cleanText(input.region),
    postalCode: cleanText(input.postalCode),
    countryCode: input.countryCode,
  };
}

function emergencyContactValue(input: CreateEmployeeInput['emergencyContact']): EmergencyContactValue | null {
  if (!input) return null;
  return { name: input.name.trim(), relationship: cleanText(input.relationship), phone: input.phone.trim() };
}

export async function createEmployee(ctx: RequestContext, input: CreateEmployeeInput): Promise<WriteOutcome> {
  await assertCanWrite(ctx, 'create', null);
  const invalid = validateCreateEmployee(input, ctx.today);
  if (invalid.length > 0) return fail(...invalid);
  const departmentId = normaliseId(input.departmentId);
  const locationId = normaliseId(input.locationId);
  const managerId = input.managerId ? normaliseId(input.managerId) : null;
  const email = input.email.trim().toLowerCase();
  const hubUserId = cleanText(input.hubUserId);
  const hiredNow = input.hireDate <= ctx.today;
  // A future hire exists from today as PRE_HIRE, so onboarding can see their job and manager.
  const startsOn = hiredNow ? input.hireDate : ctx.today;
  const recordedBy = describeCaller(ctx.caller);

  return inTransaction(ctx, async (tx) => {
    if (managerId) await store.lockReportingLines(tx);
    abortIf([
      ...(await checkIdentityUnique(tx, { email, employeeNumber: input.employeeNumber ?? undefined, hubUserId })),
      ...(await checkReferences(tx, { departmentId, locationId })),
      ...(managerId ? await checkManager(tx, null, managerId, startsOn, ctx.today) : []),
    ]);

    const employee = await store.insertEmployee(tx, {
      employeeNumber: input.employeeNumber ?? (await store.nextEmployeeNumber(tx)),
      email,
      hubUserId,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      preferredName: cleanText(input.preferredName),
      hireDate: input.hireDate,
      timezone: cleanText(input.timezone),
      workPhone: cleanText(input.workPhone),
    });
    const personal = {
      personalEmail: cleanText(input.personalEmail)?.toLowerCase() ?? null,
      personalPhone: cleanText(input.personalPhone),
      dateOfBirth: input.dateOfBirth ?? null,
      homeAddress: addressValue(input.homeAddress),
      emergencyContact: emergencyContactValue(input.emergencyContact),
    };
    await store.upsertPersonalData(tx, employee.id, personal);

    const job = {
      status: (hiredNow ? 'ACTIVE' : 'PRE_HIRE') as EmploymentStatusValue,
      jobTitle: input.jobTitle.trim(),
      departmentId,
      locationId,
      employmentType: input.employmentType,
      managerId,
    };
    const recorded: Record<string, string | null> = {
      employeeNumber: employee.employeeNumber,
      email,
      hubUserId,
      firstName: employee.firstName,
      lastName: employee.lastName,
      preferredName: employee.preferredName,
      hireDate: employee.hireDate,
      timezone: employee.timezone,
      workPhone: employee.workPhone,
      ...job,
      personalEmail: personal.personalEmail,
      personalPhone: personal.personalPhone,
      dateOfBirth: personal.dateOfBirth,
      homeAddress: jsonOrNull(personal.homeAddress),
      emergencyContact: jsonOrNull(personal.emergencyContact),
    };
    const changes = Object.entries(recorded)
      .filter(([, value]) => value !== null)
      .map(([field, value]) => ({ field, before: null, after: value }));
    const createdId = await store.insertChange(tx, {
      employeeId: employee.id,
      kind: 'CREATED',
      recordedBy,
      effectiveFrom: startsOn,
      reason: cleanText(input.reason),
      changes,
    });
    await store.insertJobChange(tx, employee.id, createdId, startsOn, job);
    if (!hiredNow) {
      const startId = await store.insertChange(tx, {
        employeeId: employee.id,
        kind: 'STATUS_CHANGED',
        recordedBy,
        effectiveFrom: input.hireDate,
        reason: 'Start date',
        changes: [{ field: 'status', before: 'PRE_HIRE', after: 'ACTIVE' }],
      });
      await store.insertJobChange(tx, employee.id, startId, input.hireDate, { status: 'ACTIVE' });
    }
    await emitDueLifecycleEvents(tx, ctx.today, { employeeId: employee.id });
    return employee.id;
  });
}

type UpdatableRowField = 'email' | 'employeeNumber' | 'hubUserId' | 'firstName' | 'lastName' | 'preferredName' | 'timezone' | 'workPhone';
const rowFields: readonly UpdatableRowField[] = [
  'email',
  'employeeNumber',
  'hubUserId',
  'firstName',
  'lastName',
  'preferredName',
  'timezone',
  'workPhone',
];
/** Job fields `updateEmployee` may change; status has its own mutation and rules. */
const updatableJobFields = ['jobTitle', 'departmentId', 'locationId', 'employmentType', 'managerId'] as const;

function jobFieldValue(input: UpdateEmployeeInput, field: (typeof updatableJobFields)[number]): string | null {
  switch (field) {
    case 'jobTitle':
      return cleanText(input.jobTitle);
    case 'employmentType':
      return input.employmentType ?? null;
    default: {
      const id = input[field];
      return id ? normaliseId(id) : null;
    }
  }
}

type PersonalField = 'personalEmail' | 'personalPhone' | 'dateOfBirth' | 'homeAddress' | 'emergencyContact';

function normalisedRowValue(field: UpdatableRowField, value: string | null): string | null {
  if (field === 'email') return value ? value.trim().toLowerCase() : value;
  if (field === 'employeeNumber' || field === 'firstName' || field === 'lastName') return value?.trim() ?? null;
  return cleanText(value);
}

function given<K extends keyof UpdateEmployeeInput>(input: UpdateEmployeeInput, key: K): boolean {
  return Object.prototype.hasOwnProperty.call(input, key) && input[key] !== undefined;
}

export async function updateEmployee(ctx: RequestContext, input: UpdateEmployeeInput): Promise<WriteOutcome> {
  const id = normaliseId(input.id);
  const changing = Object.keys(input).filter(
    (key) => !['id', 'effectiveDate', 'reason'].includes(key) && input[key as keyof UpdateEmployeeInput] !== undefined,
  );
  await assertCanWrite(
    ctx,
    'update',
    id,
    changing,
    input.managerId === undefined ? undefined : input.managerId && normaliseId(input.managerId),
  );
  const invalid = validateUpdateEmployee(input, ctx.today);
  if (invalid.length > 0) return fail(...invalid);
  if (!isUuid(id)) return fail(notFound(input.id));
  const effectiveDate = input.effectiveDate ?? ctx.today;
  const recordedBy = describeCaller(ctx.caller);
  const reason = cleanText(input.reason);

  return inTransaction(ctx, async (tx) => {
    const current = await store.lockEmployee(tx, id);
    if (!current) throw new UserErrorsAbort([notFound(input.id)]);

    // Fields without a timeline change now.
    const rowChanges: Partial<Record<UpdatableRowField, string | null>> = {};
    const changes: FieldChangeValue[] = [];
    for (const field of rowFields) {
      if (!given(input, field)) continue;
      const next = normalisedRowValue(field, input[field] ?? null);
      if (next !== current[field]) {
        rowChanges[field] = next;
        changes.push({ field, before: current[field], after: next });
      }
    }
    const personalChanges = await diffPersonal(tx, current.id, input);
    changes.push(...personalChanges.changes);

    // Job fields change on their effective date.
    const jobInput = updatableJobFields.filter((field) => given(input, field));
    const jobChanges: store.JobChangeValues = {};
    const jobFieldChanges: FieldChangeValue[] = [];
    if (jobInput.length > 0) {
      if (effectiveDate < current.hireDate) {
        throw new UserErrorsAbort([
          userError(
            'BEFORE_HIRE_DATE',
            ['input', 'effectiveDate'],
            `Job changes cannot take effect before the hire date ${current.hireDate}.`,
          ),
        ]);
      }
      if (given(input, 'managerId')) await store.lockReportingLines(tx);
      const before = (await store.findJobStates(tx, [current.id], effectiveDate)).get(current.id);
      for (const field of jobInput) {
        const next = jobFieldValue(input, field);
        const previous = before?.[field] ?? null;
        if (next === previous) continue;
        Object.assign(jobChanges, { [field]: next });
        jobFieldChanges.push({ field, before: previous, after: next });
      }
    }

    abortIf([
      ...(await checkIdentityUnique(
        tx,
        { email: rowChanges.email ?? undefined, employeeNumber: rowChanges.employeeNumber ?? undefined, hubUserId: rowChanges.hubUserId },
        current.id,
      )),
      ...(await checkReferences(tx, jobChanges)),
      ...(jobChanges.managerId ? await checkManager(tx, current.id, jobChanges.managerId, effectiveDate, ctx.today) : []),
    ]);

    if (changes.length > 0) {
      // Validation has refused null for the required columns (email, names, employee number).
      await store.updateEmployeeRow(tx, current.id, rowChanges as Partial<EmployeeRow>);
      if (personalChanges.changes.length > 0) await store.upsertPersonalData(tx, current.id, personalChanges.values);
      await store.insertChange(tx, {
        employeeId: current.id,
        kind: 'UPDATED',
        recordedBy,
        effectiveFrom: ctx.today,
        reason,
        changes,
      });
    }
    if (jobFieldChanges.length > 0) {
      if (changes.length === 0) await store.updateEmployeeRow(tx, current.id, {});
      const changeId = await store.insertChange(tx, {
        employeeId: current.id,
        kind: 'UPDATED',
        recordedBy,
        effectiveFrom: effectiveDate,
        reason,
        changes: jobFieldChanges,
      });
      await store.insertJobChange(tx, current.id, changeId, effectiveDate, jobChanges);
    }
    return current.id;
  });
}

async function diffPersonal(
  tx: Database,
  employeeId: string,
  input: UpdateEmployeeInput,
): Promise<{ values: Partial<Omit<EmployeePersonalDataRow, 'employeeId'>>; changes: FieldChangeValue[] }> {
  const personalFields: PersonalField[] = ['personalEmail', 'personalPhone', 'dateOfBirth', 'homeAddress', 'emergencyContact'];
  if (!personalFields.some((field) => given(input, field))) return { values: {}, changes: [] };
  const [current] = await store.findPersonalData(tx, [employeeId]);
  const next = {
    personalEmail: given(input, 'personalEmail') ? (cleanText(input.personalEmail)?.toLowerCase() ?? null) : undefined,
    personalPhone: given(input, 'personalPhone') ? cleanText(input.personalPhone) : undefined,
    dateOfBirth: given(input, 'dateOfBirth') ? (input.dateOfBirth ?? null) : undefined,
    homeAddress: given(input, 'homeAddress') ? addressValue(input.homeAddress) : undefined,
    emergencyContact: given(input, 'emergencyContact') ? emergencyContactValue(input.emergencyContact) : undefined,
  };
  const values: Partial<Omit<EmployeePersonalDataRow, 'employeeId'>> = {};
  const changes: FieldChangeValue[] = [];
  for (const field of personalFields) {
    const after = next[field];
    if (after === undefined) continue;
    const beforeText = field === 'homeAddress' || field === 'emergencyContact' ? jsonOrNull(current?.[field]) : textOrNull(current?.[field]);
    const afterText = field === 'homeAddress' || field === 'emergencyContact' ? jsonOrNull(after) : textOrNull(after as string | null);
    if (beforeText === afterText) continue;
    Object.assign(values, { [field]: after });
    changes.push({ field, before: beforeText, after: afterText });
  }
  return { values, changes };
}

function notFound(id: string): UserError {
  return userError('EMPLOYEE_NOT_FOUND', ['input', 'id'], `No employee has the id "${id}".`);
}

export async function changeEmployeeStatus(
  ctx: RequestContext,
  input: ChangeEmployeeStatusInput,
): Promise<WriteOutcome> {
  const id = normaliseId(input.id);
  await assertCanWrite(ctx, 'changeStatus', id);
  const invalid = validateChangeStatus(input, ctx.today);
  if (invalid.length > 0) return fail(...invalid);
  if (!isUuid(id)) return fail(notFound(input.id));
  const effectiveDate = input.effectiveDate ?? ctx.today;
  const next = input.status;
  const dateField = ['input', 'effectiveDate'];

  return inTransaction(ctx, async (tx) => {
    const current = await store.lockEmployee(tx, id);
    if (!current) throw new UserErrorsAbort([notFound(input.id)]);
    if (effectiveDate < current.hireDate) {
      throw new UserErrorsAbort([
        terminalStatuses.includes(next)
          ? userError(
              'TERMINATION_BEFORE_HIRE',
              dateField,
              `The termination date ${effectiveDate} is before the hire date ${current.hireDate}.`,
            )
          : userError('BEFORE_HIRE_DATE', dateField, `A status cannot start before the hire date ${current.hireDate}.`),
      ]);
    }
    abortIf(checkStatusTimeline(await store.findStatusTimeline(tx, current.id), next, effectiveDate));
    if (terminalStatuses.includes(next)) abortIf(await checkNoReportsLeft(tx, current.id, effectiveDate, ctx.today));

    const before = (await store.findJobStates(tx, [current.id], effectiveDate)).get(current.id)?.status ?? null;
    await store.updateEmployeeRow(tx, current.id, {});
    const changeId = await store.insertChange(tx, {
      employeeId: current.id,
      kind: 'STATUS_CHANGED',
      recordedBy: describeCaller(ctx.caller),
      effectiveFrom: effectiveDate,
      reason: cleanText(input.reason),
      changes: [{ field: 'status', before, after: next }],
    });
    await store.insertJobChange(tx, current.id, changeId, effectiveDate, { status: next });
    await emitDueLifecycleEvents(tx, ctx.today, { employeeId: current.id });
    return current.id;
  });
}

/** Someone leaving must not leave reports without a manager, on their last day or after. */
async function checkNoReportsLeft(
  tx: Database,
  employeeId: string,
  leavingOn: CalendarDate,
  today: CalendarDate,
): Promise<UserError[]> {
  const days = [leavingOn, ...(await store.findLaterManagerChangeDates(tx, leavingOn))];
  if (today > leavingOn) days.push(today);
  const reports = new Set<string>();
  for (const day of days) {
    for (const row of await store.findDirectReportIds(tx, [employeeId], day)) reports.add(row.employeeId);
  }
  if (reports.size === 0) return [];
  return [
    userError(
      'HAS_DIRECT_REPORTS',
      ['input', 'status'],
      `${reports.size} employee(s) would still report to this person after ${leavingOn}; give them another manager first.`,
    ),
  ];
}

/**
 * The new status must follow the one in force on its day, and must not make the next
 * scheduled change impossible (e.g. a leave keyed after a termination that is already booked).
 */
function checkStatusTimeline(
  timeline: { effectiveFrom: CalendarDate; status: EmploymentStatusValue }[],
  next: EmploymentStatusValue,
  on: CalendarDate,
): UserError[] {
  const field = ['input', 'status'];
  const previous = timeline.filter((entry) => entry.effectiveFrom <= on).at(-1);
  const following = timeline.find((entry) => entry.effectiveFrom > on);
  if (!previous) {
    return [userError('BEFORE_HIRE_DATE', ['input', 'effectiveDate'], `The employee has no status yet on ${on}.`)];
  }
  if (previous.status === next) {
    return [userError('STATUS_TRANSITION_NOT_ALLOWED', field, `The employee is already ${next} on ${on}.`)];
  }
  if (!allowedStatusTransitions[previous.status].includes(next)) {
    return [
      userError(
        'STATUS_TRANSITION_NOT_ALLOWED',
        field,
        `An employee who is ${previous.status} cannot become ${next}; allowed: ${allowedStatusTransitions[previous.status].join(', ') || 'none'}.`,
      ),
    ];
  }
  if (following && following.status !== next && !allowedStatusTransitions[next].includes(following.status)) {
    return [
      userError(
        'STATUS_TRANSITION_NOT_ALLOWED',
        field,
        `A change to ${following.status} is already scheduled for ${following.effectiveFrom}, which cannot follow ${next}.`,
      ),
    ];
  }
  return [];
}

