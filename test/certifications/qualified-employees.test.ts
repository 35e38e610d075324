import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHolidayCalendar } from '../../src/timeoff/timeoff.store.js';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type GraphQLResponse, type TestApp } from '../support/server.js';
import { createPolicy, decide, requestTimeOff } from '../timeoff/fixtures.js';
import { addCertification, certificationMutation, createCatalogEntry, type CatalogEntryResult } from './fixtures.js';

// Skill matching for PSA: who holds the named certifications on a day (or through a range), is
// employed, and has no time off blocking a range. Today (the test clock) is Monday 2026-06-15.
// The dispatch window is Wednesday 1 to Sunday 5 July 2026; Friday 3 July is a Berlin holiday.

let app: TestApp;
let org: OrgBasics;
let catalog: Record<'azure' | 'ccna' | 'ccnp' | 'securityPlus' | 'itil' | 'juniper', CatalogEntryResult>;
const people: Record<string, CreatedEmployee> = {};
let renewal = '';
const extraHolders: CreatedEmployee[] = [];

const query = /* GraphQL */ `
  query Qualified(
    $certifications: [String!]!
    $match: CertificationMatchMode
    $activeOn: Date
    $activeThrough: Date
    $availableFrom: Date
    $availableTo: Date
    $statuses: [TimeOffRequestStatus!]
    $includeUnverified: Boolean
    $filter: QualifiedEmployeesFilter
    $first: Int
  ) {
    qualifiedEmployees(
      certifications: $certifications
      match: $match
      activeOn: $activeOn
      activeThrough: $activeThrough
      availableFrom: $availableFrom
      availableTo: $availableTo
      statuses: $statuses
      includeUnverified: $includeUnverified
      filter: $filter
      first: $first
    ) {
      unknownCertifications
      employees {
        employee { id lastName displayName }
        matches { requested certification { id expiresOn statusAsOf status catalogEntry { code } } }
      }
    }
  }
`;

interface Match {
  requested: string;
  certification: { id: string; expiresOn: string | null; statusAsOf: string; status: string; catalogEntry: { code: string | null } };
}

interface Result {
  qualifiedEmployees: {
    unknownCertifications: string[];
    employees: { employee: { id: string; lastName: string; displayName: string }; matches: Match[] }[];
  };
}

