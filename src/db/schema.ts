// Every table drizzle knows about; drizzle-kit generates migrations from this module.
export * from '../organisation/organisation.tables.js';
export * from '../employees/employee.tables.js';
export * from '../events/outbox.tables.js';
export * from '../auth/login.tables.js';
export * from '../auth/service-calls.tables.js';
export * from '../auth/sessions.tables.js';
export * from '../timeoff/timeoff.tables.js';
export * from '../certifications/certification.tables.js';
export * from '../jobs/system-tasks.tables.js';
export * from '../reviews/review.tables.js';
export * from '../training/training.tables.js';
export * from '../workflows/workflow.tables.js';
export * from '../legal/legal.tables.js';
export * from '../defend/defend.tables.js';
