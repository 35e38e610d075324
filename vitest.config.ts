import { defineConfig } from 'vitest/config';
import { BrowserTestsNotice } from './test/support/browser-tests-notice.js';

export default defineConfig({
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
