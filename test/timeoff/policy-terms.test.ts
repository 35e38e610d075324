import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, requestTimeOff } from './fixtures.js';

// Effective-dated policy terms through the API: a change of accrual kind, yearly amount,
// carry-over cap or negative limit holds from its `effectiveFrom`, so balances as of earlier days
// never move; a change within a year prorates it. Today is Monday 15 June 2026; employees are
// hired on 6 January 2020 unless said otherwise.
let app: TestApp;
let org: OrgBasics;
let employee: CreatedEmployee;
let asHrStaff: Record<string, string>;
let asEmployee: Record<string, string>;

interface UserErrorResult {
  field: string[] | null;
  code: string;
  message: string;
}

interface TermResult {
  effectiveFrom: string;
  accrualKind: string;
  amountPerYear: number;
  carryOverCap: number | null;
  negativeBalanceLimit: number;
  recordedBy: string;
}

interface PolicyResult {
  accrualKind: string;
  amountPerYear: number;
  carryOverCap: number | null;
  negativeBalanceLimit: number;
  terms: TermResult[] | null;
}

interface BalanceResult {
  accrued: number;
  carriedOver: number;
  adjustments: number;
  used: number;
  scheduled: number;
  pending: number;
  available: number | null;
}

const termFields = 'effectiveFrom accrualKind amountPerYear carryOverCap negativeBalanceLimit recordedBy';
const updateMutation = /* GraphQL */ `
  mutation($input: UpdateTimeOffPolicyInput!) {
    updateTimeOffPolicy(input: $input) {
      policy { accrualKind amountPerYear carryOverCap negativeBalanceLimit terms { ${termFields} } }
      userErrors { field code message }
    }
  }
`;

async function update(input: Record<string, unknown>): Promise<{ policy: PolicyResult | null; userErrors: UserErrorResult[] }> {
  const response = await app.gql<{ updateTimeOffPolicy: { policy: PolicyResult | null; userErrors: UserErrorResult[] } }>(updateMutation, { input });
  expect(response.errors).toBeUndefined();
  const payload = response.data?.updateTimeOffPolicy;
  if (!payload) throw new Error('no payload');
  return payload;
}

/** Updates and fails loudly on user errors. */
async function change(input: Record<string, unknown>): Promise<PolicyResult> {
  const { policy, userErrors } = await update(input);
  expect(userErrors).toEqual([]);
  if (!policy) throw new Error('no policy');
  return policy;
}

async function balance(employeeId: string, policyId: string, asOf: string): Promise<BalanceResult | undefined> {
  const response = await app.gql<{ employee: { timeOffBalances: (BalanceResult & { policy: { id: string } })[] } }>(
    `query($id: ID!, $asOf: Date) { employee(id: $id) { timeOffBalances(asOf: $asOf) { policy { id } accrued carriedOver adjustments used scheduled pending available } } }`,
    { id: employeeId, asOf },
  );
  expect(response.errors).toBeUndefined();
  const found = response.data?.employee.timeOffBalances.find((entry) => entry.policy.id === policyId);
  if (!found) return undefined;
  const { policy: _policy, ...rest } = found;
  return rest;
}

async function balancesOn(employeeId: string, policyId: string, days: readonly string[]): Promise<Record<string, BalanceResult | undefined>> {
  const entries = await Promise.all(days.map(async (day) => [day, await balance(employeeId, policyId, day)] as const));
  return Object.fromEntries(entries);
}

const codesOf = (errors: UserErrorResult[]) => errors.map((error) => [error.code, (error.field ?? []).join('.')]);

/** A policy only `employee` (or the given people) has, so tests do not see each other's. */
async function ownPolicy(values: Parameters<typeof createPolicy>[1], employeeIds = [employee.id]): Promise<string> {
  return createPolicy(app, values, { employeeIds });
}

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  employee = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering });
  asHrStaff = await app.as({ roles: ['HR Staff'], email: 'hr.staff@people.test' });
  asEmployee = await app.as({ roles: [], email: employee.email });
});

afterAll(() => app.close());

