import type { GraphQLFormattedError } from 'graphql';

// graphql-js stops coercing variables after a number of errors (50) and adds one more error saying
// so, with no code and no path, which Apollo would answer as INTERNAL_SERVER_ERROR. Its message is
// the only mark it carries, and the cause is the caller's input all the same.
const variableErrorLimitMessage = 'Too many errors processing variables, error limit reached. Execution aborted.';

export function isVariableErrorLimit(error: unknown): boolean {
  // Not `instanceof GraphQLError`: Apollo may run graphql's CommonJS copy while this module has
  // the ES one, and their classes differ.
  if (!(error instanceof Error) || error.message !== variableErrorLimitMessage) return false;
  const path = 'path' in error ? error.path : undefined;
  const originalError = 'originalError' in error ? error.originalError : undefined;
  return path === undefined && originalError === undefined;
}

/** The error limit as what it is: too many invalid variable values, listed by the errors before it. */
export function variableErrorLimitAsUserInput(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message:
      'Too many invalid variable values: People stopped checking after the errors above. Correct those and send the request again.',
    locations: formatted.locations,
    extensions: { code: 'BAD_USER_INPUT' },
  };
}
