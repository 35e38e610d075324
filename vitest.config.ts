import { defineConfig } from 'vitest/config';
import { BrowserTestsNotice } from './test/support/browser-tests-notice.js';

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node (production, `npm start`) loads its CommonJS main, as do
    // Apollo and @apollo/subgraph here; Vite would pick its ES module build for People's own
    // imports, and graphql-js refuses a schema built by one copy when executed by the other.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Each file gets its own database (an in-memory PGlite, or a fresh Postgres database).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // The default output, then one line when the browser tests were skipped (no Chromium, not CI).
    reporters: ['default', new BrowserTestsNotice()],
  },
});
