import { describeCaller } from '../auth/auth.service.js';
import { findUnitMembersFrom, type FieldChangeValue } from '../employees/employee.service.js';
import type { ArchiveOrganisationUnitInput, CreateLocationInput, UpdateLocationInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { locationNotFound } from '../shared/common-errors.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction, type WriteOptions } from '../shared/write-transaction.js';
import { assertMayAdministerOrganisation } from './organisation.access.js';
import { describeMembers, recordOrganisationChange } from './organisation.changes.js';
import * as store from './organisation.store.js';
import type { LocationRow } from './organisation.tables.js';
import { parseArchive, parseCreateLocation, parseUpdateLocation, type LocationValues } from './organisation.validation.js';

// Creating, changing and archiving locations. A location is not effective-dated: a change applies
// at once (its history says who made it and why); only archiving has a day. Each change locks the
// location's row first, which also makes moves of people into it wait (they share-lock it).

type LocationOutcome = Outcome<LocationRow>;

const duplicateName = (name?: string): UserError =>
  userError('DUPLICATE_LOCATION_NAME', ['input', 'name'], `Another location is already called${name ? ` "${name}"` : ' that'}.`);

const locationWrite = {
  uniqueViolations: { locations_name_lower_key: () => duplicateName() },
  reload: (ctx: RequestContext, id: string) => ctx.loaders.organisation.location.load(id),
} satisfies WriteOptions<string, LocationRow>;

const storedText = (value: string | null | undefined): string | null => value ?? null;

export async function createLocation(ctx: RequestContext, input: CreateLocationInput): Promise<LocationOutcome> {
  assertMayAdministerOrganisation(ctx);
  const { values, reason, errors } = parseCreateLocation(input);
  if (errors.length > 0) return fail(...errors);
  const recordedBy = describeCaller(ctx.caller);

  return writeTransaction(ctx, async (tx) => {
    if (await store.isLocationNameTaken(tx, values.name, null)) abort(duplicateName(values.name));
    const row = await store.insertLocationRow(tx, values);
    const changes: FieldChangeValue[] = Object.entries(values)
      .filter(([, value]) => value !== null)
      .map(([field, value]) => ({ field, before: null, after: storedText(value) }));
    await store.insertChange(tx, { unit: 'location', unitId: row.id, kind: 'CREATED', recordedBy, effectiveFrom: ctx.today, reason, changes });
    await recordOrganisationChange(tx, { unit: 'LOCATION', id: row.id, change: 'CREATED', fields: changes.map((change) => change.field), effectiveFrom: ctx.today });
    return row.id;
  }, locationWrite);
}

export async function updateLocation(ctx: RequestContext, input: UpdateLocationInput): Promise<LocationOutcome> {
  assertMayAdministerOrganisation(ctx);
  const { id, values, reason, errors } = parseUpdateLocation(input);
  if (errors.length > 0) return fail(...errors);
  const recordedBy = describeCaller(ctx.caller);

  return writeTransaction(ctx, async (tx) => {
    const current = await store.lockLocation(tx, id);
    if (!current) abort(locationNotFound(['input', 'id']));
    const next: Partial<LocationValues> = {};
    const changes: FieldChangeValue[] = [];
    for (const [field, value] of Object.entries(values) as [keyof LocationValues, string | null][]) {
      if (value === current[field]) continue;
      Object.assign(next, { [field]: value });
      changes.push({ field, before: storedText(current[field]), after: value });
    }
    if (changes.length === 0) return id;
    if (next.name !== undefined && (await store.isLocationNameTaken(tx, next.name, id))) abort(duplicateName(next.name));
    await store.updateLocationRow(tx, id, next);
    await store.insertChange(tx, { unit: 'location', unitId: id, kind: 'UPDATED', recordedBy, effectiveFrom: ctx.today, reason, changes });
    await recordOrganisationChange(tx, { unit: 'LOCATION', id, change: 'UPDATED', fields: changes.map((change) => change.field), effectiveFrom: ctx.today });
    return id;
  }, locationWrite);
}

export async function archiveLocation(ctx: RequestContext, input: ArchiveOrganisationUnitInput): Promise<LocationOutcome> {
  assertMayAdministerOrganisation(ctx);
  const { id, effectiveFrom, reason, errors } = parseArchive(input, ctx.today, 'location');
  if (errors.length > 0) return fail(...errors);
  const recordedBy = describeCaller(ctx.caller);

  return writeTransaction(ctx, async (tx) => {
    const current = await store.lockLocation(tx, id);
    if (!current) abort(locationNotFound(['input', 'id']));
    if (current.archivedOn !== null) abort(userError('ARCHIVED', ['input', 'id'], `The location is already archived from ${current.archivedOn}.`));
    const members = await findUnitMembersFrom(tx, 'locationId', id, effectiveFrom);
    if (members.length > 0) {
      abort(userError('HAS_MEMBERS', ['input', 'id'], await describeMembers(tx, members, `${current.name} on or after ${effectiveFrom}`, ctx.today)));
    }
    await store.updateLocationRow(tx, id, { archivedOn: effectiveFrom });
    const changes = [{ field: 'archivedOn', before: null, after: effectiveFrom }];
    await store.insertChange(tx, { unit: 'location', unitId: id, kind: 'ARCHIVED', recordedBy, effectiveFrom, reason, changes });
    await recordOrganisationChange(tx, { unit: 'LOCATION', id, change: 'ARCHIVED', fields: ['archivedOn'], effectiveFrom });
    return id;
  }, locationWrite);
}
