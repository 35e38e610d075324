// The review domain's public surface: cycles, reviews and their forms, and what waits for a person.
export * from './review.cycles.js';
export * from './review.forms.js';
export {
  availableActions,
  getCycle,
  getReview,
  listCycles,
  managerOf,
  managerReviewOf,
  pendingReviewsOf,
  progressOf,
  reviewsOf,
  reviewsOfCycle,
  selfReviewOf,
} from './review.queries.js';
export { reviewCapabilities } from './review.capabilities.js';
// For the demo seed, which writes past cycles as history.
export { countCycles } from './review.store.js';
