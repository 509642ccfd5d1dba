// Chromium (Debian's /usr/bin/chromium) through playwright-core. Never
// downloads a browser: the executable is the system one.
import { chromium } from 'playwright-core';
import { expression, result } from '../driver.mjs';
import { LAUNCH_OPTIONS } from '../browser.mjs';

export async function launch({ proxyPort }) {
  const browser = await chromium.launch({ ...LAUNCH_OPTIONS, proxy: { server: `http://127.0.0.1:${proxyPort}`, bypass: '127.0.0.1' } });
  return {
    engine: 'chromium',
    version: browser.version(),
    async newPage() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const errors = [];
      const messages = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (m) => messages.push({ type: m.type() === 'warning' ? 'warn' : m.type(), text: m.text() }));
      return {
        native: page,
        goto: async (url) => { await page.goto(url); },
        evaluate: async (fn, ...args) => result(await page.evaluate(expression(fn, args))),
        errors: async () => [...errors],
        console: async () => [...messages],
        close: () => context.close().catch(() => {}),
      };
    },
    close: () => browser.close().catch(() => {}),
  };
}
