import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { serviceHeaders, startTestApp, type TestApp } from '../support/server.js';
import { createTimeOffBasics, decide, requestTimeOff, type TimeOffBasics } from '../timeoff/fixtures.js';
import { startPsaSubgraph, type PsaSubgraph, type TechnicianData } from '../../examples/subgraphs/psa.js';
import { peopleSubgraph, startGateway, type RunningGateway } from './supergraph.js';

// What PSA dispatchers read of People's time off, through the real gateway with PSA's key:
// technicians (PSA) → Employee (People) → availability and timeOff, batched across entities.
// Today (the test clock) is 2026-06-15; the week looked at is Monday 6 to Friday 10 July 2026.

let app: TestApp | undefined;
let psa: PsaSubgraph | undefined;
let gateway: RunningGateway | undefined;
let org: OrgBasics;
let policies: TimeOffBasics;
const technicians: { employee: CreatedEmployee; technician: TechnicianData }[] = [];

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('not started');
  return value;
}

const from = '2026-07-06';
const to = '2026-07-10';

const techniciansQuery = /* GraphQL */ `
  query Dispatch($from: Date!, $to: Date!) {
    technicians {
      name
      employee {
        displayName
        availability(from: $from, to: $to) { date state category requestStatus }
        timeOff(from: $from, to: $to) {
          startDate
          endDate
          status
          policy { category }
          days { date portion amount }
        }
      }
    }
  }
`;

interface Availability {
  date: string;
  state: string;
  category: string | null;
  requestStatus: string | null;
}

interface TimeOffEntry {
  startDate: string;
  endDate: string;
  status: string;
  policy: { category: string } | null;
  days: { date: string; portion: string; amount: number }[];
}

interface DispatchResult {
  technicians: {
    name: string;
    employee: { displayName: string; availability: Availability[]; timeOff: TimeOffEntry[] } | null;
  }[];
}

async function approve(id: string | undefined): Promise<void> {
  const decided = await decide(started(app), 'approve', { id: id ?? '' });
  expect(decided.payload?.userErrors).toEqual([]);
  expect(decided.payload?.request?.status).toBe('APPROVED');
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  policies = await createTimeOffBasics(app, org);
  const lead = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering, firstName: 'Dispatch', lastName: 'Lead' });
  for (let index = 0; index < 12; index += 1) {
    const employee = await hire(app, {
      locationId: org.locations.berlin,
      departmentId: org.departments.engineering,
      managerId: lead.id,
      firstName: `Tech${index}`,
      lastName: 'Field',
    });
    technicians.push({ employee, technician: { id: `t${index}`, name: `Technician ${index}`, employeeId: employee.id } });
  }
  const [vacationer, halfDayer, sickOne] = technicians.map((entry) => entry.employee);
  if (!vacationer || !halfDayer || !sickOne) throw new Error('technicians not hired');
  // As Admin (app.gql's default caller): requests on the employees' behalf, then approvals.
  // Tech0: vacation Monday and Tuesday, approved.
  const trip = await requestTimeOff(app, { employeeId: vacationer.id, policyId: policies.vacation, startDate: '2026-07-06', endDate: '2026-07-07', reason: 'Family visit' });
  await approve(trip.request?.id);
  // Tech1: the morning of Wednesday off, approved.
  const morning = await requestTimeOff(app, { employeeId: halfDayer.id, policyId: policies.vacation, startDate: '2026-07-08', endDate: '2026-07-08', startPortion: 'MORNING' });
  await approve(morning.request?.id);
  // Tech2: sick on Thursday (private policy, approved at once: empty chain).
  const sickDay = await requestTimeOff(app, { employeeId: sickOne.id, policyId: policies.sick, startDate: '2026-07-09', endDate: '2026-07-09', reason: 'Flu' });
  expect(sickDay.request?.status).toBe('APPROVED');
  // Everyone else: Friday off, approved, so that more technicians also means more rows.
  for (const { employee } of technicians.slice(3)) {
    const friday = await requestTimeOff(app, { employeeId: employee.id, policyId: policies.vacation, startDate: '2026-07-10', endDate: '2026-07-10' });
    await approve(friday.request?.id);
  }

  psa = await startPsaSubgraph();
  gateway = await startGateway([peopleSubgraph(app.url), { name: psa.name, typeDefs: psa.typeDefs, url: psa.url }]);
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await psa?.close();
  await app?.close();
});

