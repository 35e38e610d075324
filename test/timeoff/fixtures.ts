import { sinceAlways } from '../../src/timeoff/policy-terms.js';
import { replaceRuleSet, upsertOverride } from '../../src/timeoff/timeoff.store.js';
import type { ApprovalStep } from '../../src/timeoff/timeoff.tables.js';
import type { OrgBasics } from '../support/fixtures.js';
import type { GraphQLResponse, TestApp } from '../support/server.js';

// Policies and holiday calendars go through the administration mutations, as HR would set them
// up (the test caller is an Admin). Their assignment holds since always (as migration 0006 gives
// the rules of policies that predate dated assignment), so tests can read balances and carry-over
// of any past year; that is history no mutation may write (they reach back a year at most), so it
// goes to the store. test/timeoff/assignment-history.test.ts covers the dated mutations.

export interface TimeOffBasics {
  vacation: string;
  sick: string;
  newYorkOnly: string;
  waiting: string;
}

let policyCounter = 0;

interface AdminPayload {
  userErrors: { field: string[] | null; code: string; message: string }[];
}

/** Runs one administration mutation and fails the test loudly if People refuses. */
export async function administer<T extends AdminPayload>(
  app: TestApp,
  mutation: string,
  field: string,
  input: Record<string, unknown>,
): Promise<T> {
  const response = await app.gql<Record<string, T>>(mutation, { input });
  const payload = response.data?.[field];
  if (!payload || payload.userErrors.length > 0) {
    throw new Error(`${field} failed: ${JSON.stringify(response.errors ?? payload?.userErrors)}`);
  }
  return payload;
}

export const adminMutations = {
  createPolicy: /* GraphQL */ `mutation CreatePolicy($input: CreateTimeOffPolicyInput!) { createTimeOffPolicy(input: $input) { policy { id } userErrors { field code message } } }`,
  setRules: /* GraphQL */ `mutation SetRules($input: SetTimeOffPolicyRulesInput!) { setTimeOffPolicyRules(input: $input) { policy { id } userErrors { field code message } } }`,
  setOverride: /* GraphQL */ `mutation SetOverride($input: SetTimeOffPolicyOverrideInput!) { setTimeOffPolicyOverride(input: $input) { override { assigned } userErrors { field code message } } }`,
  createCalendar: /* GraphQL */ `mutation CreateCalendar($input: CreateHolidayCalendarInput!) { createHolidayCalendar(input: $input) { calendar { id } userErrors { field code message } } }`,
  setHolidays: /* GraphQL */ `mutation SetHolidays($input: SetHolidaysInput!) { setHolidays(input: $input) { calendar { id } userErrors { field code message } } }`,
} as const;

export async function createPolicy(
  app: TestApp,
  values: {
    name?: string;
    category?: string;
    accrualKind?: 'ANNUAL_GRANT' | 'MONTHLY' | 'UNLIMITED';
    amountPerYear?: number;
    carryOverCap?: number | null;
    negativeBalanceLimit?: number;
    waitingPeriodDays?: number;
    private?: boolean;
    approvalChain?: ApprovalStep[];
  },
  assign: { locationId?: string | null; employmentType?: 'FULL_TIME' | 'PART_TIME' | null; employeeIds?: string[] } = {},
): Promise<string> {
  policyCounter += 1;
  const created = await administer<AdminPayload & { policy: { id: string } }>(app, adminMutations.createPolicy, 'createTimeOffPolicy', {
    code: `P${policyCounter}`,
    name: values.name ?? `Policy ${policyCounter}`,
    category: values.category ?? 'VACATION',
    accrualKind: values.accrualKind ?? 'ANNUAL_GRANT',
    amountPerYear: values.amountPerYear ?? (values.accrualKind === 'UNLIMITED' ? 0 : 25),
    carryOverCap: values.carryOverCap === undefined ? 5 : values.carryOverCap,
    negativeBalanceLimit: values.negativeBalanceLimit ?? 0,
    waitingPeriodDays: values.waitingPeriodDays ?? 0,
    private: values.private ?? false,
    approvalChain: values.approvalChain ?? [{ kind: 'MANAGER' }],
  });
  const policyId = created.policy.id;
  const db = app.database.db;
  const recordedBy = 'test fixture';
  if (assign.employeeIds) {
    for (const employeeId of assign.employeeIds) {
      await upsertOverride(db, { employeeId, policyId, effectiveFrom: sinceAlways, assigned: true, recordedBy });
    }
  } else {
    await replaceRuleSet(db, policyId, [{ locationId: assign.locationId ?? null, employmentType: assign.employmentType ?? null }], recordedBy, sinceAlways);
  }
  return policyId;
}

