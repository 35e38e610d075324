import { errorCode } from '../startup/startup-error.js';

/** Where DATABASE_URL points, for messages: host, port, database and user, never the password. */
export interface DatabaseLocation {
  /** host:port (or the socket folder given as `?host=`). */
  server: string;
  host: string;
  port: string;
  database: string;
  user: string;
}

export function locateDatabase(url: string): DatabaseLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { server: 'the server in DATABASE_URL', host: 'localhost', port: '5432', database: 'the database', user: 'the user' };
  }
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  const user = decodeURIComponent(parsed.username) || parsed.searchParams.get('user') || process.env.USER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  return { server: `${host}:${port}`, host, port, database, user };
}

/**
 * Why PostgreSQL could not be used, with what to do about it: the messages people actually need
 * at 3 a.m. instead of a driver's stack. Never quotes DATABASE_URL, which may hold a password.
 */
export function explainConnectionFailure(error: unknown, url: string): string {
  const where = locateDatabase(url);
  const at = `PostgreSQL at ${where.server} (DATABASE_URL)`;
  switch (errorCode(error)) {
    case 'ECONNREFUSED':
      return `cannot reach ${at}: connection refused. Is PostgreSQL running and listening on that host and port? Start it, or fix the host and port in DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${at}: the host name "${where.host}" does not resolve. Fix the host in DATABASE_URL.`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${at}: no answer (${errorCode(error)}). Check the host and port in DATABASE_URL and any firewall in between.`;
    case 'ECONNRESET':
      return `${at} closed the connection while People connected. If the server requires TLS, add ?sslmode=require to DATABASE_URL.`;
    case '3D000':
      return (
        `database "${where.database}" does not exist on ${at}. Create it ` +
        `(createdb -h ${where.host} -p ${where.port} -U ${where.user} ${where.database}, or CREATE DATABASE "${where.database}"; in psql), ` +
        'or fix the database name in DATABASE_URL.'
      );
    case '28P01':
      return `${at} refused the password for user "${where.user}". Fix the user or password in DATABASE_URL.`;
    case '28000':
      return `${at} refused user "${where.user}": ${messageOf(error, url)}. Create the role, allow it in pg_hba.conf, or fix the user in DATABASE_URL.`;
    case '57P03':
      return `${at} is starting up or shutting down and does not accept connections yet. Start People again once it is ready.`;
    case '53300':
      return `${at} has no connection left (too many clients). Raise max_connections or stop other clients.`;
    default:
      return `cannot use ${at}: ${messageOf(error, url)}`;
  }
}

/** The error's own message, with the password taken out should a driver ever quote the URL. */
function messageOf(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const password = passwordIn(url);
  return password ? message.split(password).join('***') : message;
}

function passwordIn(url: string): string | null {
  try {
    const { password } = new URL(url);
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}
