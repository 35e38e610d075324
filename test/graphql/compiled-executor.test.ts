import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, Kind, parse, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import { describe, expect, it } from 'vitest';
import { compiledExecutionGateway } from '../../src/graphql/compiled-executor.js';

// The compiled executor against graphql-js's own `execute` on the same schema and operations:
// what a caller (and Apollo's formatError) sees must not depend on which one ran.

const typeDefs = gql`
  enum Colour { RED GREEN }
  interface Named { name: String! }
  type Person implements Named { name: String! age: Int }
  type Robot implements Named { name: String! model: String! }
  type Query {
    people(first: Int!, colour: Colour): [Person!]!
    named: [Named!]!
    plain: String
    coded: String
    nonNull: String!
    later(delayed: Boolean): Person
  }
`;

const schema = buildSubgraphSchema({
  typeDefs,
  resolvers: {
    Named: { __resolveType: (value: { model?: string }) => (value.model ? 'Robot' : 'Person') },
    Query: {
      people: (_root: unknown, args: { first: number; colour?: string }) =>
        Array.from({ length: args.first }, (_, index) => ({ name: `${args.colour ?? 'any'} ${index}`, age: index })),
      named: () => [{ name: 'Ada' }, { name: 'R2', model: 'astromech' }],
      plain: () => {
        throw new Error('a database error, no extensions');
      },
      coded: () => {
        throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
      },
      nonNull: () => null,
      later: async () => ({ name: 'Later', age: null }),
    },
  },
});

async function run(executor: GatewayExecutor, query: string, variables: Record<string, unknown> = {}): Promise<ExecutionResult> {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('no operation');
  // Only what the executor reads of Apollo's request context.
  const context: Pick<GatewayGraphQLRequestContext, 'document' | 'operation' | 'operationName' | 'context' | 'request'> = {
    document,
    operation,
    operationName: operation.name?.value ?? null,
    context: {},
    request: { query, variables },
  };
  return executor(context as GatewayGraphQLRequestContext);
}

async function executorOf(): Promise<GatewayExecutor> {
  const { executor } = await compiledExecutionGateway(schema).load({ apollo: {} });
  if (!executor) throw new Error('no executor');
  return executor;
}

function interpreted(query: string, variables: Record<string, unknown> = {}) {
  return execute({ schema, document: parse(query), variableValues: variables }) as Promise<ExecutionResult>;
}

/** Errors as Apollo formats them: graphql-js's JSON form, plus what formatError reads. */
function shape(result: ExecutionResult) {
  return {
    data: result.data,
    errors: result.errors?.map((error) => ({
      json: error.toJSON(),
      isGraphQLError: error instanceof GraphQLError,
      extensions: error.extensions,
      original: error.originalError?.message,
    })),
  };
}

describe('compiled execution (graphql-jit) behind Apollo', () => {
  const cases: { name: string; query: string; variables?: Record<string, unknown> }[] = [
    { name: 'lists with arguments from variables', query: 'query P($n: Int!, $c: Colour) { people(first: $n, colour: $c) { name age } }', variables: { n: 3, c: 'GREEN' } },
    { name: 'abstract types', query: '{ named { __typename name ... on Robot { model } } }' },
    { name: 'an error thrown without extensions', query: '{ plain later { name } }' },
    { name: 'an error with a code', query: '{ coded }' },
    { name: 'null in a non-null field', query: '{ nonNull }' },
  ];

  for (const { name, query, variables } of cases) {
    it(`answers as graphql-js does: ${name}`, async () => {
      const executor = await executorOf();
      expect(shape(await run(executor, query, variables))).toEqual(shape(await interpreted(query, variables)));
    });
  }

  it('gives every error extensions, so Apollo can read their code and call formatError', async () => {
    const result = await run(await executorOf(), '{ plain }');
    expect(result.errors?.[0]?.extensions).toEqual({});
    expect(result.errors?.[0]?.path).toEqual(['plain']);
    expect(result.errors?.[0]?.locations).toEqual([{ line: 1, column: 3 }]);
    expect(result.errors?.[0]?.originalError?.message).toBe('a database error, no extensions');
  });

  it('reports invalid variables exactly as graphql-js does, without running anything', async () => {
    const query = 'query P($n: Int!, $c: Colour) { people(first: $n, colour: $c) { name } }';
    const variables = { n: 'three', c: 'BLUE' };
    const compiled = await run(await executorOf(), query, variables);
    expect(compiled.data).toBeUndefined();
    expect(shape(compiled)).toEqual(shape(await interpreted(query, variables)));
    expect(compiled.errors?.map((error) => error.message)).toEqual([
      'Variable "$n" got invalid value "three"; Int cannot represent non-integer value: "three"',
      'Variable "$c" got invalid value "BLUE"; Value "BLUE" does not exist in "Colour" enum.',
    ]);
  });
});
