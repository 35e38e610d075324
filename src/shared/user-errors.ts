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

/**
 * Thrown inside a transaction to roll it back while still answering the caller with user errors.
 * Caught by the domain function that opened the transaction.
 */
export class UserErrorsAbort extends Error {
  constructor(readonly errors: UserError[]) {
    super('user errors');
  }
}

/** The Postgres unique-violation behind a driver error, if that is what it is. */
export function uniqueViolationConstraint(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (candidate.code === '23505') {
      const name = candidate.constraint_name ?? candidate.constraint;
      return typeof name === 'string' ? name : '';
    }
    current = candidate.cause;
  }
  return null;
}
