import type { Database } from '../db/database.js';
import { byIdLoader, groupedLoader } from '../shared/loaders.js';
import * as store from './review.store.js';
import type { PerformanceReviewRow, ReviewCycleRow } from './review.tables.js';

/** Per-request loaders of the review domain: histories of many employees cost one statement. */
export function createReviewLoaders(db: Database) {
  const review = byIdLoader<PerformanceReviewRow>((ids) => store.findReviewsByIds(db, ids));

  const cycle = byIdLoader<ReviewCycleRow>((ids) => store.findCyclesByIds(db, ids));

  /** Each employee's reviews, newest cycle first. */
  const ofEmployee = groupedLoader<PerformanceReviewRow>(async (employeeIds) => {
    const rows = await store.findReviewsOfEmployees(db, employeeIds);
    for (const row of rows) review.prime(row.id, row);
    return rows;
  }, (row) => row.employeeId);

  /** Each cycle's reviews, by employee name. */
  const ofCycle = groupedLoader<PerformanceReviewRow>(async (cycleIds) => {
    const rows = await store.findReviewsOfCycles(db, cycleIds);
    for (const row of rows) review.prime(row.id, row);
    return rows;
  }, (row) => row.cycleId);

  return { review, cycle, ofEmployee, ofCycle };
}

export type ReviewLoaders = ReturnType<typeof createReviewLoaders>;
