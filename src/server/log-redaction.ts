/*
 * What of an error may reach a log line. Database errors are the dangerous ones: drizzle's
 * message is "Failed query: <sql> params: <every value bound>", the drivers attach the bound
 * values (`params`, `parameters`), and PostgreSQL's `detail` repeats the offending row or key
 * ("Key (personal_email)=(…) already exists", "Failing row contains (…)"). So nothing is copied
 * from an error wholesale: only what locates a fault without repeating data (the class, the SQL
 * state, the constraint, table and column names, the statement with its `$n` placeholders, our
 * stack frames) is kept, and free text is stripped of anything that could be a value.
 */

export interface RedactedError {
  type: string;
  message: string;
  /** SQLSTATE (`23505`) or a Node/system code (`ECONNREFUSED`). */
  code?: string;
  severity?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  routine?: string;
  /** PostgreSQL's detail, reduced to its shape: `Key (personal_email)=(…) already exists.` */
  detail?: string;
  /** The SQL sent, with its `$n` placeholders and any inlined literal blanked out. */
  statement?: string;
  /** HTTP status of an HTTP error (body parser, Bus). */
  status?: number;
  /** Where in a GraphQL answer it happened: field names and list indexes. */
  path?: (string | number)[];
  stack?: string;
  cause?: RedactedError;
  errors?: RedactedError[];
}

const maxDepth = 5;
const maxAggregated = 10;
const maxMessageLength = 500;
const maxStatementLength = 4_000;
const maxStackFrames = 15;

/** The pino serializer for `err`: every logger of People is built with it (see logger.ts). */
export function redactErrorForLog(value: unknown): RedactedError {
  return redact(unwrapPinoSerialized(value), 0, new WeakSet(), null);
}

type Fields = Record<string, unknown>;

function redact(value: unknown, depth: number, seen: WeakSet<object>, parentStatement: string | null): RedactedError {
  if (typeof value !== 'object' || value === null) {
    // Not an error: nothing says what it holds, so only its kind is told.
    return { type: typeof value, message: `a ${typeof value} was thrown (its value is not logged)` };
  }
  if (seen.has(value)) return { type: 'circular', message: '[circular reference]' };
  seen.add(value);
  const fields: Fields = { ...value };
  const read = (key: string): unknown => (key in fields ? fields[key] : Reflect.get(value, key));
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const found = read(key);
      if (typeof found === 'string' && found.length > 0) return found;
    }
    return undefined;
  };

  const statement = text('query');
  const identifiers = new Set<string>();
  const located = {
    schema: text('schema', 'schema_name'),
    table: text('table', 'table_name'),
    column: text('column', 'column_name'),
    dataType: text('dataType', 'data_type_name'),
    constraint: text('constraint', 'constraint_name'),
  };
  for (const name of Object.values(located)) if (name) identifiers.add(name);
  const cleanStatement = statement === undefined ? undefined : redactStatement(statement);
  if (cleanStatement) for (const name of quotedIdentifiers(cleanStatement)) identifiers.add(name);

  const code = text('code');
  const type = typeName(value, code !== undefined && /^[0-9A-Z]{5}$/.test(code));
  const rawMessage = text('message') ?? '';
  // drizzle's own message is the statement plus its parameters; the statement is kept apart.
  const message = rawMessage.startsWith('Failed query:') ? 'Failed query' : redactText(rawMessage, identifiers);

  const result: RedactedError = { type, message };
  if (code && /^[A-Z0-9_]{2,40}$/.test(code)) result.code = code;
  const severity = text('severity');
  if (severity && /^[A-Z]{1,10}$/.test(severity)) result.severity = severity;
  for (const [key, name] of Object.entries(located)) {
    if (name && isIdentifier(name)) Object.assign(result, { [key]: name });
  }
  const routine = text('routine');
  if (routine && isIdentifier(routine)) result.routine = routine;
  const detail = text('detail');
  if (detail) {
    const shape = detailShape(detail);
    if (shape) result.detail = shape;
  }
  if (cleanStatement && cleanStatement !== parentStatement) result.statement = cleanStatement;
  const status = read('status') ?? read('statusCode');
  if (typeof status === 'number' && Number.isInteger(status)) result.status = status;
  const path = read('path');
  if (Array.isArray(path) && path.every((part) => typeof part === 'number' || (typeof part === 'string' && isIdentifier(part)))) {
    result.path = path;
  }
  const stack = text('stack');
  if (stack) result.stack = redactStack(stack, type, message);

  if (depth < maxDepth) {
    const statementSoFar = cleanStatement ?? parentStatement;
    // GraphQL keeps what a resolver threw as `originalError`, most others as `cause`.
    const cause = read('cause') ?? read('originalError');
    if (cause !== undefined && cause !== null) result.cause = redact(cause, depth + 1, seen, statementSoFar);
    const errors = read('errors');
    if (Array.isArray(errors) && errors.length > 0) {
      result.errors = errors.slice(0, maxAggregated).map((inner: unknown) => redact(inner, depth + 1, seen, statementSoFar));
    }
  }
  return result;
}

