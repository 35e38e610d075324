import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgBasics, hire, type CreatedEmployee, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { requestTimeOff } from './fixtures.js';

// Assignment through the API: rules replaced as a whole, per-employee overrides, and what
// `Employee.timeOffBalances` (the one balance computation) shows after each change.
// Today is Monday 15 June 2026; everyone was hired long ago, so an annual grant is whole.
// Assignment is effective-dated: changes here are dated 1 January 2026 (unless a test says
// otherwise), so the whole year is assigned and the amounts are whole; dates within a year and
// history are covered by assignment-history.test.ts.
let app: TestApp;
let org: OrgBasics;
let berliner: CreatedEmployee;
let newYorkerPartTime: CreatedEmployee;
let policyId: string;
let unlimitedId: string;

interface UserErrorResult {
  field: string[] | null;
  code: string;
}

const createMutation = `mutation($input: CreateTimeOffPolicyInput!) { createTimeOffPolicy(input: $input) { policy { id } userErrors { field code } } }`;
const rulesMutation = `mutation($input: SetTimeOffPolicyRulesInput!) { setTimeOffPolicyRules(input: $input) { policy { id assignmentRules { location { id } employmentType } } userErrors { field code } } }`;
const overrideMutation = `mutation($input: SetTimeOffPolicyOverrideInput!) { setTimeOffPolicyOverride(input: $input) { override { assigned amountPerYear } employee { timeOffBalances { policy { id } accrued } } userErrors { field code } } }`;
const clearMutation = `mutation($input: ClearTimeOffPolicyOverrideInput!) { clearTimeOffPolicyOverride(input: $input) { override { assigned } userErrors { field code } } }`;

interface RulesPayload {
  policy: { id: string; assignmentRules: { location: { id: string } | null; employmentType: string | null }[] } | null;
  userErrors: UserErrorResult[];
}

interface OverridePayload {
  override: { assigned: boolean; amountPerYear: number | null } | null;
  employee: { timeOffBalances: { policy: { id: string }; accrued: number }[] } | null;
  userErrors: UserErrorResult[];
}

async function createPolicyNamed(code: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await app.gql<{ createTimeOffPolicy: { policy: { id: string } | null; userErrors: UserErrorResult[] } }>(createMutation, {
    input: { code, name: code, category: 'VACATION', accrualKind: 'ANNUAL_GRANT', amountPerYear: 20, ...extra },
  });
  const id = response.data?.createTimeOffPolicy.policy?.id;
  if (!id) throw new Error(`createTimeOffPolicy failed: ${JSON.stringify(response.errors ?? response.data)}`);
  return id;
}

async function setRules(input: Record<string, unknown>): Promise<RulesPayload> {
  const response = await app.gql<{ setTimeOffPolicyRules: RulesPayload }>(rulesMutation, { input: { ...fromNewYear, ...input } });
  expect(response.errors).toBeUndefined();
  return response.data?.setTimeOffPolicyRules ?? { policy: null, userErrors: [] };
}

async function setOverride(input: Record<string, unknown>): Promise<OverridePayload> {
  const response = await app.gql<{ setTimeOffPolicyOverride: OverridePayload }>(overrideMutation, { input: { ...fromNewYear, ...input } });
  expect(response.errors).toBeUndefined();
  return response.data?.setTimeOffPolicyOverride ?? { override: null, employee: null, userErrors: [] };
}

async function clearOverride(input: Record<string, unknown>) {
  const response = await app.gql<{ clearTimeOffPolicyOverride: { override: unknown; userErrors: UserErrorResult[] } }>(clearMutation, { input: { ...fromNewYear, ...input } });
  expect(response.errors).toBeUndefined();
  return response.data?.clearTimeOffPolicyOverride;
}

