// Chromium (Debian's /usr/bin/chromium) through playwright-core. Never
// downloads a browser: the executable is the system one.
import { chromium } from 'playwright-core';
import { eventPage } from '../driver.mjs';
import { LAUNCH_OPTIONS } from '../browser.mjs';

export async function launch({ proxyPort }) {
  // Playwright turns Chromium's back/forward cache off; the tests keep it
  // on, as a visitor's browser has it (the outbox's back/forward tests
  // restore pages from it for real).
  const browser = await chromium.launch({
    ...LAUNCH_OPTIONS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    proxy: { server: `http://127.0.0.1:${proxyPort}`, bypass: '127.0.0.1' },
  });
  return {
    engine: 'chromium',
    version: browser.version(),
    async newPage() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = eventPage(await context.newPage(), () => context.close().catch(() => {}));
      // Another tab of the same browsing context (its storage shared); closed with the first.
      page.sibling = async () => eventPage(await context.newPage(), async () => {});
      // Back in this tab's history, from the back/forward cache when the page is in it (no load event then).
      page.back = async () => { await page.native.goBack({ waitUntil: 'commit' }); };
      return page;
    },
    close: () => browser.close().catch(() => {}),
  };
}
