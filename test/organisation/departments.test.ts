import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { attempt, change, createDepartment, createLocation } from './fixtures.js';

// The department tree built, moved and renamed with effective dates, and read as of days before
// and after each change: last March's org chart shows last March's departments. Today is
// 2026-06-15. The tree from 2025-01-01:
//
//   Acme ─┬─ Engineering ── Platform           (Platform renamed "Platform Team" from 2025-06-01)
//         └─ Sales
//
// and from 2026-03-01 Platform Team sits under Sales and Engineering is "Product Engineering";
// from 2026-09-01 Sales is "Revenue".

let app: TestApp;
let berlin: string;
const ids = { acme: '', engineering: '', platform: '', sales: '' };
let engineer: CreatedEmployee;

interface DepartmentNode {
  id: string;
  name: string;
  parent: { name: string } | null;
  children: { name: string }[];
}

async function departmentsOn(asOf: string, includeArchived = false): Promise<DepartmentNode[]> {
  const response = await app.gql<{ departments: DepartmentNode[] }>(
    `query($asOf: Date, $all: Boolean) { departments(asOf: $asOf, includeArchived: $all) { id name parent { name } children { name } } }`,
    { asOf, all: includeArchived },
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data?.departments ?? [];
}

async function treeOn(asOf: string): Promise<Record<string, { parent: string | null; children: string[] }>> {
  const tree: Record<string, { parent: string | null; children: string[] }> = {};
  for (const department of await departmentsOn(asOf)) {
    tree[department.name] = { parent: department.parent?.name ?? null, children: department.children.map((child) => child.name) };
  }
  return tree;
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  berlin = await createLocation(app, { name: 'Berlin Office' });
  const from = '2025-01-01';
  ids.acme = await createDepartment(app, { name: 'Acme', code: 'acme', effectiveFrom: from, costCentre: 'CC-100' });
  ids.engineering = await createDepartment(app, { name: 'Engineering', code: 'ENG', parentId: ids.acme, effectiveFrom: from });
  ids.platform = await createDepartment(app, { name: 'Platform', code: 'PLT', parentId: ids.engineering, effectiveFrom: from });
  ids.sales = await createDepartment(app, { name: 'Sales', code: 'SLS', parentId: ids.acme, effectiveFrom: from });
  engineer = await hire(app, { departmentId: ids.platform, locationId: berlin, hireDate: '2025-02-03', firstName: 'Ada', lastName: 'Lovelace' });

  // Recorded out of order on purpose: the move first, then a back-dated rename, which must not undo it.
  await change(app, 'updateDepartment', { id: ids.platform, parentId: ids.sales, effectiveFrom: '2026-03-01', reason: 'Platform sells now' });
  await change(app, 'updateDepartment', { id: ids.engineering, name: 'Product Engineering', effectiveFrom: '2026-03-01' });
  await change(app, 'updateDepartment', { id: ids.platform, name: 'Platform Team', effectiveFrom: '2025-06-01' });
  await change(app, 'updateDepartment', { id: ids.sales, name: 'Revenue', effectiveFrom: '2026-09-01' });
});
afterAll(() => app.close());

