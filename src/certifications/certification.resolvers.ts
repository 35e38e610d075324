import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as certifications from './certification.service.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in the certification
// service modules and certification.access. (qualifiedEmployees has its own resolvers.)

export const certificationResolvers: Resolvers = {
  Query: {
    certificationCatalog: (_root, args, ctx) => certifications.catalog(ctx, args),
    certification: (_root, { id }, ctx) => certifications.getCertification(ctx, id),
    expiringCertifications: (_root, args, ctx) => certifications.expiringReport(ctx, args),
  },
  Mutation: {
    createCertificationCatalogEntry: async (_root, { input }, ctx) => toPayload('entry', await certifications.createCatalogEntry(ctx, input)),
    updateCertificationCatalogEntry: async (_root, { input }, ctx) => toPayload('entry', await certifications.updateCatalogEntry(ctx, input)),
    addCertification: async (_root, { input }, ctx) => toPayload('certification', await certifications.addCertification(ctx, input)),
    updateCertification: async (_root, { input }, ctx) => toPayload('certification', await certifications.updateCertification(ctx, input)),
    verifyCertification: async (_root, { input }, ctx) => toPayload('certification', await certifications.verifyCertification(ctx, input)),
    rejectCertification: async (_root, { input }, ctx) => toPayload('certification', await certifications.rejectCertification(ctx, input)),
    renewCertification: async (_root, { input }, ctx) => toPayload('certification', await certifications.renewCertification(ctx, input)),
    removeCertification: async (_root, { input }, ctx) => toPayload('certification', await certifications.removeCertification(ctx, input)),
  },
  Employee: {
    certifications: (employee, args, ctx) => certifications.certificationsOf(ctx, employee.id, args),
  },
  Certification: {
    // An entity: the gateway's references pass the same checks as certification(id).
    __resolveReference: (reference, ctx) => certifications.getCertification(ctx, String(reference.id)),
    employee: (certification, _args, ctx) => ctx.loaders.employees.byId.load({ key: certification.employeeId, asOf: ctx.today }),
    catalogEntry: (certification, _args, ctx) => certifications.catalogEntryOf(ctx, certification),
    credentialId: (certification, _args, ctx) => certifications.sensitiveField(ctx, certification, 'credentialId'),
    evidenceUrl: (certification, _args, ctx) => certifications.sensitiveField(ctx, certification, 'evidenceUrl'),
    status: (certification, _args, ctx) => certifications.statusOf(ctx, certification),
    verification: (certification, _args, ctx) => certifications.verificationOf(ctx, certification),
    renewedFrom: (certification, _args, ctx) => certifications.renewedFromOf(ctx, certification),
    renewedBy: (certification, _args, ctx) => certifications.renewedByOf(ctx, certification),
  },
  CertificationVerification: {
    decidedBy: (verification, _args, ctx) =>
      verification.decidedByEmployeeId ? ctx.loaders.employees.byId.load({ key: verification.decidedByEmployeeId, asOf: ctx.today }) : null,
  },
  ExpiringCertificationGroup: {
    department: (group, _args, ctx) => (group.departmentId ? ctx.loaders.organisation.department.load({ key: group.departmentId, asOf: group.asOf }) : null),
  },
};
