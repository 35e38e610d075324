import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { serveSubgraph, type RunningSubgraph } from './serve.js';

// Defend (security): alerts raised for a login, which is a work e-mail in People, in any letter case.

export const defendTypeDefs: DocumentNode = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    alerts: [Alert!]!
  }

  type Alert @key(fields: "id") {
    id: ID!
    "The login as the security tool saw it; its letter case is not normalised."
    login: String!
    severity: String!
    "The People employee with this login as work e-mail; null when there is none."
    employee: Employee
  }

  type Employee @key(fields: "email", resolvable: false) {
    email: String!
  }
`);

export interface AlertData {
  id: string;
  login: string;
  severity: string;
}

export interface DefendSubgraph extends RunningSubgraph {
  name: 'defend';
  typeDefs: DocumentNode;
  /** Replaces the alerts the subgraph serves. */
  setAlerts(alerts: AlertData[]): void;
}

export async function startDefendSubgraph(options: { port?: number } = {}): Promise<DefendSubgraph> {
  let alerts: AlertData[] = [];
  const schema = buildSubgraphSchema({
    typeDefs: defendTypeDefs,
    resolvers: {
      Query: {
        alerts: () => alerts,
      },
      Alert: {
        __resolveReference: (reference: { id: string }) => alerts.find((alert) => alert.id === reference.id) ?? null,
        // Defend does not know whether the login is an employee: People decides, by its email key.
        employee: (alert: AlertData) => ({ __typename: 'Employee', email: alert.login }),
      },
    },
  });
  const running = await serveSubgraph(schema, options.port);
  return {
    ...running,
    name: 'defend',
    typeDefs: defendTypeDefs,
    setAlerts(next) {
      alerts = [...next];
    },
  };
}