/** An error already through pino's own serializer (`pino.stdSerializers.err`) keeps the original as `raw`. */
function unwrapPinoSerialized(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Error) return value;
  const raw: unknown = Reflect.get(value, 'raw');
  return raw instanceof Error ? raw : value;
}

/** The class, else the error's name; a driver's minified class ("O") says nothing, so it is skipped. */
function typeName(value: object, hasSqlState: boolean): string {
  const meaningful = (name: unknown): name is string =>
    typeof name === 'string' && name.length >= 3 && isIdentifier(name) && !['Object', 'error'].includes(name);
  const constructorName = value.constructor?.name;
  const name: unknown = Reflect.get(value, 'name');
  if (meaningful(constructorName)) return constructorName;
  if (meaningful(name)) return name;
  return hasSqlState ? 'DatabaseError' : 'Error';
}

function isIdentifier(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_$.]{0,127}$/.test(text);
}

/** Names the statement itself quotes ("employees", "personal_email"): never values, which are `$n`. */
function quotedIdentifiers(statement: string): string[] {
  return [...statement.matchAll(/"([^"]{1,128})"/g)].map((match) => match[1] ?? '').filter(isIdentifier);
}

/**
 * drizzle binds every value as `$n`, but SQL written with `sql.raw` or by hand can inline a
 * literal: string and dollar-quoted literals are blanked, whatever they hold.
 */
function redactStatement(statement: string): string {
  const blanked = statement
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g, '$$…$$')
    .replace(/[Ee]?'(?:[^']|'')*'/g, "'…'");
  return blanked.length > maxStatementLength ? `${blanked.slice(0, maxStatementLength)}…` : blanked;
}

/**
 * Free text (messages) keeps its words and the names it shares with the statement or the
 * error's own fields; quoted fragments that name nothing known, e-mail addresses and runs of
 * digits (phones, dates, numbers) are replaced. PostgreSQL quotes the values it repeats
 * ("invalid input syntax for type date: \"…\""), as GraphQL and JavaScript do.
 */
function redactText(text: string, identifiers: ReadonlySet<string>): string {
  const quoted = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g;
  const redacted = text
    .replace(quoted, (match: string, double?: string, single?: string, back?: string) => {
      const inner = double ?? single ?? back ?? '';
      return identifiers.has(inner) ? match : `${match[0]}…${match[0]}`;
    })
    .replace(/[^\s"'`<>()[\]{},;:]+@[^\s"'`<>()[\]{},;:]+/g, '[email]')
    .replace(/(?<![\w-])\+?\d[\d\s().\-/]{4,}\d(?![\w-])/g, '[number]')
    .replace(/[\r\n]+/g, ' ');
  return redacted.length > maxMessageLength ? `${redacted.slice(0, maxMessageLength)}…` : redacted;
}

/**
 * PostgreSQL's detail names the key columns and repeats their values; only the columns and the
 * verdict are kept. Any other detail (a failing row, a trigger's text) is dropped.
 */
function detailShape(detail: string): string | undefined {
  const key = /^Key \(([^()]*)\)=\(/.exec(detail);
  if (key) {
    const columns = (key[1] ?? '').split(',').map((column) => column.trim());
    const shownColumns = columns.every(isIdentifier) ? columns.join(', ') : '…';
    const verdict = /\) (already exists|is not present in table "\w+"|is still referenced from table "\w+")\.$/.exec(detail)?.[1] ??
      (detail.includes(') conflicts with existing key (') ? 'conflicts with existing key (…)' : null);
    return `Key (${shownColumns})=(…)${verdict ? ` ${verdict}.` : ''}`;
  }
  if (detail.startsWith('Failing row contains')) return 'Failing row contains (…).';
  return undefined;
}

/**
 * The first line of a stack repeats the message, which is rebuilt from the redacted one; frames
 * name functions and files only. Frames inside node_modules and Node are dropped when any of ours
 * are left, so the log points at People's code.
 */
function redactStack(stack: string, type: string, message: string): string {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  const ours = frames.filter((line) => !/node_modules|node:internal|wasm:\/\//.test(line));
  const kept = (ours.length > 0 ? ours : frames.slice(0, 3)).slice(0, maxStackFrames).map((line) => `    ${line.trim()}`);
  return [`${type}: ${message}`, ...kept].join('\n');
}