async function dispatch(count: number): Promise<{ result: DispatchResult; statements: number }> {
  started(psa).setTechnicians(technicians.slice(0, count).map((entry) => entry.technician));
  let result: DispatchResult | undefined;
  const statements = await started(app).countStatements(async () => {
    const response = await started(gateway).gql<DispatchResult>(techniciansQuery, { from, to }, serviceHeaders.psa);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    result = response.data ?? undefined;
  });
  return { result: started(result), statements };
}

const available = (date: string): Availability => ({ date, state: 'AVAILABLE', category: null, requestStatus: null });

describe('PSA reads time off through the gateway', () => {
  it('shows each technician’s days off, half days and private absences as PSA may see them', async () => {
    const { result } = await dispatch(4);
    const [vacationer, halfDayer, sickOne, fridayOff] = result.technicians;

    expect(vacationer?.name).toBe('Technician 0');
    expect(vacationer?.employee?.displayName).toBe('Tech0 Field');
    expect(vacationer?.employee?.availability).toEqual([
      { date: '2026-07-06', state: 'OFF', category: 'VACATION', requestStatus: 'APPROVED' },
      { date: '2026-07-07', state: 'OFF', category: 'VACATION', requestStatus: 'APPROVED' },
      available('2026-07-08'),
      available('2026-07-09'),
      available('2026-07-10'),
    ]);
    expect(vacationer?.employee?.timeOff).toEqual([
      {
        startDate: '2026-07-06',
        endDate: '2026-07-07',
        status: 'APPROVED',
        policy: { category: 'VACATION' },
        days: [
          { date: '2026-07-06', portion: 'FULL', amount: 1 },
          { date: '2026-07-07', portion: 'FULL', amount: 1 },
        ],
      },
    ]);

    expect(halfDayer?.employee?.availability).toEqual([
      available('2026-07-06'),
      available('2026-07-07'),
      { date: '2026-07-08', state: 'MORNING_OFF', category: 'VACATION', requestStatus: 'APPROVED' },
      available('2026-07-09'),
      available('2026-07-10'),
    ]);
    expect(halfDayer?.employee?.timeOff).toEqual([
      {
        startDate: '2026-07-08',
        endDate: '2026-07-08',
        status: 'APPROVED',
        policy: { category: 'VACATION' },
        days: [{ date: '2026-07-08', portion: 'MORNING', amount: 0.5 }],
      },
    ]);

    // Private sick leave: off, but PSA never learns the kind of absence.
    expect(sickOne?.employee?.availability).toEqual([
      available('2026-07-06'),
      available('2026-07-07'),
      available('2026-07-08'),
      { date: '2026-07-09', state: 'OFF', category: null, requestStatus: 'APPROVED' },
      available('2026-07-10'),
    ]);
    expect(sickOne?.employee?.timeOff).toEqual([
      {
        startDate: '2026-07-09',
        endDate: '2026-07-09',
        status: 'APPROVED',
        policy: null,
        days: [{ date: '2026-07-09', portion: 'FULL', amount: 1 }],
      },
    ]);

    expect(fridayOff?.employee?.availability.at(-1)).toEqual({ date: '2026-07-10', state: 'OFF', category: 'VACATION', requestStatus: 'APPROVED' });
    expect(fridayOff?.employee?.timeOff.map((entry) => entry.startDate)).toEqual(['2026-07-10']);
  });

  it('keeps the reason of a request from PSA', async () => {
    started(psa).setTechnicians(technicians.slice(0, 3).map((entry) => entry.technician));
    const response = await started(gateway).gql<{ technicians: { employee: { timeOff: { reason: string | null }[] } | null }[] }>(
      `query($from: Date!, $to: Date!) { technicians { employee { timeOff(from: $from, to: $to) { reason } } } }`,
      { from, to },
      serviceHeaders.psa,
    );
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(response.data)).not.toMatch(/Family visit|Flu/);
  });

  it('costs People the same number of SQL statements for 3 technicians as for 12', async () => {
    await dispatch(12); // warm-up: nothing cached across requests may make the counts below differ
    const three = await dispatch(3);
    const twelve = await dispatch(12);
    expect(three.result.technicians).toHaveLength(3);
    expect(twelve.result.technicians).toHaveLength(12);
    expect(twelve.result.technicians.every((technician) => technician.employee?.availability.length === 5)).toBe(true);
    expect(three.statements).toBeGreaterThan(0);
    expect(twelve.statements).toBe(three.statements);
  });
});
