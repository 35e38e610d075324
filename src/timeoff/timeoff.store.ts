import { and, asc, desc, eq, getTableColumns, gte, inArray, lte, or, sql } from 'drizzle-orm';
import { columnsReader, compiledRead, placeholder } from '../db/compiled-read.js';
import { queryRows, type Database } from '../db/database.js';
import type { CalendarDate } from '../shared/dates.js';
import type { Holiday } from './calendar.js';
import type { DatedOverride, Rule, RuleSet } from './assignment.js';
import { sinceAlways, type PolicyTerms } from './policy-terms.js';
import {
  holidayCalendars,
  holidays,
  timeOffBalanceAdjustments,
  timeOffDecisions,
  timeOffPolicies,
  timeOffPolicyOverrides,
  timeOffPolicyRuleSets,
  timeOffPolicyRules,
  timeOffPolicyTerms,
  timeOffRequestDays,
  timeOffRequests,
  timeOffRequestStatus,
  type TimeOffAdjustmentRow,
  type TimeOffDecisionRow,
  type TimeOffPolicyRow,
  type TimeOffPolicyTermRow,
  type TimeOffRequestDayRow,
  type TimeOffRequestRow,
  type TimeOffRequestSummary,
  type TimeOffStatusValue,
} from './timeoff.tables.js';

// SQL only, set-based: every read takes many ids, so loaders cost one statement per batch.

// ---------------------------------------------------------------- policies

/**
 * Policies with their terms (oldest first), in one statement: a policy row per term, folded
 * back. A policy without terms still comes back (with none), so the broken invariant surfaces
 * where a term is needed rather than the policy vanishing.
 */
async function findPoliciesWithTerms(db: Database, ids: readonly string[] | null): Promise<TimeOffPolicyRow[]> {
  const p = timeOffPolicies;
  const t = timeOffPolicyTerms;
  const rows = await db
    .select({ policy: p, term: t })
    .from(p)
    .leftJoin(t, eq(t.policyId, p.id))
    .where(ids ? inArray(p.id, [...ids]) : undefined)
    .orderBy(asc(p.name), asc(p.id), asc(t.effectiveFrom));
  const byId = new Map<string, TimeOffPolicyRow>();
  for (const { policy, term } of rows) {
    const entry = byId.get(policy.id) ?? { ...policy, terms: [] };
    if (term) entry.terms.push(term);
    byId.set(policy.id, entry);
  }
  return [...byId.values()];
}

/** Every policy, by name. */
export async function findPolicies(db: Database): Promise<TimeOffPolicyRow[]> {
  return findPoliciesWithTerms(db, null);
}

export async function findPoliciesByIds(db: Database, ids: readonly string[]): Promise<TimeOffPolicyRow[]> {
  if (ids.length === 0) return [];
  return findPoliciesWithTerms(db, ids);
}

/** Terms of the given policies, oldest first. */
export async function findTermsOfPolicies(db: Database, policyIds: readonly string[]): Promise<TimeOffPolicyTermRow[]> {
  if (policyIds.length === 0) return [];
  const t = timeOffPolicyTerms;
  return db.select().from(t).where(inArray(t.policyId, [...policyIds])).orderBy(asc(t.policyId), asc(t.effectiveFrom));
}

/**
 * Every policy's rule sets recorded from `knownOn` or earlier, oldest first, each with its rules:
 * one statement (a row per rule, a set without rules still comes back, empty).
 */
export async function findRuleSets(db: Database, knownOn: CalendarDate): Promise<Map<string, RuleSet[]>> {
  const s = timeOffPolicyRuleSets;
  const r = timeOffPolicyRules;
  const rows = await db
    .select({ policyId: s.policyId, effectiveFrom: s.effectiveFrom, locationId: r.locationId, employmentType: r.employmentType, ruleId: r.id })
    .from(s)
    .leftJoin(r, and(eq(r.policyId, s.policyId), eq(r.effectiveFrom, s.effectiveFrom)))
    .where(lte(s.effectiveFrom, knownOn))
    .orderBy(asc(s.policyId), asc(s.effectiveFrom));
  const result = new Map<string, RuleSet[]>();
  let current: { policyId: string; effectiveFrom: CalendarDate; rules: Rule[] } | undefined;
  for (const row of rows) {
    if (!current || current.policyId !== row.policyId || current.effectiveFrom !== row.effectiveFrom) {
      current = { policyId: row.policyId, effectiveFrom: row.effectiveFrom, rules: [] };
      const sets = result.get(row.policyId) ?? [];
      sets.push(current);
      result.set(row.policyId, sets);
    }
    if (row.ruleId) current.rules.push({ locationId: row.locationId, employmentType: row.employmentType });
  }
  return result;
}

