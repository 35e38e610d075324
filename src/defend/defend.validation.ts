import { userError, type UserError } from '../shared/user-errors.js';

// Checks of what Defend sends, before any database work.

type Path = readonly string[];

const alertIdPattern = /^[A-Za-z0-9._:-]{1,200}$/;

export const limits = { reason: 2000, summary: 4000, detailsUrl: 2000 } as const;

/** Defend's alert id: an identifier (it goes into events), not text. */
export function checkAlertId(path: Path, value: string, errors: UserError[]): string {
  const trimmed = value.trim();
  if (!alertIdPattern.test(trimmed)) errors.push(userError('INVALID_VALUE', [...path], 'alertId must be 1 to 200 letters, digits or . _ : -'));
  return trimmed;
}

export function checkEmail(path: Path, value: string, errors: UserError[]): string {
  const trimmed = value.trim();
  if (trimmed.length > 320 || !/^[^\s@]+@[^\s@]+$/.test(trimmed)) errors.push(userError('INVALID_EMAIL', [...path], 'email must be a work e-mail address.'));
  return trimmed;
}

/** An https link into Defend (never another scheme: HR clicks it). */
export function checkDetailsUrl(path: Path, value: string | null | undefined, errors: UserError[]): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  const url = URL.canParse(trimmed) ? new URL(trimmed) : null;
  if (!url || url.protocol !== 'https:' || url.username || url.password || trimmed.length > limits.detailsUrl) {
    errors.push(userError('INVALID_VALUE', [...path], `detailsUrl must be an https URL without credentials, at most ${limits.detailsUrl} characters.`));
    return null;
  }
  return url.toString();
}
