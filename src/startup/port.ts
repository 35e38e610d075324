import net from 'node:net';
import { StartupError, errorCode } from './startup-error.js';

/**
 * Checks that People may listen on PORT at HOST, before the database is opened: a taken port
 * must not cost a migration of someone else's data first. PORT=0 (any free port) always can.
 */
export async function checkPortIsFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(new StartupError(explainListenFailure(error, port, host))));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** What a failed listen() means and what to do about it; no stack trace. */
export function explainListenFailure(error: unknown, port: number, host: string): string {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (by another People or another program). Stop it, or set PORT to a free port.`;
    case 'EACCES':
      return `not allowed to listen on port ${port} (ports below 1024 need extra privileges). Set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${host} is not an address of this machine. Set HOST to 0.0.0.0 (every interface), 127.0.0.1 (this machine only) or one of its addresses.`;
    default:
      return `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
