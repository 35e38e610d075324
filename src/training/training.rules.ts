import type { EmployeeRecord, JobState } from '../employees/employee.service.js';
import { addDays, addMonths, type CalendarDate } from '../shared/dates.js';
import type { TrainingEnrollmentRow, TrainingRequirementRow } from './training.tables.js';

// What training rules require of one employee, for one course, on one day. Pure: the assignment
// run, the compliance report and each enrollment's status read the rows once and ask here.
//
//   due first      the latest of the employee's start and the day the rule took effect, plus
//                  the rule's `dueWithinDays` (the earliest such day over the rules that apply)
//   valid until    a completion counts until the day before `completedOn` + `renewalMonths`
//                  (the shortest renewal over the rules); without renewal, forever
//   due again      on that renewal day; the renewal enrollment is made `renewalLeadDays` before

/** How long before a completion runs out its renewal enrollment is made. */
export const renewalLeadDays = 30;

export const isOpen = (enrollment: TrainingEnrollmentRow): boolean => enrollment.status === 'ENROLLED' || enrollment.status === 'IN_PROGRESS';

/** Whether a rule in force matches someone with this job (a null criterion matches anyone). */
export function ruleApplies(rule: TrainingRequirementRow, job: JobState | null): boolean {
  if (rule.removedAt !== null || !job) return false;
  return (
    (rule.departmentId === null || rule.departmentId === job.departmentId) &&
    (rule.locationId === null || rule.locationId === job.locationId) &&
    (rule.employmentType === null || rule.employmentType === job.employmentType)
  );
}

/** The rules in force of `courseId` that apply to an employee with this job. */
export function rulesFor(rules: readonly TrainingRequirementRow[], courseId: string, job: JobState | null): TrainingRequirementRow[] {
  return rules.filter((rule) => rule.courseId === courseId && ruleApplies(rule, job));
}

/** The shortest renewal of the rules, in months; null when none renews. */
export function renewalMonthsOf(rules: readonly TrainingRequirementRow[]): number | null {
  const months = rules.flatMap((rule) => (rule.renewalMonths === null ? [] : [rule.renewalMonths]));
  return months.length > 0 ? Math.min(...months) : null;
}

/** The last day a completion on `completedOn` counts, given the rules' renewal; null: it never runs out. */
export function validUntil(completedOn: CalendarDate, renewalMonths: number | null): CalendarDate | null {
  return renewalMonths === null ? null : addDays(addMonths(completedOn, renewalMonths), -1);
}

/** When the rules first want the course done, and by which rule: the earliest due day. */
export function firstDue(rules: readonly TrainingRequirementRow[], startedOn: CalendarDate): { dueOn: CalendarDate; rule: TrainingRequirementRow } | null {
  let best: { dueOn: CalendarDate; rule: TrainingRequirementRow } | null = null;
  for (const rule of rules) {
    const from = startedOn > rule.effectiveFrom ? startedOn : rule.effectiveFrom;
    const dueOn = addDays(from, rule.dueWithinDays);
    if (!best || dueOn < best.dueOn) best = { dueOn, rule };
  }
  return best;
}

/** The employee's latest completion of the course, if any. */
export function latestCompletion(enrollments: readonly TrainingEnrollmentRow[]): TrainingEnrollmentRow | null {
  let latest: TrainingEnrollmentRow | null = null;
  for (const enrollment of enrollments) {
    if (enrollment.status !== 'COMPLETED' || enrollment.completedOn === null) continue;
    if (!latest || (latest.completedOn ?? '') < enrollment.completedOn) latest = enrollment;
  }
  return latest;
}

export type RequirementState = 'COMPLETED' | 'DUE' | 'OVERDUE';

export interface RequirementStanding {
  state: RequirementState;
  /** When it is (or was) due; null when completed for good. */
  dueOn: CalendarDate | null;
  /** What an assignment run should enroll now (none while an enrollment is open or nothing is due soon). */
  enroll: { source: 'REQUIREMENT' | 'RENEWAL'; dueOn: CalendarDate; requirementId: string } | null;
}

/**
 * Where an employee stands with a course the `rules` (already those that apply to them) require,
 * on `today`, given their enrollments of that course.
 */
export function standing(
  rules: readonly TrainingRequirementRow[],
  employee: Pick<EmployeeRecord, 'hireDate'>,
  enrollments: readonly TrainingEnrollmentRow[],
  today: CalendarDate,
): RequirementStanding | null {
  const first = firstDue(rules, employee.hireDate);
  if (!first) return null;
  const open = enrollments.find(isOpen) ?? null;
  const completion = latestCompletion(enrollments);
  const months = renewalMonthsOf(rules);
  const strictest = rules.find((rule) => rule.renewalMonths === months) ?? first.rule;

  if (completion?.completedOn) {
    const until = validUntil(completion.completedOn, months);
    if (until === null) return { state: 'COMPLETED', dueOn: null, enroll: null };
    const dueAgain = addDays(until, 1);
    const enroll = !open && addDays(dueAgain, -renewalLeadDays) <= today ? { source: 'RENEWAL' as const, dueOn: dueAgain, requirementId: strictest.id } : null;
    if (until >= today) return { state: 'COMPLETED', dueOn: dueAgain, enroll };
    const dueOn = open?.dueOn ?? dueAgain;
    return { state: dueOn < today ? 'OVERDUE' : 'DUE', dueOn, enroll };
  }
  const dueOn = open ? (open.dueOn ?? first.dueOn) : first.dueOn;
  const enroll = open ? null : { source: 'REQUIREMENT' as const, dueOn: first.dueOn, requirementId: first.rule.id };
  return { state: dueOn < today ? 'OVERDUE' : 'DUE', dueOn, enroll };
}
