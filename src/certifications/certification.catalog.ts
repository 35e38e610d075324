import type { CreateCertificationCatalogEntryInput, UpdateCertificationCatalogEntryInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, abortIf, writeTransaction } from '../shared/write-transaction.js';
import { catalogMatchKeys, matchKey } from './catalog-matching.js';
import { assertMayWriteCatalog } from './certification.access.js';
import * as store from './certification.store.js';
import type { CertificationCatalogRow } from './certification.tables.js';
import { cleanCatalogEntry, identityKeys, validateCatalogEntry, type CatalogEntryValues } from './certification.validation.js';

// Catalog writes (HR Manager and Admin). An entry's name, code and aliases must not name another
// entry too, or a search would find two for one certification. Writes take a table lock first,
// so two concurrent writes cannot both pass that check; `match_keys` is rewritten on each one.

type EntryOutcome = Outcome<CertificationCatalogRow>;

const notFound = (): UserError => userError('CATALOG_ENTRY_NOT_FOUND', ['input', 'id'], 'No catalog entry has this id.');

export async function createCatalogEntry(ctx: RequestContext, input: CreateCertificationCatalogEntryInput): Promise<EntryOutcome> {
  assertMayWriteCatalog(ctx);
  const values = cleanCatalogEntry(input);
  const errors = validateCatalogEntry(values);
  if (errors.length > 0) return fail(...errors);
  return writeTransaction(ctx, async (tx) => {
    await store.lockCatalog(tx);
    await assertNoCollision(tx, values, null);
    return store.insertCatalogEntry(tx, { ...values, matchKeys: catalogMatchKeys(values) });
  });
}

export async function updateCatalogEntry(ctx: RequestContext, input: UpdateCertificationCatalogEntryInput): Promise<EntryOutcome> {
  assertMayWriteCatalog(ctx);
  const id = normaliseId(input.id);
  if (!isUuid(id)) return fail(notFound());
  const nullRequired = (['name', 'issuer'] as const).filter((name) => input[name] === null);
  if (nullRequired.length > 0) {
    return fail(...nullRequired.map((name) => userError('REQUIRED', ['input', name], `The ${name} cannot be cleared.`)));
  }
  return writeTransaction(ctx, async (tx) => {
    await store.lockCatalog(tx);
    const [current] = await store.findCatalogEntriesByIds(tx, [id]);
    if (!current) abort(notFound());
    // Omitted fields keep their value; an explicit null clears code, validity, aliases or tags.
    const values = cleanCatalogEntry({
      name: input.name ?? current.name,
      issuer: input.issuer ?? current.issuer,
      code: input.code === undefined ? current.code : input.code,
      aliases: input.aliases === undefined ? current.aliases : input.aliases,
      validityMonths: input.validityMonths === undefined ? current.validityMonths : input.validityMonths,
      tags: input.tags === undefined ? current.tags : input.tags,
    });
    const errors = validateCatalogEntry(values);
    abortIf(errors);
    await assertNoCollision(tx, values, id);
    const updated = await store.updateCatalogEntry(tx, id, { ...values, matchKeys: catalogMatchKeys(values) });
    if (!updated) abort(notFound());
    return updated;
  });
}

async function assertNoCollision(tx: RequestContext['db'], values: CatalogEntryValues, exceptId: string | null): Promise<void> {
  const candidates = await store.findCatalogEntriesSharingKeys(tx, identityKeys(values), exceptId);
  const ownFields: [string, string[]][] = [
    ['name', [values.name]],
    ['code', values.code === null ? [] : [values.code]],
    ['aliases', values.aliases],
  ];
  // Candidates share some key, perhaps only a tag: only names, codes and aliases collide.
  for (const entry of candidates) {
    const taken = new Set(identityKeys(entry));
    const clash = ownFields.find(([, texts]) => texts.some((text) => taken.has(matchKey(text))));
    if (clash) {
      abort(userError('DUPLICATE_CATALOG_ENTRY', ['input', clash[0]], `"${entry.name}" already has this name, code or alias.`));
    }
  }
}
