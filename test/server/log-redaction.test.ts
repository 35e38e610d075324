import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactErrorForLog } from '../../src/server/log-redaction.js';
import { createEmployeeMutation, createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

// Whatever fails while an employee's personal data is written, the server's log must locate the
// fault (SQL state, constraint, statement) without repeating the data. Each case makes the
// database refuse a write that carries personal fields, sends it over HTTP, and reads every line
// the server logged. On PGlite and (TEST_DATABASE_URL) PostgreSQL.

const personal = {
  firstName: 'Wilhelmina',
  lastName: 'Quastenberg',
  personalEmail: 'wilhelmina.private@quastenberg-mail.test',
  personalPhone: '+44 7700 900123',
  dateOfBirth: '1987-03-14',
  homeAddress: {
    line1: '17 Lindenstrasse',
    line2: 'Hinterhaus',
    city: 'Quedlinburg',
    region: 'Harzkreis',
    postalCode: '06484',
    countryCode: 'DE',
  },
  emergencyContact: { name: 'Ottilie Brandauer', relationship: 'Godmother', phone: '+49 3946 552817' },
};

/** Every personal value sent, as it could show up in a log (case aside). */
const personalValues = [
  personal.firstName,
  personal.lastName,
  personal.personalEmail,
  'wilhelmina.private',
  personal.personalPhone,
  '7700 900123',
  personal.dateOfBirth,
  personal.homeAddress.line1,
  'Lindenstrasse',
  personal.homeAddress.line2,
  personal.homeAddress.city,
  personal.homeAddress.region,
  personal.homeAddress.postalCode,
  personal.emergencyContact.name,
  'Brandauer',
  'Godmother',
  personal.emergencyContact.phone,
  '552817',
];

const updateMutation = /* GraphQL */ `
  mutation Update($input: UpdateEmployeeInput!) {
    updateEmployee(input: $input) {
      employee { id }
      userErrors { code }
    }
  }
`;

interface LogLine {
  msg: string;
  err?: RedactedErrorShape;
}

interface RedactedErrorShape {
  type: string;
  message: string;
  code?: string;
  constraint?: string;
  table?: string;
  detail?: string;
  statement?: string;
  stack?: string;
  cause?: RedactedErrorShape;
}

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer | string, _encoding, callback) {
    logLines.push(chunk.toString());
    callback();
  },
});

let app: TestApp;
let org: OrgBasics;
let sequence = 0;

beforeAll(async () => {
  app = await startTestApp({ logDestination: logStream });
  org = await createOrgBasics(app);
  // Holds the personal values a duplicate collides with.
  await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin, ...personalInput() });
});
afterAll(() => app?.close());

function personalInput(): Record<string, unknown> {
  const { firstName, lastName, ...rest } = personal;
  return { firstName, lastName, ...rest };
}

async function run(statements: readonly string[]): Promise<void> {
  for (const statement of statements) await app.database.db.execute(sql.raw(statement));
}

/** Readies the write (before the database is made to refuse it); the returned function sends it. */
async function prepareCreate() {
  sequence += 1;
  const email = `redaction.${sequence}@example.com`;
  return () => app.gql(createEmployeeMutation, {
    input: {
      email,
      jobTitle: 'Field Engineer',
      departmentId: org.departments.engineering,
      locationId: org.locations.berlin,
      employmentType: 'FULL_TIME',
      hireDate: '2024-02-01',
      ...personalInput(),
    },
  });
}

async function prepareUpdate() {
  const target = await hire(app, { departmentId: org.departments.sales, locationId: org.locations.newYork });
  const { firstName, lastName, ...personalFields } = personal;
  return () => app.gql(updateMutation, { input: { id: target.id, firstName, lastName, ...personalFields } });
}

const writes = [
  { name: 'createEmployee', prepare: prepareCreate },
  { name: 'updateEmployee', prepare: prepareUpdate },
] as const;

interface Failure {
  name: string;
  /** Makes the database refuse the write. */
  install: string[];
  uninstall: string[];
  /** What the log must still say about the fault. */
  expected: { code: string; constraint?: string; table?: string; statement: string; detail?: string };
}