/** The employee's balance of the policy, or undefined when it does not apply to them. */
async function balanceOf(employeeId: string, policy = policyId) {
  const response = await app.gql<{ employee: { timeOffBalances: { policy: { id: string }; accrued: number; available: number | null }[] } }>(
    `query($id: ID!) { employee(id: $id) { timeOffBalances { policy { id } accrued available } } }`,
    { id: employeeId },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.employee.timeOffBalances.find((balance) => balance.policy.id === policy);
}

const fromNewYear = { effectiveFrom: '2026-01-01' };

const codesOf = (errors: UserErrorResult[]) => errors.map((error) => [error.code, (error.field ?? []).join('.')]);

beforeAll(async () => {
  app = await startTestApp({ today: '2026-06-15' });
  org = await createOrgBasics(app);
  berliner = await hire(app, { locationId: org.locations.berlin, departmentId: org.departments.engineering, employmentType: 'FULL_TIME' });
  newYorkerPartTime = await hire(app, { locationId: org.locations.newYork, departmentId: org.departments.sales, employmentType: 'PART_TIME' });
  policyId = await createPolicyNamed('ASSIGN', { approvalChain: [] });
  unlimitedId = await createPolicyNamed('UNL', { accrualKind: 'UNLIMITED', amountPerYear: 0 });
});

afterAll(() => app.close());

describe('assignment rules', () => {
  it('a new policy applies to nobody until rules or overrides say so', async () => {
    expect(await balanceOf(berliner.id)).toBeUndefined();
    expect(await balanceOf(newYorkerPartTime.id)).toBeUndefined();
    const refused = await requestTimeOff(app, { employeeId: berliner.id, policyId, startDate: '2026-07-06', endDate: '2026-07-06' });
    expect(codesOf(refused.userErrors)).toEqual([['POLICY_NOT_ASSIGNED', 'input.policyId']]);
  });

  it('rules replace the previous ones, and balances follow', async () => {
    const byLocation = await setRules({ policyId, rules: [{ locationId: org.locations.berlin }] });
    expect(byLocation.policy?.assignmentRules).toEqual([{ location: { id: org.locations.berlin }, employmentType: null }]);
    expect(await balanceOf(berliner.id)).toMatchObject({ accrued: 20 });
    expect(await balanceOf(newYorkerPartTime.id)).toBeUndefined();

    const byType = await setRules({ policyId, rules: [{ employmentType: 'PART_TIME' }] });
    // The Berlin rule is gone, not added to.
    expect(byType.policy?.assignmentRules).toEqual([{ location: null, employmentType: 'PART_TIME' }]);
    expect(await balanceOf(berliner.id)).toBeUndefined();
    expect(await balanceOf(newYorkerPartTime.id)).toMatchObject({ accrued: 20 });

    // Both criteria in one rule: both must match.
    await setRules({ policyId, rules: [{ locationId: org.locations.berlin, employmentType: 'PART_TIME' }] });
    expect(await balanceOf(berliner.id)).toBeUndefined();
    expect(await balanceOf(newYorkerPartTime.id)).toBeUndefined();

    const none = await setRules({ policyId, rules: [] });
    expect(none.policy?.assignmentRules).toEqual([]);
  });

  it('a refused replacement keeps the rules as they were', async () => {
    await setRules({ policyId, rules: [{ locationId: org.locations.newYork }] });
    const unknown = await setRules({
      policyId,
      rules: [{ locationId: org.locations.berlin }, { locationId: '00000000-0000-4000-8000-000000000000' }, { locationId: 'nowhere' }],
    });
    expect(unknown.policy).toBeNull();
    expect(codesOf(unknown.userErrors)).toEqual([
      ['LOCATION_NOT_FOUND', 'input.rules.1.locationId'],
      ['LOCATION_NOT_FOUND', 'input.rules.2.locationId'],
    ]);
    const twice = await setRules({ policyId, rules: [{ employmentType: 'INTERN' }, { employmentType: 'INTERN', locationId: null }] });
    expect(codesOf(twice.userErrors)).toEqual([['INVALID_VALUE', 'input.rules.1']]);
    const tooMany = await setRules({ policyId, rules: Array.from({ length: 101 }, () => ({})) });
    expect(codesOf(tooMany.userErrors)).toEqual([['INVALID_VALUE', 'input.rules']]);
    expect(await balanceOf(newYorkerPartTime.id)).toMatchObject({ accrued: 20 });
    expect(await balanceOf(berliner.id)).toBeUndefined();
  });

  it('an unknown policy is POLICY_NOT_FOUND', async () => {
    const missing = await setRules({ policyId: '00000000-0000-4000-8000-000000000000', rules: [] });
    expect(codesOf(missing.userErrors)).toEqual([['POLICY_NOT_FOUND', 'input.policyId']]);
  });
});

describe('overrides', () => {
  it('assign with an own amount, exclude against the rules, clear back to the rules', async () => {
    await setRules({ policyId, rules: [{ locationId: org.locations.newYork }] });

    // Assigned to the Berliner though no rule matches, with 30 days instead of 20.
    const assigned = await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 30 });
    expect(assigned.userErrors).toEqual([]);
    expect(assigned.override).toEqual({ assigned: true, amountPerYear: 30 });
    // The payload's employee already shows the new balance.
    expect(assigned.employee?.timeOffBalances.find((balance) => balance.policy.id === policyId)?.accrued).toBe(30);
    const request = await requestTimeOff(app, { employeeId: berliner.id, policyId, startDate: '2026-07-06', endDate: '2026-07-06' });
    expect(request.userErrors).toEqual([]);

    // Excluded though the New York rule matches.
    const excluded = await setOverride({ employeeId: newYorkerPartTime.id, policyId, assigned: false });
    expect(excluded.override).toEqual({ assigned: false, amountPerYear: null });
    expect(await balanceOf(newYorkerPartTime.id)).toBeUndefined();

    // Cleared: the rules decide again.
    expect(await clearOverride({ employeeId: newYorkerPartTime.id, policyId })).toEqual({ override: null, userErrors: [] });
    expect(await balanceOf(newYorkerPartTime.id)).toMatchObject({ accrued: 20 });
    await clearOverride({ employeeId: berliner.id, policyId });
    expect(await balanceOf(berliner.id)).toBeUndefined();
  });

  it('setting again replaces the override', async () => {
    await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 10 });
    const again = await setOverride({ employeeId: berliner.id, policyId, assigned: true });
    expect(again.override).toEqual({ assigned: true, amountPerYear: null });
    expect(await balanceOf(berliner.id)).toMatchObject({ accrued: 20 });
    await clearOverride({ employeeId: berliner.id, policyId });
  });

  it('refuses unknown employees and policies, amounts on exclusions or unlimited policies, and amounts out of bounds', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(codesOf((await setOverride({ employeeId: ghost, policyId, assigned: true })).userErrors)).toEqual([['EMPLOYEE_NOT_FOUND', 'input.employeeId']]);
    expect(codesOf((await setOverride({ employeeId: berliner.id, policyId: ghost, assigned: true })).userErrors)).toEqual([['POLICY_NOT_FOUND', 'input.policyId']]);
    expect(codesOf((await setOverride({ employeeId: 'x', policyId: 'y', assigned: true })).userErrors)).toEqual([
      ['EMPLOYEE_NOT_FOUND', 'input.employeeId'],
      ['POLICY_NOT_FOUND', 'input.policyId'],
    ]);
    expect(codesOf((await setOverride({ employeeId: berliner.id, policyId, assigned: false, amountPerYear: 5 })).userErrors)).toEqual([
      ['INVALID_VALUE', 'input.amountPerYear'],
    ]);
    expect(codesOf((await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 367 })).userErrors)).toEqual([
      ['INVALID_VALUE', 'input.amountPerYear'],
    ]);
    expect(codesOf((await setOverride({ employeeId: berliner.id, policyId: unlimitedId, assigned: true, amountPerYear: 5 })).userErrors)).toEqual([
      ['INVALID_VALUE', 'input.amountPerYear'],
    ]);
    // Nothing was stored by the refusals.
    expect(await balanceOf(berliner.id)).toBeUndefined();
    expect(codesOf((await clearOverride({ employeeId: berliner.id, policyId }))?.userErrors ?? [])).toEqual([['OVERRIDE_NOT_FOUND', 'input.policyId']]);
    expect(codesOf((await clearOverride({ employeeId: ghost, policyId }))?.userErrors ?? [])).toEqual([['EMPLOYEE_NOT_FOUND', 'input.employeeId']]);
  });

  it('HR reads a policy’s overrides with their employees', async () => {
    await setOverride({ employeeId: berliner.id, policyId, assigned: true, amountPerYear: 12.5 });
    const response = await app.gql<{ timeOffPolicies: { id: string; overrides: unknown[] }[] }>(
      `{ timeOffPolicies { id overrides { employee { id } policy { id } assigned amountPerYear } } }`,
    );
    expect(response.data?.timeOffPolicies.find((policy) => policy.id === policyId)?.overrides).toEqual([
      { employee: { id: berliner.id }, policy: { id: policyId }, assigned: true, amountPerYear: 12.5 },
    ]);
  });
});
