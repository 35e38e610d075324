import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';

// The federation entry point as a router calls it: `_entities` with Employee representations,
// straight to People over HTTP.

type Representation = { __typename: 'Employee'; id: string } | { __typename: 'Employee'; email: string };

interface EntityEmployee {
  id: string;
  email: string;
  displayName: string;
  jobTitle?: string | null;
  status?: string | null;
  manager?: { id: string } | null;
}

const withManager = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) { ... on Employee { id email displayName manager { id } } }
  }
`;

// Fields of the employee record itself only: no loader beyond the entity lookup runs.
const ownFieldsOnly = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) { ... on Employee { id email displayName jobTitle status } }
  }
`;

const employeeCount = 50;

let app: TestApp | undefined;
let manager: CreatedEmployee;
let staff: CreatedEmployee[] = [];

function started(): TestApp {
  if (!app) throw new Error('not started');
  return app;
}

const byId = (id: string): Representation => ({ __typename: 'Employee', id });
const byEmail = (email: string): Representation => ({ __typename: 'Employee', email });

/** Mixed case, so the email key's case-insensitivity is exercised in every batch. */
function shout(email: string, index: number): string {
  return index % 2 === 0 ? email.toUpperCase() : email.replace(/^./, (first) => first.toUpperCase());
}

async function resolveEntities(query: string, representations: Representation[]) {
  // Defend resolves employees by login through the gateway with its service key.
  const response = await started().gql<{ _entities: (EntityEmployee | null)[] }>(
    query,
    { r: representations },
    serviceHeaders.defend,
  );
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  const entities = response.data?._entities;
  if (!entities) throw new Error('no _entities in the response');
  expect(entities).toHaveLength(representations.length);
  return entities;
}

/** `count` id representations cycling through every employee, one in ten an id People has never issued. */
function idRepresentations(count: number): { representations: Representation[]; expected: (string | null)[] } {
  const representations: Representation[] = [];
  const expected: (string | null)[] = [];
  let known = 0;
  for (let index = 0; index < count; index += 1) {
    if (index % 10 === 9) {
      representations.push(byId(index % 20 === 19 ? randomUUID() : `not-a-uuid-${index}`));
      expected.push(null);
    } else {
      const employee = staff[known++ % staff.length] as CreatedEmployee;
      representations.push(byId(employee.id));
      expected.push(employee.id);
    }
  }
  return { representations, expected };
}

/** `count` email representations in varying letter case, one in ten for a login People does not have. */
function emailRepresentations(count: number): { representations: Representation[]; expected: (string | null)[] } {
  const representations: Representation[] = [];
  const expected: (string | null)[] = [];
  let known = 0;
  for (let index = 0; index < count; index += 1) {
    if (index % 10 === 9) {
      representations.push(byEmail(`stranger${index}@example.com`));
      expected.push(null);
    } else {
      const employee = staff[(known++ * 7) % staff.length] as CreatedEmployee;
      representations.push(byEmail(shout(employee.email, index)));
      expected.push(employee.id);
    }
  }
  return { representations, expected };
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  const org = await createOrgBasics(app);
  const base = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  manager = await hire(app, {
    ...base,
    email: 'grace.hopper@example.com',
    firstName: 'Grace',
    lastName: 'Hopper',
    jobTitle: 'VP Engineering',
    hireDate: '2016-03-01',
  });
  staff = [manager];
  // Sequential: hires through the public API, as a client would; 50 is enough to batch over.
  for (let index = 1; index < employeeCount; index += 1) {
    staff.push(
      await hire(app, {
        ...base,
        email: `engineer${index}@example.com`,
        firstName: `Engineer${index}`,
        lastName: 'Federated',
        managerId: manager.id,
      }),
    );
  }
});

afterAll(async () => {
  await app?.close();
});

