import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';

export interface RunningSubgraph {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

/** Serves a subgraph schema over real HTTP on loopback: on `port`, or a free one (0). */
export async function serveSubgraph(schema: GraphQLSchema, port = 0): Promise<RunningSubgraph> {
  const server = new ApolloServer({
    schema,
    introspection: true,
    // Like People: no timing traces for Apollo's hosted tooling.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // The caller decides when to stop (the stack stops its parts in order on Ctrl-C).
    stopOnTerminationSignals: false,
  });
  // startStandaloneServer installs the drain plugin, so stop() also closes the HTTP server.
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}