async function qualified(variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Result['qualifiedEmployees']> {
  const response = await app.gql<Result>(query, variables, headers);
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.qualifiedEmployees;
}

async function namesOf(variables: Record<string, unknown>, headers?: Record<string, string>): Promise<string[]> {
  return (await qualified(variables, headers)).employees.map((entry) => entry.employee.lastName);
}

const azure = { certifications: ['AZ-104'] };
const dispatchWeek = { availableFrom: '2026-07-01', availableTo: '2026-07-05' };

async function person(key: string, lastName: string, extra: Partial<Parameters<typeof hire>[1]> = {}): Promise<CreatedEmployee> {
  const employee = await hire(app, {
    locationId: org.locations.berlin,
    departmentId: org.departments.engineering,
    firstName: key,
    lastName,
    ...extra,
  });
  people[key] = employee;
  return employee;
}

function id(key: string): string {
  const employee = people[key];
  if (!employee) throw new Error(`no ${key}`);
  return employee.id;
}

async function hold(
  key: string,
  entry: CatalogEntryResult,
  issuedOn: string,
  options: { verify?: boolean; expiresOn?: string } = {},
): Promise<string> {
  const certification = await addCertification(app, {
    employeeId: id(key),
    catalogEntryId: entry.id,
    issuedOn,
    verify: options.verify ?? true,
    ...(options.expiresOn ? { expiresOn: options.expiresOn } : {}),
  });
  return certification.id;
}

async function changeStatus(key: string, status: string, effectiveDate: string): Promise<void> {
  const response = await app.gql<{ changeEmployeeStatus: { userErrors: unknown[] } }>(
    'mutation($input: ChangeEmployeeStatusInput!) { changeEmployeeStatus(input: $input) { userErrors { code message } } }',
    { input: { id: id(key), status, effectiveDate, reason: 'test' } },
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.changeEmployeeStatus.userErrors).toEqual([]);
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);

  const entry = (input: Parameters<typeof createCatalogEntry>[1]) => createCatalogEntry(app, input);
  catalog = {
    azure: await entry({
      name: 'Microsoft Certified: Azure Administrator Associate',
      issuer: 'Microsoft',
      code: 'AZ-104',
      aliases: ['Azure Administrator'],
      validityMonths: 12,
      tags: ['cloud', 'azure'],
    }),
    ccna: await entry({
      name: 'Cisco Certified Network Associate',
      issuer: 'Cisco',
      code: '200-301',
      aliases: ['CCNA'],
      validityMonths: 36,
      tags: ['networking', 'Cisco Certified'],
    }),
    ccnp: await entry({
      name: 'Cisco Certified Network Professional Enterprise',
      issuer: 'Cisco',
      code: '350-401',
      aliases: ['CCNP Enterprise'],
      validityMonths: 36,
      tags: ['networking', 'Cisco Certified'],
    }),
    securityPlus: await entry({ name: 'CompTIA Security+', issuer: 'CompTIA', code: 'SY0-701', aliases: ['Security+'], validityMonths: 36, tags: ['security'] }),
    itil: await entry({ name: 'ITIL 4 Foundation', issuer: 'PeopleCert', tags: ['itsm'] }),
    juniper: await entry({
      name: 'Juniper Networks Certified Associate, Junos',
      issuer: 'Juniper Networks',
      code: 'JN0-105',
      aliases: ['JNCIA-Junos'],
      validityMonths: 36,
      tags: ['networking'],
    }),
  };

  // Names sort in the order hired here, so every expectation below is in name order.
  await person('ada', 'Adler');
  await hold('ada', catalog.azure, '2026-01-10');
  await hold('ada', catalog.ccna, '2025-05-01');
  await hold('ada', catalog.securityPlus, '2025-09-01');
  await hold('ada', catalog.itil, '2021-03-01');
  await hold('ada', catalog.juniper, '2026-06-01'); // valid longer than her CCNA
  await person('ben', 'Becker');
  await hold('ben', catalog.azure, '2026-02-01');
  await hold('ben', catalog.ccnp, '2025-11-01');
  await person('cara', 'Conti');
  await hold('cara', catalog.azure, '2026-03-01', { verify: false });
  await person('dan', 'Dietz');
  await hold('dan', catalog.azure, '2025-01-01'); // expired on 2026-01-01
  await person('eve', 'Engel');
  await hold('eve', catalog.azure, '2025-06-30'); // valid through 2026-06-30
  // Finn's verified record is still valid, but it was renewed, and the renewal is not verified yet.
  await person('finn', 'Fischer');
  const original = await hold('finn', catalog.azure, '2025-08-01');
  const renewed = await certificationMutation(app, 'renew', { id: original, issuedOn: '2026-06-01', verify: false });
  expect(renewed.errors).toBeUndefined();
  expect(renewed.data?.result.userErrors).toEqual([]);
  renewal = renewed.data?.result.certification?.id ?? '';
  expect(renewal).not.toBe('');
  await person('gus', 'Graf', { locationId: org.locations.newYork, departmentId: org.departments.sales });
  await hold('gus', catalog.azure, '2026-01-15');
  await person('hana', 'Hahn');
  await hold('hana', catalog.azure, '2026-01-15');
  await person('ivo', 'Ilic');
  await hold('ivo', catalog.azure, '2026-01-15');
  await person('jana', 'Jung');
  await hold('jana', catalog.azure, '2026-01-15');
  await person('kai', 'Koch');
  await hold('kai', catalog.azure, '2026-01-15');
  await person('leo', 'Lang');
  await hold('leo', catalog.azure, '2026-01-15');
  await changeStatus('leo', 'ON_LEAVE', '2026-05-01');
  await person('mona', 'Maier');
  await hold('mona', catalog.azure, '2026-01-15');
  await changeStatus('mona', 'RESIGNED', '2026-07-03');

  // Time off in the dispatch week (1 to 5 July).
  await insertHolidayCalendar(app.database.db, { locationId: org.locations.berlin, name: 'Berlin' }, [
    { date: '2026-07-03', name: 'Company Day', halfDay: false },
  ]);
  const vacation = await createPolicy(app, { name: 'Vacation', approvalChain: [{ kind: 'HR' }] });
  const approved = async (key: string, input: Record<string, unknown>) => {
    const requested = await requestTimeOff(app, { employeeId: id(key), policyId: vacation, ...input });
    expect(requested.userErrors).toEqual([]);
    const decided = await decide(app, 'approve', { id: requested.request?.id ?? '' });
    expect(decided.payload?.request?.status).toBe('APPROVED');
  };
  await approved('hana', { startDate: '2026-07-02', endDate: '2026-07-02' });
  const pending = await requestTimeOff(app, { employeeId: id('ivo'), policyId: vacation, startDate: '2026-07-01', endDate: '2026-07-01' });
  expect(pending.request?.status).toBe('PENDING');
  await approved('jana', { startDate: '2026-07-02', endDate: '2026-07-02', startPortion: 'AFTERNOON' });
  // Friday is a holiday and the weekend is not worked: of this request only Monday 6 July is off.
  await approved('kai', { startDate: '2026-07-03', endDate: '2026-07-06' });

  for (let index = 0; index < 30; index += 1) {
    const holder = await hire(app, {
      locationId: org.locations.berlin,
      departmentId: org.departments.engineering,
      firstName: `Net${String(index).padStart(2, '0')}`,
      lastName: 'Zimmer',
    });
    extraHolders.push(holder);
    await addCertification(app, { employeeId: holder.id, catalogEntryId: catalog.juniper.id, issuedOn: '2026-01-05', verify: true });
  }
}, 180_000);