describe('_entities for Employee', () => {
  it('resolves a representation by id', async () => {
    const engineer = staff[1] as CreatedEmployee;
    const [entity] = await resolveEntities(withManager, [byId(engineer.id)]);
    expect(entity).toEqual({
      id: engineer.id,
      email: 'engineer1@example.com',
      displayName: 'Engineer1 Federated',
      manager: { id: manager.id },
    });
  });

  it('resolves a representation by email, ignoring letter case and surrounding spaces', async () => {
    const entities = await resolveEntities(withManager, [
      byEmail('grace.hopper@example.com'),
      byEmail('Engineer2@EXAMPLE.COM'),
      byEmail('  engineer3@example.com '),
    ]);
    expect(entities).toEqual([
      { id: manager.id, email: 'grace.hopper@example.com', displayName: 'Grace Hopper', manager: null },
      {
        id: (staff[2] as CreatedEmployee).id,
        email: 'engineer2@example.com',
        displayName: 'Engineer2 Federated',
        manager: { id: manager.id },
      },
      {
        id: (staff[3] as CreatedEmployee).id,
        email: 'engineer3@example.com',
        displayName: 'Engineer3 Federated',
        manager: { id: manager.id },
      },
    ]);
  });

  it('answers null, without an error, for unknown and malformed keys', async () => {
    const engineer = staff[4] as CreatedEmployee;
    const entities = await resolveEntities(withManager, [
      byId(randomUUID()),
      byId('not-a-uuid'),
      byId(''),
      byId("'; drop table employees; --"),
      byEmail('nobody@example.com'),
      byEmail(''),
      byEmail('%'),
      byId(engineer.id),
    ]);
    // The malformed ones did not spoil the batch: the real employee still resolves.
    expect(entities).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      { id: engineer.id, email: engineer.email, displayName: 'Engineer4 Federated', manager: { id: manager.id } },
    ]);
  });

  it('answers null, without a query, when no id in the batch can exist', async () => {
    let entities: (EntityEmployee | null)[] = [];
    const statements = await started().countStatements(async () => {
      entities = await resolveEntities(ownFieldsOnly, [byId('nope'), byId('12345'), byId('')]);
    });
    expect(entities).toEqual([null, null, null]);
    expect(statements).toBe(0);
  });

  it('returns entities in representation order, with their own fields', async () => {
    const [engineer10, engineer49] = [staff[10], staff[49]] as CreatedEmployee[];
    const entities = await resolveEntities(
      ownFieldsOnly,
      [engineer10, manager, engineer10, engineer49].map((employee) => byId((employee as CreatedEmployee).id)),
    );
    const engineer = (employee: CreatedEmployee | undefined, number: number) => ({
      id: employee?.id,
      email: `engineer${number}@example.com`,
      displayName: `Engineer${number} Federated`,
      jobTitle: 'Engineer',
      status: 'ACTIVE',
    });
    expect(entities).toEqual([
      engineer(engineer10, 10),
      {
        id: manager.id,
        email: 'grace.hopper@example.com',
        displayName: 'Grace Hopper',
        jobTitle: 'VP Engineering',
        status: 'ACTIVE',
      },
      engineer(engineer10, 10),
      engineer(engineer49, 49),
    ]);
  });
});

describe('_entities batching', () => {
  async function statementsFor(representations: Representation[], expected: (string | null)[]): Promise<number> {
    let entities: (EntityEmployee | null)[] = [];
    const statements = await started().countStatements(async () => {
      entities = await resolveEntities(ownFieldsOnly, representations);
    });
    // Every answer is the right employee (or null), in order: the batch is correct, not just cheap.
    expect(entities.map((entity) => entity?.id ?? null)).toEqual(expected);
    for (const entity of entities) {
      if (entity) expect(entity).toMatchObject({ jobTitle: expect.any(String), status: 'ACTIVE' });
    }
    return statements;
  }

  it('resolves 1,000 id representations with one SQL statement, as few do', async () => {
    const few = idRepresentations(10);
    const many = idRepresentations(1000);
    expect(new Set(many.expected.filter(Boolean)).size).toBe(employeeCount);
    expect(await statementsFor(few.representations, few.expected)).toBe(1);
    expect(await statementsFor(many.representations, many.expected)).toBe(1);
  });

  it('resolves 1,000 email representations with one SQL statement, as few do', async () => {
    const few = emailRepresentations(10);
    const many = emailRepresentations(1000);
    expect(new Set(many.expected.filter(Boolean)).size).toBe(employeeCount);
    expect(await statementsFor(few.representations, few.expected)).toBe(1);
    expect(await statementsFor(many.representations, many.expected)).toBe(1);
  });

  it("answers Defend's lookup by e-mail with the manager in one SQL statement, the manager read with the employee", async () => {
    const engineer = staff[7] as CreatedEmployee;
    let entities: (EntityEmployee | null)[] = [];
    const statements = await started().countStatements(async () => {
      entities = await resolveEntities(withManager, [byEmail(shout(engineer.email, 0)), byEmail(manager.email)]);
    });
    expect(entities).toEqual([
      expect.objectContaining({ id: engineer.id, email: engineer.email, manager: { id: manager.id } }),
      expect.objectContaining({ id: manager.id, email: manager.email, manager: null }),
    ]);
    expect(statements).toBe(1);
  });

  it('resolves 500 id and 500 email representations, interleaved, with two SQL statements', async () => {
    const ids = idRepresentations(500);
    const emails = emailRepresentations(500);
    const representations: Representation[] = [];
    const expected: (string | null)[] = [];
    for (let index = 0; index < 500; index += 1) {
      representations.push(
        ids.representations[index] as Representation,
        emails.representations[index] as Representation,
      );
      expected.push(ids.expected[index] ?? null, emails.expected[index] ?? null);
    }
    expect(await statementsFor(representations.slice(0, 10), expected.slice(0, 10))).toBe(2);
    expect(await statementsFor(representations, expected)).toBe(2);
  });
});
