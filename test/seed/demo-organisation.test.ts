import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPersonalData } from '../../src/employees/employee.store.js';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { startTestApp, type TestApp } from '../support/server.js';

interface ChartNode {
  depth: number;
  employee: { id: string; status: string };
  reports?: ChartNode[];
}

interface ListedEmployee {
  id: string;
  email: string;
  status: string | null;
  jobTitle: string | null;
  hireDate: string;
  manager: { id: string; hireDate: string } | null;
  reportingChain: { id: string }[];
  workPhone: string | null;
  history: { kind: string; effectiveFrom: string; recordedBy: string; changes: { field: string }[] }[];
}

let app: TestApp;
let seeded: number;
let seedMillis: number;

async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await app.gql<T>(query, variables);
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data;
}

async function countWith(filter: Record<string, unknown>, asOf?: string): Promise<number> {
  const result = await data<{ employees: { totalCount: number } }>(
    'query($filter: EmployeeFilter, $asOf: Date) { employees(filter: $filter, asOf: $asOf) { totalCount } }',
    { filter, asOf },
  );
  return result.employees.totalCount;
}

function maxDepth(nodes: ChartNode[]): number {
  return Math.max(-1, ...nodes.map((node) => Math.max(node.depth, maxDepth(node.reports ?? []))));
}

beforeAll(async () => {
  app = await startTestApp();
  const started = performance.now();
  seeded = await seedDemoOrganisationIfEmpty(app.database.db, app.clock);
  seedMillis = performance.now() - started;
});
afterAll(() => app.close());

