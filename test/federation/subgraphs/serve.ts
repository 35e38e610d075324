import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';

export interface RunningSubgraph {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

/** Serves a subgraph schema over real HTTP on a free loopback port. */
export async function serveSubgraph(schema: GraphQLSchema): Promise<RunningSubgraph> {
  const server = new ApolloServer({
    schema,
    introspection: true,
    // Like People: no timing traces for Apollo's hosted tooling.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  // startStandaloneServer installs the drain plugin, so stop() also closes the HTTP server.
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}