describe('a change from next year', () => {
  it('leaves every 2026 balance as it was; 2027 accrues the new amount; today the policy still shows the old one', async () => {
    const policyId = await ownPolicy({ amountPerYear: 25, carryOverCap: 5 });
    const days = ['2025-12-31', '2026-01-01', '2026-06-15', '2026-12-31'];
    const before = await balancesOn(employee.id, policyId, days);
    expect(before['2026-06-15']).toMatchObject({ accrued: 25, carriedOver: 5, available: 30 });

    const policy = await change({ id: policyId, amountPerYear: 30, effectiveFrom: '2027-01-01' });
    expect(policy).toMatchObject({ amountPerYear: 25, carryOverCap: 5 });
    expect(policy.terms?.map(({ effectiveFrom, amountPerYear }) => ({ effectiveFrom, amountPerYear }))).toEqual([
      { effectiveFrom: '1900-01-01', amountPerYear: 25 },
      { effectiveFrom: '2027-01-01', amountPerYear: 30 },
    ]);
    expect(policy.terms?.[1]?.recordedBy).toMatch(/^user:/);

    expect(await balancesOn(employee.id, policyId, days)).toEqual(before);
    // 2026 closes at 30 (25 + 5 carried), capped at 5 into 2027.
    expect(await balance(employee.id, policyId, '2027-01-01')).toMatchObject({ accrued: 30, carriedOver: 5, available: 35 });
  });

  it('setting the scheduled day back to the terms before it cancels the change', async () => {
    const policyId = await ownPolicy({ amountPerYear: 25 });
    await change({ id: policyId, amountPerYear: 30, effectiveFrom: '2027-01-01' });
    const cancelled = await change({ id: policyId, amountPerYear: 25, effectiveFrom: '2027-01-01' });
    expect(cancelled.terms?.map((term) => term.effectiveFrom)).toEqual(['1900-01-01']);
    expect(await balance(employee.id, policyId, '2027-01-01')).toMatchObject({ accrued: 25 });
  });
});

describe('a change within a year prorates it', () => {
  it('annual grant 24 → 36 from 1 July: each term its share of the days (181 + 184 of 365); before July the known grant', async () => {
    const policyId = await ownPolicy({ amountPerYear: 24, carryOverCap: 0 });
    await change({ id: policyId, amountPerYear: 36, effectiveFrom: '2026-07-01' });
    // 24 × 181/365 + 36 × 184/365 = 11.90 + 18.15.
    expect(await balance(employee.id, policyId, '2026-12-31')).toMatchObject({ accrued: 30.05 });
    expect(await balance(employee.id, policyId, '2026-07-01')).toMatchObject({ accrued: 30.05 });
    // As of 30 June the July term is not in force yet: the grant is the 24 known then.
    expect(await balance(employee.id, policyId, '2026-06-30')).toMatchObject({ accrued: 24 });
  });

  it('monthly 24 → 36 from 1 July: 2 a month to June, 3 a month from July, 30 for the year', async () => {
    const policyId = await ownPolicy({ accrualKind: 'MONTHLY', amountPerYear: 24, carryOverCap: 0 });
    await change({ id: policyId, amountPerYear: 36, effectiveFrom: '2026-07-01' });
    expect(await balance(employee.id, policyId, '2026-06-30')).toMatchObject({ accrued: 12 });
    expect(await balance(employee.id, policyId, '2026-07-01')).toMatchObject({ accrued: 15 });
    expect(await balance(employee.id, policyId, '2026-12-31')).toMatchObject({ accrued: 30 });
  });

  it('monthly: a change from the 15th takes effect on the next 1st', async () => {
    const policyId = await ownPolicy({ accrualKind: 'MONTHLY', amountPerYear: 24, carryOverCap: 0 });
    await change({ id: policyId, amountPerYear: 36, effectiveFrom: '2026-07-15' });
    expect(await balance(employee.id, policyId, '2026-07-31')).toMatchObject({ accrued: 14 });
    expect(await balance(employee.id, policyId, '2026-08-01')).toMatchObject({ accrued: 17 });
  });

  it('prorates for a hire within the year too', async () => {
    const newcomer = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering, hireDate: '2026-04-01' });
    const policyId = await ownPolicy({ amountPerYear: 24, carryOverCap: 0 }, [newcomer.id]);
    await change({ id: policyId, amountPerYear: 36, effectiveFrom: '2026-07-01' });
    // Employed 91 days under 24 (April to June) and 184 under 36: 5.98 + 18.15.
    expect(await balance(newcomer.id, policyId, '2026-12-31')).toMatchObject({ accrued: 24.13 });
  });
});

