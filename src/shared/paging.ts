import { GraphQLError } from 'graphql';

/**
 * A list's `first`, its default applied, within what the field allows; else BAD_USER_INPUT
 * naming `first`. `min` is 0 where an empty page is a fair question (a count alone), else 1.
 * Every paged field asks this one check, so each answers a bad `first` the same way.
 */
export function pageSize(first: number | null | undefined, limits: { fallback: number; min: 0 | 1; max: number }): number {
  const size = first ?? limits.fallback;
  if (!Number.isInteger(size) || size < limits.min || size > limits.max) {
    throw new GraphQLError(`\`first\` must be between ${limits.min} and ${limits.max}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  }
  return size;
}
