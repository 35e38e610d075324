import type { Resolvers } from '../generated/graphql.js';
import { listDepartments, listLocations } from './organisation.store.js';

export const organisationResolvers: Resolvers = {
  Query: {
    departments: (_root, _args, ctx) => listDepartments(ctx.db),
    locations: (_root, _args, ctx) => listLocations(ctx.db),
  },
};