/** A location's holiday calendar with its holidays, one `setHolidays` per year they fall in. */
export async function createHolidayCalendar(
  app: TestApp,
  locationId: string,
  name: string,
  days: readonly { date: string; name: string; halfDay: boolean }[],
): Promise<string> {
  const created = await administer<AdminPayload & { calendar: { id: string } }>(app, adminMutations.createCalendar, 'createHolidayCalendar', { locationId, name });
  const calendarId = created.calendar.id;
  for (const year of new Set(days.map((day) => Number(day.date.slice(0, 4))))) {
    const holidays = days.filter((day) => Number(day.date.slice(0, 4)) === year);
    await administer(app, adminMutations.setHolidays, 'setHolidays', { calendarId, year, holidays });
  }
  return calendarId;
}

/** Vacation (manager, then HR over 5 days), private sick leave, a New York-only policy, one with a waiting period; Berlin holidays. */
export async function createTimeOffBasics(app: TestApp, org: OrgBasics): Promise<TimeOffBasics> {
  const vacation = await createPolicy(app, {
    name: 'Vacation',
    approvalChain: [{ kind: 'MANAGER' }, { kind: 'HR', whenLongerThanDays: 5 }],
  });
  const sick = await createPolicy(app, {
    name: 'Sick leave',
    category: 'SICK',
    accrualKind: 'UNLIMITED',
    amountPerYear: 0,
    private: true,
    approvalChain: [],
  });
  const newYorkOnly = await createPolicy(app, { name: 'NY personal', category: 'PERSONAL', amountPerYear: 3 }, { locationId: org.locations.newYork });
  const waiting = await createPolicy(app, { name: 'Waiting', waitingPeriodDays: 90 });
  await createHolidayCalendar(app, org.locations.berlin, 'Berlin', [
    { date: '2026-10-03', name: 'Tag der Deutschen Einheit', halfDay: false }, // a Saturday
    { date: '2026-12-24', name: 'Heiligabend', halfDay: true },
    { date: '2026-12-25', name: 'Erster Weihnachtstag', halfDay: false },
    { date: '2026-12-31', name: 'Silvester', halfDay: true },
    { date: '2027-01-01', name: 'Neujahr', halfDay: false },
  ]);
  return { vacation, sick, newYorkOnly, waiting };
}

export const requestMutation = /* GraphQL */ `
  mutation Request($input: RequestTimeOffInput!) {
    requestTimeOff(input: $input) {
      request { id status amount deductedAmount startDate endDate currentStep stepCount availableActions days { date portion hours amount } }
      userErrors { field code message }
    }
  }
`;

export const decisionMutations = {
  approve: /* GraphQL */ `mutation Approve($input: TimeOffDecisionInput!) { approveTimeOffRequest(input: $input) { request { id status currentStep deductedAmount decisions { stepIndex decision actingAs approver { id } comment decidedAt } } userErrors { code message } } }`,
  deny: /* GraphQL */ `mutation Deny($input: TimeOffDecisionInput!) { denyTimeOffRequest(input: $input) { request { id status decisions { decision actingAs comment } } userErrors { code message } } }`,
  cancel: /* GraphQL */ `mutation Cancel($input: TimeOffDecisionInput!) { cancelTimeOffRequest(input: $input) { request { id status decisions { decision actingAs } } userErrors { code message } } }`,
} as const;

export interface RequestPayload {
  request: {
    id: string;
    status: string;
    amount: number;
    deductedAmount: number | null;
    startDate: string;
    endDate: string;
    currentStep: number | null;
    stepCount: number;
    availableActions: string[];
    days: { date: string; portion: string; hours: number | null; amount: number }[];
  } | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
}

export async function requestTimeOff(
  app: TestApp,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<RequestPayload> {
  const response = await app.gql<{ requestTimeOff: RequestPayload }>(requestMutation, { input }, headers);
  if (!response.data) throw new Error(`requestTimeOff failed: ${JSON.stringify(response.errors)}`);
  return response.data.requestTimeOff;
}

export interface DecisionPayload {
  request: { id: string; status: string; currentStep?: number | null; deductedAmount?: number | null; decisions: { stepIndex?: number | null; decision: string; actingAs: string; approver?: { id: string } | null; comment?: string | null }[] | null } | null;
  userErrors: { code: string; message: string }[];
}

export async function decide(
  app: TestApp,
  kind: keyof typeof decisionMutations,
  input: { id: string; comment?: string; step?: number },
  headers?: Record<string, string>,
): Promise<GraphQLResponse<Record<string, DecisionPayload>> & { payload: DecisionPayload | null }> {
  const response = await app.gql<Record<string, DecisionPayload>>(decisionMutations[kind], { input }, headers);
  const field = { approve: 'approveTimeOffRequest', deny: 'denyTimeOffRequest', cancel: 'cancelTimeOffRequest' }[kind];
  return { ...response, payload: response.data?.[field] ?? null };
}
