import { organisationOnHireDateCorrection } from '../organisation/organisation.service.js';
import { timeOffOnHireDateCorrection } from '../timeoff/timeoff.service.js';
import type { HireDateDependent } from './employee.hire-date.js';

// Everything other domains hang on a hire date, in one list: `correctHireDate` asks each whether
// the new date contradicts its records, and lets each follow it. Only the resolvers import this
// file (the domains it names import the employee service, never this list).
//
// Onboarding workflows (due dates counted from the hire date) join this list when they land: a
// dependent whose `follow` moves the due dates of the employee's open onboarding tasks by the
// days the hire moved, in the same transaction.

export const hireDateDependents: readonly HireDateDependent[] = [timeOffOnHireDateCorrection, organisationOnHireDateCorrection];
