import { chromium, type Browser } from 'playwright-core';
import { chromiumInstallCommand, chromiumInstalled, chromiumPath } from './browser-availability.js';

// The explorer is tested in a real browser: Debian's Chromium, driven by playwright-core (which
// downloads no browser of its own). .ci/run installs it; a developer's machine may need it too.

export async function launchChromium(): Promise<Browser> {
  // Reached without Chromium only in CI (see browser-availability.ts), where it must fail loudly:
  // an untested explorer would look the same as a passing one.
  if (!chromiumInstalled) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}, and the explorer tests need a real browser (required with CI=true). ` +
        `Install it with: ${chromiumInstallCommand} (as root; .ci/run does this), ` +
        'or point CHROMIUM_PATH at another Chromium or Chrome.',
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 60_000,
    // No sandbox: CI runs as root, where Chromium's sandbox refuses to start. The rest keep the
    // browser from calling home (updates, sync, field trials) so that every request seen is the page's.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Whether a request stays on this machine. */
export function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  // data: and blob: URLs are the page's own bytes, not requests to anywhere.
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
