import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { defaultFieldResolver, GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { qualificationResolvers } from '../certifications/qualification.resolvers.js';
import { certificationResolvers } from '../certifications/certification.resolvers.js';
import { employeeResolvers } from '../employees/employee.resolvers.js';
import { eventResolvers } from '../events/events.resolvers.js';
import { integrationResolvers } from '../integrations/integrations.resolvers.js';
import type { Resolvers } from '../generated/graphql.js';
import { systemTaskResolvers } from '../jobs/system-tasks.resolvers.js';
import { legalResolvers } from '../legal/legal.resolvers.js';
import { organisationResolvers } from '../organisation/organisation.resolvers.js';
import { portalResolvers } from '../portal/portal.resolvers.js';
import { reviewResolvers } from '../reviews/review.resolvers.js';
import { timeOffAdminResolvers, timeOffResolvers } from '../timeoff/timeoff.resolvers.js';
import { trainingResolvers } from '../training/training.resolvers.js';
import { workflowResolvers } from '../workflows/workflow.resolvers.js';
import { defendResolvers } from '../defend/defend.resolvers.js';
import { sessionResolvers } from '../auth/sessions.resolvers.js';
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
  sessionResolvers,
  organisationResolvers,
  eventResolvers,
  systemTaskResolvers,
  integrationResolvers,
  timeOffResolvers,
  timeOffAdminResolvers,
  qualificationResolvers,
  certificationResolvers,
  reviewResolvers,
  trainingResolvers,
  portalResolvers,
  workflowResolvers,
  legalResolvers,
  defendResolvers,
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
  // Not isUnionType: the subgraph library builds the schema with graphql's CommonJS copy, which
  // the ES module's instanceof checks do not recognise.
  const entityUnion = schema.getType('_Entity');
  const entityTypes = new Set(entityUnion && 'getTypes' in entityUnion ? entityUnion.getTypes().map((type) => type.name) : []);
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
      if (Array.isArray(representations)) assertEntityRepresentations(representations, entityTypes);
      return resolve(source, args, context, info);
    };
  }
}

/**
 * Each representation must be an object naming one of People's entity types: the subgraph library
 * would otherwise fail on anything else (another type, no `__typename`, a string) with an
 * internal error, though the mistake is the caller's.
 */
function assertEntityRepresentations(representations: readonly unknown[], entityTypes: ReadonlySet<string>): void {
  const known = [...entityTypes].join(', ');
  representations.forEach((representation, index) => {
    const at = `representations[${index}]`;
    if (representation === null || typeof representation !== 'object' || Array.isArray(representation)) {
      throw badRepresentation(`${at} must be an object with a __typename (one of: ${known}) and its key fields.`, [index]);
    }
    const typename = '__typename' in representation ? representation.__typename : undefined;
    if (typeof typename !== 'string') {
      throw badRepresentation(`${at} needs a __typename naming one of People's entity types: ${known}.`, [index, '__typename']);
    }
    if (!entityTypes.has(typename)) {
      const shown = typename.length > 60 ? `${typename.slice(0, 60)}…` : typename;
      throw badRepresentation(
        `${at}.__typename is ${JSON.stringify(shown)}, which is not an entity type of People (entity types: ${known}).`,
        [index, '__typename'],
      );
    }
  });
}

function badRepresentation(message: string, at: (number | string)[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field: ['representations', ...at.map(String)] } });
}
