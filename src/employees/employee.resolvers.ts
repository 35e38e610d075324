import type { Resolvers } from '../generated/graphql.js';
import { toPayload } from '../shared/user-errors.js';
import * as employees from './employee.service.js';

// Thin: arguments in, domain call, result out. Rules and permissions live in employee.service
// and employee.access, so every path to an employee (root query, entity reference, nested
// field) obeys them.

export const employeeResolvers: Resolvers = {
  Query: {
    employee: (_root, { id, asOf }, ctx) => employees.getEmployee(ctx, id, asOf),
    employeeByEmail: (_root, { email, asOf }, ctx) => employees.getEmployeeByEmail(ctx, email, asOf),
    employees: (_root, args, ctx) => employees.listEmployees(ctx, args),
    orgChart: (_root, args, ctx) => employees.orgChart(ctx, args),
  },
  Mutation: {
    createEmployee: async (_root, { input }, ctx) => toPayload('employee', await employees.createEmployee(ctx, input)),
    updateEmployee: async (_root, { input }, ctx) => toPayload('employee', await employees.updateEmployee(ctx, input)),
    changeEmployeeStatus: async (_root, { input }, ctx) => toPayload('employee', await employees.changeEmployeeStatus(ctx, input)),
    correctHireDate: async (_root, { input }, ctx) => toPayload('employee', await employees.correctHireDate(ctx, input)),
  },
  Employee: {
    __resolveReference: (reference, ctx) =>
      'id' in reference && typeof reference.id === 'string'
        ? employees.getEmployee(ctx, reference.id)
        : employees.getEmployeeByEmail(ctx, String((reference as { email?: unknown }).email ?? '')),
    id: (employee, _args, ctx) => employees.readField(ctx, employee, 'id'),
    email: (employee, _args, ctx) => employees.readField(ctx, employee, 'email'),
    employeeNumber: (employee, _args, ctx) => employees.readField(ctx, employee, 'employeeNumber'),
    hubUserId: (employee, _args, ctx) => employees.readField(ctx, employee, 'hubUserId'),
    firstName: (employee, _args, ctx) => employees.readField(ctx, employee, 'firstName'),
    lastName: (employee, _args, ctx) => employees.readField(ctx, employee, 'lastName'),
    preferredName: (employee, _args, ctx) => employees.readField(ctx, employee, 'preferredName'),
    displayName: (employee, _args, ctx) => employees.readField(ctx, employee, 'displayName'),
    jobTitle: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'jobTitle', asOf),
    department: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'department', asOf),
    location: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'location', asOf),
    employmentType: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'employmentType', asOf),
    status: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'status', asOf),
    hireDate: (employee, _args, ctx) => employees.readField(ctx, employee, 'hireDate'),
    terminationDate: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'terminationDate', asOf),
    manager: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'manager', asOf),
    directReports: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'directReports', asOf),
    reportingChain: (employee, { asOf }, ctx) => employees.readField(ctx, employee, 'reportingChain', asOf),
    timezone: (employee, _args, ctx) => employees.readField(ctx, employee, 'timezone'),
    workPhone: (employee, _args, ctx) => employees.readField(ctx, employee, 'workPhone'),
    personalEmail: (employee, _args, ctx) => employees.readField(ctx, employee, 'personalEmail'),
    personalPhone: (employee, _args, ctx) => employees.readField(ctx, employee, 'personalPhone'),
    dateOfBirth: (employee, _args, ctx) => employees.readField(ctx, employee, 'dateOfBirth'),
    homeAddress: (employee, _args, ctx) => employees.readField(ctx, employee, 'homeAddress'),
    emergencyContact: (employee, _args, ctx) => employees.readField(ctx, employee, 'emergencyContact'),
    history: (employee, _args, ctx) => employees.readField(ctx, employee, 'history'),
    createdAt: (employee, _args, ctx) => employees.readField(ctx, employee, 'createdAt'),
    updatedAt: (employee, _args, ctx) => employees.readField(ctx, employee, 'updatedAt'),
  },
  EmployeeConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
    totalCount: (connection) => connection.totalCount(),
  },
  OrgChartNode: {
    directReportCount: (node, _args, ctx) =>
      ctx.loaders.employees.directReportCount.load({ key: node.employee.id, asOf: node.employee.asOf }),
  },
};
