import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, testAdmin, type TestApp } from '../support/server.js';

// Limits on what one request may ask, and the federation door kept to the gateway.

let app: TestApp;
let person: CreatedEmployee;

beforeAll(async () => {
  app = await startTestApp({ env: { GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_ALIASES: '10', MAX_ENTITY_REPRESENTATIONS: '50' } });
  const org = await createOrgBasics(app);
  person = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
});
afterAll(() => app.close());

describe('operation limits', () => {
  it('lets PSA ask for 500 qualified technicians with a literal `first`, and refuses a costly nesting of the same', async () => {
    const matches = 'matches { requested certification { id expiresOn status catalogEntry { name code } } }';
    const psa = await app.gql(
      `{ qualifiedEmployees(certifications: ["AZ-104"], first: 500) { unknownCertifications employees { employee { id displayName email } ${matches} } } }`,
      {},
      serviceHeaders.psa,
    );
    expect(psa.errors).toBeUndefined();
    expect(psa.data).toEqual({ qualifiedEmployees: { unknownCertifications: ['AZ-104'], employees: [] } });

    const reports = (depth: number): string => (depth === 0 ? 'displayName email jobTitle' : `displayName email jobTitle directReports { ${reports(depth - 1)} }`);
    const costly = await app.gql(
      `{ qualifiedEmployees(certifications: ["AZ-104"], first: 500) { employees { employee { ${reports(4)} } ${matches} } } }`,
      {},
      serviceHeaders.psa,
    );
    expect(costly.status).toBe(400);
    expect(costly.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(costly.errors?.[0]?.message).toMatch(/^Refused before running: this operation costs \d+, over the limit of 100000\./);
  });

  it('refuses a depth bomb before running it', async () => {
    const nested = 'manager { '.repeat(12) + 'id' + ' }'.repeat(12);
    const before = app.database.statementCount();
    const response = await app.gql(`query($id: ID!) { employee(id: $id) { ${nested} } }`, { id: person.id });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toMatch(/^Refused before running: .*depth/i);
    // Only authentication touched the database: the query itself never ran.
    expect(app.database.statementCount() - before).toBeLessThanOrEqual(2);
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 40 }, (_, index) => `a${index}: employee(id: $id) { id }`).join(' ');
    const response = await app.gql(`query($id: ID!) { ${aliases} }`, { id: person.id });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuses batched operations', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await app.as(testAdmin)) },
      body: JSON.stringify([{ query: '{ departments { id } }' }, { query: '{ locations { id } }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('refuses more entity representations than allowed, with a clear message', async () => {
    const representations = Array.from({ length: 51 }, () => ({ __typename: 'Employee', id: person.id }));
    const response = await app.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { id } } }`,
      { r: representations },
      serviceHeaders.psa,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('at most 50');
  });
});

describe('with GATEWAY_SECRET set', () => {
  let gated: TestApp;

  beforeAll(async () => {
    gated = await startTestApp({ env: { GATEWAY_SECRET: 'gateway-shared-secret-0123456789' } });
  });
  afterAll(() => gated.close());

  const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { id } } }`;

  it('answers _entities and _service only to requests carrying the gateway secret', async () => {
    const representations = [{ __typename: 'Employee', id: '00000000-0000-4000-8000-000000000000' }];
    const direct = await gated.gql(entities, { r: representations }, serviceHeaders.psa);
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wrong = await gated.gql(entities, { r: representations }, { ...serviceHeaders.psa, 'x-gateway-secret': 'guess-guess-guess-guess' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viaGateway = await gated.gql(
      entities,
      { r: representations },
      { ...serviceHeaders.psa, 'x-gateway-secret': 'gateway-shared-secret-0123456789' },
    );
    expect(viaGateway.errors).toBeUndefined();
    expect(viaGateway.data).toEqual({ _entities: [null] });
    const sdl = await gated.gql(`{ _service { sdl } }`);
    expect(sdl.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('still serves ordinary queries without it (the portal and admin UIs call People directly)', async () => {
    const response = await gated.gql(`{ departments { id } }`);
    expect(response.errors).toBeUndefined();
  });
});

describe('in production', () => {
  let production: TestApp;

  beforeAll(async () => {
    production = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => production.close());

  it('turns introspection off and hides field suggestions', async () => {
    const introspection = await production.gql(`{ __schema { types { name } } }`);
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await production.gql(`{ departmnts { id } }`);
    expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean/i);
  });

  it('keeps introspection on when GRAPHQL_INTROSPECTION=true', async () => {
    const enabled = await startTestApp({ env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' } });
    try {
      const response = await enabled.gql<{ __schema: { queryType: { name: string } } }>(`{ __schema { queryType { name } } }`);
      expect(response.data?.__schema.queryType.name).toBe('Query');
    } finally {
      await enabled.close();
    }
  });
});
