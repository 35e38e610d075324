import { existsSync } from 'node:fs';

// The rule for the tests that drive a real browser (`browserTestsFiles`): CI
// (`CI=true`) installs Chromium and must run them, so there a missing browser fails the run. A
// developer's `npm test` without Chromium runs everything else, and one line at the end says the
// browser tests were skipped and how to run them. Kept free of playwright so that vitest's config
// (the reporter printing that line) can read it.

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumInstallCommand = 'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium';

/** CI services set CI to "true" (some to "1"); "false" or "0" mean a local run. */
export const browserTestsRequired = !['', '0', 'false'].includes((process.env.CI ?? '').trim().toLowerCase());

export const chromiumInstalled = existsSync(chromiumPath);

/** Run the browser tests: when Chromium is there, and always in CI (where a missing one is a failure). */
export const runBrowserTests = chromiumInstalled || browserTestsRequired;

/** The test files that drive a real browser: the explorer, and the portal calling People from another origin. */
export const browserTestsFiles = ['test/explorer/explorer.test.ts', 'test/portal/portal-browser.test.ts'];

export const browserTestsSkippedNotice =
  `Browser tests skipped (${browserTestsFiles.join(', ')}): no Chromium at ${chromiumPath}. To run them, install it ` +
  '(apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH; CI=true requires them.';
