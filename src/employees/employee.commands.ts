import type { ChangeEmployeeStatusInput, CreateEmployeeInput, UpdateEmployeeInput } from '../generated/graphql.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import { describeCaller } from '../auth/auth.service.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { employeeNotFound } from '../shared/common-errors.js';
import { abort, abortIf, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { fail, userError, type Outcome } from '../shared/user-errors.js';
import { assertCanWrite } from './employee.access.js';
import type { EmployeeRecord } from './employee.model.js';
import { emitDueLifecycleEvents } from './employee.lifecycle.js';
import { recordStatusChange } from './employee.status.js';
import { checkNotCallersIdentity, recordIdentityLinkChange } from './employee.identity.js';
import { getEmployee } from './employee.queries.js';
import {
  checkIdentityUnique,
  checkManager,
  checkReferences,
  duplicateError,
} from './employee.rules.js';
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

// Changing employees: each mutation checks permissions, validates, and applies its change with
// its history row (and lifecycle events) in one transaction. The rules live in employee.rules.

// ---------------------------------------------------------------- writes

type WriteOutcome = Outcome<EmployeeRecord>;

/**
 * How every change is written (see writeTransaction): the identity a racing writer took first
 * is a duplicate, and the answer is the employee as read after the commit.
 */
const employeeWrite = {
  uniqueViolations: {
    employees_email_lower_key: () => duplicateError('email'),
    employees_employee_number_unique: () => duplicateError('employeeNumber'),
    employees_hub_user_id_unique: () => duplicateError('hubUserId'),
  },
  reload: getEmployee,
} satisfies WriteOptions<string, EmployeeRecord>;

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
  const hubUserId = cleanText(input.hubUserId);
  await assertCanWrite(ctx, 'create', null, hubUserId === null ? [] : ['hubUserId']);
  const invalid = validateCreateEmployee(input, ctx.today);
  if (invalid.length > 0) return fail(...invalid);
  const departmentId = normaliseId(input.departmentId);
  const locationId = normaliseId(input.locationId);
  const managerId = input.managerId ? normaliseId(input.managerId) : null;
  const email = input.email.trim().toLowerCase();
  const ownIdentity = checkNotCallersIdentity(ctx.caller, { email, hubUserId });
  if (ownIdentity.length > 0) return fail(...ownIdentity);
  const hiredNow = input.hireDate <= ctx.today;
  // A future hire exists from today as PRE_HIRE, so onboarding can see their job and manager.
  const startsOn = hiredNow ? input.hireDate : ctx.today;
  const recordedBy = describeCaller(ctx.caller);

  return writeTransaction(ctx, async (tx) => {
    if (managerId) await store.lockReportingLines(tx);
    abortIf([
      ...(await checkIdentityUnique(tx, { email, employeeNumber: input.employeeNumber ?? undefined, hubUserId })),
      ...(await checkReferences(tx, { departmentId, locationId }, { employeeId: null, from: startsOn })),
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
    for (const listener of ctx.employmentListeners) {
      await listener.employeeCreated?.(tx, ctx, { employeeId: employee.id, hireDate: employee.hireDate });
    }
    return employee.id;
  }, employeeWrite);
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
  if (!isUuid(id)) return fail(employeeNotFound(['input', 'id']));
  const ownIdentity = checkNotCallersIdentity(ctx.caller, {
    email: given(input, 'email') ? normalisedRowValue('email', input.email ?? null) : undefined,
    hubUserId: given(input, 'hubUserId') ? normalisedRowValue('hubUserId', input.hubUserId ?? null) : undefined,
  });
  if (ownIdentity.length > 0) return fail(...ownIdentity);
  const effectiveDate = input.effectiveDate ?? ctx.today;
  const recordedBy = describeCaller(ctx.caller);
  const reason = cleanText(input.reason);

  return writeTransaction(ctx, async (tx) => {
    const current = await store.lockEmployee(tx, id);
    if (!current) abort(employeeNotFound(['input', 'id']));

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
        abort(
          userError(
            'BEFORE_HIRE_DATE',
            ['input', 'effectiveDate'],
            `Job changes cannot take effect before the hire date ${current.hireDate}.`,
          ),
        );
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
      ...(await checkReferences(tx, jobChanges, { employeeId: current.id, from: effectiveDate })),
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
      if (rowChanges.hubUserId !== undefined) {
        await recordIdentityLinkChange(tx, { employeeId: current.id, before: current.hubUserId, after: rowChanges.hubUserId, source: 'API' });
      }
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
  }, employeeWrite);
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

export async function changeEmployeeStatus(
  ctx: RequestContext,
  input: ChangeEmployeeStatusInput,
): Promise<WriteOutcome> {
  const id = normaliseId(input.id);
  await assertCanWrite(ctx, 'changeStatus', id);
  const invalid = validateChangeStatus(input, ctx.today);
  if (invalid.length > 0) return fail(...invalid);
  if (!isUuid(id)) return fail(employeeNotFound(['input', 'id']));
  const effectiveDate = input.effectiveDate ?? ctx.today;

  return writeTransaction(ctx, async (tx) => {
    const change = { employeeId: id, status: input.status, effectiveDate, reason: cleanText(input.reason) };
    const { changeId, previousStatus } = await recordStatusChange(tx, ctx, change);
    for (const listener of ctx.employmentListeners) {
      await listener.statusChangeRecorded?.(tx, ctx, { ...change, previousStatus, changeId });
    }
    return id;
  }, employeeWrite);
}
