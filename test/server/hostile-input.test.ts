import { randomUUID } from 'node:crypto';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCertification, createCatalogEntry } from '../certifications/fixtures.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, testAdmin, type GraphQLResponse, type TestApp } from '../support/server.js';
import { adminMutations, administer, createPolicy, requestTimeOff } from '../timeoff/fixtures.js';

// Hostile input, fuzzer style: every root field of the schema People itself reports, called with
// NUL bytes, lone surrogates, very long strings, the largest and smallest numbers and entity
// representations People does not know, as variables and as literals, by an Admin, an employee with
// no role and the PSA and Defend services. Whatever is sent, the answer is a client error (or a
// result), never INTERNAL_SERVER_ERROR and never HTTP 500.

let app: TestApp;
let schema: GraphQLSchema;

/** The records one caller's calls point at, so that hostile text reaches past the "not found" checks. */
interface World {
  employee: string;
  certification: string;
  timeOffRequest: string;
}

interface Ids {
  policy: string;
  calendar: string;
  catalogEntry: string;
  location: string;
  department: string;
}

interface Caller {
  name: string;
  headers: Record<string, string>;
  world: World;
}

let ids: Ids;
let callers: Caller[];

beforeAll(async () => {
  app = await startTestApp();
  const introspection = await app.gql<IntrospectionQuery>(getIntrospectionQuery());
  if (!introspection.data) throw new Error(`introspection failed: ${JSON.stringify(introspection.errors)}`);
  schema = buildClientSchema(introspection.data);

  const org = await createOrgBasics(app);
  const placed = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  const lead = await hire(app, placed);
  const member = await hire(app, { ...placed, managerId: lead.id });
  const policy = await createPolicy(app, { name: 'Vacation', approvalChain: [{ kind: 'MANAGER' }] });
  const calendar = await administer<{ calendar: { id: string }; userErrors: [] }>(app, adminMutations.createCalendar, 'createHolidayCalendar', {
    locationId: org.locations.berlin,
    name: 'Berlin',
  });
  const catalogEntry = await createCatalogEntry(app, { name: 'Cisco CCNA', code: 'CCNA', validityMonths: 36 });
  ids = {
    policy,
    calendar: calendar.calendar.id,
    catalogEntry: catalogEntry.id,
    location: org.locations.berlin,
    department: org.departments.engineering,
  };
  const worldOf = async (employee: CreatedEmployee, startDate: string): Promise<World> => {
    const certification = await addCertification(app, { employeeId: employee.id, catalogEntryId: catalogEntry.id, issuedOn: '2026-01-10' });
    const request = await requestTimeOff(app, { employeeId: employee.id, policyId: policy, startDate, endDate: startDate });
    if (!request.request) throw new Error(`requestTimeOff refused: ${JSON.stringify(request.userErrors)}`);
    return { employee: employee.id, certification: certification.id, timeOffRequest: request.request.id };
  };
  const leadWorld = await worldOf(lead, '2026-07-06');
  const memberWorld = await worldOf(member, '2026-07-07');
  callers = [
    { name: 'Admin', headers: await app.as(testAdmin), world: leadWorld },
    // A signed-in employee with no role: the least a person may do, on their own record.
    { name: 'employee without a role', headers: await app.as({ roles: [], email: member.email, hubUserId: 'hub-fuzz-member' }), world: memberWorld },
    { name: 'PSA', headers: { ...serviceHeaders.psa }, world: leadWorld },
    { name: 'Defend', headers: { ...serviceHeaders.defend }, world: leadWorld },
  ];
});
afterAll(() => app.close());

// ---------------------------------------------------------------------------------------------
// Values: plausible ones for the arguments a call needs, hostile ones for the argument under test.

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

const longText = 'x'.repeat(100_000);

type Mode = 'variables' | 'literals';

interface Hostile {
  value: Value;
  /**
   * How it is sent. Literals only where they reach the server as such: the GraphQL parser itself
   * refuses a lone surrogate in a literal, and a long literal is a long variable once parsed.
   */
  modes: readonly Mode[];
  /**
   * Sent by every caller, or only by the Admin, who reaches the most code with it (values that
   * GraphQL itself refuses, such as an Int out of range, are refused alike for everyone).
   */
  everyone: boolean;
}

