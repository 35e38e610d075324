import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';

/*
 * The physical floor (issue 14): bench code, never product code. A minimal server answering the
 * three reads PSA and Defend lean on, as cheaply as Node and PostgreSQL allow: plain node:http,
 * postgres.js, hand-written SQL, JSON.stringify. It answers in exactly the shape People's GraphQL
 * answer has (`{ data: … }`), so the bench compares the two answers deep-equal before timing
 * anything. No GraphQL, no permission matrix, no loaders: callers are checked by key only, like
 * a hard-coded service would. Same pool size as People's (10), same `jit = off`.
 *
 * Routes (POST, JSON body):
 *   /psa      { ids, from, to }  `_entities` by id with `timeOff(from, to)` (APPROVED, PENDING)
 *   /defend   { email, today }   `_entities` by e-mail with status and manager
 *   /calendar { from, to }       `timeOffCalendar(from, to)` (APPROVED, PENDING) with the employee
 */

export interface FloorKeys {
  integrationKey: string;
  defendKey: string;
}

export interface FloorServer {
  url: string;
  stop(): Promise<void>;
}

interface EmployeeRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
}

function displayName(row: EmployeeRow): string {
  return `${row.preferred_name ?? row.first_name} ${row.last_name}`;
}

/** The latest value of a sparse job field on or before the day (the same rule as People's timeline). */
const latest = (column: string, field: string) =>
  `(array_agg(${column} order by effective_from desc, sequence desc) filter (where '${field}' = any(fields)))[1]`;

const psaEmployeesSql = `
  with job as (
    select employee_id, ${latest('status', 'status')}::text as status, ${latest('job_title', 'jobTitle')} as job_title
    from employee_job_changes
    where employee_id = any($1::uuid[]) and effective_from <= $2::date
    group by employee_id
  )
  select e.id, e.email, e.first_name, e.last_name, e.preferred_name, job.status, job.job_title
  from employees e left join job on job.employee_id = e.id
  where e.id = any($1::uuid[])`;

const psaTimeOffSql = `
  select id, employee_id, status::text as status, start_date::text as start_date, end_date::text as end_date, amount::float8 as amount
  from time_off_requests
  where employee_id = any($1::uuid[]) and status in ('APPROVED', 'PENDING') and end_date >= $2::date and start_date <= $3::date
  order by employee_id, start_date, created_at`;

const defendSql = `
  with person as (select * from employees where lower(email) = lower($1)),
  job as (
    select employee_id, ${latest('status', 'status')}::text as status, ${latest('manager_id', 'managerId')} as manager_id
    from employee_job_changes
    where employee_id in (select id from person) and effective_from <= $2::date
    group by employee_id
  )
  select p.id, p.email, p.first_name, p.last_name, p.preferred_name, job.status,
    m.id as m_id, m.email as m_email, m.first_name as m_first_name, m.last_name as m_last_name, m.preferred_name as m_preferred_name
  from person p left join job on job.employee_id = p.id left join employees m on m.id = job.manager_id`;

const calendarSql = `
  select r.id, r.status::text as status, r.start_date::text as start_date, r.end_date::text as end_date, r.amount::float8 as amount,
    e.id as e_id, e.email, e.first_name, e.last_name, e.preferred_name
  from time_off_requests r join employees e on e.id = r.employee_id
  where r.status in ('APPROVED', 'PENDING') and r.end_date >= $1::date and r.start_date <= $2::date
  order by r.start_date, r.employee_id, r.id`;

interface TimeOffRow {
  id: string;
  employee_id: string;
  status: string;
  start_date: string;
  end_date: string;
  amount: number;
}

function timeOffOf(row: TimeOffRow) {
  return { id: row.id, status: row.status, startDate: row.start_date, endDate: row.end_date, amount: row.amount };
}

async function readBody(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new Error(`"${name}" must be a string`);
  return value;
}

export async function startFloorServer(databaseUrl: string, keys: FloorKeys): Promise<FloorServer> {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => undefined, connection: { jit: 'off' } });
  await sql`select 1`;

  async function psa(body: Record<string, unknown>): Promise<unknown> {
    const ids = body.ids;
    if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) throw new Error('"ids" must be strings');
    const from = text(body, 'from');
    const to = text(body, 'to');
    const today = text(body, 'today');
    const [people, requests] = await Promise.all([
      sql.unsafe<(EmployeeRow & { status: string | null; job_title: string | null })[]>(psaEmployeesSql, [ids, today], { prepare: true }),
      sql.unsafe<TimeOffRow[]>(psaTimeOffSql, [ids, from, to], { prepare: true }),
    ]);
    const timeOff = new Map<string, ReturnType<typeof timeOffOf>[]>();
    for (const row of requests) {
      const list = timeOff.get(row.employee_id);
      if (list) list.push(timeOffOf(row));
      else timeOff.set(row.employee_id, [timeOffOf(row)]);
    }
    const byId = new Map(people.map((row) => [row.id, row]));
    return {
      _entities: ids.map((id) => {
        const row = byId.get(id);
        if (!row) return null;
        return {
          id: row.id,
          email: row.email,
          displayName: displayName(row),
          jobTitle: row.job_title,
          status: row.status,
          timeOff: timeOff.get(row.id) ?? [],
        };
      }),
    };
  }

  async function defend(body: Record<string, unknown>): Promise<unknown> {
    const rows = await sql.unsafe<
      (EmployeeRow & { status: string | null; m_id: string | null; m_email: string; m_first_name: string; m_last_name: string; m_preferred_name: string | null })[]
    >(defendSql, [text(body, 'email').trim(), text(body, 'today')], { prepare: true });
    const row = rows[0];
    if (!row) return { _entities: [null] };
    const manager =
      row.m_id === null
        ? null
        : {
            id: row.m_id,
            email: row.m_email,
            displayName: displayName({ id: row.m_id, email: row.m_email, first_name: row.m_first_name, last_name: row.m_last_name, preferred_name: row.m_preferred_name }),
          };
    return { _entities: [{ id: row.id, email: row.email, displayName: displayName(row), status: row.status, manager }] };
  }

  async function calendar(body: Record<string, unknown>): Promise<unknown> {
    const rows = await sql.unsafe<(TimeOffRow & EmployeeRow & { e_id: string })[]>(calendarSql, [text(body, 'from'), text(body, 'to')], {
      prepare: true,
    });
    return {
      timeOffCalendar: rows.map((row) => ({
        ...timeOffOf(row),
        employee: { id: row.e_id, displayName: displayName(row) },
      })),
    };
  }

  const routes: Record<string, { key: keyof FloorKeys; header: string; answer: (body: Record<string, unknown>) => Promise<unknown> }> = {
    '/psa': { key: 'integrationKey', header: 'x-integration-key', answer: psa },
    '/defend': { key: 'defendKey', header: 'x-defend-service-key', answer: defend },
    '/calendar': { key: 'integrationKey', header: 'x-integration-key', answer: calendar },
  };

  const server = http.createServer((request, response) => {
    const route = request.method === 'POST' ? routes[request.url ?? ''] : undefined;
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    if (request.headers[route.header] !== keys[route.key]) {
      response.writeHead(401).end();
      return;
    }
    readBody(request)
      .then(route.answer)
      .then(
        (data) => {
          const payload = JSON.stringify({ data });
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }).end(payload);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
        },
      );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end({ timeout: 5 });
    },
  };
}
