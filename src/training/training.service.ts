// The training domain's public surface: the catalog and its rules, enrollments, what is due for a
// person, the compliance report, and the periodic run that enrolls people by rule.
export * from './training.catalog.js';
export * from './training.enrollments.js';
export * from './training.queries.js';
export { trainingCapabilities } from './training.capabilities.js';
export { assignRequiredTraining, runTrainingAssignment, startTrainingAssignment } from './training.assignment.js';
