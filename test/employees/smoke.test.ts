import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';

let app: TestApp;
let org: OrgBasics;

beforeAll(async () => {
  app = await startTestApp();
  org = await createOrgBasics(app);
});
afterAll(() => app.close());

describe('smoke', () => {
  it('hires and reads back', async () => {
    const base = { departmentId: org.departments.engineering, locationId: org.locations.berlin };
    const ceo = await hire(app, { ...base, jobTitle: 'CEO', hireDate: '2015-01-01' });
    const cto = await hire(app, { ...base, jobTitle: 'CTO', managerId: ceo.id, hireDate: '2016-01-01' });
    const dev = await hire(app, { ...base, managerId: cto.id });
    const res = await app.gql(`query($id: ID!) { employee(id: $id) { id displayName status jobTitle timezone department { name } manager { jobTitle } reportingChain { jobTitle } history { kind changes { field after } } } }`, { id: dev.id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ employee: { status: 'ACTIVE', jobTitle: 'Engineer', timezone: 'Europe/Berlin', manager: { jobTitle: 'CTO' }, reportingChain: [{ jobTitle: 'CTO' }, { jobTitle: 'CEO' }] } });
    const chart = await app.gql(`{ orgChart(depth: 5) { employee { jobTitle } directReportCount reports { employee { jobTitle } reports { employee { jobTitle } } } } }`);
    expect(chart.errors).toBeUndefined();
    console.log(JSON.stringify(chart.data));
    const list = await app.gql(`{ employees(first: 2) { totalCount edges { cursor node { displayName } } pageInfo { hasNextPage endCursor } } }`);
    expect(list.errors).toBeUndefined();
    console.log(JSON.stringify(list.data));
  });
});
