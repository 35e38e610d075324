import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';

// Text People refuses wherever it arrives, before any resolver runs:
// - U+0000 (NUL): PostgreSQL text cannot hold it, so the database refuses the statement, and many
//   tools downstream (C strings, logs, CSV exports) cut the text there.
// - A lone (unpaired) UTF-16 surrogate: it is not a character and has no UTF-8 encoding, so it
//   would be stored as U+FFFD, silently changing what the caller sent. A well-formed pair (an
//   emoji, say) is a character like any other and is accepted.

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with this text, in words, or null when People accepts it. */
export function describeHostileText(text: string): string | null {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  const surrogate = loneSurrogate.exec(text)?.[0];
  if (surrogate !== undefined) {
    const code = surrogate.charCodeAt(0).toString(16).toUpperCase();
    return `a lone surrogate (U+${code}), which is not a character`;
  }
  return null;
}

/** Where hostile text was found: a variable's path (`$input`, then fields and indexes) or a literal's place. */
export interface HostileTextFound {
  problem: string;
  /** `["$input", "homeAddress", "city"]` for a variable, `["updateEmployee", "input", "homeAddress", "city"]` for a literal. */
  field: string[];
  message: string;
}

/**
 * The first string in the variables (keys included, at any depth, so `_Any` entity
 * representations too) that People refuses. Walked without recursion: a body may nest deeply.
 */
export function findHostileVariable(variables: Readonly<Record<string, unknown>>): HostileTextFound | null {
  // A stack, each level pushed in reverse, so the first problem in reading order is the one reported.
  // Each entry points at its parent instead of carrying its path: PSA's 500 representations then
  // cost no array per value, and the path is spelled only for the one value refused.
  interface Pending {
    value: unknown;
    step: string | number;
    parent: Pending | null;
  }
  const pending: Pending[] = Object.entries(variables)
    .map(([name, value]): Pending => ({ value, step: name, parent: null }))
    .reverse();
  const pathOf = (entry: Pending): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let at: Pending | null = entry; at; at = at.parent) path.unshift(at.step);
    return path;
  };
  const found = (problem: string, path: (string | number)[]): HostileTextFound => {
    const [name, ...rest] = path;
    const dotted = path.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('');
    return {
      problem,
      field: [`$${String(name)}`, ...rest.map(String)],
      message: `Variable "$${String(name)}" has ${problem} at "${dotted}", which People does not accept in any text. Remove it and send the request again.`,
    };
  };
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value } = next;
    if (typeof value === 'string') {
      const problem = describeHostileText(value);
      if (problem) return found(problem, pathOf(next));
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) pending.push({ value: value[index], step: index, parent: next });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        const problem = describeHostileText(key);
        if (problem) return found(`${problem} in a field name`, [...pathOf(next), key]);
      }
      for (const [key, item] of entries.reverse()) pending.push({ value: item, step: key, parent: next });
    }
  }
  return null;
}

type Step = { kind: 'field' | 'argument' | 'name' | 'directive' | 'variable'; name: string } | { kind: 'index'; index: number };

function stepInto(node: ASTNode, key: string | number | undefined): Step | null {
  switch (node.kind) {
    case Kind.FIELD:
      return { kind: 'field', name: node.name.value };
    case Kind.ARGUMENT:
      return { kind: 'argument', name: node.name.value };
    case Kind.OBJECT_FIELD:
      return { kind: 'name', name: node.name.value };
    case Kind.DIRECTIVE:
      return { kind: 'directive', name: node.name.value };
    case Kind.VARIABLE_DEFINITION:
      return { kind: 'variable', name: node.variable.name.value };
    default:
      return typeof key === 'number' && (node.kind === Kind.LIST || node.kind === Kind.OBJECT || node.kind === Kind.STRING)
        ? { kind: 'index', index: key }
        : null;
  }
}

/** `employees(filter.search)`, `_entities(representations[0].email)`, `the default value of $input.name`. */
function describePlace(steps: readonly Step[]): string {
  let place = '';
  let openArgument = false;
  for (const step of steps) {
    if (step.kind === 'index') place += `[${step.index}]`;
    else if (step.kind === 'field') place += place ? `.${step.name}` : step.name;
    else if (step.kind === 'directive') place += `@${step.name}`;
    else if (step.kind === 'variable') place += `the default value of $${step.name}`;
    else if (step.kind === 'argument') {
      place += `(${step.name}`;
      openArgument = true;
    } else place += `.${step.name}`;
  }
  return openArgument ? `${place})` : place;
}

/**
 * Each document's answer: Apollo hands every request of the same operation the same parsed
 * document, so its literals are walked once, not per request (issue 14: Defend's one-row lookup).
 */
const literalsChecked = new WeakMap<DocumentNode, HostileTextFound | null>();

/** The first string literal of the document (arguments, defaults, directives, fragments) that People refuses. */
export function findHostileLiteral(document: DocumentNode): HostileTextFound | null {
  const known = literalsChecked.get(document);
  if (known !== undefined) return known;
  const found = walkLiterals(document);
  literalsChecked.set(document, found);
  return found;
}

function walkLiterals(document: DocumentNode): HostileTextFound | null {
  const steps: Step[] = [];
  const stepped: boolean[] = [];
  let found: HostileTextFound | null = null;
  visit(document, {
    enter(node, key) {
      if (node.kind === Kind.STRING) {
        const problem = describeHostileText(node.value);
        if (problem) {
          const step = stepInto(node, key);
          const place = [...steps, ...(step ? [step] : [])];
          found = {
            problem,
            field: place.map((each) => (each.kind === 'index' ? String(each.index) : each.kind === 'variable' ? `$${each.name}` : each.name)),
            message: `The text at ${describePlace(place)} has ${problem}, which People does not accept in any text. Remove it and send the request again.`,
          };
          return BREAK;
        }
      }
      const step = stepInto(node, key);
      stepped.push(step !== null);
      if (step) steps.push(step);
      return undefined;
    },
    leave() {
      if (stepped.pop()) steps.pop();
    },
  });
  return found;
}

export function hostileTextError(found: HostileTextFound): GraphQLError {
  return new GraphQLError(found.message, {
    extensions: { code: 'BAD_USER_INPUT', field: found.field, http: { status: 400 } },
  });
}

/**
 * Refuses, as BAD_USER_INPUT, any operation whose variables or literals carry text People does
 * not accept: the one check every string input passes, whatever field it is for.
 */
export function refuseHostileText<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        // After parsing and validation (so the document is sound), before variables are coerced
        // and anything is resolved.
        async didResolveOperation({ request, document }) {
          const found = findHostileVariable(request.variables ?? {}) ?? findHostileLiteral(document);
          if (found) throw hostileTextError(found);
        },
      };
    },
  };
}
