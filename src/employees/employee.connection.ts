import { GraphQLError } from 'graphql';
import type { EmployeeRecord } from './employee.model.js';
import type { EmployeeSortField } from './employee.store.js';

/** A page of the directory; `totalCount` is counted only when a query asks for it. */
export interface EmployeeConnectionModel {
  edges: { cursor: string; node: EmployeeRecord }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

interface CursorPayload {
  sort: EmployeeSortField;
  values: string[];
}

// A cursor names the sort it was made for, so a cursor from another order is refused, not misread.
export function encodeCursor(sort: EmployeeSortField, values: string[]): string {
  return Buffer.from(JSON.stringify({ sort, values } satisfies CursorPayload)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: EmployeeSortField, expectedLength: number): string[] {
  try {
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
    if (
      payload.sort === sort &&
      Array.isArray(payload.values) &&
      payload.values.length === expectedLength &&
      payload.values.every((value) => typeof value === 'string')
    ) {
      return payload.values;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError('`after` is not a cursor of this list and sort order.', {
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
  });
}
