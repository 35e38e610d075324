import type { UserErrorCode } from '../generated/graphql.js';

/** A problem with a mutation's input that the caller can fix; returned in the payload, never thrown. */
export interface UserError {
  field: string[] | null;
  code: UserErrorCode;
  message: string;
}

export function userError(code: UserErrorCode, field: string[] | null, message: string): UserError {
  return { code, field, message };
}

/** Either the value, or the reasons it could not be produced. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const succeed = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T = never>(...errors: UserError[]): Outcome<T> => ({ ok: false, errors });

/** A mutation's payload: the value under its field name (null on failure) and the user errors. */
export type Payload<K extends string, T> = { [Field in K]: T | null } & { userErrors: UserError[] };

/** The payload of an outcome, e.g. `toPayload('employee', outcome)` → `{ employee, userErrors }`. */
export function toPayload<K extends string, T>(field: K, outcome: Outcome<T>): Payload<K, T> {
  // A computed key widens to `string`; the mapped type above is what it builds.
  return { [field]: outcome.ok ? outcome.value : null, userErrors: outcome.ok ? [] : outcome.errors } as Payload<K, T>;
}

/**
 * Free text from a mutation's input, trimmed, or a user error at `path` (named by its last part):
 * `required` refuses empty, and nothing may be longer than `max`.
 */
export function checkText(
  path: readonly string[],
  value: string | null | undefined,
  options: { required: boolean; max: number },
  errors: UserError[],
): string | null {
  const label = path.at(-1) ?? 'value';
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    if (options.required) errors.push(userError('REQUIRED', [...path], `${label} is required and cannot be empty.`));
    return null;
  }
  if (trimmed.length > options.max) {
    errors.push(userError('INVALID_VALUE', [...path], `${label} must be at most ${options.max} characters.`));
    return null;
  }
  return trimmed;
}