describe('carry-over', () => {
  it('uses the cap in force on 31 December of the year closed: a cap from 1 January applies a year later', async () => {
    // No time taken: every year closes well above any cap.
    const policyId = await ownPolicy({ amountPerYear: 25, carryOverCap: 5 });
    await change({ id: policyId, carryOverCap: 10, effectiveFrom: '2026-01-01' });
    expect(await balance(employee.id, policyId, '2026-01-01')).toMatchObject({ carriedOver: 5 });
    expect(await balance(employee.id, policyId, '2027-01-01')).toMatchObject({ carriedOver: 10 });
    // Dated 31 December 2025 (HR correcting the year just closed), it caps 2025 itself.
    await change({ id: policyId, carryOverCap: 10, effectiveFrom: '2025-12-31' });
    expect(await balance(employee.id, policyId, '2026-01-01')).toMatchObject({ carriedOver: 10 });
  });

  it('nothing carries out of a year the policy was unlimited', async () => {
    const policyId = await ownPolicy({ accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: null });
    await change({ id: policyId, accrualKind: 'ANNUAL_GRANT', amountPerYear: 20, effectiveFrom: '2027-01-01' });
    expect(await balance(employee.id, policyId, '2026-12-31')).toMatchObject({ available: null });
    expect(await balance(employee.id, policyId, '2027-03-01')).toMatchObject({ accrued: 20, carriedOver: 0, available: 20 });
  });
});

describe('history stays put', () => {
  it('balances as of today and earlier do not move, whatever is changed from today on', async () => {
    const policyId = await ownPolicy({ amountPerYear: 25, carryOverCap: 5 });
    const days = ['2024-02-29', '2024-12-31', '2025-06-30', '2025-12-31', '2026-01-01', '2026-06-14'];
    const before = await balancesOn(employee.id, policyId, days);
    expect(Object.values(before).every((entry) => entry !== undefined)).toBe(true);
    await change({ id: policyId, amountPerYear: 40, carryOverCap: null, negativeBalanceLimit: 5 });
    await change({ id: policyId, accrualKind: 'MONTHLY', effectiveFrom: '2026-09-01' });
    await change({ id: policyId, amountPerYear: 12, effectiveFrom: '2027-01-01' });
    expect(await balancesOn(employee.id, policyId, days)).toEqual(before);
  });

  it('a change dated in the past does rewrite from that day: HR correcting terms, within bounds', async () => {
    const policyId = await ownPolicy({ amountPerYear: 25, carryOverCap: null });
    const before = await balance(employee.id, policyId, '2025-12-31');
    expect(before).toMatchObject({ accrued: 25 });
    await change({ id: policyId, amountPerYear: 30, effectiveFrom: '2025-01-01' });
    expect(await balance(employee.id, policyId, '2025-12-31')).toMatchObject({ accrued: 30 });
    expect(await balance(employee.id, policyId, '2024-12-31')).toMatchObject({ accrued: 25 });
  });
});

describe('the negative limit of a request', () => {
  it('is the one in force on the request’s last day in the year', async () => {
    const policyId = await ownPolicy({ amountPerYear: 2, carryOverCap: 0, approvalChain: [] });
    await change({ id: policyId, negativeBalanceLimit: 3, effectiveFrom: '2026-09-01' });
    // Mon 3 to Thu 6 August: 4 days, 2 available, no limit yet.
    const august = await requestTimeOff(app, { employeeId: employee.id, policyId, startDate: '2026-08-03', endDate: '2026-08-06' });
    expect(codesOf(august.userErrors)).toEqual([['INSUFFICIENT_BALANCE', 'input.endDate']]);
    // Mon 31 August to Thu 3 September: ends under the limit of 3.
    const september = await requestTimeOff(app, { employeeId: employee.id, policyId, startDate: '2026-08-31', endDate: '2026-09-03' });
    expect(september.userErrors).toEqual([]);
    expect(september.request).toMatchObject({ status: 'APPROVED', amount: 4 });
    expect(await balance(employee.id, policyId, '2026-09-03')).toMatchObject({ available: -2 });
  });
});

