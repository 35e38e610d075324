import type { Resolvers } from '../generated/graphql.js';
import { qualifiedEmployees } from './qualification.js';

// Thin: arguments in, the matching rules (qualification.ts) out. The matched certification is a
// Certification like any other, so its fields resolve (and are guarded) by the records domain.

export const qualificationResolvers: Resolvers = {
  Query: {
    qualifiedEmployees: (_root, args, ctx) => qualifiedEmployees(ctx, args),
  },
  QualifiedEmployeesResult: {
    employees: (result) => result.employees,
    unknownCertifications: (result) => result.unknownCertifications,
  },
  QualifiedEmployee: {
    employee: async (qualified, _args, ctx) => {
      const employee = await ctx.loaders.employees.byId.load({ key: qualified.employeeId, asOf: ctx.today });
      // The holder was read a moment ago in this request; only a concurrent hard delete gets here.
      if (!employee) throw new Error(`qualified employee ${qualified.employeeId} vanished`);
      return employee;
    },
    matches: (qualified) => qualified.matches,
  },
  CertificationMatch: {
    requested: (match) => match.requested,
    certification: (match) => match.certification,
  },
};
