/**
 * Something about the machine or its neighbours stops People from starting: the data folder is
 * another server's, the port is taken, PostgreSQL cannot be reached. Its message says the cause
 * and the fix; main prints it without a stack trace, since the stack would only hide the cause.
 */
export class StartupError extends Error {
  override name = 'StartupError';
  /** Each problem on its own, when several were found at once. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.length === 1 ? `People cannot start: ${list[0]}` : `People cannot start:\n${list.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = list;
  }
}

/** The `code` of a Node system error (ECONNREFUSED, EADDRINUSE, …) or a PostgreSQL SQLSTATE. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
