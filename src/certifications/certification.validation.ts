import type { CreateCertificationCatalogEntryInput } from '../generated/graphql.js';
import type { CalendarDate } from '../shared/dates.js';
import { userError, type UserError } from '../shared/user-errors.js';
import { matchKey } from './catalog-matching.js';

// Checks of certification input that need no database.

export const maxTextLength = 200;
export const maxCommentLength = 2000;
export const maxUrlLength = 2000;
export const maxListLength = 50;
export const minValidityMonths = 1;
export const maxValidityMonths = 600;

const field = (name: string): string[] => ['input', name];

/** Trimmed; null when empty. */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Trimmed, without empties and without repeats by matching key (the first spelling wins). */
export function cleanList(values: readonly string[] | null | undefined, exclude: readonly string[] = []): string[] {
  const seen = new Set(exclude.map(matchKey));
  const cleaned: string[] = [];
  for (const value of values ?? []) {
    const trimmed = value.trim();
    const key = matchKey(trimmed);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    cleaned.push(trimmed);
  }
  return cleaned;
}

export interface CatalogEntryValues {
  name: string;
  issuer: string;
  code: string | null;
  aliases: string[];
  validityMonths: number | null;
  tags: string[];
}

/** An entry's values cleaned; aliases repeating its own name or code are dropped. */
export function cleanCatalogEntry(input: CreateCertificationCatalogEntryInput): CatalogEntryValues {
  const name = input.name.trim();
  const code = optionalText(input.code);
  return {
    name,
    issuer: input.issuer.trim(),
    code,
    aliases: cleanList(input.aliases, [name, code ?? '']),
    validityMonths: input.validityMonths ?? null,
    tags: cleanList(input.tags),
  };
}

export function validateCatalogEntry(values: CatalogEntryValues): UserError[] {
  const errors: UserError[] = [];
  for (const name of ['name', 'issuer'] as const) {
    if (matchKey(values[name]) === '') errors.push(userError('REQUIRED', field(name), `The ${name} is required.`));
    else if (values[name].length > maxTextLength) errors.push(tooLong(name, maxTextLength));
  }
  if (values.code !== null && matchKey(values.code) === '') {
    errors.push(userError('INVALID_VALUE', field('code'), 'A code needs at least one letter or digit.'));
  } else if (values.code !== null && values.code.length > maxTextLength) {
    errors.push(tooLong('code', maxTextLength));
  }
  for (const list of ['aliases', 'tags'] as const) {
    if (values[list].length > maxListLength) {
      errors.push(userError('INVALID_VALUE', field(list), `At most ${maxListLength} ${list}.`));
    } else if (values[list].some((value) => value.length > maxTextLength)) {
      errors.push(tooLong(list, maxTextLength));
    }
  }
  const months = values.validityMonths;
  if (months !== null && (!Number.isInteger(months) || months < minValidityMonths || months > maxValidityMonths)) {
    errors.push(
      userError('INVALID_VALUE', field('validityMonths'), `The validity period is ${minValidityMonths} to ${maxValidityMonths} months (or none).`),
    );
  }
  return errors;
}

/** The keys an entry is known by (name, code, aliases); tags describe, they do not name. */
export function identityKeys(entry: { name: string; code: string | null; aliases: readonly string[] }): string[] {
  return [...new Set([entry.name, entry.code ?? '', ...entry.aliases].map(matchKey).filter((key) => key !== ''))];
}

function tooLong(name: string, max: number): UserError {
  return userError('INVALID_VALUE', field(name), `The ${name} is at most ${max} characters.`);
}

/** The dates of a record: not issued in the future, not expiring before issue. */
export function validateDates(issuedOn: CalendarDate, expiresOn: CalendarDate | null, today: CalendarDate): UserError[] {
  const errors: UserError[] = [];
  if (issuedOn > today) errors.push(userError('INVALID_VALUE', field('issuedOn'), 'A certification cannot be issued in the future.'));
  if (expiresOn !== null && expiresOn < issuedOn) {
    errors.push(userError('EXPIRES_BEFORE_ISSUED', field('expiresOn'), 'The expiry date is before the issue date.'));
  }
  return errors;
}

/** The credential id and evidence link as stored, or why not. */
export function validateDetails(input: { credentialId?: string | null; evidenceUrl?: string | null }): UserError[] {
  const errors: UserError[] = [];
  const credentialId = optionalText(input.credentialId);
  if (credentialId !== null && credentialId.length > maxTextLength) errors.push(tooLong('credentialId', maxTextLength));
  const evidenceUrl = optionalText(input.evidenceUrl);
  if (evidenceUrl !== null && !isWebAddress(evidenceUrl)) {
    errors.push(userError('INVALID_VALUE', field('evidenceUrl'), 'The evidence link must be an http(s) address.'));
  }
  return errors;
}

function isWebAddress(value: string): boolean {
  if (value.length > maxUrlLength) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function validateComment(comment: string | null, required: boolean): UserError[] {
  if (comment === null) {
    return required ? [userError('REQUIRED', field('comment'), 'Say why the certification is rejected.')] : [];
  }
  return comment.length > maxCommentLength ? [tooLong('comment', maxCommentLength)] : [];
}
