import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import { employeeResolvers } from '../employees/employee.resolvers.js';
import type { Resolvers } from '../generated/graphql.js';
import { organisationResolvers } from '../organisation/organisation.resolvers.js';
import { DateScalar, DateTimeScalar } from './scalars.js';

export const schemaPath = new URL('../../schema.graphql', import.meta.url);

/** The contract, as written in schema.graphql. */
export function readTypeDefs(): string {
  return readFileSync(schemaPath, 'utf8');
}

function mergeResolvers(...maps: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      merged[typeName] = { ...merged[typeName], ...(fields as Record<string, unknown>) };
    }
  }
  return merged as Resolvers;
}

export const resolvers: Resolvers = mergeResolvers(
  { Date: DateScalar, DateTime: DateTimeScalar },
  employeeResolvers,
  organisationResolvers,
);

/**
 * The executable subgraph schema, independent of any HTTP server, so tests and an
 * in-process gateway can build it without listening.
 */
export function buildPeopleSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(readTypeDefs()),
    // The generated resolver types are stricter than the subgraph helper's loose map.
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}