describe('the department tree as of a day', () => {
  it('is the tree of that day, before and after each dated move and rename', async () => {
    expect(await departmentsOn('2024-12-31')).toEqual([]);
    expect(await treeOn('2025-03-01')).toEqual({
      Acme: { parent: null, children: ['Engineering', 'Sales'] },
      Engineering: { parent: 'Acme', children: ['Platform'] },
      Platform: { parent: 'Engineering', children: [] },
      Sales: { parent: 'Acme', children: [] },
    });
    // Last February: renamed Platform Team, still under Engineering.
    expect(await treeOn('2026-02-28')).toEqual({
      Acme: { parent: null, children: ['Engineering', 'Sales'] },
      Engineering: { parent: 'Acme', children: ['Platform Team'] },
      'Platform Team': { parent: 'Engineering', children: [] },
      Sales: { parent: 'Acme', children: [] },
    });
    // The move and the rename of 2026-03-01; the back-dated rename kept the move.
    expect(await treeOn('2026-03-01')).toEqual({
      Acme: { parent: null, children: ['Product Engineering', 'Sales'] },
      'Product Engineering': { parent: 'Acme', children: [] },
      'Platform Team': { parent: 'Sales', children: [] },
      Sales: { parent: 'Acme', children: ['Platform Team'] },
    });
    // Today the rename of September is still to come; from then on it shows.
    expect((await treeOn('2026-06-15')).Sales).toEqual({ parent: 'Acme', children: ['Platform Team'] });
    expect((await treeOn('2026-09-01'))['Platform Team']).toEqual({ parent: 'Revenue', children: [] });
  });

  it('answers each department by its name of the day, in order', async () => {
    expect((await departmentsOn('2026-09-01')).map((department) => department.name)).toEqual([
      'Acme',
      'Platform Team',
      'Product Engineering',
      'Revenue',
    ]);
    const response = await app.gql<{ department: { name: string; existsFrom: string; code: string } | null; before: unknown }>(
      `query($id: ID!) { department(id: $id, asOf: "2025-05-31") { name existsFrom code } before: department(id: $id, asOf: "2024-06-01") { name } }`,
      { id: ids.platform },
    );
    expect(response.data).toEqual({ department: { name: 'Platform', existsFrom: '2025-01-01', code: 'PLT' }, before: null });
  });

  it("shows an employee's department, and the org chart, as they stood on the day asked", async () => {
    const response = await app.gql<{
      march: { department: { name: string; parent: { name: string } } };
      now: { department: { name: string; parent: { name: string } } };
      chart: { employee: { id: string; department: { name: string; parent: { name: string } } } }[];
    }>(
      `query($id: ID!) {
        march: employee(id: $id, asOf: "2025-03-15") { department { name parent { name } } }
        now: employee(id: $id) { department { name parent { name } } }
        chart: orgChart(asOf: "2026-02-01", depth: 0) { employee { id department { name parent { name } } } }
      }`,
      { id: engineer.id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.march.department).toEqual({ name: 'Platform', parent: { name: 'Engineering' } });
    expect(response.data?.now.department).toEqual({ name: 'Platform Team', parent: { name: 'Sales' } });
    const node = response.data?.chart.find((entry) => entry.employee.id === engineer.id);
    expect(node?.employee.department).toEqual({ name: 'Platform Team', parent: { name: 'Engineering' } });
  });

  it('keeps the history of each change, with who, when, from which day and why', async () => {
    const response = await app.gql<{ department: { history: { kind: string; effectiveFrom: string; reason: string | null; recordedBy: string; changes: { field: string; before: string | null; after: string | null }[] }[] } }>(
      `query($id: ID!) { department(id: $id) { history { kind effectiveFrom reason recordedBy changes { field before after } } } }`,
      { id: ids.platform },
    );
    expect(response.errors).toBeUndefined();
    const history = response.data?.department.history ?? [];
    expect(history.map((entry) => [entry.kind, entry.effectiveFrom])).toEqual([
      ['UPDATED', '2025-06-01'],
      ['UPDATED', '2026-03-01'],
      ['CREATED', '2025-01-01'],
    ]);
    expect(history[1]).toMatchObject({ reason: 'Platform sells now', recordedBy: 'user:hub-test-admin', changes: [{ field: 'parentId', before: ids.engineering, after: ids.sales }] });
  });

  it('sends a thin organisation.changed event for each change, in the same transaction', async () => {
    const events = await app.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, 'organisation.changed'), eq(outboxEvents.subject, `department:${ids.platform}`)));
    expect(events.map((event) => event.data)).toEqual([
      { unit: 'DEPARTMENT', id: ids.platform, change: 'CREATED', fields: ['code', 'name', 'parentId'], effectiveFrom: '2025-01-01' },
      { unit: 'DEPARTMENT', id: ids.platform, change: 'UPDATED', fields: ['parentId'], effectiveFrom: '2026-03-01' },
      { unit: 'DEPARTMENT', id: ids.platform, change: 'UPDATED', fields: ['name'], effectiveFrom: '2025-06-01' },
    ]);
    expect(JSON.stringify(events)).not.toContain('Platform');
  });
});

