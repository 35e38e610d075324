import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { defaultFieldResolver, GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { qualificationResolvers } from '../certifications/qualification.resolvers.js';
import { certificationResolvers } from '../certifications/certification.resolvers.js';
import { employeeResolvers } from '../employees/employee.resolvers.js';
import { eventResolvers } from '../events/events.resolvers.js';
import type { Resolvers } from '../generated/graphql.js';
import { organisationResolvers } from '../organisation/organisation.resolvers.js';
import { timeOffAdminResolvers, timeOffResolvers } from '../timeoff/timeoff.resolvers.js';
import type { RequestContext } from './context.js';
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
  eventResolvers,
  timeOffResolvers,
  timeOffAdminResolvers,
  qualificationResolvers,
  certificationResolvers,
);

export interface EntityGuardOptions {
  /** Most representations one `_entities` call may resolve. */
  maxRepresentations: number;
  /** When set, `_entities` and `_service` answer only requests that proved they came through the gateway. */
  requireGateway: boolean;
}

/**
 * The executable subgraph schema, independent of any HTTP server, so tests and an
 * in-process gateway can build it without listening.
 */
export function buildPeopleSchema(guard: EntityGuardOptions = { maxRepresentations: 2000, requireGateway: false }): GraphQLSchema {
  const schema = buildSubgraphSchema({
    typeDefs: parse(readTypeDefs()),
    // The generated resolver types are stricter than the subgraph helper's loose map.
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
  guardFederationFields(schema, guard);
  return schema;
}

/**
 * `_entities` is a by-id door to every employee: the permission checks apply inside it like
 * anywhere else, and here it is also capped in size and, when configured, kept to the gateway.
 */
function guardFederationFields(schema: GraphQLSchema, guard: EntityGuardOptions): void {
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const name of ['_entities', '_service']) {
    const field = fields[name];
    if (!field) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args: Record<string, unknown>, context: RequestContext, info) => {
      if (guard.requireGateway && !context.viaGateway) {
        throw new GraphQLError(`${name} is served only to the federation gateway (send the gateway secret header).`, {
          extensions: { code: 'FORBIDDEN' },
        });
      }
      const representations = args.representations;
      if (Array.isArray(representations) && representations.length > guard.maxRepresentations) {
        throw new GraphQLError(
          `Too many representations: ${representations.length}; at most ${guard.maxRepresentations} per request.`,
          { extensions: { code: 'BAD_USER_INPUT' } },
        );
      }
      return resolve(source, args, context, info);
    };
  }
}
