import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, readBody, startSimulatorServer } from './server.js';

/**
 * A stand-in for Hub's integration API: a real HTTP server on 127.0.0.1 implementing
 * `POST /users/{hubUserId}/revoke-access` and `/restore-access` as the README's contract says.
 *
 * - Checks `X-Integration-Key` (401 on a wrong one) and knows a set of users (404 for others).
 * - Idempotent as the contract asks: a repeated `Idempotency-Key` whose first request succeeded
 *   gets that answer again (`replayed: true`) without acting twice. A refusal (404, 4xx) or a
 *   failure (5xx) did nothing, so it is not remembered: the same key after a fix is served afresh.
 * - Can be down (connection refused), slow (it acts, then answers late: the caller times out "in
 *   doubt"), or failing with a status N times.
 */
export type HubAction = 'revoke-access' | 'restore-access';

export interface HubRequest {
  action: HubAction | null;
  hubUserId: string | null;
  headers: { integrationKey: string | null; idempotencyKey: string | null; contentType: string | null };
  body: Record<string, unknown> | null;
  status: number;
  /** Answered from the Idempotency-Key's first answer, without acting. */
  replayed: boolean;
}

export interface HubSimulator {
  /** Base URL (HUB_API_URL): `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly integrationKey: string;
  /** Every request answered, in order. */
  readonly requests: HubRequest[];
  /** Hub user ids whose access is revoked now. */
  readonly revoked: Set<string>;
  /** Requests that acted (not replayed, answered 2xx) for `action`. */
  performed(action: HubAction): HubRequest[];
  /** Lets Hub know this user (others get 404). */
  addUser(hubUserId: string): void;
  /** Answers the next `count` requests with `status` (default 503), before acting; with `Retry-After` when given. */
  failNext(count: number, status?: number, retryAfterSeconds?: number): void;
  /** Acts, then waits this long before answering. */
  setLatency(ms: number): void;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Stops listening and drops open connections: clients get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const pathPattern = /^\/users\/([^/]+)\/(revoke-access|restore-access)$/;

export async function startHubSimulator(options: { integrationKey?: string; users?: readonly string[]; port?: number } = {}): Promise<HubSimulator> {
  const integrationKey = options.integrationKey ?? 'hub-test-integration-key-0123456789';
  const users = new Set(options.users ?? []);
  const requests: HubRequest[] = [];
  const revoked = new Set<string>();
  const answered = new Map<string, { status: number; payload: unknown }>();
  let failures: { remaining: number; status: number; retryAfterSeconds: number | null } | null = null;
  let latencyMs = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const body = parseObject(text);
    const match = request.method === 'POST' ? pathPattern.exec(request.url ?? '') : null;
    const action = match?.[2] === 'revoke-access' || match?.[2] === 'restore-access' ? match[2] : null;
    const hubUserId = match?.[1] ? decodeURIComponent(match[1]) : null;
    const headers = {
      integrationKey: header(request, 'x-integration-key'),
      idempotencyKey: header(request, 'idempotency-key'),
      contentType: header(request, 'content-type'),
    };
    const answer = async (status: number, payload: unknown, replayed = false, extraHeaders: Record<string, string> = {}): Promise<void> => {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      requests.push({ action, hubUserId, headers, body, status, replayed });
      response.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
      response.end(JSON.stringify(payload));
    };

    if (!action || !hubUserId) return answer(404, { error: 'route_not_found' });
    if (headers.integrationKey !== integrationKey) return answer(401, { error: 'invalid_integration_key' });
    if (!headers.idempotencyKey || !body || typeof body.employeeId !== 'string') return answer(400, { error: 'invalid_request' });
    const first = answered.get(headers.idempotencyKey);
    if (first) return answer(first.status, first.payload, true);
    if (failures && failures.remaining > 0) {
      failures.remaining -= 1;
      const retryAfter: Record<string, string> = failures.retryAfterSeconds === null ? {} : { 'retry-after': String(failures.retryAfterSeconds) };
      return answer(failures.status, { error: 'simulated_failure' }, false, retryAfter);
    }
    if (!users.has(hubUserId)) return answer(404, { error: 'user_not_found' });
    if (action === 'revoke-access') revoked.add(hubUserId);
    else revoked.delete(hubUserId);
    const payload = { hubUserId, accessRevoked: revoked.has(hubUserId) };
    answered.set(headers.idempotencyKey, { status: 200, payload });
    return answer(200, payload);
  }

  const server = await startSimulatorServer({ name: 'Hub', port: options.port, handle, received: () => ({ requests, revoked: [...revoked] }) });

  return {
    url: server.url,
    integrationKey,
    requests,
    revoked,
    performed: (action) => requests.filter((request) => request.action === action && !request.replayed && request.status >= 200 && request.status < 300),
    addUser(hubUserId) {
      users.add(hubUserId);
    },
    failNext(count, status = 503, retryAfterSeconds) {
      failures = { remaining: count, status, retryAfterSeconds: retryAfterSeconds ?? null };
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    inFlight: server.inFlight,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : null;
  } catch {
    return null;
  }
}