const both = ['variables', 'literals'] as const;
const variablesOnly = ['variables'] as const;

const hostileText: Record<string, Hostile> = {
  'NUL': { value: 'before\u0000after', modes: both, everyone: true },
  'lone high surrogate': { value: 'before\uD800after', modes: variablesOnly, everyone: true },
  'lone low surrogate': { value: '\uDC00', modes: variablesOnly, everyone: false },
  'very long': { value: longText, modes: variablesOnly, everyone: false },
};

const hostileNumbers: Record<string, Record<string, Hostile>> = {
  Int: {
    '2^31': { value: 2 ** 31, modes: both, everyone: false },
    '-2^31-1': { value: -(2 ** 31) - 1, modes: variablesOnly, everyone: false },
    'largest Int': { value: 2 ** 31 - 1, modes: both, everyone: true },
    'smallest Int': { value: -(2 ** 31), modes: variablesOnly, everyone: false },
  },
  Float: {
    '1e308': { value: 1e308, modes: both, everyone: true },
    '-1e308': { value: -1e308, modes: variablesOnly, everyone: false },
    'smallest positive Float': { value: 5e-324, modes: variablesOnly, everyone: false },
  },
};

/** Representations of entities People does not have, of types that are no entities, and keys with hostile text. */
function hostileRepresentations(world: World): Record<string, Hostile> {
  const representations: Record<string, Value> = {
    'unknown __typename': { __typename: 'Starship', id: world.employee },
    'non-entity __typename (Department)': { __typename: 'Department', id: ids.department },
    'non-entity __typename (Query)': { __typename: 'Query' },
    'input type as __typename': { __typename: 'CreateEmployeeInput', id: world.employee },
    'no __typename': { id: world.employee },
    'numeric __typename': { __typename: 42, id: world.employee },
    'NUL __typename': { __typename: 'Employee\u0000', id: world.employee },
    'a string, not an object': 'Employee',
    'a number, not an object': 42,
    'a list, not an object': [{ __typename: 'Employee', id: world.employee }],
    'NUL in e-mail key': { __typename: 'Employee', email: 'someone\u0000@example.com' },
    'lone surrogate in e-mail key': { __typename: 'Employee', email: 'someone\uD800@example.com' },
    'NUL in id key': { __typename: 'Employee', id: `${world.employee}\u0000` },
    'very long e-mail key': { __typename: 'Employee', email: `${longText}@example.com` },
    'NUL in a key name': { __typename: 'Employee', 'em\u0000ail': 'someone@example.com' },
  };
  return Object.fromEntries(
    Object.entries(representations).map(([name, value]) => [name, { value, modes: both, everyone: true }]),
  );
}

const idKinds: Record<string, (world: World) => string> = {
  employeeId: (world) => world.employee,
  employeeIds: (world) => world.employee,
  managerId: (world) => world.employee,
  rootId: (world) => world.employee,
  policyId: () => ids.policy,
  calendarId: () => ids.calendar,
  catalogEntryId: () => ids.catalogEntry,
  locationId: () => ids.location,
  locationIds: () => ids.location,
  departmentId: () => ids.department,
  departmentIds: () => ids.department,
};

/** What `id` names, by root field; any other id is a well-formed one that names nothing. */
const idOfRootField: Record<string, (world: World) => string> = {
  employee: (world) => world.employee,
  updateEmployee: (world) => world.employee,
  changeEmployeeStatus: (world) => world.employee,
  timeOffRequest: (world) => world.timeOffRequest,
  approveTimeOffRequest: (world) => world.timeOffRequest,
  denyTimeOffRequest: (world) => world.timeOffRequest,
  cancelTimeOffRequest: (world) => world.timeOffRequest,
  certification: (world) => world.certification,
  updateCertification: (world) => world.certification,
  verifyCertification: (world) => world.certification,
  rejectCertification: (world) => world.certification,
  renewCertification: (world) => world.certification,
  removeCertification: (world) => world.certification,
  updateCertificationCatalogEntry: () => ids.catalogEntry,
  updateTimeOffPolicy: () => ids.policy,
};

let plausibleCounter = 0;

