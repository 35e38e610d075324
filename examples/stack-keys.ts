// The keys `npm run stack` configures People, PSA, Defend and the simulators with (a file of its
// own so that a test can import them without starting the stack).

/** Development-only keys: every service of the stack is configured with these. */
export const stackKeys = {
  psa: 'stack-psa-integration-key-0123456789',
  defend: 'stack-defend-service-key-0123456789',
  legal: 'stack-legal-integration-key-0123456789',
  hub: 'stack-hub-integration-key-0123456789',
  bus: 'stack-bus-integration-key-0123456789',
} as const;