/** The employees' overrides recorded from `knownOn` or earlier, by employee then policy, oldest first. One statement. */
export async function findOverrides(
  db: Database,
  employeeIds: readonly string[],
  knownOn: CalendarDate,
): Promise<Map<string, Map<string, DatedOverride[]>>> {
  const result = new Map<string, Map<string, DatedOverride[]>>();
  if (employeeIds.length === 0) return result;
  const o = timeOffPolicyOverrides;
  const rows = await db
    .select()
    .from(o)
    .where(and(inArray(o.employeeId, [...employeeIds]), lte(o.effectiveFrom, knownOn)))
    .orderBy(asc(o.effectiveFrom));
  for (const row of rows) {
    const byPolicy = result.get(row.employeeId) ?? new Map<string, DatedOverride[]>();
    result.set(row.employeeId, byPolicy);
    const list = byPolicy.get(row.policyId) ?? [];
    byPolicy.set(row.policyId, list);
    list.push({ effectiveFrom: row.effectiveFrom, assigned: row.assigned, amountPerYear: row.amountPerYear });
  }
  return result;
}

/** A new policy with its first term, in force since always (a new policy has no history to keep). */
export async function insertPolicy(
  db: Database,
  values: Omit<typeof timeOffPolicies.$inferInsert, 'id' | 'createdAt'> & PolicyTerms,
  recordedBy: string,
): Promise<TimeOffPolicyRow> {
  const { accrualKind, amountPerYear, carryOverCap, negativeBalanceLimit, ...fields } = values;
  const [row] = await db.insert(timeOffPolicies).values(fields).returning();
  if (!row) throw new Error('policy insert returned nothing');
  const [term] = await db
    .insert(timeOffPolicyTerms)
    .values({ policyId: row.id, effectiveFrom: sinceAlways, accrualKind, amountPerYear, carryOverCap, negativeBalanceLimit, recordedBy })
    .returning();
  if (!term) throw new Error('policy term insert returned nothing');
  return { ...row, terms: [term] };
}

/**
 * Records the rule set of a policy in force from `effectiveFrom` (default: since always),
 * replacing a set recorded from that same day. Call inside a transaction.
 */
export async function replaceRuleSet(
  db: Database,
  policyId: string,
  rules: readonly Rule[],
  recordedBy: string,
  effectiveFrom: CalendarDate = sinceAlways,
): Promise<void> {
  const s = timeOffPolicyRuleSets;
  // Deleting the set cascades to its rules; the new set then starts empty.
  await db.delete(s).where(and(eq(s.policyId, policyId), eq(s.effectiveFrom, effectiveFrom)));
  await db.insert(s).values({ policyId, effectiveFrom, recordedBy });
  if (rules.length > 0) await db.insert(timeOffPolicyRules).values(rules.map((rule) => ({ policyId, effectiveFrom, ...rule })));
}

/** Records an override from its `effectiveFrom`, replacing one recorded from that same day. */
export async function upsertOverride(db: Database, values: typeof timeOffPolicyOverrides.$inferInsert): Promise<void> {
  const o = timeOffPolicyOverrides;
  await db
    .insert(o)
    .values(values)
    .onConflictDoUpdate({
      target: [o.employeeId, o.policyId, o.effectiveFrom],
      set: { assigned: values.assigned ?? null, amountPerYear: values.amountPerYear ?? null, recordedBy: values.recordedBy, recordedAt: sql`now()` },
    });
}

// ---------------------------------------------------------------- holidays

export async function insertHolidayCalendar(
  db: Database,
  values: { locationId: string; name: string },
  days: readonly Holiday[],
): Promise<string> {
  const [calendar] = await db.insert(holidayCalendars).values(values).returning({ id: holidayCalendars.id });
  if (!calendar) throw new Error('calendar insert returned nothing');
  if (days.length > 0) await db.insert(holidays).values(days.map((day) => ({ calendarId: calendar.id, ...day })));
  return calendar.id;
}

