import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { browserTestsFiles, browserTestsSkippedNotice, runBrowserTests } from '../explorer/browser-availability.js';
import { replicaTestsFiles, replicaTestsSkippedNotice, runReplicaTests } from './replica-availability.js';

/**
 * Prints one line after the summary per group of tests the run included but skipped for want of
 * what they need (Chromium; a PostgreSQL server for the two replicas), so that a green `npm test`
 * on a fresh machine does not pass for a full one.
 */
export class BrowserTestsNotice implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const included = (files: readonly string[]) =>
      testModules.some((module) => files.some((file) => module.moduleId.endsWith(path.sep + path.normalize(file))));
    if (!runBrowserTests && included(browserTestsFiles)) process.stdout.write(`\n${browserTestsSkippedNotice}\n\n`);
    if (!runReplicaTests && included(replicaTestsFiles)) process.stdout.write(`\n${replicaTestsSkippedNotice}\n\n`);
  }
}