const failures: Failure[] = [
  {
    name: 'a CHECK constraint (PostgreSQL repeats the whole failing row in its detail)',
    install: ['alter table employee_personal_data add constraint personal_data_frozen check (personal_email is null) not valid'],
    uninstall: ['alter table employee_personal_data drop constraint personal_data_frozen'],
    expected: {
      code: '23514',
      constraint: 'personal_data_frozen',
      table: 'employee_personal_data',
      statement: 'insert into "employee_personal_data"',
      detail: 'Failing row contains (…).',
    },
  },
  {
    name: 'a unique index (PostgreSQL repeats the duplicate key in its detail)',
    install: ['create unique index personal_identity_unique on employee_personal_data (personal_email, personal_phone, date_of_birth)'],
    uninstall: ['drop index personal_identity_unique'],
    expected: {
      code: '23505',
      constraint: 'personal_identity_unique',
      table: 'employee_personal_data',
      statement: 'insert into "employee_personal_data"',
      detail: 'Key (personal_email, personal_phone, date_of_birth)=(…) already exists.',
    },
  },
  {
    name: 'a trigger refusing the audit row (whose statement binds every value as JSON)',
    install: [
      `create function refuse_employee_change() returns trigger language plpgsql as $$
       begin raise exception 'employee changes are frozen'; end $$`,
      `create trigger employee_changes_frozen before insert on employee_changes
       for each row execute function refuse_employee_change()`,
    ],
    uninstall: ['drop trigger employee_changes_frozen on employee_changes', 'drop function refuse_employee_change()'],
    expected: { code: 'P0001', statement: 'insert into "employee_changes"' },
  },
  {
    name: 'a trigger whose own message quotes a value',
    install: [
      `create function refuse_personal_data() returns trigger language plpgsql as $$
       begin raise exception 'no deliveries to "%" (%)', new.home_address->>'city', new.personal_email; end $$`,
      `create trigger personal_data_frozen before insert or update on employee_personal_data
       for each row execute function refuse_personal_data()`,
    ],
    uninstall: ['drop trigger personal_data_frozen on employee_personal_data', 'drop function refuse_personal_data()'],
    expected: { code: 'P0001', statement: 'insert into "employee_personal_data"' },
  },
];

function parsedLines(from: number): LogLine[] {
  return logLines.slice(from).map((line) => JSON.parse(line) as LogLine);
}

/** The error and its causes, outermost first. */
function chain(error: RedactedErrorShape | undefined): RedactedErrorShape[] {
  const found: RedactedErrorShape[] = [];
  for (let current = error; current; current = current.cause) found.push(current);
  return found;
}

describe('a failed write of personal data leaves no personal data in the logs', () => {
  for (const failure of failures) {
    for (const write of writes) {
      it(`${write.name}, refused by ${failure.name}`, async () => {
        const send = await write.prepare();
        const from = logLines.length;
        await run(failure.install);
        let response;
        try {
          response = await send();
        } finally {
          await run(failure.uninstall);
        }

        // The write really failed in the database, and the caller learned nothing of it.
        expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(response.errors?.[0]?.message).toBe('Internal server error');

        const text = logLines.slice(from).join('').toLowerCase();
        const leaked = personalValues.filter((value) => text.includes(value.toLowerCase()));
        expect(leaked).toEqual([]);

        // What locates the fault is still there.
        const logged = parsedLines(from).filter((line) => line.msg === 'unexpected error while resolving');
        expect(logged).toHaveLength(1);
        const errors = chain(logged[0]?.err);
        const databaseError = errors.find((error) => error.code === failure.expected.code);
        expect(databaseError).toMatchObject({
          ...(failure.expected.constraint ? { constraint: failure.expected.constraint } : {}),
          ...(failure.expected.table ? { table: failure.expected.table } : {}),
          ...(failure.expected.detail ? { detail: failure.expected.detail } : {}),
        });
        const statement = errors.map((error) => error.statement).find((text) => text !== undefined) ?? '';
        expect(statement).toContain(failure.expected.statement);
        expect(statement).toMatch(/\$1\b/);
        expect(errors[0]?.stack).toMatch(/\n {4}at .*src\/employees\//);
      });
    }
  }
});

describe('the err serializer on its own', () => {
  const email = 'someone.private@home.test';

  it('sees through pino’s own error serialization, which keeps the original error as raw', () => {
    const cause = Object.assign(new Error(`value "${email}" refused`), { code: '22000' });
    const failed = Object.assign(new Error(`Failed query: select $1\nparams: ${email}`), {
      query: 'select $1',
      params: [email],
      cause,
    });
    const redacted = redactErrorForLog(pino.stdSerializers.err(failed));
    expect(JSON.stringify(redacted)).not.toContain(email);
    expect(redacted).toMatchObject({ message: 'Failed query', statement: 'select $1', cause: { code: '22000' } });
  });

  it('blanks literals inlined in a statement, values quoted in a message, e-mail addresses and digit runs', () => {
    const redacted = redactErrorForLog(
      Object.assign(new Error(`String cannot represent value: "Ottilie" (+49 3946 552817, ${email})`), {
        query: `select * from "employees" where "last_name" = 'Brandauer' and "id" = $1`,
      }),
    );
    expect(redacted.message).toBe('String cannot represent value: "…" ([number], [email])');
    expect(redacted.statement).toBe(`select * from "employees" where "last_name" = '…' and "id" = $1`);
  });

  it('follows causes and aggregated errors, and describes a thrown non-error without its value', () => {
    const redacted = redactErrorForLog(new AggregateError([new Error(email), 'Brandauer'], 'several failed'));
    expect(JSON.stringify(redacted)).not.toMatch(/someone|Brandauer/);
    expect(redacted.errors?.map((error) => error.type)).toEqual(['Error', 'string']);
  });
});