afterAll(() => app.close());

describe('qualifiedEmployees: matching names', () => {
  it('finds the same holders by alias, full name, code and its spellings', async () => {
    const expected = ['Adler', 'Becker', 'Engel', 'Graf', 'Hahn', 'Ilic', 'Jung', 'Koch', 'Maier'];
    for (const name of ['azure administrator', 'Microsoft Certified: Azure Administrator Associate', 'AZ-104', 'az104', ' Az 104 ']) {
      expect(await namesOf({ certifications: [name] }, serviceHeaders.psa)).toEqual(expected);
    }
  });

  it('says which certification matched each requested name, with its expiry and status on activeOn', async () => {
    const result = await qualified({ certifications: ['Azure Administrator', 'Cisco Certified'], activeOn: '2026-06-20' });
    expect(result.unknownCertifications).toEqual([]);
    expect(result.employees.map((entry) => entry.employee.lastName)).toEqual(['Adler', 'Becker']);
    const [ada, ben] = result.employees;
    expect(ada?.matches.map((match) => [match.requested, match.certification.catalogEntry.code, match.certification.expiresOn])).toEqual([
      ['Azure Administrator', 'AZ-104', '2027-01-10'],
      ['Cisco Certified', '200-301', '2028-05-01'],
    ]);
    // A tag answers to several entries: Becker's CCNP satisfies "Cisco Certified" as Adler's CCNA does.
    expect(ben?.matches.map((match) => match.certification.catalogEntry.code)).toEqual(['AZ-104', '350-401']);
    expect(ada?.matches.every((match) => match.certification.statusAsOf === '2026-06-20' && match.certification.status === 'ACTIVE')).toBe(true);
  });

  it('shows a certification expiring soon as EXPIRING on activeOn', async () => {
    const result = await qualified({ ...azure, filter: { employeeIds: [id('eve')] } });
    expect(result.employees[0]?.matches[0]?.certification).toMatchObject({ expiresOn: '2026-06-30', statusAsOf: '2026-06-15', status: 'EXPIRING' });
  });

  it('with ALL needs every name, with ANY one of them', async () => {
    const names = ['AZ-104', 'Security+ ', 'ccnp enterprise'];
    expect(await namesOf({ certifications: names })).toEqual([]);
    expect(await namesOf({ certifications: ['AZ-104', 'SY0-701'] })).toEqual(['Adler']);
    const any = await qualified({ certifications: names, match: 'ANY' });
    expect(any.employees.map((entry) => entry.employee.lastName)).toEqual(['Adler', 'Becker', 'Engel', 'Graf', 'Hahn', 'Ilic', 'Jung', 'Koch', 'Maier']);
    // Each lists only the names it satisfies.
    expect(any.employees[0]?.matches.map((match) => match.requested)).toEqual(['AZ-104', 'Security+ ']);
    expect(any.employees[1]?.matches.map((match) => match.requested)).toEqual(['AZ-104', 'ccnp enterprise']);
    expect(any.employees[2]?.matches.map((match) => match.requested)).toEqual(['AZ-104']);
  });

  it('reports names matching nothing; under ALL nobody qualifies, under ANY the rest still match', async () => {
    const all = await qualified({ certifications: ['CCNA', 'Cisco Certified Wizard', '---'] });
    expect(all.unknownCertifications).toEqual(['Cisco Certified Wizard', '---']);
    expect(all.employees).toEqual([]);
    const any = await qualified({ certifications: ['CCNA', 'Cisco Certified Wizard'], match: 'ANY' });
    expect(any.unknownCertifications).toEqual(['Cisco Certified Wizard']);
    expect(any.employees.map((entry) => entry.employee.lastName)).toEqual(['Adler']);
  });

  it('counts a certification without expiry on any day after its issue', async () => {
    expect(await namesOf({ certifications: ['ITIL 4 Foundation'], activeOn: '2021-03-01', activeThrough: '2040-01-01' })).toEqual(['Adler']);
    expect(await namesOf({ certifications: ['ITIL 4 Foundation'], activeOn: '2021-02-28' })).toEqual([]);
  });
});