/** Holidays of the locations in a date range, with their location. */
export async function findHolidays(
  db: Database,
  locationIds: readonly string[],
  from: CalendarDate,
  to: CalendarDate,
): Promise<(Holiday & { locationId: string })[]> {
  if (locationIds.length === 0) return [];
  return db
    .select({ locationId: holidayCalendars.locationId, date: holidays.date, name: holidays.name, halfDay: holidays.halfDay })
    .from(holidays)
    .innerJoin(holidayCalendars, eq(holidayCalendars.id, holidays.calendarId))
    .where(and(inArray(holidayCalendars.locationId, [...locationIds]), gte(holidays.date, from), lte(holidays.date, to)));
}

// ---------------------------------------------------------------- requests

export async function insertRequest(
  db: Database,
  values: typeof timeOffRequests.$inferInsert,
  days: readonly Omit<TimeOffRequestDayRow, 'requestId'>[],
): Promise<TimeOffRequestRow> {
  const [row] = await db.insert(timeOffRequests).values(values).returning();
  if (!row) throw new Error('request insert returned nothing');
  if (days.length > 0) await db.insert(timeOffRequestDays).values(days.map((day) => ({ ...day, requestId: row.id })));
  return row;
}

export async function findRequestsByIds(db: Database, ids: readonly string[]): Promise<TimeOffRequestRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(timeOffRequests).where(inArray(timeOffRequests.id, [...ids]));
}

export async function lockRequest(db: Database, id: string): Promise<TimeOffRequestRow | null> {
  const rows = await db.select().from(timeOffRequests).where(eq(timeOffRequests.id, id)).for('update');
  return rows[0] ?? null;
}

export async function updateRequest(
  db: Database,
  id: string,
  values: Partial<Pick<TimeOffRequestRow, 'status' | 'currentStep' | 'deductedAmount'>>,
): Promise<void> {
  await db
    .update(timeOffRequests)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(timeOffRequests.id, id));
}

export async function insertDecision(db: Database, values: typeof timeOffDecisions.$inferInsert): Promise<void> {
  await db.insert(timeOffDecisions).values(values);
}

const {
  approvalChain: _approvalChain,
  reason: _reason,
  createdBy: _createdBy,
  createdAt: _createdAt,
  updatedAt: _updatedAt,
  ...summaryColumns
} = getTableColumns(timeOffRequests);
/** The hot reads' columns: a request's summary (`TimeOffRequestSummary`). */
const requestRow = columnsReader(summaryColumns, sql`r`);
// Through text[]: PGlite serialises an array parameter by its declared type and knows no enum's.
const statusList = sql`${placeholder<string[] | null>('statuses')}::text[]::${sql.identifier(timeOffRequestStatus.enumName)}[]`;

// One statement text for every range shape: an absent bound or status list is a null value, so
// PostgreSQL keeps one prepared statement for the loader's batches (PSA's `timeOff`).
const requestsOfEmployees = compiledRead<{ employeeIds: string[]; from: CalendarDate | null; to: CalendarDate | null; statuses: string[] | null }>(
  'time_off_requests_of_employees',
  () => {
    const from = placeholder<CalendarDate | null>('from');
    const to = placeholder<CalendarDate | null>('to');
    return sql`select ${requestRow.select} from ${timeOffRequests} r
      where r.employee_id = any(${placeholder<string[]>('employeeIds')}::uuid[])
        and (${from}::date is null or r.end_date >= ${from}::date)
        and (${to}::date is null or r.start_date <= ${to}::date)
        and (${statusList} is null or r.status = any(${statusList}))
      order by r.start_date desc, r.created_at desc`;
  },
);

/** Requests of employees intersecting a range (either bound optional), newest first. */
export async function findRequestsOfEmployees(
  db: Database,
  employeeIds: readonly string[],
  range: { from: CalendarDate | null; to: CalendarDate | null; statuses: readonly TimeOffStatusValue[] | null },
): Promise<TimeOffRequestSummary[]> {
  if (employeeIds.length === 0) return [];
  const rows = await requestsOfEmployees(db, {
    employeeIds: [...employeeIds],
    from: range.from,
    to: range.to,
    statuses: range.statuses ? [...range.statuses] : null,
  });
  return rows.map(requestRow.decode);
}

/**
 * Pending requests someone may have to decide: of `employeeIds` (those below the caller: manager
 * steps), whose chain names one of `namedApproverIds` (named steps, and the managers they fall
 * back to), or, with `atHrStep`, whose current step is an HR step. Oldest first.
 */
