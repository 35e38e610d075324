import { GraphQLError } from 'graphql';
import type { RequestContext, RequestLoaders } from '../graphql/context.js';
import { hasRole, hrRoles, type AuthenticatedCaller, type Role, type ServiceName } from './caller.js';

// The one permission vocabulary and its evaluator. Each domain writes who may see or do what as a
// table of rules (lists of grants, below) and asks this file, the only one that knows what a grant
// means. What the caller is to an employee is worked out from the caller alone, except whether
// they are above the employee in the reporting line: that is looked up once per request, for
// every employee at once, and only when a rule turns on it.

/**
 * Whom a rule lets through:
 *
 *   a role       a person with that People role (`ADMIN`, `HR_MANAGER`, `HR_STAFF`, `MANAGER`, `VIEWER`)
 *   hr           a person with any of the three HR roles (Admin, HR Manager, HR Staff)
 *   knownUser    a person People knows: with a role, or with an employee record of their own
 *   self         the employee is the one the person is taken for (`caller.employeeId`)
 *   line         the person is above the employee in the reporting line today, whatever their role
 *   lineManager  line, for a person with the Manager role ("a Manager's reports")
 *   service:X    the service X, by its key
 *
 * The system caller (demo data, scheduled jobs) passes every rule. Separation of duties ("never
 * one's own record") is no grant: it only refuses, through `isOwnRecord` (./access.ts).
 */
export type Grant = Role | 'hr' | 'knownUser' | 'self' | 'line' | 'lineManager' | ServiceGrant;
type ServiceGrant = `service:${ServiceName}`;

/** A rule passes when any of its grants holds. */
export type Rule = readonly Grant[];

/** A rule that never turns on the reporting line, so it is decided synchronously whatever the target. */
export type ImmediateRule = readonly Exclude<Grant, 'line' | 'lineManager'>[];

/** A domain's rules, by what each permits: every access file has one, in this shape. */
export type RuleTable<Name extends string = string> = Readonly<Record<Name, Rule>>;