function plausible(type: GraphQLNamedType, name: string, rootField: string, world: World): Value {
  plausibleCounter += 1;
  if (isEnumType(type)) return type.getValues()[0]?.name ?? null;
  switch (type.name) {
    case 'ID':
      return name === 'id' ? (idOfRootField[rootField]?.(world) ?? randomUUID()) : (idKinds[name]?.(world) ?? randomUUID());
    case 'Date':
      return '2026-07-01';
    case 'DateTime':
      return '2026-07-01T09:00:00.000Z';
    case 'Int':
      return name === 'year' ? 2026 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case '_Any':
      return { __typename: 'Employee', id: world.employee };
    default:
      if (/email/i.test(name)) return `fuzz${plausibleCounter}@example.com`;
      if (name === 'countryCode') return 'DE';
      if (name === 'timezone') return 'Europe/Berlin';
      if (/url/i.test(name)) return 'https://example.com/evidence';
      if (name === 'code' || name === 'category') return `FUZZ${plausibleCounter}`;
      return `Fuzz ${plausibleCounter}`;
  }
}

/** A place an argument value can be set: the argument, then input fields (lists are stepped through). */
interface Leaf {
  path: string[];
  type: GraphQLNamedType;
}

function leavesOf(type: GraphQLInputType, path: string[], seen: readonly string[]): Leaf[] {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return [{ path, type: named }];
  if (seen.includes(named.name)) return [];
  return Object.values(named.getFields()).flatMap((field) => leavesOf(field.type, [...path, field.name], [...seen, named.name]));
}

const isRequired = (input: { type: GraphQLInputType; defaultValue?: unknown }) => isNonNullType(input.type) && input.defaultValue === undefined;

/**
 * A value of `type` with only what it requires, plausibly filled, except along `target.path`,
 * which leads to `target.value`.
 */
function valueOf(type: GraphQLInputType, name: string, rest: string[] | null, target: Value, rootField: string, world: World): Value {
  if (isNonNullType(type)) return valueOf(type.ofType, name, rest, target, rootField, world);
  if (isListType(type)) return [valueOf(type.ofType, name, rest, target, rootField, world)];
  if (isInputObjectType(type)) {
    const object: Record<string, Value> = {};
    for (const field of Object.values(type.getFields())) {
      const onPath = rest !== null && rest[0] === field.name;
      if (onPath || isRequired(field)) {
        object[field.name] = valueOf(field.type, field.name, onPath ? rest.slice(1) : null, target, rootField, world);
      }
    }
    return object;
  }
  if (rest !== null && rest.length === 0) return target;
  return plausible(getNamedType(type), name, rootField, world);
}