describe('qualifiedEmployees: which certifications count', () => {
  it('leaves unverified ones out unless includeUnverified', async () => {
    expect(await namesOf(azure)).not.toContain('Conti');
    const included = await namesOf({ ...azure, includeUnverified: true });
    expect(included).toContain('Conti');
  });

  it('leaves expired ones out, and those issued after activeOn', async () => {
    expect(await namesOf(azure)).not.toContain('Dietz');
    // On its last valid day it still counts; the day after it does not.
    expect(await namesOf({ ...azure, activeOn: '2026-01-01', filter: { employeeIds: [id('dan')] } })).toEqual(['Dietz']);
    expect(await namesOf({ ...azure, activeOn: '2026-01-02', filter: { employeeIds: [id('dan')] } })).toEqual([]);
    // Adler's was issued on 2026-01-10.
    expect(await namesOf({ ...azure, activeOn: '2026-01-09', filter: { employeeIds: [id('ada')] } })).toEqual([]);
    expect(await namesOf({ ...azure, activeOn: '2026-01-10', filter: { employeeIds: [id('ada')] } })).toEqual(['Adler']);
  });

  it('with activeThrough needs the certification valid to the end of the range', async () => {
    expect(await namesOf({ ...azure, activeThrough: '2026-06-30' })).toContain('Engel');
    const through = await namesOf({ ...azure, activeThrough: '2026-07-10' });
    expect(through).not.toContain('Engel');
    expect(through).toContain('Adler');
  });

  it('counts a renewal, not the record it replaced', async () => {
    // The replaced record is verified and valid, but no longer current; the renewal is unverified.
    expect(await namesOf(azure)).not.toContain('Fischer');
    const result = await qualified({ ...azure, includeUnverified: true, filter: { employeeIds: [id('finn')] } });
    expect(result.employees.map((entry) => entry.matches[0]?.certification.id)).toEqual([renewal]);
    expect(result.employees[0]?.matches[0]?.certification.expiresOn).toBe('2027-06-01');
  });

  it('picks the longest valid certification when several satisfy one name', async () => {
    // "networking" tags CCNA, CCNP and JNCIA: Adler holds a CCNA (to 2028-05-01) and a JNCIA (to 2029-06-01).
    const result = await qualified({ certifications: ['networking'], filter: { employeeIds: [id('ada'), id('ben')] } });
    expect(result.employees.map((entry) => entry.matches.map((match) => [match.certification.catalogEntry.code, match.certification.expiresOn]))).toEqual([
      [['JN0-105', '2029-06-01']],
      [['350-401', '2028-11-01']],
    ]);
  });
});