export async function findPendingRequestsFor(
  db: Database,
  criteria: { employeeIds: readonly string[]; namedApproverIds: readonly string[]; atHrStep: boolean },
): Promise<TimeOffRequestRow[]> {
  const r = timeOffRequests;
  const whose = [
    criteria.employeeIds.length > 0 ? inArray(r.employeeId, [...criteria.employeeIds]) : undefined,
    criteria.namedApproverIds.length > 0
      ? sql`exists (select 1 from jsonb_array_elements(${r.approvalChain}) as step where step->>'kind' = 'NAMED' and step->>'employeeId' in (${sql.join(
          criteria.namedApproverIds.map((id) => sql`${id}`),
          sql`, `,
        )}))`
      : undefined,
    criteria.atHrStep ? sql`(${r.approvalChain} -> ${r.currentStep}) ->> 'kind' = 'HR'` : undefined,
  ].filter((condition) => condition !== undefined);
  // No criterion is nobody, not everyone.
  if (whose.length === 0) return [];
  return db
    .select()
    .from(r)
    .where(and(eq(r.status, 'PENDING'), or(...whose)))
    .orderBy(asc(r.createdAt), asc(r.id));
}

export async function findDaysOfRequests(db: Database, requestIds: readonly string[]): Promise<TimeOffRequestDayRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .select()
    .from(timeOffRequestDays)
    .where(inArray(timeOffRequestDays.requestId, [...requestIds]))
    .orderBy(asc(timeOffRequestDays.date));
}

export async function findDecisionsOfRequests(db: Database, requestIds: readonly string[]): Promise<TimeOffDecisionRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .select()
    .from(timeOffDecisions)
    .where(inArray(timeOffDecisions.requestId, [...requestIds]))
    .orderBy(asc(timeOffDecisions.sequence));
}

/** Day rows of an employee's open (pending or approved) requests on the given dates, but one request. */
export async function findOpenDaysOn(
  db: Database,
  employeeId: string,
  dates: readonly CalendarDate[],
): Promise<{ requestId: string; date: CalendarDate; portion: TimeOffRequestDayRow['portion'] }[]> {
  if (dates.length === 0) return [];
  const r = timeOffRequests;
  const d = timeOffRequestDays;
  return db
    .select({ requestId: d.requestId, date: d.date, portion: d.portion })
    .from(d)
    .innerJoin(r, eq(r.id, d.requestId))
    .where(and(eq(r.employeeId, employeeId), inArray(r.status, ['PENDING', 'APPROVED']), inArray(d.date, [...dates])));
}

export interface TakenDayRow {
  employeeId: string;
  date: CalendarDate;
  portion: TimeOffRequestDayRow['portion'];
  hours: number | null;
  status: TimeOffStatusValue;
  category: string;
  privatePolicy: boolean;
}

/** Requested days of employees within a range, with their request's status and policy category. One statement. */
export async function findTakenDays(
  db: Database,
  employeeIds: readonly string[],
  from: CalendarDate,
  to: CalendarDate,
  statuses: readonly TimeOffStatusValue[],
): Promise<TakenDayRow[]> {
  if (employeeIds.length === 0 || statuses.length === 0) return [];
  const r = timeOffRequests;
  const d = timeOffRequestDays;
  const p = timeOffPolicies;
  return db
    .select({
      employeeId: r.employeeId,
      date: d.date,
      portion: d.portion,
      hours: d.hours,
      status: r.status,
      category: p.category,
      privatePolicy: p.private,
    })
    .from(d)
    .innerJoin(r, eq(r.id, d.requestId))
    .innerJoin(p, eq(p.id, r.policyId))
    .where(
      and(
        inArray(r.employeeId, [...employeeIds]),
        inArray(r.status, [...statuses]),
        gte(d.date, from),
        lte(d.date, to),
      ),
    )
    .orderBy(asc(d.date));
}

/** `timeOffCalendar`'s read: one statement text for everyone and for a list (null: everyone). */
const requestsInRange = compiledRead<{ employeeIds: string[] | null; from: CalendarDate; to: CalendarDate; statuses: string[] }>(
  'time_off_requests_in_range',
  () => {
    const employeeIds = placeholder<string[] | null>('employeeIds');
    return sql`select ${requestRow.select} from ${timeOffRequests} r
      where (${employeeIds}::uuid[] is null or r.employee_id = any(${employeeIds}::uuid[]))
        and r.status = any(${statusList})
        and r.end_date >= ${placeholder<CalendarDate>('from')}::date
        and r.start_date <= ${placeholder<CalendarDate>('to')}::date
      order by r.start_date, r.employee_id, r.id`;
  },
);

