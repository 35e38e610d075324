import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { maxSessionsListed } from '../auth/auth.service.js';
import { maxQualifiedEmployees } from '../certifications/certification.service.js';
import { maxOrgChartDepth, maxPageSize as maxEmployeesPage } from '../employees/employee.service.js';
import { maxListPageSize as maxOutboxEventsPage } from '../events/events.service.js';
import { maxSystemTaskPageSize } from '../jobs/jobs.service.js';
import { maxInboxTasks, maxWorkflowsPage } from '../workflows/workflow.service.js';

/*
 * What an operation costs, worked out once its variables are known, so a limit holds whether
 * `first` (or `depth`, or the representations) is written into the query or passed as a variable.
 *
 * The cost approximates how many values the answer can hold: every field counts 1, and a field
 * returning objects adds its selection once per object it can return. How many that is:
 * - a field with `first` (or the lists of the connection it returns): `first`, defaults applied,
 *   at most the field's own cap (a larger one is refused by the field itself, before any work);
 * - `_entities`: one per representation (at most MAX_ENTITY_REPRESENTATIONS, as the field refuses more);
 * - `orgChart`: its node cap (ORG_CHART_MAX_NODES; one node for `rootId` with `depth: 0`) times the
 *   widest level of its selection: however the nodes spread over the levels, they are at most
 *   that many in all. Levels below `depth` are empty;
 * - any other list (direct reports, certifications, a request's days…) has a length only the data
 *   decides: it counts as `assumedListLength` objects.
 * Aliases and repeated fields count each time; fragments count where they are spread; a field
 * under `@skip(if: true)` or `@include(if: false)` does not count.
 *
 * The walk reads types through the schema's own methods, never graphql's `is…Type` checks: the
 * schema comes from @apollo/subgraph's copy of graphql, and under vitest our sources load another
 * copy, whose instanceof checks refuse the schema's types.
 */

export interface OperationCostOptions {
  /** Nodes one `orgChart` answers at most (ORG_CHART_MAX_NODES). */
  orgChartMaxNodes: number;
  /** Representations one `_entities` call resolves at most (MAX_ENTITY_REPRESENTATIONS). */
  maxRepresentations: number;
}

/** What a list whose length only the data decides counts as. */
export const assumedListLength = 5;

/** The most `first` each paginated field accepts: it refuses more without doing any work. */
const pageSizeCaps: Record<string, number> = {
  'Query.employees': maxEmployeesPage,
  'Department.employees': maxEmployeesPage,
  'Location.employees': maxEmployeesPage,
  'Query.qualifiedEmployees': maxQualifiedEmployees,
  'Query.outboxEvents': maxOutboxEventsPage,
  'Query.systemTasks': maxSystemTaskPageSize,
  'Query.workflows': maxWorkflowsPage,
  'Query.myWorkflowTasks': maxInboxTasks,
  'Query.sessionsOf': maxSessionsListed,
  'Me.sessions': maxSessionsListed,
};

type Values = Record<string, unknown>;
type AnyField = GraphQLField<unknown, unknown>;

interface CollectedField {
  node: FieldNode;
  /** The type the field is selected on (the type condition of its fragment, if any). */
  parentType: GraphQLNamedType;
}

