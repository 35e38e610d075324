import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { createPolicy, requestTimeOff } from './fixtures.js';

// Effective-dated assignment: rule sets and overrides hold from their `effectiveFrom` until the
// next one, a year accrues only on the days a policy was assigned, and a change recorded from a
// later day never alters a balance as of an earlier one. Today is Monday 15 June 2026 (2026 has
// 365 days); everyone was hired in 2020. Each test has policies of its own.

let app: TestApp;
let org: OrgBasics;
let berliner: CreatedEmployee;
let newYorker: CreatedEmployee;

interface UserErrorResult {
  field: string[] | null;
  code: string;
}

interface BalanceResult {
  accrued: number;
  carriedOver: number;
  available: number | null;
}

const rulesMutation = `mutation($input: SetTimeOffPolicyRulesInput!) { setTimeOffPolicyRules(input: $input) { policy { id } userErrors { field code } } }`;
const overrideMutation = `mutation($input: SetTimeOffPolicyOverrideInput!) { setTimeOffPolicyOverride(input: $input) { override { assigned amountPerYear effectiveFrom until } userErrors { field code } } }`;
const clearMutation = `mutation($input: ClearTimeOffPolicyOverrideInput!) { clearTimeOffPolicyOverride(input: $input) { override { assigned } userErrors { field code } } }`;

async function mutate(mutation: string, field: string, input: Record<string, unknown>): Promise<UserErrorResult[]> {
  const response = await app.gql<Record<string, { userErrors: UserErrorResult[] }>>(mutation, { input });
  expect(response.errors).toBeUndefined();
  return response.data?.[field]?.userErrors ?? [];
}

/** Runs the change and fails loudly if People refuses it. */
async function change(mutation: string, field: string, input: Record<string, unknown>): Promise<void> {
  expect(await mutate(mutation, field, input)).toEqual([]);
}

const setRules = (input: Record<string, unknown>) => change(rulesMutation, 'setTimeOffPolicyRules', input);
const setOverride = (input: Record<string, unknown>) => change(overrideMutation, 'setTimeOffPolicyOverride', input);
const clearOverride = (input: Record<string, unknown>) => change(clearMutation, 'clearTimeOffPolicyOverride', input);

/** The employee's balance of the policy as of `asOf`, or undefined when it is not assigned that day. */
async function balanceOf(employeeId: string, policyId: string, asOf: string): Promise<BalanceResult | undefined> {
  const response = await app.gql<{ employee: { timeOffBalances: ({ policy: { id: string } } & BalanceResult)[] } }>(
    `query($id: ID!, $asOf: Date) { employee(id: $id) { timeOffBalances(asOf: $asOf) { policy { id } accrued carriedOver available } } }`,
    { id: employeeId, asOf },
  );
  expect(response.errors).toBeUndefined();
  const found = response.data?.employee.timeOffBalances.find((balance) => balance.policy.id === policyId);
  return found ? { accrued: found.accrued, carriedOver: found.carriedOver, available: found.available } : undefined;
}

/** Balances of everyone on the given days, to compare before and after a change. */
async function snapshot(policyId: string, days: readonly string[]) {
  const result: Record<string, BalanceResult | undefined> = {};
  for (const employee of [berliner, newYorker]) {
    for (const day of days) result[`${employee.id}@${day}`] = await balanceOf(employee.id, policyId, day);
  }
  return result;
}

/** 20 days a year, no cap, no approval: amounts below are 20 × days assigned / 365. */
const plainPolicy = (assign: Parameters<typeof createPolicy>[2]) =>
  createPolicy(app, { amountPerYear: 20, carryOverCap: null, approvalChain: [] }, assign);

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  berliner = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering });
  newYorker = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.sales });
});

afterAll(() => app.close());

