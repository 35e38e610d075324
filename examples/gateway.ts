import type { IncomingHttpHeaders, Server } from 'node:http';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import type { DocumentNode } from 'graphql';
import { createExplorerRouter, explorerPath, sendBrowserToExplorer } from '../src/server/explorer.js';

// A real Apollo Gateway with a static supergraph, in front of running subgraphs: what the tests
// use and what `npm run stack` serves. Configured like the shared gateway PSA and Defend call:
// the caller's credentials travel on to every subgraph, and so does W3C trace context.

export interface SubgraphEndpoint {
  name: string;
  typeDefs: DocumentNode;
  /** The subgraph's GraphQL endpoint. */
  url: string;
}

/** Composes the supergraph as a router would; fails with every composition error's message. */
export function composeSupergraph(subgraphs: readonly SubgraphEndpoint[]): string {
  const result = composeServices(subgraphs.map(({ name, typeDefs, url }) => ({ name, typeDefs, url })));
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

interface GatewayContext {
  headers?: IncomingHttpHeaders;
}

/** Credentials the gateway passes through (user tokens, service keys), and W3C trace context. */
const forwardedHeaders = ['authorization', 'x-integration-key', 'x-defend-service-key', 'traceparent', 'tracestate'];

export interface GatewayOptions {
  gatewaySecret?: string;
  /** Loopback port; 0 (the default) takes a free one. */
  port?: number;
  /** Serves People's GraphiQL explorer at /explorer, sending its operations to this gateway. */
  explorer?: boolean;
}

export interface StartedGateway {
  /** The GraphQL endpoint: `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** `http://127.0.0.1:<port>/explorer` when the explorer is served. */
  explorerUrl: string | null;
  supergraphSdl: string;
  close(): Promise<void>;
}

export async function startGateway(subgraphs: readonly SubgraphEndpoint[], options: GatewayOptions = {}): Promise<StartedGateway> {
  const supergraphSdl = composeSupergraph(subgraphs);
  const urls = new Map(subgraphs.map(({ name, url }) => [name, url]));
  // Without this, ApolloGateway's constructor starts exporting usage metrics to Apollo and probes
  // cloud metadata endpoints (AWS, GCP, Azure, Alibaba): network calls a loopback stack must not make.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`no running subgraph named ${name}`);
      return new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          for (const header of forwardedHeaders) {
            const value = context.headers?.[header];
            if (typeof value === 'string') request.http?.headers.set(header, value);
          }
          if (options.gatewaySecret) request.http?.headers.set('x-gateway-secret', options.gatewaySecret);
        },
      });
    },
  });

  const app = express();
  const httpServer: Server = await new Promise((resolve, reject) => {
    const server = app.listen(options.port ?? 0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)));
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    // Stopping the server stops the gateway and closes the HTTP server, finishing requests in flight.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    // The caller decides when to stop (the stack stops its parts in order on Ctrl-C).
    stopOnTerminationSignals: false,
  });
  try {
    await server.start();
  } catch (error) {
    httpServer.close();
    throw error;
  }
  if (options.explorer) {
    // People's own explorer, served from the gateway's origin: its fetches go to this /graphql.
    app.use(createExplorerRouter());
    app.get('/graphql', (req, res, next) => {
      if (!sendBrowserToExplorer(req, res)) next();
    });
  }
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server, { context: async ({ req }) => ({ headers: req.headers }) }));

  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('gateway: no TCP address');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    url: `${base}/graphql`,
    explorerUrl: options.explorer ? `${base}${explorerPath}` : null,
    supergraphSdl,
    close: () => server.stop(),
  };
}
