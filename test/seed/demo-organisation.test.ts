import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPersonalData } from '../../src/employees/employee.store.js';
import { seedDemoOrganisationIfEmpty } from '../../src/seed/demo-organisation.js';
import { addDays } from '../../src/timeoff/calendar.js';
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
  seeded = await seedDemoOrganisationIfEmpty(app.database.db, app.clock);
});
afterAll(() => app.close());

describe('demo organisation seed', () => {
  // Seeding speed is not asserted: a timed test fails on a busy machine, not on slow code.
  it('creates a company of realistic size', async () => {
    expect(seeded).toBeGreaterThanOrEqual(60);
    expect(await countWith({})).toBe(seeded);
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

interface CalendarEntry {
  id: string;
  status: string;
  startDate: string;
  endDate: string;
  policy: { category: string; private: boolean } | null;
  decisions: { decision: string; actingAs: string }[] | null;
}

describe('demo time off', () => {
  const calendarQuery = `query($from: Date!, $to: Date!, $statuses: [TimeOffRequestStatus!]) {
    timeOffCalendar(from: $from, to: $to, statuses: $statuses) {
      id status startDate endDate policy { category private } decisions { decision actingAs }
    }
  }`;
  const calendar = async (from: string, to: string, statuses?: string[]) =>
    (await data<{ timeOffCalendar: CalendarEntry[] }>(calendarQuery, { from, to, statuses })).timeOffCalendar;

  it('has policies for vacation (per country), sick, personal, parental and unpaid leave', async () => {
    const result = await data<{ timeOffPolicies: { code: string; category: string; private: boolean; accrualKind: string; amountPerYear: number; carryOverCap: number | null }[] }>(
      '{ timeOffPolicies { code category private accrualKind amountPerYear carryOverCap } }',
    );
    const byCode = new Map(result.timeOffPolicies.map((policy) => [policy.code, policy]));
    expect([...byCode.keys()].sort()).toEqual(['PARENTAL', 'PERSONAL', 'SICK', 'UNPAID', 'VAC-AUS', 'VAC-BER', 'VAC-LON', 'VAC-SIN']);
    expect(byCode.get('VAC-BER')).toMatchObject({ category: 'VACATION', accrualKind: 'ANNUAL_GRANT', amountPerYear: 25, carryOverCap: 5 });
    expect(byCode.get('VAC-AUS')?.amountPerYear).toBe(15);
    expect(byCode.get('SICK')).toMatchObject({ private: true, accrualKind: 'UNLIMITED' });
    expect(byCode.get('PARENTAL')?.private).toBe(true);
  });

  it('gives every active employee but contractors a vacation balance; contractors unpaid leave only', async () => {
    const result = await data<{ employees: { nodes: { id: string; employmentType: string; timeOffBalances: { policy: { category: string }; available: number | null }[] }[] } }>(
      `{ employees(first: 100, filter: { status: [ACTIVE] }) { nodes { id employmentType timeOffBalances { policy { category } available } } } }`,
    );
    const nodes = result.employees.nodes;
    expect(nodes.length).toBeGreaterThan(50);
    for (const employee of nodes) {
      const categories = employee.timeOffBalances.map((balance) => balance.policy.category);
      if (employee.employmentType === 'CONTRACTOR') {
        expect(categories).toEqual(['UNPAID']);
      } else {
        expect(categories, employee.id).toContain('VACATION');
        expect(categories).toContain('SICK');
        const vacation = employee.timeOffBalances.find((balance) => balance.policy.category === 'VACATION');
        expect(vacation?.available ?? -1).toBeGreaterThanOrEqual(0);
      }
    }
    expect(nodes.some((employee) => employee.employmentType === 'CONTRACTOR')).toBe(true);
  });

  it('shows approved and pending time off in the next 60 days, and past sick days as private', async () => {
    const today = app.clock.today();
    const upcoming = await calendar(today, addDays(today, 59));
    const statuses = new Set(upcoming.map((entry) => entry.status));
    expect(statuses).toEqual(new Set(['APPROVED', 'PENDING']));
    expect(upcoming.length).toBeGreaterThanOrEqual(8);
    const past = await calendar(addDays(today, -330), today, ['APPROVED']);
    const sick = past.filter((entry) => entry.policy?.category === 'SICK');
    expect(sick.length).toBeGreaterThan(0);
    expect(sick.every((entry) => entry.policy?.private === true)).toBe(true);
    // Decisions were recorded through the service, by the seed acting as Admin.
    const vacations = past.filter((entry) => entry.policy?.category === 'VACATION');
    expect(vacations.length).toBeGreaterThan(10);
    expect(vacations.every((entry) => (entry.decisions ?? []).some((decision) => decision.decision === 'APPROVED'))).toBe(true);
  });

  it('has denied and cancelled requests', async () => {
    const today = app.clock.today();
    const denied = await calendar(addDays(today, -340), addDays(today, 25), ['DENIED']);
    const cancelled = await calendar(addDays(today, -340), addDays(today, 25), ['CANCELLED']);
    expect(denied.length).toBeGreaterThan(0);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(denied.every((entry) => entry.decisions?.some((decision) => decision.decision === 'DENIED'))).toBe(true);
    expect(cancelled.every((entry) => entry.decisions?.some((decision) => decision.decision === 'CANCELLED'))).toBe(true);
  });

  it('has holidays for every location, on the right days', async () => {
    const { locations } = await data<{ locations: { id: string; countryCode: string }[] }>('{ locations { id countryCode } }');
    const year = app.clock.today().slice(0, 4);
    const expected: Record<string, [string, string]> = {
      DE: [`${year}-10-03`, 'Tag der Deutschen Einheit'],
      GB: [`${year}-12-25`, 'Christmas Day'],
      US: [`${year}-07-03`, 'Independence Day (observed)'],
      SG: [`${year}-08-09`, 'National Day'],
    };
    for (const location of locations) {
      const { employees } = await data<{ employees: { nodes: { availability: { date: string; state: string; holiday: string | null }[] }[] } }>(
        `query($location: ID!, $from: Date!, $to: Date!) {
          employees(first: 1, filter: { locationIds: [$location], status: [ACTIVE] }) { nodes { availability(from: $from, to: $to) { date state holiday } } }
        }`,
        { location: location.id, from: `${year}-01-01`, to: `${year}-12-31` },
      );
      const days = employees.nodes[0]?.availability ?? [];
      const holidays = days.filter((day) => day.holiday !== null);
      expect(holidays.length, location.countryCode).toBeGreaterThanOrEqual(6);
      const [date, name] = expected[location.countryCode] ?? ['', ''];
      expect(days.find((day) => day.date === date)?.holiday, location.countryCode).toBe(name);
    }
  });
});
