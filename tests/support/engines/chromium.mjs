// Chromium (Debian's /usr/bin/chromium) through playwright-core. Never
// downloads a browser: the executable is the system one.
import { chromium } from 'playwright-core';
import { eventPage } from '../driver.mjs';
import { LAUNCH_OPTIONS } from '../browser.mjs';

export async function launch({ proxyPort }) {
  const browser = await chromium.launch({ ...LAUNCH_OPTIONS, proxy: { server: `http://127.0.0.1:${proxyPort}`, bypass: '127.0.0.1' } });
  return {
    engine: 'chromium',
    version: browser.version(),
    async newPage() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = eventPage(await context.newPage(), () => context.close().catch(() => {}));
      // Another tab of the same browsing context (its storage shared); closed with the first.
      page.sibling = async () => eventPage(await context.newPage(), async () => {});
      return page;
    },
    close: () => browser.close().catch(() => {}),
  };
}
