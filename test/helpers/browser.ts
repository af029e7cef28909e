/**
 * Headless Chromium for the browser tests: Debian's `chromium` (`.ci/run` installs it)
 * driven by playwright-core, whose own browser download cannot reach its host here.
 * WF_CHROMIUM_PATH names another binary. A missing browser fails the test, naming the fix.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const configured = process.env.WF_CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`WF_CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) throw new Error(`no Chromium at ${CANDIDATES.join(', ')}: install it (apt-get install -y chromium) or set WF_CHROMIUM_PATH`);
  return found;
}

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}
