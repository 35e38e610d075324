import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as organisation from './organisation.service.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in the service and in
// organisation.access.ts. Location.holidayCalendar is time off's (timeoff/admin/resolvers.ts).

export const organisationResolvers: Resolvers = {
  Query: {
    departments: (_root, args, ctx) => organisation.listDepartments(ctx, args),
    department: (_root, { id, asOf }, ctx) => organisation.getDepartment(ctx, id, asOf),
    locations: (_root, args, ctx) => organisation.listLocations(ctx, args),
    location: (_root, { id }, ctx) => organisation.getLocation(ctx, id),
  },
  Mutation: {
    createDepartment: async (_root, { input }, ctx) => toPayload('department', await organisation.createDepartment(ctx, input)),
    updateDepartment: async (_root, { input }, ctx) => toPayload('department', await organisation.updateDepartment(ctx, input)),
    archiveDepartment: async (_root, { input }, ctx) => toPayload('department', await organisation.archiveDepartment(ctx, input)),
    createLocation: async (_root, { input }, ctx) => toPayload('location', await organisation.createLocation(ctx, input)),
    updateLocation: async (_root, { input }, ctx) => toPayload('location', await organisation.updateLocation(ctx, input)),
    archiveLocation: async (_root, { input }, ctx) => toPayload('location', await organisation.archiveLocation(ctx, input)),
  },
  Department: {
    parent: (department, _args, ctx) => organisation.parentOf(ctx, department),
    children: (department, _args, ctx) => organisation.childrenOf(ctx, department),
    head: (department, _args, ctx) => organisation.headOf(ctx, department),
    costCentre: (department, _args, ctx) => organisation.costCentreOf(ctx, department),
    history: (department, _args, ctx) => organisation.departmentHistory(ctx, department),
    employees: (department, args, ctx) => organisation.departmentPeople(ctx, department, args),
    headcount: (department, args, ctx) => organisation.departmentHeadcount(ctx, department, args),
  },
  Location: {
    address: (location) => organisation.addressOf(location),
    history: (location, _args, ctx) => organisation.locationHistory(ctx, location),
    employees: (location, args, ctx) => organisation.locationPeople(ctx, location, args),
    headcount: (location, { asOf }, ctx) => organisation.locationHeadcount(ctx, location, asOf),
  },
};
