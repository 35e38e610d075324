import type { Resolvers } from '../generated/graphql.js';
import { displayNameOf } from './employee.model.js';
import * as employees from './employee.service.js';

// Thin: arguments in, domain call, result out. Rules live in employee.service.

export const employeeResolvers: Resolvers = {
  Query: {
    employee: (_root, { id, asOf }, ctx) => employees.getEmployee(ctx, id, asOf),
    employeeByEmail: (_root, { email, asOf }, ctx) => employees.getEmployeeByEmail(ctx, email, asOf),
    employees: (_root, args, ctx) => employees.listEmployees(ctx, args),
    orgChart: (_root, args, ctx) => employees.orgChart(ctx, args),
  },
  Mutation: {
    createEmployee: async (_root, { input }, ctx) => toPayload(await employees.createEmployee(ctx, input)),
    updateEmployee: async (_root, { input }, ctx) => toPayload(await employees.updateEmployee(ctx, input)),
    changeEmployeeStatus: async (_root, { input }, ctx) => toPayload(await employees.changeEmployeeStatus(ctx, input)),
  },
  Employee: {
    __resolveReference: (reference, ctx) =>
      'id' in reference && typeof reference.id === 'string'
        ? employees.getEmployee(ctx, reference.id)
        : employees.getEmployeeByEmail(ctx, String((reference as { email?: unknown }).email ?? '')),
    displayName: (employee) => displayNameOf(employee),
    jobTitle: async (employee, { asOf }, ctx) => (await employees.jobStateOn(ctx, employee, asOf))?.jobTitle ?? null,
    status: async (employee, { asOf }, ctx) => (await employees.jobStateOn(ctx, employee, asOf))?.status ?? null,
    employmentType: async (employee, { asOf }, ctx) =>
      (await employees.jobStateOn(ctx, employee, asOf))?.employmentType ?? null,
    terminationDate: async (employee, { asOf }, ctx) =>
      (await employees.jobStateOn(ctx, employee, asOf))?.terminationDate ?? null,
    department: async (employee, { asOf }, ctx) => {
      const id = (await employees.jobStateOn(ctx, employee, asOf))?.departmentId;
      return id ? ctx.loaders.department.load(id) : null;
    },
    location: async (employee, { asOf }, ctx) => {
      const id = (await employees.jobStateOn(ctx, employee, asOf))?.locationId;
      return id ? ctx.loaders.location.load(id) : null;
    },
    manager: async (employee, { asOf }, ctx) => {
      const id = (await employees.jobStateOn(ctx, employee, asOf))?.managerId;
      return id ? employees.getEmployee(ctx, id, asOf ?? employee.asOf) : null;
    },
    directReports: (employee, { asOf }, ctx) => employees.directReports(ctx, employee, asOf),
    reportingChain: (employee, { asOf }, ctx) => employees.reportingChain(ctx, employee, asOf),
    timezone: async (employee, _args, ctx) => {
      if (employee.timezone) return employee.timezone;
      const locationId = employee.job?.locationId;
      const location = locationId ? await ctx.loaders.location.load(locationId) : null;
      return location?.timezone ?? 'UTC';
    },
    personalEmail: async (employee, _args, ctx) => (await employees.personalData(ctx, employee))?.personalEmail ?? null,
    personalPhone: async (employee, _args, ctx) => (await employees.personalData(ctx, employee))?.personalPhone ?? null,
    dateOfBirth: async (employee, _args, ctx) => (await employees.personalData(ctx, employee))?.dateOfBirth ?? null,
    homeAddress: async (employee, _args, ctx) => (await employees.personalData(ctx, employee))?.homeAddress ?? null,
    emergencyContact: async (employee, _args, ctx) =>
      (await employees.personalData(ctx, employee))?.emergencyContact ?? null,
    history: (employee, _args, ctx) => employees.history(ctx, employee),
  },
  EmployeeConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
    totalCount: (connection) => connection.totalCount(),
  },
  OrgChartNode: {
    directReportCount: (node, _args, ctx) =>
      ctx.loaders.directReportCount.load({ key: node.employee.id, asOf: node.employee.asOf }),
  },
};

function toPayload(outcome: Awaited<ReturnType<typeof employees.createEmployee>>) {
  return outcome.ok ? { employee: outcome.value, userErrors: [] } : { employee: null, userErrors: outcome.errors };
}
