import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Every simulator shows what it received at `GET /_simulator/received` (JSON), so that a developer
 * running `npm run stack` can see what People sent Hub, Legal and Bus. The path is outside every
 * contract the simulators play, and reading it is not recorded as a request.
 */
export const receivedPath = '/_simulator/received';

/** Answers `GET /_simulator/received` with `snapshot()`; false for any other request. */
export function answerReceived(request: IncomingMessage, response: ServerResponse, snapshot: () => unknown): boolean {
  if (request.method !== 'GET' || request.url !== receivedPath) return false;
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(`${JSON.stringify(snapshot(), null, 2)}\n`);
  return true;
}
