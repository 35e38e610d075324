import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { answerReceived } from './received.js';

/**
 * The HTTP server under every peer simulator (Hub, Legal, Bus): listens on 127.0.0.1, shows what
 * the simulator received at `GET /_simulator/received`, and can go down (clients get
 * ECONNREFUSED) and come back on the same port, so a test can play a peer that is unreachable.
 */
export interface SimulatorServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Stops listening and drops open connections. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

export async function startSimulatorServer(options: {
  /** Names the simulator in errors. */
  name: string;
  /** Default: a free port. */
  port?: number | undefined;
  /** Answers one request; a throw is answered 500. */
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** What `GET /_simulator/received` shows. */
  received: () => unknown;
}): Promise<SimulatorServer> {
  let active = 0;
  let isUp = false;

  const server: Server = createServer((request, response) => {
    if (answerReceived(request, response, options.received)) return;
    active += 1;
    options
      .handle(request, response)
      .catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      })
      .finally(() => {
        active -= 1;
      });
  });

  async function listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    isUp = true;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`${options.name} simulator: no TCP address`);
    return address.port;
  }

  const port = await listen(options.port ?? 0);

  return {
    url: `http://127.0.0.1:${port}`,
    inFlight: () => active,
    async down() {
      if (!isUp) return;
      isUp = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async up() {
      if (!isUp) await listen(port);
    },
  };
}

/** A request header's value, or null when absent (or sent more than once). */
export function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
