import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { serveSubgraph, type RunningSubgraph } from './serve.js';

// PSA (professional services automation): technicians, each possibly an employee in People (by
// id), with references PSA keeps to People's records: the time-off requests it blocked its schedule
// for, and the certification it last routed a ticket on.

export const psaTypeDefs: DocumentNode = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    technicians: [Technician!]!
  }

  type Technician @key(fields: "id") {
    id: ID!
    name: String!
    "The People employee behind this technician; null for outside contractors."
    employee: Employee
    "People's time-off requests PSA has blocked this technician's schedule for."
    scheduleBlocks: [TimeOffRequest]!
    "The People certification PSA relied on when it last routed a ticket to this technician."
    routedOnCertification: Certification
  }

  type Employee @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type TimeOffRequest @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Certification @key(fields: "id", resolvable: false) {
    id: ID!
  }
`);

export interface TechnicianData {
  id: string;
  name: string;
  employeeId: string | null;
  /** Ids of People time-off requests PSA blocked time for. */
  timeOffRequestIds?: string[];
  /** Id of the People certification of the last routed ticket. */
  routedOnCertificationId?: string | null;
}

export interface PsaSubgraph extends RunningSubgraph {
  name: 'psa';
  typeDefs: DocumentNode;
  /** Replaces the technicians the subgraph serves. */
  setTechnicians(technicians: TechnicianData[]): void;
}

export async function startPsaSubgraph(options: { port?: number } = {}): Promise<PsaSubgraph> {
  let technicians: TechnicianData[] = [];
  const schema = buildSubgraphSchema({
    typeDefs: psaTypeDefs,
    resolvers: {
      Query: {
        technicians: () => technicians,
      },
      Technician: {
        __resolveReference: (reference: { id: string }) =>
          technicians.find((technician) => technician.id === reference.id) ?? null,
        employee: (technician: TechnicianData) =>
          technician.employeeId === null ? null : { __typename: 'Employee', id: technician.employeeId },
        scheduleBlocks: (technician: TechnicianData) =>
          (technician.timeOffRequestIds ?? []).map((id) => ({ __typename: 'TimeOffRequest', id })),
        routedOnCertification: (technician: TechnicianData) =>
          technician.routedOnCertificationId ? { __typename: 'Certification', id: technician.routedOnCertificationId } : null,
      },
    },
  });
  const running = await serveSubgraph(schema, options.port);
  return {
    ...running,
    name: 'psa',
    typeDefs: psaTypeDefs,
    setTechnicians(next) {
      technicians = [...next];
    },
  };
}