/** Requests intersecting a range, of the given employees or (null) everyone, by start date. */
export async function findRequestsInRange(
  db: Database,
  employeeIds: readonly string[] | null,
  from: CalendarDate,
  to: CalendarDate,
  statuses: readonly TimeOffStatusValue[],
): Promise<TimeOffRequestSummary[]> {
  if ((employeeIds && employeeIds.length === 0) || statuses.length === 0) return [];
  const rows = await requestsInRange(db, { employeeIds: employeeIds ? [...employeeIds] : null, from, to, statuses: [...statuses] });
  return rows.map(requestRow.decode);
}

// ---------------------------------------------------------------- balances

export interface UsageRow {
  employeeId: string;
  policyId: string;
  year: number;
  approved: number;
  approvedToDate: number;
  pending: number;
}

/**
 * Per employee, policy and calendar year up to the year of `asOf`: approved days (all, and those
 * on or before `asOf`) and pending days. One statement.
 */
export async function sumUsage(db: Database, employeeIds: readonly string[], asOf: CalendarDate): Promise<UsageRow[]> {
  if (employeeIds.length === 0) return [];
  const yearEnd = `${asOf.slice(0, 4)}-12-31`;
  const rows = await queryRows<{
    employeeId: string;
    policyId: string;
    year: number;
    approved: string | null;
    approvedToDate: string | null;
    pending: string | null;
  }>(
    db,
    sql`select r.employee_id as "employeeId", r.policy_id as "policyId",
          extract(year from d.date)::int as year,
          sum(d.amount) filter (where r.status = 'APPROVED') as approved,
          sum(d.amount) filter (where r.status = 'APPROVED' and d.date <= ${asOf}) as "approvedToDate",
          sum(d.amount) filter (where r.status = 'PENDING') as pending
        from ${timeOffRequestDays} d join ${timeOffRequests} r on r.id = d.request_id
        where r.employee_id in ${[...employeeIds]} and d.date <= ${yearEnd}
          and r.status in ('APPROVED', 'PENDING')
        group by 1, 2, 3`,
  );
  return rows.map((row) => ({
    employeeId: row.employeeId,
    policyId: row.policyId,
    year: Number(row.year),
    approved: Number(row.approved ?? 0),
    approvedToDate: Number(row.approvedToDate ?? 0),
    pending: Number(row.pending ?? 0),
  }));
}

export interface AdjustmentSumRow {
  employeeId: string;
  policyId: string;
  year: number;
  amount: number;
}

/** Manual adjustments per employee, policy and year, effective on or before `asOf`. One statement. */
export async function sumAdjustments(
  db: Database,
  employeeIds: readonly string[],
  asOf: CalendarDate,
): Promise<AdjustmentSumRow[]> {
  if (employeeIds.length === 0) return [];
  const a = timeOffBalanceAdjustments;
  const year = sql<number>`extract(year from ${a.effectiveDate})::int`;
  const rows = await db
    .select({ employeeId: a.employeeId, policyId: a.policyId, year, amount: sql<string>`sum(${a.amount})` })
    .from(a)
    .where(and(inArray(a.employeeId, [...employeeIds]), lte(a.effectiveDate, asOf)))
    .groupBy(a.employeeId, a.policyId, year);
  return rows.map((row) => ({ ...row, year: Number(row.year), amount: Number(row.amount) }));
}

/** Every manual adjustment of the employees' balances, latest effective first. One statement. */
export async function findAdjustments(db: Database, employeeIds: readonly string[]): Promise<TimeOffAdjustmentRow[]> {
  if (employeeIds.length === 0) return [];
  const a = timeOffBalanceAdjustments;
  return db
    .select()
    .from(a)
    .where(inArray(a.employeeId, [...employeeIds]))
    .orderBy(desc(a.effectiveDate), desc(a.recordedAt));
}

export async function insertAdjustment(db: Database, values: typeof timeOffBalanceAdjustments.$inferInsert): Promise<void> {
  await db.insert(timeOffBalanceAdjustments).values(values);
}

