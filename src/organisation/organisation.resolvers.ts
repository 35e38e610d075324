import type { Resolvers } from '../generated/graphql.js';
import { assertDirectoryAccess } from '../auth/auth.service.js';
import { listDepartments, listLocations } from './organisation.store.js';

export const organisationResolvers: Resolvers = {
  Query: {
    departments: (_root, _args, ctx) => {
      assertDirectoryAccess(ctx);
      return listDepartments(ctx.db);
    },
    locations: (_root, _args, ctx) => {
      assertDirectoryAccess(ctx);
      return listLocations(ctx.db);
    },
  },
};
