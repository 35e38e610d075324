import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp, type TestIdentity } from '../support/server.js';

// The permission vocabulary (src/auth/permissions.ts) works out what the caller is to the
// employees of a request once per request: whether they are above someone in the reporting line,
// the one fact that needs the database, is looked up once for every employee and every level of
// the answer, whichever domain's rule asks (time off, certifications, employee fields).

let app: TestApp;
let head: CreatedEmployee;
let hrPerson: CreatedEmployee;
const reportsOfHead: CreatedEmployee[] = [];

/** Anyone above someone in the reporting line sees their time off and certifications, role or not. */
const asHead = (): TestIdentity => ({ roles: [], email: head.email });
/** With the Manager role they also see their reports' status and employment. */
const asHeadManager = (): TestIdentity => ({ roles: ['Manager'], email: head.email });
/** HR sees all of it, without any lookup. */
const asHr = (): TestIdentity => ({ roles: ['HR Manager'], email: hrPerson.email });

const teamFields = 'id timeOffBalances { policy { id } } timeOffRequests { id } certifications { id }';
const oneLevel = /* GraphQL */ `
  query($id: ID!) { employee(id: $id) { directReports { ${teamFields} } } }
`;
const twoLevels = /* GraphQL */ `
  query($id: ID!) { employee(id: $id) { directReports { ${teamFields} directReports { ${teamFields} } } } }
`;
const twoLevelsWithStatus = /* GraphQL */ `
  query($id: ID!) {
    employee(id: $id) { directReports { status hireDate ${teamFields} directReports { status hireDate ${teamFields} } } }
  }
`;

interface Team {
  employee: { directReports: { id: string; directReports?: { id: string }[] }[] };
}

async function statementsFor(identity: TestIdentity, query: string): Promise<number> {
  const headers = await app.as(identity);
  // Once before counting, so both callers are counted on the same footing.
  await app.gql(query, { id: head.id }, headers);
  const counts: number[] = [];
  // The counter sees every statement of the process: the fewest of three runs leaves out one that
  // happens to land beside a request (seen once in a long PostgreSQL run), never the request's own.
  for (let run = 0; run < 3; run += 1) {
    counts.push(
      await app.countStatements(async () => {
        const response = await app.gql<Team>(query, { id: head.id }, headers);
        expect(response.errors).toBeUndefined();
        const middle = response.data?.employee.directReports ?? [];
        expect(middle).toHaveLength(2);
        if (query !== oneLevel) expect(middle.flatMap((report) => report.directReports ?? [])).toHaveLength(4);
      }),
    );
  }
  return Math.min(...counts);
}

beforeAll(async () => {
  // One connection: the counts compared below are the code's batching, not the pool's timing (see createTestDatabase).
  app = await startTestApp({ database: await createTestDatabase({ connections: 1 }) });
  const org = await createOrgBasics(app);
  const engineering = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
  hrPerson = await hire(app, { departmentId: org.departments.people, locationId: org.locations.berlin });
  head = await hire(app, engineering);
  for (let index = 0; index < 2; index += 1) {
    const middle = await hire(app, { ...engineering, managerId: head.id });
    reportsOfHead.push(middle);
    for (let below = 0; below < 2; below += 1) reportsOfHead.push(await hire(app, { ...engineering, managerId: middle.id }));
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('the reporting line', () => {
  it('lets someone above their team see its time off and certifications, at every level', async () => {
    const response = await app.gql<Team>(twoLevels, { id: head.id }, await app.as(asHead()));
    expect(response.errors).toBeUndefined();
    const seen = (response.data?.employee.directReports ?? []).flatMap((report) => [report.id, ...(report.directReports ?? []).map((below) => below.id)]);
    expect(seen.sort()).toEqual(reportsOfHead.map((report) => report.id).sort());
  });

  it('costs one statement per request, however many levels of the team the answer holds', async () => {
    const extraForOneLevel = (await statementsFor(asHead(), oneLevel)) - (await statementsFor(asHr(), oneLevel));
    const extraForTwoLevels = (await statementsFor(asHead(), twoLevels)) - (await statementsFor(asHr(), twoLevels));
    expect(extraForOneLevel).toBe(1);
    expect(extraForTwoLevels).toBe(1);
  });

  it("is the same lookup for a Manager's reports' status as for their time off and certifications", async () => {
    const extra = (await statementsFor(asHeadManager(), twoLevelsWithStatus)) - (await statementsFor(asHr(), twoLevelsWithStatus));
    expect(extra).toBe(1);
  });
});
