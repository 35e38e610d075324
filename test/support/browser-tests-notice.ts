import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { browserTestsFiles, browserTestsSkippedNotice, runBrowserTests } from '../explorer/browser-availability.js';

/**
 * Prints one line after the summary when the run included the browser tests but skipped them for
 * want of Chromium, so that a green `npm test` on a fresh machine does not pass for a full one.
 */
export class BrowserTestsNotice implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (runBrowserTests) return;
    const included = testModules.some((module) => browserTestsFiles.some((file) => module.moduleId.endsWith(path.sep + path.normalize(file))));
    if (included) process.stdout.write(`\n${browserTestsSkippedNotice}\n\n`);
  }
}