describe('qualifiedEmployees: who is employed, where, and available', () => {
  it('leaves out people on leave on activeOn, and those leaving within the availability range', async () => {
    expect(await namesOf(azure)).not.toContain('Lang');
    expect(await namesOf({ ...azure, activeOn: '2026-04-30' })).toContain('Lang');
    expect(await namesOf(azure)).toContain('Maier');
    expect(await namesOf({ ...azure, ...dispatchWeek })).not.toContain('Maier');
    expect(await namesOf({ ...azure, availableFrom: '2026-06-22', availableTo: '2026-07-02' })).toContain('Maier');
  });

  it('filters by location and department on activeOn, and by employee', async () => {
    expect(await namesOf({ ...azure, filter: { locationIds: [org.locations.newYork] } })).toEqual(['Graf']);
    expect(await namesOf({ ...azure, filter: { departmentIds: [org.departments.sales] } })).toEqual(['Graf']);
    expect(await namesOf({ ...azure, filter: { departmentIds: [org.departments.people] } })).toEqual([]);
    expect(await namesOf({ ...azure, filter: { locationIds: [org.locations.berlin], employeeIds: [id('gus'), id('ada')] } })).toEqual(['Adler']);
    expect(await namesOf({ ...azure, filter: { employeeIds: ['not-an-id'] } })).toEqual([]);
  });

  it('keeps only people whose time off does not block the range: full and half days block, holidays and weekends do not', async () => {
    const available = await namesOf({ ...azure, ...dispatchWeek });
    // Hahn: approved day off; Jung: approved afternoon off.
    expect(available).toEqual(['Adler', 'Becker', 'Engel', 'Graf', 'Ilic', 'Koch']);
    // Koch's request runs over the holiday and the weekend into Monday: Monday blocks.
    expect(await namesOf({ ...azure, availableFrom: '2026-07-01', availableTo: '2026-07-06' })).not.toContain('Koch');
  });

  it('counts pending time off only when statuses say so', async () => {
    expect(await namesOf({ ...azure, ...dispatchWeek })).toContain('Ilic');
    expect(await namesOf({ ...azure, ...dispatchWeek, statuses: ['APPROVED', 'PENDING'] })).not.toContain('Ilic');
  });

  it('orders by name and returns at most `first`', async () => {
    const names = await namesOf({ certifications: ['JNCIA-Junos'], first: 5 });
    expect(names).toEqual(['Adler', 'Zimmer', 'Zimmer', 'Zimmer', 'Zimmer']);
    const result = await qualified({ certifications: ['JNCIA-Junos'], first: 500 });
    expect(result.employees.map((entry) => entry.employee.displayName).slice(1, 4)).toEqual(['Net00 Zimmer', 'Net01 Zimmer', 'Net02 Zimmer']);
    expect(result.employees).toHaveLength(31);
  });
});