function argumentsFor(field: GraphQLField<unknown, unknown>, leaf: Leaf, target: Value, world: World): Map<GraphQLArgument, Value> {
  const values = new Map<GraphQLArgument, Value>();
  for (const argument of field.args) {
    const onPath = leaf.path[0] === argument.name;
    if (onPath || isRequired(argument)) {
      values.set(argument, valueOf(argument.type, argument.name, onPath ? leaf.path.slice(1) : null, target, field.name, world));
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Operations: the root field with every field below it that takes no required argument, two levels deep.

function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type)) {
    return `{ __typename ${type
      .getTypes()
      .map((member) => `... on ${member.name} ${selectionOf(member, depth)}`)
      .join(' ')} }`;
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const fields = Object.values(type.getFields())
    .filter((field) => field.args.every((argument) => !isRequired(argument)))
    .flatMap((field) => {
      const named = getNamedType(field.type);
      if (isLeafType(named)) return [field.name];
      return depth > 0 ? [`${field.name} ${selectionOf(named, depth - 1)}`] : [];
    });
  return `{ __typename ${fields.join(' ')} }`;
}

/** A GraphQL literal: JSON's string escapes are GraphQL's, enum values are bare names. */
function literalOf(value: Value, type: GraphQLInputType): string {
  if (isNonNullType(type)) return literalOf(value, type.ofType);
  if (value === null) return 'null';
  if (isListType(type)) return Array.isArray(value) ? `[${value.map((item) => literalOf(item, type.ofType)).join(', ')}]` : literalOf(value, type.ofType);
  if (isInputObjectType(type) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = type.getFields();
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${literalOf(item, fields[key]?.type ?? type)}`)
      .join(', ')} }`;
  }
  if (isEnumType(type) && typeof value === 'string') return value;
  return anyLiteral(value);
}

/** `_Any` and scalars: objects and lists as GraphQL object and list literals. */
function anyLiteral(value: Value): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(anyLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value)
      .filter(([key]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(key))
      .map(([key, item]) => `${key}: ${anyLiteral(item)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

function operationFor(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  values: Map<GraphQLArgument, Value>,
  mode: Mode,
): { query: string; variables: Record<string, Value> } {
  const selection = selectionOf(getNamedType(field.type), 2);
  const entries = [...values.entries()];
  if (mode === 'literals') {
    const args = entries.map(([argument, value]) => `${argument.name}: ${literalOf(value, argument.type)}`).join(', ');
    return { query: `${kind} { ${field.name}${args ? `(${args})` : ''} ${selection} }`, variables: {} };
  }
  const definitions = entries.map(([argument]) => `$${argument.name}: ${String(argument.type)}`).join(', ');
  const args = entries.map(([argument]) => `${argument.name}: $${argument.name}`).join(', ');
  return {
    query: `${kind}${definitions ? `(${definitions})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`,
    variables: Object.fromEntries(entries.map(([argument, value]) => [argument.name, value])),
  };
}

// ---------------------------------------------------------------------------------------------
// The sweep.

interface Probe {
  label: string;
  query: string;
  variables: Record<string, Value>;
}

function hostileValuesFor(leaf: Leaf, world: World): Record<string, Hostile> {
  if (leaf.type.name === '_Any') return hostileRepresentations(world);
  if (leaf.type.name in hostileNumbers) return hostileNumbers[leaf.type.name] ?? {};
  if (isEnumType(leaf.type) || leaf.type.name === 'Boolean') return {};
  return hostileText;
}

type RootKind = 'query' | 'mutation';

function probesFor(caller: Caller, kinds: readonly RootKind[]): Probe[] {
  const probes: Probe[] = [];
  for (const kind of kinds) {
    const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
    for (const field of Object.values(root?.getFields() ?? {})) {
      const leaves = field.args.flatMap((argument) => leavesOf(argument.type, [argument.name], []));
      // A field without arguments, or with none that takes hostile values (enums, booleans), is still called once, plainly.
      if (leaves.every((leaf) => Object.keys(hostileValuesFor(leaf, caller.world)).length === 0)) {
        const { query, variables } = operationFor(kind, field, new Map(), 'variables');
        probes.push({ label: `${field.name}`, query, variables });
      }
      for (const leaf of leaves) {
        for (const [flavour, hostile] of Object.entries(hostileValuesFor(leaf, caller.world))) {
          if (!hostile.everyone && caller.name !== 'Admin') continue;
          const values = argumentsFor(field, leaf, hostile.value, caller.world);
          for (const mode of hostile.modes) {
            const { query, variables } = operationFor(kind, field, values, mode);
            probes.push({ label: `${field.name}(${leaf.path.join('.')}) = ${flavour}, as ${mode}`, query, variables });
          }
        }
      }
    }
  }
  return probes;
}

function internalErrorsOf(response: GraphQLResponse): string | null {
  const internal = (response.errors ?? []).filter((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR');
  if (response.status < 500 && internal.length === 0) return null;
  return `HTTP ${response.status}: ${internal.map((error) => `${error.message} at ${JSON.stringify(error.path ?? null)}`).join('; ')}`;
}

describe('hostile input to every root field', () => {
  it('covers every Query and Mutation field the server reports', () => {
    const probes = probesFor(callers[0] as Caller, ['query', 'mutation']);
    const called = new Set(probes.map((probe) => probe.label.split('(')[0]?.split(' ')[0]));
    const rootFields = [...Object.keys(schema.getQueryType()?.getFields() ?? {}), ...Object.keys(schema.getMutationType()?.getFields() ?? {})];
    expect(rootFields.length).toBeGreaterThan(40);
    expect(rootFields.filter((name) => !called.has(name))).toEqual([]);
  });

  // One test per caller and root type, so that each stays well within the test timeout on a busy machine.
  const sweeps = ['employee without a role', 'PSA', 'Defend', 'Admin'].flatMap((callerName) =>
    (['query', 'mutation'] as const).map((kind) => [callerName, kind] as const),
  );
  for (const [callerName, kind] of sweeps) {
    it(`never answers INTERNAL_SERVER_ERROR or HTTP 500 to ${callerName} calling ${kind} fields`, async () => {
      const caller = callers.find((candidate) => candidate.name === callerName) as Caller;
      const failures: string[] = [];
      for (const probe of probesFor(caller, [kind])) {
        const response = await app.gql(probe.query, probe.variables, caller.headers);
        const internal = internalErrorsOf(response);
        if (internal) failures.push(`${probe.label}: ${internal}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('text People refuses', () => {
  const updateEmployee = /* GraphQL */ `
    mutation Update($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id preferredName } userErrors { code message } } }
  `;

  it('refuses a NUL in a nested variable with BAD_USER_INPUT naming the variable and path; nothing runs', async () => {
    const { employee } = (callers[0] as Caller).world;
    const input = { id: employee, homeAddress: { line1: 'Hauptstraße 1', city: 'Ber\u0000lin', countryCode: 'DE' } };
    const plain = await app.countStatements(() => app.gql('{ __typename }'));
    let response: GraphQLResponse | undefined;
    const statements = await app.countStatements(async () => {
      response = await app.gql(updateEmployee, { input });
    });
    expect(response?.status).toBe(400);
    expect(response?.data).toBeUndefined();
    expect(response?.errors).toEqual([
      {
        message:
          'Variable "$input" has a NUL character (U+0000) at "input.homeAddress.city", which People does not accept in any text. Remove it and send the request again.',
        extensions: { code: 'BAD_USER_INPUT', field: ['$input', 'homeAddress', 'city'] },
      },
    ]);
    // Only authentication touched the database: the mutation itself never ran.
    expect(statements).toBeLessThanOrEqual(plain);
  });

  it('refuses a NUL in a literal, naming the field and argument, or the variable whose default it is', async () => {
    const response = await app.gql('{ employees(filter: { search: "Ada\\u0000" }) { totalCount } }');
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message:
          'The text at employees(filter.search) has a NUL character (U+0000), which People does not accept in any text. Remove it and send the request again.',
        extensions: { code: 'BAD_USER_INPUT', field: ['employees', 'filter', 'search'] },
      },
    ]);

    const inDefault = await app.gql('query($filter: EmployeeFilter = { search: "Ada\\u0000" }) { employees(filter: $filter) { totalCount } }');
    expect(inDefault.status).toBe(400);
    expect(inDefault.errors?.[0]?.message).toMatch(/^The text at the default value of \$filter\.search has a NUL character \(U\+0000\)/);
    expect(inDefault.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: ['$filter', 'search'] });
  });

  it('refuses the same operation every time it is sent (its literals are checked once per document), and its variables each time', async () => {
    const literal = '{ employees(filter: { search: "Grace\\u0000" }) { totalCount } }';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await app.gql(literal);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: ['employees', 'filter', 'search'] });
    }
    // A clean document, once accepted, still has every request's variables checked.
    const byVariable = 'query($search: String) { employees(filter: { search: $search }) { totalCount } }';
    expect((await app.gql(byVariable, { search: 'Grace' })).errors).toBeUndefined();
    const refused = await app.gql(byVariable, { search: 'Gra\u0000ce' });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: ['$search'] });
    expect((await app.gql(byVariable, { search: 'Grace' })).errors).toBeUndefined();
  });

  it('refuses a lone surrogate, from PSA too', async () => {
    const response = await app.gql('query($email: String!) { employeeByEmail(email: $email) { id } }', { email: 'ada\uD800@example.com' }, serviceHeaders.psa);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: ['$email'] });
    expect(response.errors?.[0]?.message).toContain('a lone surrogate (U+D800), which is not a character');
  });

  it('refuses a NUL in an entity representation key', async () => {
    const response = await app.gql(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { id } } }',
      { r: [{ __typename: 'Employee', email: 'ada\u0000@example.com' }] },
      serviceHeaders.defend,
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: ['$r', '0', 'email'] });
  });

  it('accepts every real character, emoji (a surrogate pair) included, and stores it as sent', async () => {
    const { employee } = (callers[0] as Caller).world;
    const preferredName = 'Zoë 😀 李';
    const response = await app.gql<{ updateEmployee: { employee: { preferredName: string } | null; userErrors: unknown[] } }>(updateEmployee, {
      input: { id: employee, preferredName },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.updateEmployee).toEqual({ employee: { id: employee, preferredName }, userErrors: [] });
  });
});

describe('other bad input answers a client error', () => {
  const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { id } } }';

  it.each([
    [{ __typename: 'Starship', id: 'x' }, 'representations[0].__typename is "Starship", which is not an entity type of People (entity types: Certification, Employee, TimeOffRequest, Workflow).'],
    [{ __typename: 'Department', id: 'x' }, 'representations[0].__typename is "Department", which is not an entity type of People (entity types: Certification, Employee, TimeOffRequest, Workflow).'],
    [{ id: 'x' }, "representations[0] needs a __typename naming one of People's entity types: Certification, Employee, TimeOffRequest, Workflow."],
    [{ __typename: 42, id: 'x' }, "representations[0] needs a __typename naming one of People's entity types: Certification, Employee, TimeOffRequest, Workflow."],
    ['Employee', 'representations[0] must be an object with a __typename (one of: Certification, Employee, TimeOffRequest, Workflow) and its key fields.'],
  ])('_entities refuses the representation %j with BAD_USER_INPUT', async (representation, message) => {
    const response = await app.gql(entities, { r: [{ __typename: 'Employee', id: (callers[0] as Caller).world.employee }, representation] }, serviceHeaders.defend);
    expect(response.errors).toEqual([
      expect.objectContaining({ message: message.replace('[0]', '[1]'), path: ['_entities'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
  });

  it('more than 50 invalid variables: every error is BAD_USER_INPUT, the last one saying People stopped there', async () => {
    const count = 60;
    const definitions = Array.from({ length: count }, (_, index) => `$v${index}: ID!`).join(', ');
    const list = Array.from({ length: count }, (_, index) => `$v${index}`).join(', ');
    const variables = Object.fromEntries(Array.from({ length: count }, (_, index) => [`v${index}`, { not: 'an id' }]));
    const response = await app.gql(`query(${definitions}) { holidayCalendars(locationIds: [${list}]) { id } }`, variables);
    expect(response.status).toBe(400);
    expect(response.errors).toHaveLength(51);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(Array.from({ length: 51 }, () => 'BAD_USER_INPUT'));
    expect(response.errors?.at(-1)?.message).toBe(
      'Too many invalid variable values: People stopped checking after the errors above. Correct those and send the request again.',
    );
  });

  it('setHolidays with 60 invalid dates answers client errors only: as variables, as literals, and dates outside the year', async () => {
    const setHolidays = 'mutation($input: SetHolidaysInput!) { setHolidays(input: $input) { calendar { id } userErrors { field code message } } }';
    const days = (month: string) => Array.from({ length: 60 }, (_, index) => ({ date: `2026-${month}-${String(index + 1).padStart(2, '0')}`, name: `Day ${index}` }));

    const asVariables = await app.gql(setHolidays, { input: { calendarId: ids.calendar, year: 2026, holidays: days('13') } });
    expect(asVariables.status).toBe(400);
    expect(new Set(asVariables.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));

    const literals = days('13')
      .map((day) => `{ date: "${day.date}", name: "${day.name}" }`)
      .join(', ');
    const asLiterals = await app.gql(`mutation { setHolidays(input: { calendarId: "${ids.calendar}", year: 2026, holidays: [${literals}] }) { calendar { id } } }`);
    expect(asLiterals.status).toBe(400);
    expect(new Set(asLiterals.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));

    const lastYear = Array.from({ length: 60 }, (_, index) => ({
      date: new Date(Date.UTC(2025, 0, 1 + index)).toISOString().slice(0, 10),
      name: `Day ${index}`,
    }));
    const outsideTheYear = await app.gql<{ setHolidays: { calendar: null; userErrors: { field: string[]; code: string }[] } }>(setHolidays, {
      input: { calendarId: ids.calendar, year: 2026, holidays: lastYear },
    });
    expect(outsideTheYear.errors).toBeUndefined();
    expect(outsideTheYear.data?.setHolidays.calendar).toBeNull();
    expect(outsideTheYear.data?.setHolidays.userErrors.map((error) => [error.code, error.field.join('.')])).toEqual(
      lastYear.map((_, index) => ['INVALID_VALUE', `input.holidays.${index}.date`]),
    );
  });
});
