import net from 'node:net';

/**
 * A PostgreSQL server that refuses People's connection, as a real one does when the database or
 * the role in DATABASE_URL does not exist. With TEST_DATABASE_URL it is that real server; without
 * one (the suite on PGlite), a stand-in on 127.0.0.1 speaking just enough of the wire protocol:
 * it reads the startup message and answers PostgreSQL's own FATAL error for it.
 */
export interface RefusingPostgres {
  /** `postgres://<user>@<host>:<port>` of the server, without a database. */
  serverUrl(user?: string): string;
  /** A role name that does not exist there. */
  readonly missingRole: string;
  close(): Promise<void>;
}

export async function refusingPostgres(): Promise<RefusingPostgres> {
  const missingRole = `no_such_role_${process.pid}`;
  const real = process.env.TEST_DATABASE_URL;
  if (real) {
    const url = new URL(real);
    return {
      missingRole,
      serverUrl: (user = decodeURIComponent(url.username) || 'postgres') => `postgres://${user}@${url.host}`,
      close: async () => undefined,
    };
  }

  const server = net.createServer((socket) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32BE(0)) return;
      const parameters = startupParameters(received.subarray(8, received.readInt32BE(0)));
      const user = parameters.get('user') ?? '';
      const refusal =
        user === missingRole
          ? { code: '28000', message: `role "${user}" does not exist` }
          : { code: '3D000', message: `database "${parameters.get('database') ?? user}" does not exist` };
      socket.end(errorResponse(refusal.code, refusal.message));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    missingRole,
    serverUrl: (user = 'postgres') => `postgres://${user}@127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The name/value pairs of a StartupMessage body (after its length and protocol version). */
function startupParameters(body: Buffer): Map<string, string> {
  const fields = body.toString('utf8').split('\0');
  const parameters = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length && fields[index] !== ''; index += 2) {
    parameters.set(fields[index] ?? '', fields[index + 1] ?? '');
  }
  return parameters;
}

/** An ErrorResponse ('E') with severity FATAL, as PostgreSQL sends before closing the connection. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat(
    [`SFATAL`, `VFATAL`, `C${code}`, `M${message}`].map((field) => Buffer.from(`${field}\0`, 'utf8')).concat(Buffer.from([0])),
  );
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}