/** The cost of `operation` with the variables of the request (as sent; defaults applied here). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  requestVariables: Values,
  options: OperationCostOptions,
): number {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0;
  const variables = withVariableDefaults(operation, requestVariables);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  /**
   * The fields a selection set selects, through its fragments. As in execution, a fragment
   * spread twice into one selection is collected once (this also ends any cycle).
   */
  const collectFields = (type: GraphQLNamedType, selectionSet: SelectionSetNode, spread = new Set<string>()): CollectedField[] => {
    const fields: CollectedField[] = [];
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection.directives, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        fields.push({ node: selection, parentType: type });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition) fields.push(...collectFields(condition, selection.selectionSet, spread));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spread.has(name)) continue;
        spread.add(name);
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition) fields.push(...collectFields(condition, fragment.selectionSet, spread));
      }
    }
    return fields;
  };

  // A selection set is always read as the same type, so its cost depends only on the page size it
  // inherits: computed once, a fragment spread all over a deep query costs no more time to count.
  const selectionCosts = new Map<SelectionSetNode, Map<number | undefined, number>>();
  const selectionCost = (type: GraphQLNamedType, selectionSet: SelectionSetNode, pageSize?: number): number => {
    const known = selectionCosts.get(selectionSet) ?? new Map<number | undefined, number>();
    selectionCosts.set(selectionSet, known);
    let cost = known.get(pageSize);
    if (cost === undefined) {
      cost = collectFields(type, selectionSet).reduce((total, field) => total + fieldCost(field, pageSize), 0);
      known.set(pageSize, cost);
    }
    return cost;
  };

  /** `pageSize`: the `first` of the field that returned the connection this field is part of. */
  const fieldCost = ({ node, parentType }: CollectedField, pageSize?: number): number => {
    const definition = fieldDefinition(parentType, node.name.value);
    if (!definition || !node.selectionSet) return 1;
    const returned = schema.getType(namedTypeName(definition.type));
    if (!returned) return 1;
    const coordinate = `${parentType.name}.${definition.name}`;
    const args = argumentValues(definition, node, variables);
    if (coordinate === 'Query.orgChart') return orgChartCost(returned, node.selectionSet, args);

    const ownPageSize = pageSizeOf(coordinate, args, options);
    const isList = returnsList(definition.type);
    const objects = isList ? (ownPageSize ?? pageSize ?? assumedListLength) : 1;
    // A connection's `first` sizes the lists directly inside it (edges, nodes, employees).
    return 1 + objects * selectionCost(returned, node.selectionSet, isList ? undefined : ownPageSize);
  };

  const orgChartCost = (nodeType: GraphQLNamedType, selectionSet: SelectionSetNode, args: Values): number => {
    const depth = typeof args.depth === 'number' ? Math.min(Math.max(args.depth, 0), maxOrgChartDepth) : maxOrgChartDepth;
    const nodes = args.rootId != null && depth === 0 ? 1 : options.orgChartMaxNodes;
    // Each level's selection sets, with how many times each is rendered per node of that level.
    let level = new Map<SelectionSetNode, number>([[selectionSet, 1]]);
    let widestLevel = 0;
    for (let levelDepth = 0; levelDepth <= depth && level.size > 0; levelDepth += 1) {
      let levelCost = 0;
      const below = new Map<SelectionSetNode, number>();
      for (const [levelSelection, times] of level) {
        for (const field of collectFields(nodeType, levelSelection)) {
          if (field.parentType === nodeType && field.node.name.value === 'reports') {
            levelCost += times;
            const reports = field.node.selectionSet;
            if (reports) below.set(reports, (below.get(reports) ?? 0) + times);
          } else {
            levelCost += times * fieldCost(field);
          }
        }
      }
      widestLevel = Math.max(widestLevel, levelCost);
      level = below;
    }
    return 1 + nodes * widestLevel;
  };

  return selectionCost(rootType, operation.selectionSet);
}

/** How many objects a list field returns, when its arguments say: `first`, or the representations. */
function pageSizeOf(coordinate: string, args: Values, options: OperationCostOptions): number | undefined {
  if (coordinate === 'Query._entities') {
    const representations = args.representations;
    return Array.isArray(representations) ? Math.min(representations.length, options.maxRepresentations) : undefined;
  }
  const first = args.first;
  if (typeof first !== 'number') return undefined;
  const cap = pageSizeCaps[coordinate];
  return Math.max(0, cap === undefined ? first : Math.min(first, cap));
}

/** A field of an object or interface type; a union has none of its own (only `__typename`). */
function fieldDefinition(type: GraphQLNamedType, name: string): AnyField | undefined {
  if (!('getFields' in type)) return undefined;
  const field = type.getFields()[name];
  return field && 'args' in field ? field : undefined;
}

function namedTypeName(type: GraphQLOutputType): string {
  let named = type;
  while ('ofType' in named) named = named.ofType;
  return named.name;
}

/** `[Employee!]!` and `[Employee]` are lists; SDL names a list type with a leading bracket. */
function returnsList(type: GraphQLOutputType): boolean {
  return String(type).startsWith('[');
}

/**
 * The field's arguments: as written, variables substituted, and the schema's default where an
 * argument is absent or null (the resolvers read `args.x ?? default` with the same defaults).
 */
function argumentValues(definition: AnyField, node: FieldNode, variables: Values): Values {
  const written = new Map((node.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value, variables)]));
  const values: Values = {};
  for (const argument of definition.args) values[argument.name] = written.get(argument.name) ?? argument.defaultValue;
  return values;
}

function withVariableDefaults(operation: OperationDefinitionNode, requestVariables: Values): Values {
  const variables: Values = { ...requestVariables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] === undefined && definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return variables;
}

function isIncluded(directives: readonly DirectiveNode[] | undefined, variables: Values): boolean {
  for (const directive of directives ?? []) {
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if');
    const value = condition ? valueFromASTUntyped(condition.value, variables) : undefined;
    if (directive.name.value === 'skip' && value === true) return false;
    if (directive.name.value === 'include' && value === false) return false;
  }
  return true;
}

/**
 * Refuses an operation whose cost is over `maxCost` before anything runs (HTTP 400,
 * GRAPHQL_VALIDATION_FAILED, like the other operation limits), whoever the caller is.
 */
export function operationCostLimit<Context extends object>(options: OperationCostOptions & { maxCost: number }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables ?? {}, options);
          if (cost <= options.maxCost) return;
          throw new GraphQLError(
            `Refused before running: this operation costs ${cost}, over the limit of ${options.maxCost}. ` +
              'Ask for fewer objects: a smaller `first`, fewer aliases or nested lists, or a smaller org chart (a `rootId` further down, a smaller `depth`).',
            { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost: options.maxCost, http: { status: 400 } } },
          );
        },
      };
    },
  };
}
