import { parse } from 'graphql';
import { readTypeDefs } from '../../src/graphql/schema.js';
import { startGateway as startExampleGateway, type SubgraphEndpoint } from '../../examples/gateway.js';
import type { GraphQLResponse } from '../support/server.js';

// The tests' gateway is the one `npm run stack` serves (examples/gateway.ts), with a client added.

export { composeSupergraph, type SubgraphEndpoint } from '../../examples/gateway.js';

/** People's own subgraph, as the contract in schema.graphql describes it. */
export function peopleSubgraph(appUrl: string): SubgraphEndpoint {
  return { name: 'people', typeDefs: parse(readTypeDefs()), url: `${appUrl}/graphql` };
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
export async function startGateway(
  subgraphs: readonly SubgraphEndpoint[],
  options: { gatewaySecret?: string } = {},
): Promise<RunningGateway> {
  const gateway = await startExampleGateway(subgraphs, options);
  return {
    url: gateway.url,
    supergraphSdl: gateway.supergraphSdl,
    async gql(query, variables, headers) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    close: gateway.close,
  };
}
