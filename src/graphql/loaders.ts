import { createCertificationLoaders } from '../certifications/certification.loaders.js';
import type { Database } from '../db/database.js';
import { createEmployeeLoaders } from '../employees/employee.loaders.js';
import { createDefendLoaders } from '../defend/defend.loaders.js';
import { createLegalLoaders } from '../legal/legal.loaders.js';
import { createOrganisationLoaders } from '../organisation/organisation.loaders.js';
import { createReviewLoaders } from '../reviews/review.loaders.js';
import { createTimeOffLoaders } from '../timeoff/timeoff.loaders.js';
import { createTrainingLoaders } from '../training/training.loaders.js';
import { createWorkflowLoaders } from '../workflows/workflow.loaders.js';
import type { RequestLoaders } from './context.js';

// The one place that knows every domain's loaders. A namespace is built the first time the request
// touches it: most requests read one or two domains, and building all of them cost ~30 DataLoaders.

type Built = { -readonly [Namespace in keyof RequestLoaders]?: RequestLoaders[Namespace] };

/** A request's loaders, and `reset` to drop what they cached (the next use builds them afresh). */
export function createRequestLoaders(db: Database): { loaders: RequestLoaders; reset: () => void } {
  let built: Built = {};
  const loaders: RequestLoaders = {
    get employees() {
      return (built.employees ??= createEmployeeLoaders(db));
    },
    get organisation() {
      return (built.organisation ??= createOrganisationLoaders(db));
    },
    get timeOff() {
      return (built.timeOff ??= createTimeOffLoaders(db));
    },
    get certifications() {
      return (built.certifications ??= createCertificationLoaders(db));
    },
    get workflows() {
      return (built.workflows ??= createWorkflowLoaders(db));
    },
    get legal() {
      return (built.legal ??= createLegalLoaders(db));
    },
    get reviews() {
      return (built.reviews ??= createReviewLoaders(db));
    },
    get training() {
      return (built.training ??= createTrainingLoaders(db));
    },
    get defend() {
      return (built.defend ??= createDefendLoaders(db));
    },
  };
  return {
    loaders,
    reset: () => {
      built = {};
    },
  };
}
