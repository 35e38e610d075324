import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isCalendarDate } from '../shared/dates.js';

function invalidDate(value: unknown): GraphQLError {
  return new GraphQLError(`Date must be a calendar date as YYYY-MM-DD; got ${JSON.stringify(value)}.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

function parseDate(value: unknown): string {
  if (typeof value === 'string' && isCalendarDate(value)) return value;
  throw invalidDate(value);
}

/** The shape alone: what is serialized comes from a `date` column or from dates People computed. */
const dateShape = /^\d{4}-\d{2}-\d{2}$/;

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD, with no time zone.',
  // Outgoing dates are trusted to be real days (PostgreSQL's `date` type holds no 30 February):
  // a shape check only, where parsing and re-formatting every date of a 500-employee answer cost
  // measurably (issue 14). Incoming dates are still checked in full below.
  serialize: (value) => {
    if (typeof value === 'string' && dateShape.test(value)) return value;
    throw invalidDate(value);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalidDate(ast.kind);
    return parseDate(ast.value);
  },
});

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with offset.',
  serialize: (value) => {
    const instant = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(instant.getTime())) throw new GraphQLError('DateTime cannot represent an invalid instant.');
    return instant.toISOString();
  },
  parseValue: (value) => {
    const instant = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(instant.getTime())) {
      throw new GraphQLError('DateTime must be an ISO 8601 instant.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return instant;
  },
});