describe('rules over time', () => {
  it('a rule from 1 July prorates that year (184 of 365 days) and leaves June as it was', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const days = ['2025-12-31', '2026-06-15', '2026-06-30'];
    const before = await snapshot(policyId, days);
    expect(before[`${newYorker.id}@2026-06-30`]).toBeUndefined();

    await setRules({ policyId, rules: [{ locationId: org.locations.berlin }, { locationId: org.locations.newYork }], effectiveFrom: '2026-07-01' });

    expect(await snapshot(policyId, days)).toEqual(before);
    expect(await balanceOf(newYorker.id, policyId, '2026-07-01')).toEqual({ accrued: 10.08, carriedOver: 0, available: 10.08 });
    expect(await balanceOf(newYorker.id, policyId, '2026-12-31')).toMatchObject({ accrued: 10.08 });
    // The next year is whole, and carries what 2026 left.
    expect(await balanceOf(newYorker.id, policyId, '2027-01-04')).toEqual({ accrued: 20, carriedOver: 10.08, available: 30.08 });
    // The Berliner, assigned all along, sees no difference.
    expect(await balanceOf(berliner.id, policyId, '2026-07-01')).toMatchObject({ accrued: 20 });
  });

  it('removing the rules from next year keeps this year and hides the policy then', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const before = await balanceOf(berliner.id, policyId, '2026-12-31');
    expect(before).toMatchObject({ accrued: 20 });

    await setRules({ policyId, rules: [], effectiveFrom: '2027-01-01' });

    expect(await balanceOf(berliner.id, policyId, '2026-12-31')).toEqual(before);
    expect(await balanceOf(berliner.id, policyId, '2026-06-15')).toMatchObject({ accrued: 20 });
    expect(await balanceOf(berliner.id, policyId, '2027-01-01')).toBeUndefined();
    expect(await balanceOf(berliner.id, policyId, '2028-03-01')).toBeUndefined();
  });

  it('HR reads the rules in force today and the sets over time', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    await setRules({ policyId, rules: [{ employmentType: 'PART_TIME' }], effectiveFrom: '2026-09-01' });
    const response = await app.gql<{
      timeOffPolicies: {
        id: string;
        assignmentRules: unknown[];
        assignmentHistory: { effectiveFrom: string; recordedBy: string; rules: unknown[] }[];
      }[];
    }>(
      `{ timeOffPolicies { id assignmentRules { location { id } employmentType } assignmentHistory { effectiveFrom recordedBy rules { location { id } employmentType } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const policy = response.data?.timeOffPolicies.find((candidate) => candidate.id === policyId);
    expect(policy?.assignmentRules).toEqual([{ location: { id: org.locations.berlin }, employmentType: null }]);
    expect(policy?.assignmentHistory).toEqual([
      { effectiveFrom: '1900-01-01', recordedBy: 'test fixture', rules: [{ location: { id: org.locations.berlin }, employmentType: null }] },
      { effectiveFrom: '2026-09-01', recordedBy: expect.any(String), rules: [{ location: null, employmentType: 'PART_TIME' }] },
    ]);
  });
});

describe('overrides over time', () => {
  it('an own amount from 1 July prorates: 181 days at 20 and 184 at 30', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const june = await balanceOf(berliner.id, policyId, '2026-06-30');
    await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 30, effectiveFrom: '2026-07-01' });
    expect(await balanceOf(berliner.id, policyId, '2026-06-30')).toEqual(june);
    expect(await balanceOf(berliner.id, policyId, '2026-07-01')).toMatchObject({ accrued: 25.04 });
    expect(await balanceOf(berliner.id, policyId, '2027-02-01')).toMatchObject({ accrued: 30 });
  });

  it('clearing from a day hands back to the rules from then', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    // The New Yorker, whom no rule matches, is assigned from New Year and handed back from 1 October.
    await setOverride({ employeeId: newYorker.id, policyId, assigned: true, effectiveFrom: '2026-01-01' });
    // The Berliner has 30 days from New Year and the rules' 20 again from 1 October (273 + 92 days).
    await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 30, effectiveFrom: '2026-01-01' });
    const september = await snapshot(policyId, ['2026-09-30']);
    await clearOverride({ employeeId: newYorker.id, policyId, effectiveFrom: '2026-10-01' });
    await clearOverride({ employeeId: berliner.id, policyId, effectiveFrom: '2026-10-01' });

    expect(await snapshot(policyId, ['2026-09-30'])).toEqual(september);
    expect(september[`${newYorker.id}@2026-09-30`]).toMatchObject({ accrued: 20 });
    expect(await balanceOf(newYorker.id, policyId, '2026-10-01')).toBeUndefined();
    expect(await balanceOf(berliner.id, policyId, '2026-10-01')).toMatchObject({ accrued: 27.48 });
    // Nothing left to clear on a day the rules already decide.
    expect(codes(await mutate(clearMutation, 'clearTimeOffPolicyOverride', { employeeId: newYorker.id, policyId, effectiveFrom: '2026-11-01' }))).toEqual([
      ['OVERRIDE_NOT_FOUND', 'input.policyId'],
    ]);
  });

  it('an exclusion from 1 September ends the policy then; a year it was assigned carries over', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const august = await balanceOf(berliner.id, policyId, '2026-08-31');
    await setOverride({ employeeId: berliner.id, policyId, assigned: false, effectiveFrom: '2026-09-01' });
    expect(await balanceOf(berliner.id, policyId, '2026-08-31')).toEqual(august);
    expect(await balanceOf(berliner.id, policyId, '2026-09-01')).toBeUndefined();
    expect(await balanceOf(berliner.id, policyId, '2026-12-31')).toBeUndefined();

    // Handed back to the rules from New Year: 2026 accrued 243 days' worth (13.32) on top of what
    // it carried in (no cap), and all of it carries.
    await clearOverride({ employeeId: berliner.id, policyId, effectiveFrom: '2027-01-01' });
    const carriedInto2026 = august?.carriedOver ?? Number.NaN;
    const carried = Math.round((carriedInto2026 + 13.32) * 100) / 100;
    expect(await balanceOf(berliner.id, policyId, '2027-01-01')).toEqual({ accrued: 20, carriedOver: carried, available: Math.round((carried + 20) * 100) / 100 });
  });

  it('a request reaching past the end of the assignment is refused on the first day not assigned', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    await setOverride({ employeeId: berliner.id, policyId, assigned: false, effectiveFrom: '2026-09-01' });
    // Friday 28 August to Tuesday 1 September.
    const refused = await requestTimeOff(app, { employeeId: berliner.id, policyId, startDate: '2026-08-28', endDate: '2026-09-01' });
    expect(refused.userErrors.map((error) => error.code)).toEqual(['POLICY_NOT_ASSIGNED']);
    expect(refused.userErrors[0]?.message).toContain('2026-09-01');
    const inside = await requestTimeOff(app, { employeeId: berliner.id, policyId, startDate: '2026-08-28', endDate: '2026-08-31' });
    expect(inside.userErrors).toEqual([]);
  });

  it('HR sees the overrides in force today and those scheduled, with their dates', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    await setOverride({ employeeId: newYorker.id, policyId, assigned: true, amountPerYear: 15, effectiveFrom: '2025-03-01' });
    await setOverride({ employeeId: newYorker.id, policyId, assigned: true, amountPerYear: 18, effectiveFrom: '2026-03-01' });
    await clearOverride({ employeeId: newYorker.id, policyId, effectiveFrom: '2026-10-01' });
    await setOverride({ employeeId: newYorker.id, policyId, assigned: false, effectiveFrom: '2027-01-01' });
    const response = await app.gql<{ employee: { timeOffPolicyOverrides: { policy: { id: string } }[] } }>(
      `query($id: ID!) { employee(id: $id) { timeOffPolicyOverrides { policy { id } assigned amountPerYear effectiveFrom until } } }`,
      { id: newYorker.id },
    );
    expect(response.errors).toBeUndefined();
    // The one that ended (2025) is history; the current one ends when the rules take over.
    expect(response.data?.employee.timeOffPolicyOverrides.filter((override) => override.policy.id === policyId)).toEqual([
      { policy: { id: policyId }, assigned: true, amountPerYear: 18, effectiveFrom: '2026-03-01', until: '2026-10-01' },
      { policy: { id: policyId }, assigned: false, amountPerYear: null, effectiveFrom: '2027-01-01', until: null },
    ]);
  });
});

describe('history stays put', () => {
  it('balances as of today and earlier do not move, whatever assignment change is recorded from today on', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const days = ['2024-12-31', '2025-06-30', '2025-12-31', '2026-03-01', '2026-06-15'];
    const before = await snapshot(policyId, days);
    await setRules({ policyId, rules: [{ locationId: org.locations.newYork }], effectiveFrom: '2026-06-15' });
    await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 40, effectiveFrom: '2026-06-16' });
    await setOverride({ employeeId: newYorker.id, policyId, assigned: false, effectiveFrom: '2026-07-01' });
    await clearOverride({ employeeId: berliner.id, policyId, effectiveFrom: '2026-08-01' });
    await setRules({ policyId, rules: [], effectiveFrom: '2027-01-01' });
    const after = await snapshot(policyId, days);
    // Today itself: the rule change from today is a change of today's assignment, so only days
    // before today are compared for it; an as-of-yesterday view never moves.
    for (const day of days.filter((d) => d < '2026-06-15')) {
      for (const employee of [berliner, newYorker]) expect(after[`${employee.id}@${day}`]).toEqual(before[`${employee.id}@${day}`]);
    }
  });
});

describe('bounds and events', () => {
  it('effectiveFrom reaches from 1 January of last year to 31 December of the year after next', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const tooEarly = { effectiveFrom: '2024-12-31' };
    const tooLate = { effectiveFrom: '2029-01-01' };
    expect(codes(await mutate(rulesMutation, 'setTimeOffPolicyRules', { policyId, rules: [], ...tooEarly }))).toEqual([['DATE_TOO_FAR', 'input.effectiveFrom']]);
    expect(codes(await mutate(rulesMutation, 'setTimeOffPolicyRules', { policyId, rules: [], ...tooLate }))).toEqual([['DATE_TOO_FAR', 'input.effectiveFrom']]);
    const target = { employeeId: berliner.id, policyId };
    expect(codes(await mutate(overrideMutation, 'setTimeOffPolicyOverride', { ...target, assigned: false, ...tooEarly }))).toEqual([['DATE_TOO_FAR', 'input.effectiveFrom']]);
    expect(codes(await mutate(clearMutation, 'clearTimeOffPolicyOverride', { ...target, ...tooLate }))).toEqual([['DATE_TOO_FAR', 'input.effectiveFrom']]);
    // Nothing was recorded by the refusals; both ends themselves are accepted.
    expect(await balanceOf(berliner.id, policyId, '2026-06-15')).toMatchObject({ accrued: 20 });
    await setOverride({ ...target, assigned: true, effectiveFrom: '2025-01-01' });
    await setRules({ policyId, rules: [{ locationId: org.locations.berlin }], effectiveFrom: '2028-12-31' });
  });

  it('rule and override events carry effectiveFrom', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    await setRules({ policyId, rules: [], effectiveFrom: '2027-01-01' });
    await setOverride({ employeeId: newYorker.id, policyId, assigned: true, effectiveFrom: '2026-07-01' });
    await clearOverride({ employeeId: newYorker.id, policyId, effectiveFrom: '2026-08-01' });
    const events = async (type: string, subject: string) => {
      const response = await app.gql<{ outboxEvents: { nodes: { data: string }[] } }>(
        `query($type: String, $subject: String) { outboxEvents(type: $type, subject: $subject, first: 500) { nodes { data } } }`,
        { type, subject },
      );
      expect(response.errors).toBeUndefined();
      return (response.data?.outboxEvents.nodes ?? []).map((node) => JSON.parse(node.data) as Record<string, unknown>);
    };
    expect(await events('timeoff.policy.changed', `time_off_policy:${policyId}`)).toContainEqual(
      expect.objectContaining({ change: 'RULES_REPLACED', effectiveFrom: '2027-01-01' }),
    );
    const overrides = (await events('timeoff.policy_override.changed', `employee:${newYorker.id}`)).filter((event) => event.policyId === policyId);
    expect(overrides).toEqual(
      expect.arrayContaining([
        { employeeId: newYorker.id, policyId, assigned: true, effectiveFrom: '2026-07-01' },
        { employeeId: newYorker.id, policyId, assigned: null, effectiveFrom: '2026-08-01' },
      ]),
    );
  });

  it('balances of many employees with dated assignment cost the same statements as of few', async () => {
    const policyId = await plainPolicy({ locationId: org.locations.berlin });
    const people = [berliner, newYorker];
    for (let index = 0; index < 4; index += 1) {
      const extra = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.sales });
      await setOverride({ employeeId: extra.id, policyId, assigned: true, amountPerYear: 10 + index, effectiveFrom: '2026-03-01' });
      people.push(extra);
    }
    const query = `query($ids: [ID!]!) { employees(ids: $ids) { id timeOffBalances(asOf: "2026-09-01") { policy { id } accrued } } }`;
    const count = (ids: string[]) => app.countStatements(() => app.gql(query, { ids }));
    const few = await count(people.slice(0, 2).map((person) => person.id));
    const many = await count(people.map((person) => person.id));
    expect(many).toBe(few);
  });
});

function codes(errors: readonly UserErrorResult[]) {
  return errors.map((error) => [error.code, (error.field ?? []).join('.')]);
}
