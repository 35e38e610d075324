import type { Database } from '../db/database.js';
import { byIdLoader, groupedLoader } from '../shared/loaders.js';
import * as store from './training.store.js';
import type { TrainingCourseRow, TrainingEnrollmentRow, TrainingRequirementRow } from './training.tables.js';

/** Per-request loaders of the training domain: enrollments of many employees cost one statement. */
export function createTrainingLoaders(db: Database) {
  const course = byIdLoader<TrainingCourseRow>((ids) => store.findCoursesByIds(db, ids));

  const enrollment = byIdLoader<TrainingEnrollmentRow>((ids) => store.findEnrollmentsByIds(db, ids));

  /** Each employee's enrollments: open ones first by due date, then the rest newest first. */
  const ofEmployee = groupedLoader<TrainingEnrollmentRow>(async (employeeIds) => {
    const rows = await store.findEnrollmentsOfEmployees(db, employeeIds);
    for (const row of rows) enrollment.prime(row.id, row);
    return rows;
  }, (row) => row.employeeId);

  const requirement = byIdLoader<TrainingRequirementRow>((ids) => store.findRequirementsByIds(db, ids));

  // The rules in force: a short list every status and due date of a request is read against, once.
  let rulesInForce: Promise<TrainingRequirementRow[]> | null = null;
  const requirementsInForce = (): Promise<TrainingRequirementRow[]> => {
    rulesInForce ??= store.findRequirements(db, { includeRemoved: false }).then((rows) => {
      for (const row of rows) requirement.prime(row.id, row);
      return rows;
    });
    return rulesInForce;
  };

  return { course, enrollment, ofEmployee, requirement, requirementsInForce };
}

export type TrainingLoaders = ReturnType<typeof createTrainingLoaders>;
