import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { serveSubgraph, type RunningSubgraph } from './serve.js';

// PSA (professional services automation): technicians, each possibly an employee in People (by id).

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
  }

  type Employee @key(fields: "id", resolvable: false) {
    id: ID!
  }
`);

export interface TechnicianData {
  id: string;
  name: string;
  employeeId: string | null;
}

export interface PsaSubgraph extends RunningSubgraph {
  name: 'psa';
  typeDefs: DocumentNode;
  /** Replaces the technicians the subgraph serves. */
  setTechnicians(technicians: TechnicianData[]): void;
}

export async function startPsaSubgraph(): Promise<PsaSubgraph> {
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
      },
    },
  });
  const running = await serveSubgraph(schema);
  return {
    ...running,
    name: 'psa',
    typeDefs: psaTypeDefs,
    setTechnicians(next) {
      technicians = [...next];
    },
  };
}
