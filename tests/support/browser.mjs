// How headless Chromium (Debian's /usr/bin/chromium) is launched, for the
// tests' driver (engines/chromium.mjs), the sites' tests, the bench and the
// screenshot. Never downloads a browser: the executable is the system one.

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
