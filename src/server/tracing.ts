import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatementListener } from '../db/statement-timing.js';
import type { RequestContext } from '../graphql/context.js';

// OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Off, nothing of the SDK is
// loaded (this file imports types only, and the SDK is imported by tracing-sdk.ts on demand), no
// middleware or plugin is installed and no statement is observed: tracing costs nothing.

export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: spans go to `<endpoint>/v1/traces` (OTLP/HTTP, JSON). */
  endpoint: string;
  serviceName: string;
  /** Resolvers taking at least this long get a span of their own (the slow paths); 0: every field. */
  slowResolverMs: number;
}

export interface Tracing {
  /** For /graphql, once the body is read: one span per request, continuing the caller's W3C traceparent; `next` runs inside it. */
  middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** Names the request's span after the operation, records its type and outcome, and the slow resolvers. */
  plugin: ApolloServerPlugin<RequestContext>;
  /** Every database statement sent while a traced request is active, as a child span (text only, no values). */
  statement: StatementListener;
  /** Sends the spans still buffered; at shutdown. */
  shutdown(): Promise<void>;
}

export async function startTracing(settings: TracingSettings | null): Promise<Tracing | null> {
  if (settings === null) return null;
  const { createTracing } = await import('./tracing-sdk.js');
  return createTracing(settings);
}
