// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
// Never downloads a browser: the executable is the system one.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const LAUNCH_OPTIONS = {
  executablePath: CHROMIUM_PATH,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export function launchBrowser() {
  return chromium.launch(LAUNCH_OPTIONS);
}
