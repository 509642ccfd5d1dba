// Firefox (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi,
// with no driver binary. Firefox's own background requests are switched
// off by preferences, so that every request the proxy sees is the page's.
import puppeteer from 'puppeteer-core';
import { eventPage } from '../driver.mjs';

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** Messages Firefox reports as page errors that are not uncaught exceptions (CSP and CORS reports). */
const REPORT = /Content[- ]Security[- ]Policy|CORS|Cross-Origin Request Blocked/i;

export async function launch({ proxyPort }) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.no_proxies_on': '127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
      // No background traffic of Firefox's own. Remote Settings' server is a
      // closed loopback port (release builds read this preference only with
      // MOZ_REMOTE_SETTINGS_DEVTOOLS set, below).
      'services.settings.server': 'http://127.0.0.1:9/v1',
      'network.connectivity-service.enabled': false,
      'network.captive-portal-service.enabled': false,
      'browser.safebrowsing.update.enabled': false,
      'extensions.update.enabled': false,
      'browser.region.update.enabled': false,
      'browser.region.network.url': '',
      'app.normandy.enabled': false,
      'datareporting.healthreport.uploadEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
  return {
    engine: 'firefox',
    version: (await browser.version()).replace(/^firefox\//, ''),
    async newPage() {
      const context = await browser.createBrowserContext();
      // Firefox gives "Error: message" where the others give "message".
      const message = (error) => String(error?.message ?? error).replace(/^Error: /, '');
      const error = (e) => (REPORT.test(message(e)) ? undefined : message(e));
      const page = eventPage(await context.newPage(), () => context.close().catch(() => {}), error);
      // Another tab of the same browsing context (its storage shared); closed with the first.
      page.sibling = async () => eventPage(await context.newPage(), async () => {}, error);
      return page;
    },
    close: () => browser.close().catch(() => {}),
  };
}
