import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { RequestContext } from '../graphql/context.js';
import type { Tracing, TracingSettings } from './tracing.js';

// The OpenTelemetry SDK, loaded by tracing.ts only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
//
// Spans: one SERVER span per /graphql request, a child of the gateway's span when it sent a W3C
// `traceparent` (named `query EmployeeDirectory` once the operation is known, with its type and
// outcome); one span per resolver that took OTEL_SLOW_RESOLVER_MS or more (recorded when it ends,
// so it is a sibling of the statements it sent, not their parent); one CLIENT span per database
// statement, with its text as drizzle sends it (placeholders, never values). Variables, headers,
// tokens and answers are never recorded.

/** Long statements (a big IN list) are cut: the shape is what a trace needs. */
const maxStatementLength = 2_000;

export function createTracing(settings: TracingSettings): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [processor],
  });
  // The global provider, AsyncLocalStorage context and the W3C trace-context propagator.
  provider.register();
  const tracer = provider.getTracer('people');

  const middleware: Tracing['middleware'] = (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${req.method} /graphql`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': '/graphql' } },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    // Everything Apollo does for this request (resolvers, statements) runs inside the span.
    context.with(trace.setSpan(parent, span), next);
  };

  const plugin: ApolloServerPlugin<RequestContext> = {
    // Refused before the operation is read (bad or missing credentials): the span keeps its HTTP name.
    async contextCreationDidFail({ error }) {
      const span = trace.getActiveSpan();
      span?.setAttributes({ 'graphql.outcome': 'client_error', 'graphql.error.codes': [errorCode(error)] });
    },
    async requestDidStart() {
      const span: Span | undefined = trace.getActiveSpan();
      if (!span) return {};
      const operationContext = trace.setSpan(context.active(), span);
      return {
        async didResolveOperation({ operationName, operation }) {
          const type = operation?.operation ?? 'unknown';
          span.updateName(`${type} ${operationName ?? 'anonymous'}`);
          span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': operationName ?? 'anonymous' });
        },
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              const startTime = Date.now();
              const started = performance.now();
              return (error) => {
                const milliseconds = performance.now() - started;
                if (milliseconds < settings.slowResolverMs) return;
                const field = `${info.parentType.name}.${info.fieldName}`;
                const resolver = tracer.startSpan(
                  `resolve ${field}`,
                  { startTime, attributes: { 'graphql.field.name': field, 'graphql.field.path': pathOf(info.path) } },
                  operationContext,
                );
                if (error) resolver.setStatus({ code: SpanStatusCode.ERROR });
                resolver.end(startTime + milliseconds);
              };
            },
          };
        },
        async willSendResponse({ errors }) {
          const codes = (errors ?? []).map(errorCode);
          const outcome = codes.length === 0 ? 'ok' : codes.includes('INTERNAL_SERVER_ERROR') ? 'server_error' : 'client_error';
          span.setAttribute('graphql.outcome', outcome);
          if (codes.length > 0) span.setAttribute('graphql.error.codes', [...new Set(codes)]);
          if (outcome === 'server_error') span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
  };

  const statement: Tracing['statement'] = ({ kind, seconds, failed, text }) => {
    // Only inside a traced request: background jobs' statements would be traces of their own, one per poll.
    const active = context.active();
    if (!trace.getSpan(active)) return;
    const endTime = Date.now();
    const span = tracer.startSpan(
      `db ${kind}`,
      {
        kind: SpanKind.CLIENT,
        startTime: endTime - seconds * 1000,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': kind,
          ...(text === null ? {} : { 'db.query.text': text.slice(0, maxStatementLength) }),
        },
      },
      active,
    );
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(endTime);
  };

  return {
    middleware,
    plugin,
    statement,
    shutdown: () => provider.shutdown(),
  };
}

/** As /metrics counts it: the error's code when it has a plain one. */
function errorCode(error: unknown): string {
  const extensions: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'extensions') : undefined;
  const code: unknown = typeof extensions === 'object' && extensions !== null ? Reflect.get(extensions, 'code') : undefined;
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}

function pathOf(path: { prev: unknown; key: string | number }): string {
  const keys: (string | number)[] = [];
  let current: { prev: unknown; key: string | number } | undefined = path;
  while (current) {
    keys.unshift(current.key);
    current = isPath(current.prev) ? current.prev : undefined;
  }
  return keys.join('.');
}

function isPath(value: unknown): value is { prev: unknown; key: string | number } {
  return typeof value === 'object' && value !== null && 'key' in value && 'prev' in value;
}