describe('demo organisation seed', () => {
  it('creates a company of realistic size, quickly', async () => {
    expect(seeded).toBeGreaterThanOrEqual(60);
    expect(await countWith({})).toBe(seeded);
    // Runs at every first start on the embedded database.
    expect(seedMillis).toBeLessThan(30_000);
  });

  it('builds a reporting tree at least four levels deep under one CEO', async () => {
    const reports = 'depth employee { id status }';
    const nest = (levels: number): string => (levels === 0 ? reports : `${reports} reports { ${nest(levels - 1)} }`);
    const result = await data<{ orgChart: ChartNode[] }>(`{ orgChart(depth: 10) { ${nest(6)} } }`);
    expect(result.orgChart).toHaveLength(1);
    expect(maxDepth(result.orgChart)).toBeGreaterThanOrEqual(3);
  });

  it('has departments and locations in different time zones', async () => {
    const result = await data<{ departments: { code: string }[]; locations: { timezone: string; countryCode: string }[] }>(
      '{ departments { code } locations { timezone countryCode } }',
    );
    expect(result.departments.length).toBeGreaterThanOrEqual(6);
    expect(result.locations.length).toBeGreaterThanOrEqual(4);
    expect(new Set(result.locations.map((location) => location.timezone)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(result.locations.map((location) => location.countryCode)).size).toBeGreaterThanOrEqual(4);
  });

  it('has people in every status, a scheduled resignation and varied employment types', async () => {
    expect(await countWith({ status: ['ON_LEAVE'] })).toBe(3);
    expect(await countWith({ status: ['TERMINATED'] })).toBe(2);
    expect(await countWith({ status: ['RESIGNED'] })).toBe(2);
    expect(await countWith({ status: ['PRE_HIRE'] })).toBe(2);
    expect(await countWith({ status: ['ACTIVE'] })).toBe(seeded - 9);
    // Someone resigns in three weeks, and both pre-hires have started in six.
    const inSixWeeks = '2026-07-27';
    expect(await countWith({ status: ['RESIGNED'] }, inSixWeeks)).toBe(3);
    expect(await countWith({ status: ['PRE_HIRE'] }, inSixWeeks)).toBe(0);
    for (const type of ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN']) {
      expect(await countWith({ employmentTypes: [type] }), type).toBeGreaterThan(0);
    }
    expect(await countWith({ employmentTypes: ['FULL_TIME'] })).toBeGreaterThan(seeded / 2);
  });

  it('gives everyone a unique work e-mail, personal data and at least one history entry', async () => {
    const result = await data<{ employees: { totalCount: number; nodes: ListedEmployee[] } }>(`{
      employees(first: 100) {
        totalCount
        nodes {
          id email status jobTitle hireDate workPhone
          manager { id hireDate }
          reportingChain { id }
          history { kind effectiveFrom recordedBy changes { field } }
        }
      }
    }`);
    const employees = result.employees.nodes;
    expect(employees).toHaveLength(result.employees.totalCount);
    expect(new Set(employees.map((employee) => employee.email)).size).toBe(employees.length);
    const today = app.clock.today();
    const ceoIds = new Set(employees.filter((employee) => employee.manager === null).map((employee) => employee.id));
    expect(ceoIds.size).toBe(1);
    // Personal data is read from the store, so the check does not depend on who may see it through the API.
    const personal = new Map(
      (await findPersonalData(app.database.db, employees.map((employee) => employee.id))).map((row) => [row.employeeId, row]),
    );
    for (const employee of employees) {
      expect(employee.email).toMatch(/^[a-z0-9]+\.[a-z0-9]+@theonestack\.example$/);
      const data = personal.get(employee.id);
      expect(data?.personalEmail).toMatch(/^[a-z0-9._]+@[a-z]+\.example$/);
      expect(data?.personalPhone).toMatch(/^\+\d/);
      expect(data?.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((data?.dateOfBirth ?? '9999') < employee.hireDate).toBe(true);
      expect(data?.homeAddress?.line1).toBeTruthy();
      expect(data?.homeAddress?.countryCode).toMatch(/^[A-Z]{2}$/);
      expect(data?.emergencyContact?.name).toBeTruthy();
      expect(data?.emergencyContact?.phone).toMatch(/^\+\d/);
      expect(employee.history.length).toBeGreaterThanOrEqual(1);
      expect(employee.history.some((change) => change.kind === 'CREATED')).toBe(true);
      expect(employee.history.every((change) => change.recordedBy === 'system:demo-seed')).toBe(true);
      if (employee.status !== 'PRE_HIRE') expect(employee.hireDate <= today).toBe(true);
      else expect(employee.hireDate > today).toBe(true);
      if (employee.manager) {
        // Managers were hired before their reports, and every chain ends at the CEO.
        expect(employee.manager.hireDate < employee.hireDate).toBe(true);
        expect(ceoIds.has(employee.reportingChain.at(-1)?.id ?? '')).toBe(true);
      }
    }
    expect(employees.filter((employee) => employee.workPhone).length).toBeGreaterThan(employees.length / 2);
    const changed = (field: string) =>
      employees.filter((employee) =>
        employee.history.some(
          (change) => change.kind === 'UPDATED' && change.effectiveFrom < today && change.changes.some((c) => c.field === field),
        ),
      ).length;
    expect(changed('jobTitle')).toBeGreaterThanOrEqual(2);
    expect(changed('departmentId')).toBeGreaterThanOrEqual(1);
    expect(changed('managerId')).toBeGreaterThanOrEqual(1);
    expect(changed('locationId')).toBeGreaterThanOrEqual(1);
  });

  it('leaves people who have left out of the org chart and out of anyone’s team', async () => {
    const reports = 'employee { id status } reports { employee { id status } reports { employee { id status } reports { employee { id status } reports { employee { id status } } } } }';
    const result = await data<{ orgChart: ChartNode[] }>(`{ orgChart(depth: 10) { ${reports} } }`);
    const statuses: string[] = [];
    const walk = (nodes: ChartNode[]): void => {
      for (const node of nodes) {
        statuses.push(node.employee.status);
        walk(node.reports ?? []);
      }
    };
    walk(result.orgChart);
    expect(statuses).toHaveLength(seeded - 4);
    expect(statuses).not.toContain('TERMINATED');
    expect(statuses).not.toContain('RESIGNED');
  });

  it('does nothing when the database already has employees', async () => {
    expect(await seedDemoOrganisationIfEmpty(app.database.db, app.clock)).toBe(0);
    expect(await countWith({})).toBe(seeded);
    const result = await data<{ departments: unknown[]; locations: unknown[] }>('{ departments { id } locations { id } }');
    expect(result.departments).toHaveLength(7);
    expect(result.locations).toHaveLength(4);
  });
});