describe('what an update accepts', () => {
  it('effectiveFrom from 1 January of last year to 31 December of the year after next', async () => {
    const policyId = await ownPolicy({ amountPerYear: 20 });
    expect(codesOf((await update({ id: policyId, amountPerYear: 21, effectiveFrom: '2024-12-31' })).userErrors)).toEqual([['DATE_TOO_FAR', 'input.effectiveFrom']]);
    expect(codesOf((await update({ id: policyId, amountPerYear: 21, effectiveFrom: '2029-01-01' })).userErrors)).toEqual([['DATE_TOO_FAR', 'input.effectiveFrom']]);
    expect((await update({ id: policyId, amountPerYear: 21, effectiveFrom: '2025-01-01' })).userErrors).toEqual([]);
    expect((await update({ id: policyId, amountPerYear: 22, effectiveFrom: '2028-12-31' })).userErrors).toEqual([]);
  });

  it('effectiveFrom dates only the dated fields: alone with a name it is INVALID_VALUE', async () => {
    const policyId = await ownPolicy({ amountPerYear: 20 });
    expect(codesOf((await update({ id: policyId, name: 'Renamed', effectiveFrom: '2027-01-01' })).userErrors)).toEqual([['INVALID_VALUE', 'input.effectiveFrom']]);
  });

  it('the terms are checked as in force from that day: UNLIMITED with a yearly amount is refused', async () => {
    const policyId = await ownPolicy({ amountPerYear: 20 });
    expect(codesOf((await update({ id: policyId, accrualKind: 'UNLIMITED', effectiveFrom: '2027-01-01' })).userErrors)).toEqual([['INVALID_VALUE', 'input.amountPerYear']]);
    const unlimited = await change({ id: policyId, accrualKind: 'UNLIMITED', amountPerYear: 0, effectiveFrom: '2027-01-01' });
    expect(unlimited).toMatchObject({ accrualKind: 'ANNUAL_GRANT', amountPerYear: 20 });
    expect(unlimited.terms?.at(-1)).toMatchObject({ effectiveFrom: '2027-01-01', accrualKind: 'UNLIMITED', amountPerYear: 0, carryOverCap: 5 });
  });

  it('other fields apply at once, and a change of them records no term', async () => {
    const policyId = await ownPolicy({ amountPerYear: 20 });
    const renamed = await change({ id: policyId, name: 'Renamed at once', waitingPeriodDays: 10 });
    expect(renamed.terms).toHaveLength(1);
  });

  it('the event says from when', async () => {
    const policyId = await ownPolicy({ amountPerYear: 20 });
    await change({ id: policyId, amountPerYear: 22, effectiveFrom: '2027-01-01', name: 'Evented' });
    const response = await app.gql<{ outboxEvents: { nodes: { data: string }[] } }>(
      `query($subject: String) { outboxEvents(type: "timeoff.policy.changed", subject: $subject) { nodes { data } } }`,
      { subject: `time_off_policy:${policyId}` },
    );
    const events = (response.data?.outboxEvents.nodes ?? []).map((node) => JSON.parse(node.data) as Record<string, unknown>);
    expect(events).toContainEqual(expect.objectContaining({ change: 'UPDATED', fields: ['name', 'amountPerYear'], effectiveFrom: '2027-01-01' }));
  });
});

describe('reading the terms', () => {
  const query = /* GraphQL */ `{ timeOffPolicies { id amountPerYear terms { effectiveFrom amountPerYear } } }`;

  it('HR reads the history of terms; others read today’s terms only (terms FORBIDDEN)', async () => {
    const policyId = await ownPolicy({ amountPerYear: 20 });
    await change({ id: policyId, amountPerYear: 24, effectiveFrom: '2027-01-01' });
    const asHr = await app.gql<{ timeOffPolicies: { id: string; amountPerYear: number; terms: unknown[] | null }[] }>(query, {}, asHrStaff);
    expect(asHr.errors).toBeUndefined();
    expect(asHr.data?.timeOffPolicies.find((policy) => policy.id === policyId)).toEqual({
      id: policyId,
      amountPerYear: 20,
      terms: [
        { effectiveFrom: '1900-01-01', amountPerYear: 20 },
        { effectiveFrom: '2027-01-01', amountPerYear: 24 },
      ],
    });
    const asSelf = await app.gql<{ timeOffPolicies: { id: string; amountPerYear: number; terms: unknown[] | null }[] }>(query, {}, asEmployee);
    expect(asSelf.data?.timeOffPolicies.find((policy) => policy.id === policyId)).toEqual({ id: policyId, amountPerYear: 20, terms: null });
    expect(asSelf.errors?.[0]).toMatchObject({ path: ['timeOffPolicies', expect.any(Number), 'terms'], extensions: { code: 'FORBIDDEN' } });
  });

  it('reading the terms costs no statement beyond the policy itself', async () => {
    const withoutTerms = await app.countStatements(() => app.gql(`{ timeOffPolicies { id name } }`));
    const withTerms = await app.countStatements(() => app.gql(`{ timeOffPolicies { id name accrualKind amountPerYear carryOverCap negativeBalanceLimit terms { effectiveFrom } } }`));
    expect(withTerms).toBe(withoutTerms);
  });
});
