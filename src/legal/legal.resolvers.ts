import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as legal from './legal.service.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in the legal service
// modules and legal.access.

export const legalResolvers: Resolvers = {
  Query: {
    policyCompliance: (_root, { filter }, ctx) => legal.policyCompliance(ctx, filter),
    policyToSign: (_root, { policyId }, ctx) => legal.policyToSign(ctx, policyId),
  },
  Mutation: {
    acknowledgePolicy: async (_root, { input }, ctx) => toPayload('acknowledgement', await legal.acknowledgePolicy(ctx, input)),
  },
  Employee: {
    policyAcknowledgements: (employee, _args, ctx) => legal.acknowledgementsOf(ctx, employee.id),
    pendingSignatures: (employee, _args, ctx) => legal.pendingSignaturesOf(ctx, employee),
  },
  PolicyCompliance: {
    pendingEmployees: (compliance, args) => legal.pendingEmployees(compliance, args),
  },
  PolicyComplianceByDepartment: {
    department: (group, _args, ctx) => (group.departmentId ? ctx.loaders.organisation.department.load({ key: group.departmentId, asOf: ctx.today }) : null),
  },
  PolicyAudience: {
    everyone: (audience) => audience.all,
    unmatched: async (audience, _args, ctx) => legal.unmatchedAudienceNames(audience, await ctx.loaders.legal.organisationNames(ctx.today)),
  },
  PolicyAcknowledgementConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
  },
  PolicyAcknowledgement: {
    employee: (requirement, _args, ctx) => legal.employeeOfRequirement(ctx, requirement),
    signedAt: (requirement) => requirement.acknowledgement?.signedAt ?? null,
    acknowledgedAt: (requirement) => (requirement.status === 'ACKNOWLEDGED' ? (requirement.acknowledgement?.legalStatusAt ?? null) : null),
    vaultDocumentId: (requirement) => requirement.acknowledgement?.vaultDocumentId ?? null,
    submission: (requirement, _args, ctx) => legal.submissionOf(ctx, requirement),
  },
};