describe('what the tree refuses', () => {
  it('a cycle, on the day of the move or on a later day a move makes one', async () => {
    const now = await attempt(app, 'updateDepartment', { id: ids.acme, parentId: ids.platform, effectiveFrom: '2026-04-01' });
    expect(now.userErrors).toEqual([expect.objectContaining({ code: 'DEPARTMENT_CYCLE', field: ['input', 'parentId'] })]);
    // On 2026-01-01 Platform Team sits under Engineering, so Sales below it is no cycle that day;
    // from 2026-03-01 Platform Team moves under Sales, and it would be one.
    const later = await attempt(app, 'updateDepartment', { id: ids.sales, parentId: ids.platform, effectiveFrom: '2026-01-01' });
    expect(later.userErrors).toEqual([expect.objectContaining({ code: 'DEPARTMENT_CYCLE', message: expect.stringContaining('2026-03-01') })]);
    const self = await attempt(app, 'updateDepartment', { id: ids.sales, parentId: ids.sales });
    expect(self.userErrors[0]?.code).toBe('DEPARTMENT_CYCLE');
  });

  it('a name another department has on that day or a later one, whatever its case', async () => {
    const clash = await attempt(app, 'updateDepartment', { id: ids.sales, name: 'product engineering', effectiveFrom: '2026-01-01' });
    expect(clash.userErrors).toEqual([
      { code: 'DUPLICATE_DEPARTMENT_NAME', field: ['input', 'name'], message: 'Another department is called "Product Engineering" on 2026-03-01.' },
    ]);
    // Before Engineering took that name, "Engineering" was Engineering's: free again from 2026-03-01.
    const freed = await attempt(app, 'createDepartment', { name: 'Engineering', code: 'ENG2', parentId: ids.acme, effectiveFrom: '2026-03-01' });
    expect(freed.userErrors).toEqual([]);
    const taken = await attempt(app, 'createDepartment', { name: 'Engineering', code: 'ENG3', effectiveFrom: '2026-02-01' });
    expect(taken.userErrors[0]?.code).toBe('DUPLICATE_DEPARTMENT_NAME');
    const code = await attempt(app, 'createDepartment', { name: 'Another', code: 'plt' });
    expect(code.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE_DEPARTMENT_CODE', field: ['input', 'code'] })]);
  });

  it('a change before the department exists, a parent that does not exist yet, bad input', async () => {
    const early = await attempt(app, 'updateDepartment', { id: ids.platform, name: 'Old', effectiveFrom: '2024-06-01' });
    expect(early.userErrors).toEqual([expect.objectContaining({ code: 'NOT_YET_CREATED', field: ['input', 'effectiveFrom'] })]);
    const parentLater = await attempt(app, 'createDepartment', { name: 'Early Bird', code: 'EB', parentId: ids.acme, effectiveFrom: '2024-06-01' });
    expect(parentLater.userErrors).toEqual([expect.objectContaining({ code: 'NOT_YET_CREATED', field: ['input', 'parentId'] })]);
    const bad = await attempt(app, 'createDepartment', { name: '  ', code: 'no spaces', parentId: 'nope', effectiveFrom: '2031-01-01' });
    expect(bad.userErrors.map((error) => [error.code, error.field?.join('.')])).toEqual([
      ['REQUIRED', 'input.name'],
      ['INVALID_VALUE', 'input.code'],
      ['DEPARTMENT_NOT_FOUND', 'input.parentId'],
      ['INVALID_VALUE', 'input.effectiveFrom'],
    ]);
    const unknown = await attempt(app, 'updateDepartment', { id: '00000000-0000-4000-8000-000000000000', name: 'X' });
    expect(unknown.userErrors).toEqual([expect.objectContaining({ code: 'DEPARTMENT_NOT_FOUND', field: ['input', 'id'] })]);
  });

  it('placing anyone in a department before it exists', async () => {
    const early = await attempt(app, 'updateEmployee', { id: engineer.id, departmentId: ids.sales, effectiveDate: '2024-12-01' });
    // Before the hire date too: the first problem the employee domain finds is the hire date.
    expect(early.userErrors.map((error) => error.code)).toEqual(['BEFORE_HIRE_DATE']);
    const young = await createDepartment(app, { name: 'Young', code: 'YNG', parentId: ids.acme, effectiveFrom: '2026-05-01' });
    const before = await attempt(app, 'updateEmployee', { id: engineer.id, departmentId: young, effectiveDate: '2026-04-01' });
    expect(before.userErrors).toEqual([{ code: 'NOT_YET_CREATED', field: ['input', 'departmentId'], message: 'The department exists from 2026-05-01, after 2026-04-01.' }]);
  });

  it('a head who is not employed on the day they would start', async () => {
    const future = await hire(app, { departmentId: ids.sales, locationId: berlin, hireDate: '2026-08-03' });
    const early = await attempt(app, 'updateDepartment', { id: ids.sales, headId: future.id, effectiveFrom: '2026-07-01' });
    expect(early.userErrors).toEqual([expect.objectContaining({ code: 'EMPLOYEE_NOT_ACTIVE', field: ['input', 'headId'] })]);
    await change(app, 'updateDepartment', { id: ids.sales, headId: future.id, effectiveFrom: '2026-08-03' });
    const response = await app.gql<{ now: { head: null }; then: { head: { id: string } } }>(
      `query($id: ID!) { now: department(id: $id) { head { id } } then: department(id: $id, asOf: "2026-08-03") { head { id } } }`,
      { id: ids.sales },
    );
    expect(response.data).toEqual({ now: { head: null }, then: { head: { id: future.id } } });
  });
});

describe('archiving', () => {
  it('is refused while people work there on or after the day, naming them, and allowed once they have moved', async () => {
    const refused = await attempt(app, 'archiveDepartment', { id: ids.platform, effectiveFrom: '2026-07-01', reason: 'Merged into Sales' });
    expect(refused.userErrors).toEqual([
      {
        code: 'HAS_MEMBERS',
        field: ['input', 'id'],
        message: '1 person works in Platform Team on or after 2026-07-01: Ada Lovelace (from 2026-07-01). Move them elsewhere first.',
      },
    ]);
    await change(app, 'updateEmployee', { id: engineer.id, departmentId: ids.sales, effectiveDate: '2026-07-01' });
    const archived = await change<{ department: { archivedOn: string } }>(app, 'archiveDepartment', {
      id: ids.platform,
      effectiveFrom: '2026-07-01',
      reason: 'Merged into Sales',
    });
    expect(archived.department.archivedOn).toBe('2026-07-01');

    expect((await departmentsOn('2026-06-30')).map((department) => department.name)).toContain('Platform Team');
    expect((await departmentsOn('2026-07-01')).map((department) => department.name)).not.toContain('Platform Team');
    expect((await departmentsOn('2026-07-01', true)).map((department) => department.name)).toContain('Platform Team');
    expect((await treeOn('2026-07-01')).Sales?.children).toEqual([]);
    // Someone who left before the day does not stand in the way; the past stays as it was.
    expect((await treeOn('2026-06-30')).Sales?.children).toEqual(['Platform Team']);
  });

  it('refuses moving anyone into an archived department, or into one while its archiving is scheduled', async () => {
    const into = await attempt(app, 'updateEmployee', { id: engineer.id, departmentId: ids.platform, effectiveDate: '2026-08-01' });
    expect(into.userErrors).toEqual([expect.objectContaining({ code: 'ARCHIVED', field: ['input', 'departmentId'] })]);
    const scheduled = await createDepartment(app, { name: 'Closing Soon', code: 'CLS', parentId: ids.acme });
    await change(app, 'archiveDepartment', { id: scheduled, effectiveFrom: '2026-10-01' });
    const stays = await attempt(app, 'updateEmployee', { id: engineer.id, departmentId: scheduled, effectiveDate: '2026-07-15' });
    expect(stays.userErrors).toEqual([expect.objectContaining({ code: 'ARCHIVED', message: expect.stringContaining('would still be there') })]);
    const hired = await app.gql<{ createEmployee: { userErrors: { code: string }[] } }>(
      `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { userErrors { code } } }`,
      { input: { email: 'late@example.com', firstName: 'Late', lastName: 'Comer', jobTitle: 'X', departmentId: ids.platform, locationId: berlin, employmentType: 'FULL_TIME', hireDate: '2026-06-01' } },
    );
    expect(hired.data?.createEmployee.userErrors).toEqual([{ code: 'ARCHIVED' }]);
  });

  it('is refused while departments sit below it, and twice', async () => {
    const refused = await attempt(app, 'archiveDepartment', { id: ids.acme, effectiveFrom: '2026-12-01' });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'HAS_SUB_DEPARTMENTS', message: expect.stringContaining('Engineering, Product Engineering, Revenue') })]);
    const again = await attempt(app, 'archiveDepartment', { id: ids.platform });
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'ARCHIVED' })]);
    const renamed = await attempt(app, 'updateDepartment', { id: ids.platform, name: 'Ghost', effectiveFrom: '2026-08-01' });
    expect(renamed.userErrors).toEqual([expect.objectContaining({ code: 'ARCHIVED', field: ['input', 'effectiveFrom'] })]);
  });
});

describe('people and headcount', () => {
  it('count who works in a department on a day, with or without the departments below', async () => {
    const response = await app.gql<{ before: { headcount: number; withBelow: number; employees: { totalCount: number; nodes: { id: string }[] } }; after: { headcount: number } }>(
      `query($id: ID!) {
        before: department(id: $id, asOf: "2026-06-30") { headcount withBelow: headcount(includeSubDepartments: true) employees { totalCount nodes { id } } }
        after: department(id: $id, asOf: "2026-07-01") { headcount }
      }`,
      { id: ids.platform },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.before).toEqual({ headcount: 1, withBelow: 1, employees: { totalCount: 1, nodes: [{ id: engineer.id }] } });
    expect(response.data?.after.headcount).toBe(0);
    const acme = await app.gql<{ department: { headcount: number; all: number } }>(
      `query($id: ID!) { department(id: $id, asOf: "2026-06-30") { headcount all: headcount(includeSubDepartments: true) } }`,
      { id: ids.acme },
    );
    // Ada in Platform Team below Sales below Acme; the Sales hire of August is not employed yet.
    expect(acme.data?.department).toEqual({ headcount: 0, all: 1 });
  });
});
