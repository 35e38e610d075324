import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createTemplate, startOffboarding, workflowsOf } from './fixtures.js';

// `Workflow` is an entity (`@key(fields: "id")`): the gateway resolves references through
// `_entities`, with the same permissions as `workflow(id)`. `Employee.workflows` is batched: what
// HR or a manager asks for 3 employees costs as many SQL statements as for 30.

let app: TestApp;
let hrPerson: CreatedEmployee;
let lead: CreatedEmployee;
const team: CreatedEmployee[] = [];
const onboardingIds: string[] = [];
let offboardingId: string;

const employeesQuery = /* GraphQL */ `
  query($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Employee {
        id
        workflows {
          id kind state anchorDay availableActions
          employee { id }
          progress { total open overdue required }
          tasks { id title assignee { id } assigneeGroup dueDate overdue note availableActions workflow { id } }
        }
        offboarding { id }
      }
    }
  }
`;

interface EntityEmployee {
  id: string;
  workflows: { id: string; tasks: { id: string }[] }[];
  offboarding: { id: string } | null;
}

async function statementsFor(count: number, headers: Record<string, string>): Promise<number> {
  const representations = team.slice(0, count).map((member) => ({ __typename: 'Employee', id: member.id }));
  return app.countStatements(async () => {
    const response = await app.gql<{ _entities: EntityEmployee[] }>(employeesQuery, { r: representations }, headers);
    expect(response.errors).toBeUndefined();
    const entities = response.data?._entities ?? [];
    expect(entities).toHaveLength(count);
    for (const entity of entities) {
      expect(entity.workflows).toHaveLength(1);
      expect(entity.workflows[0]?.tasks).toHaveLength(3);
    }
  });
}

const workflowEntities = /* GraphQL */ `
  query($r: [_Any!]!) { _entities(representations: $r) { ... on Workflow { id kind state urgency anchorDay employee { id } } } }
`;

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  const org = await createOrgBasics(app);
  const placed = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  hrPerson = await hire(app, { ...placed, departmentId: org.departments.people, hireDate: '2020-01-06' });
  lead = await hire(app, { ...placed, hireDate: '2020-01-06' });
  const leaver = await hire(app, { ...placed, managerId: lead.id, hireDate: '2022-01-03' });
  await createTemplate(app, {
    kind: 'ONBOARDING',
    name: 'Onboarding',
    tasks: [
      { title: 'Create accounts', assigneeKind: 'IT', dueOffsetDays: -2 },
      { title: 'Welcome meeting', assigneeKind: 'MANAGER', dueOffsetDays: 0 },
      { title: 'Acknowledge policies', assigneeKind: 'EMPLOYEE', dueOffsetDays: 1 },
    ],
  });
  await createTemplate(app, { kind: 'OFFBOARDING', name: 'Offboarding', tasks: [{ title: 'Exit interview', assigneeKind: 'HR', dueOffsetDays: -1 }] });
  for (let index = 0; index < 30; index += 1) {
    const member = await hire(app, { ...placed, managerId: lead.id, hireDate: '2026-07-01' });
    team.push(member);
    const [onboarding] = await workflowsOf(app, member.id);
    if (onboarding) onboardingIds.push(onboarding.id);
  }
  offboardingId = (await startOffboarding(app, { employeeId: leaver.id, lastDay: '2026-06-30' })).id;
}, 180_000);
afterAll(() => app?.close());

describe('Employee.workflows through _entities', () => {
  it('costs HR the same statements for 3 employees as for 30', async () => {
    const asHr = await app.as({ roles: ['HR Manager'], email: hrPerson.email });
    const few = await statementsFor(3, asHr);
    expect(await statementsFor(30, asHr)).toBe(few);
    expect(few).toBeLessThanOrEqual(10);
  });

  it('costs the manager above them (who sees without HR\'s notes) the same for 3 as for 30', async () => {
    const asLead = await app.as({ roles: ['Manager'], email: lead.email });
    expect(await statementsFor(30, asLead)).toBe(await statementsFor(3, asLead));
  });
});

describe('Workflow as an entity', () => {
  it('resolves references by id for HR, null for ids that name none, in a constant number of statements', async () => {
    const asHr = await app.as({ roles: ['HR Staff'], email: hrPerson.email });
    const resolve = (ids: string[]) =>
      app.gql<{ _entities: ({ id: string; kind: string; employee: { id: string } } | null)[] }>(
        workflowEntities,
        { r: ids.map((id) => ({ __typename: 'Workflow', id })) },
        asHr,
      );
    const response = await resolve([onboardingIds[0]!, offboardingId, 'not-a-uuid', '00000000-0000-4000-8000-000000000009']);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      expect.objectContaining({ id: onboardingIds[0], kind: 'ONBOARDING', employee: { id: team[0]!.id } }),
      expect.objectContaining({ id: offboardingId, kind: 'OFFBOARDING' }),
      null,
      null,
    ]);
    const few = await app.countStatements(() => resolve(onboardingIds.slice(0, 3)));
    expect(await app.countStatements(() => resolve(onboardingIds))).toBe(few);
  });

  it('gives Defend offboardings only (their summary), and refuses PSA', async () => {
    const defend = await app.gql<{ _entities: ({ id: string; state: string; urgency: string } | null)[] }>(
      workflowEntities,
      { r: [{ __typename: 'Workflow', id: offboardingId }, { __typename: 'Workflow', id: onboardingIds[0] }] },
      serviceHeaders.defend,
    );
    expect(defend.errors).toBeUndefined();
    expect(defend.data?._entities).toEqual([expect.objectContaining({ id: offboardingId, state: 'ACTIVE', urgency: 'STANDARD' }), null]);
    const psa = await app.gql(workflowEntities, { r: [{ __typename: 'Workflow', id: offboardingId }] }, serviceHeaders.psa);
    expect(psa.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
