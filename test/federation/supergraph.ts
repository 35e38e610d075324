import type { IncomingHttpHeaders } from 'node:http';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse, type DocumentNode } from 'graphql';
import { readTypeDefs } from '../../src/graphql/schema.js';
import type { GraphQLResponse } from '../support/server.js';

export interface SubgraphEndpoint {
  name: string;
  typeDefs: DocumentNode;
  /** The subgraph's GraphQL endpoint. */
  url: string;
}

/** People's own subgraph, as the contract in schema.graphql describes it. */
export function peopleSubgraph(appUrl: string): SubgraphEndpoint {
  return { name: 'people', typeDefs: parse(readTypeDefs()), url: `${appUrl}/graphql` };
}

/** Composes the supergraph as a router would; fails with every composition error's message. */
export function composeSupergraph(subgraphs: readonly SubgraphEndpoint[]): string {
  const result = composeServices(subgraphs.map(({ name, typeDefs, url }) => ({ name, typeDefs, url })));
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

export interface RunningGateway {
  url: string;
  supergraphSdl: string;
  /** Sends one GraphQL operation to the gateway over real HTTP. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** A real Apollo Gateway, with a static supergraph, in front of the running subgraphs. */
interface GatewayContext {
  headers?: IncomingHttpHeaders;
}

/** Credentials the gateway passes through: user tokens and the service key headers. */
const forwardedHeaders = ['authorization', 'x-integration-key', 'x-defend-service-key'];

export async function startGateway(
  subgraphs: readonly SubgraphEndpoint[],
  options: { gatewaySecret?: string } = {},
): Promise<RunningGateway> {
  const supergraphSdl = composeSupergraph(subgraphs);
  const urls = new Map(subgraphs.map(({ name, url }) => [name, url]));
  // Without this, ApolloGateway's constructor starts exporting usage metrics to Apollo and probes
  // cloud metadata endpoints (AWS, GCP, Azure, Alibaba): network calls a loopback test must not make.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`no running subgraph named ${name}`);
      return new RemoteGraphQLDataSource<GatewayContext>({
        url,
        // As the shared gateway is configured: the caller's credentials travel on to each subgraph.
        willSendRequest({ request, context }) {
          for (const name of forwardedHeaders) {
            const value = context.headers?.[name];
            if (typeof value === 'string') request.http?.headers.set(name, value);
          }
          if (options.gatewaySecret) request.http?.headers.set('x-gateway-secret', options.gatewaySecret);
        },
      });
    },
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  // Stopping the server stops the gateway and, through the drain plugin, closes the HTTP server.
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  return {
    url,
    supergraphSdl,
    async gql(query, variables, headers) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    close: () => server.stop(),
  };
}