/** What the caller is to one employee (the target), or to nobody in particular. */
export interface Relation {
  readonly caller: AuthenticatedCaller;
  /** The target is the employee the caller is taken for. */
  readonly self: boolean;
  /** The caller is above the target in the reporting line today; null while no rule needed to know. */
  readonly line: boolean | null;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

function isServiceGrant(grant: Grant): grant is ServiceGrant {
  return grant.startsWith('service:');
}

function isLineGrant(grant: Grant): boolean {
  return grant === 'line' || grant === 'lineManager';
}

function lineOf(relation: Relation): boolean {
  if (relation.line === null) {
    throw new Error('The reporting line was not looked up for this rule: get the relation from relationTo with the rule.');
  }
  return relation.line;
}

function holds(grant: Grant, relation: Relation): boolean {
  const { caller } = relation;
  switch (grant) {
    case 'hr':
      return hasRole(caller, ...hrRoles);
    case 'knownUser':
      return caller.kind === 'user' && (caller.roles.length > 0 || caller.employeeId !== null);
    case 'self':
      return relation.self;
    case 'line':
      return lineOf(relation);
    case 'lineManager':
      return hasRole(caller, 'MANAGER') && lineOf(relation);
    default:
      return isServiceGrant(grant) ? caller.kind === 'service' && grant === `service:${caller.service}` : hasRole(caller, grant);
  }
}

/** Whether `rule` lets the caller through, given what they are to the target. Synchronous. */
export function allows(rule: Rule, relation: Relation): boolean {
  if (relation.caller.kind === 'system') return true;
  // Grants known without the line first: the line is then needed only when they all fail.
  return (
    rule.some((grant) => !isLineGrant(grant) && holds(grant, relation)) ||
    rule.some((grant) => isLineGrant(grant) && holds(grant, relation))
  );
}

/** Only the reporting line can still decide `rule` for this caller. */
function needsLine(rule: Rule, relation: Relation): boolean {
  if (relation.line !== null || relation.caller.kind === 'system') return false;
  const lineCounts = rule.some((grant) => grant === 'line' || (grant === 'lineManager' && hasRole(relation.caller, 'MANAGER')));
  return lineCounts && !rule.some((grant) => !isLineGrant(grant) && holds(grant, relation));
}

/** The facts known from the caller alone; the line is false where it cannot hold, else not looked up yet. */
function relationOf(caller: AuthenticatedCaller, targetId: string | null): Relation {
  const employeeId = caller.kind === 'user' ? caller.employeeId : null;
  const self = employeeId !== null && employeeId === targetId;
  // Only an employee is above anyone in a reporting line, and nobody is above themself.
  return { caller, self, line: employeeId === null || targetId === null || self ? false : null };
}

/**
 * What the caller is to employee `targetId` (null: nobody in particular), enough to decide
 * `rules`: synchronous, unless one of them turns on the reporting line, which is then read from
 * the caller's reports (`lineBelowCaller`, one lookup per request for every target).
 */
export function relationTo(ctx: RequestContext, targetId: string | null, rules: readonly Rule[]): Relation | Promise<Relation> {
  const relation = relationOf(ctx.caller, targetId);
  if (targetId === null || !rules.some((rule) => needsLine(rule, relation))) return relation;
  return lineBelowCaller(ctx).then((below) => ({ ...relation, line: below.has(targetId) }));
}

/** Whether `rule` lets the caller at employee `targetId`: synchronous unless only the reporting line can tell. */
export function allowedOn(ctx: RequestContext, rule: Rule, targetId: string): boolean | Promise<boolean> {
  const decided = targetFreeDecision(ctx.caller, rule);
  if (decided !== null) return decided;
  const relation = relationOf(ctx.caller, targetId);
  if (!needsLine(rule, relation)) return allows(rule, relation);
  return lineBelowCaller(ctx).then((below) => allows(rule, { ...relation, line: below.has(targetId) }));
}

/** Per caller (one object per request), each rule's decision where the target cannot change it. */
const targetFreeDecisions = new WeakMap<AuthenticatedCaller, Map<Rule, boolean | null>>();

/**
 * The caller's decision on `rule` when it is the same for every employee, else null: true when a
 * grant that does not look at the target holds (a role, a service, knownUser: the caller alone
 * decides them), false when none does and the caller is no employee (so neither self nor the
 * reporting line can hold). Worked out once per request and rule, not per field and row: a
 * service reading 500 employees decides each field group once.
 */
function targetFreeDecision(caller: AuthenticatedCaller, rule: Rule): boolean | null {
  let decisions = targetFreeDecisions.get(caller);
  if (!decisions) {
    decisions = new Map();
    targetFreeDecisions.set(caller, decisions);
  }
  const known = decisions.get(rule);
  if (known !== undefined) return known;
  const nobody = relationOf(caller, null);
  let decision: boolean | null;
  if (caller.kind === 'system' || rule.some((grant) => grant !== 'self' && !isLineGrant(grant) && holds(grant, nobody))) decision = true;
  else decision = caller.kind === 'user' && caller.employeeId !== null ? null : false;
  decisions.set(rule, decision);
  return decision;
}

/** Whether a rule that never turns on the reporting line lets the caller at employee `targetId`. */
export function allowedNow(ctx: Pick<RequestContext, 'caller'>, rule: ImmediateRule, targetId: string): boolean {
  return allows(rule, relationOf(ctx.caller, targetId));
}

/** Refuses (FORBIDDEN, with `message`) unless `rule` lets the caller at employee `targetId`. */
export async function assertAllowed(ctx: RequestContext, rule: Rule, targetId: string, message: string): Promise<void> {
  if (!(await allowedOn(ctx, rule, targetId))) throw forbidden(message);
}

/** Whether `rule` lets the caller through about nobody in particular (lists, catalogs, administration). */
export function callerAllowed(ctx: Pick<RequestContext, 'caller'>, rule: Rule): boolean {
  return allows(rule, relationOf(ctx.caller, null));
}

/** Refuses (FORBIDDEN, with `message`) unless `rule` lets the caller through about nobody in particular. */
export function assertCallerAllowed(ctx: Pick<RequestContext, 'caller'>, rule: Rule, message: string): void {
  if (!callerAllowed(ctx, rule)) throw forbidden(message);
}

/** Each request's reports of the caller, by the request's employee loaders (new after a write). */
const linesBelow = new WeakMap<RequestLoaders['employees'], Promise<ReadonlySet<string>>>();

/**
 * Everyone below the caller in the reporting line today (direct and indirect reports); empty
 * for a caller who is no employee. One lookup per request, started afresh with the loaders
 * after a write.
 */
export function lineBelowCaller(ctx: RequestContext): Promise<ReadonlySet<string>> {
  const { caller } = ctx;
  if (caller.kind !== 'user' || caller.employeeId === null) return Promise.resolve(new Set());
  const loaders = ctx.loaders.employees;
  let below = linesBelow.get(loaders);
  if (!below) {
    below = loaders.allReportIds.load({ key: caller.employeeId, asOf: ctx.today }).then((ids) => new Set(ids));
    linesBelow.set(loaders, below);
  }
  return below;
}