describe('qualifiedEmployees: arguments and permissions', () => {
  async function errorOf(variables: Record<string, unknown>, headers?: Record<string, string>) {
    const response: GraphQLResponse<Result> = await app.gql<Result>(query, variables, headers);
    expect(response.data?.qualifiedEmployees ?? null).toBeNull();
    return response.errors?.[0];
  }

  it('refuses bad arguments with BAD_USER_INPUT and a message saying why', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...azure, availableFrom: '2026-07-01' }, /both `availableFrom` and `availableTo`/],
      [{ ...azure, availableTo: '2026-07-01' }, /both `availableFrom` and `availableTo`/],
      [{ ...azure, availableFrom: '2026-07-10', availableTo: '2026-07-01' }, /before `availableFrom`/],
      [{ ...azure, availableFrom: '2026-07-01', availableTo: '2027-07-02' }, /at most 366 days/],
      [{ ...azure, activeOn: '2026-07-01', activeThrough: '2026-06-30' }, /`activeThrough` is before `activeOn`/],
      [{ ...azure, first: 0 }, /between 1 and 500/],
      [{ ...azure, first: 501 }, /between 1 and 500/],
      [{ certifications: [] }, /at least one/],
    ];
    for (const [variables, message] of cases) {
      const error = await errorOf(variables);
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error?.message).toMatch(message);
    }
    // 366 days exactly is allowed.
    expect(await namesOf({ ...azure, availableFrom: '2026-07-01', availableTo: '2027-07-01' })).toEqual(expect.any(Array));
  });

  it('answers PSA, HR, managers and viewers; refuses Defend and Legal, and anonymous callers', async () => {
    for (const headers of [
      serviceHeaders.psa,
      await app.as({ roles: ['HR Staff'] }),
      await app.as({ roles: ['HR Manager'] }),
      await app.as({ roles: ['Manager'] }),
      await app.as({ roles: ['Viewer'] }),
    ]) {
      expect(await namesOf({ certifications: ['Security+'] }, headers)).toEqual(['Adler']);
    }
    expect((await errorOf(azure, serviceHeaders.defend))?.extensions?.code).toBe('FORBIDDEN');
    expect((await errorOf(azure, serviceHeaders.legal))?.extensions?.code).toBe('FORBIDDEN');
    // An employee without a People role cannot search colleagues by certification.
    expect((await errorOf(azure, await app.as({ roles: [], email: people.ben?.email ?? '' })))?.extensions?.code).toBe('FORBIDDEN');
    expect((await errorOf(azure, {}))?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('with a range, a manager finds only their own reports and a viewer with no reports is refused: it shows who is off', async () => {
    const lead = await person('otto', 'Olsen');
    for (const key of ['ben', 'hana']) {
      const moved = await app.gql<{ updateEmployee: { userErrors: unknown[] } }>(
        'mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { userErrors { code } } }',
        { input: { id: id(key), managerId: lead.id } },
      );
      expect(moved.data?.updateEmployee.userErrors).toEqual([]);
    }
    const asLead = await app.as({ roles: ['Manager'], email: lead.email });
    // Hahn is off on 2 July; Becker is free.
    expect(await namesOf({ ...azure, ...dispatchWeek }, asLead)).toEqual(['Becker']);
    // Without a range nothing about time off shows, so the whole company answers.
    expect(await namesOf(azure, asLead)).toEqual(['Adler', 'Becker', 'Engel', 'Graf', 'Hahn', 'Ilic', 'Jung', 'Koch', 'Maier']);
    expect((await errorOf({ ...azure, ...dispatchWeek }, await app.as({ roles: ['Viewer'] })))?.extensions?.code).toBe('FORBIDDEN');
    expect(await namesOf({ ...azure, ...dispatchWeek }, await app.as({ roles: ['HR Staff'] }))).toEqual(
      await namesOf({ ...azure, ...dispatchWeek }, serviceHeaders.psa),
    );
  });

  it('costs the same number of SQL statements for 3 qualified holders as for 30', async () => {
    const ids = extraHolders.map((holder) => holder.id);
    const run = async (employeeIds: string[]) => {
      let result: Result['qualifiedEmployees'] | undefined;
      const statements = await app.countStatements(async () => {
        result = await qualified(
          { certifications: ['JN0-105', 'networking'], ...dispatchWeek, activeThrough: '2026-07-05', filter: { employeeIds } },
          serviceHeaders.psa,
        );
      });
      return { count: result?.employees.length ?? 0, statements };
    };
    await run(ids); // warm-up
    const three = await run(ids.slice(0, 3));
    const thirty = await run(ids);
    expect(three.count).toBe(3);
    expect(thirty.count).toBe(30);
    expect(three.statements).toBeGreaterThan(0);
    expect(thirty.statements).toBe(three.statements);
  });
});
