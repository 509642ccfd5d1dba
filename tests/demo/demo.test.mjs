// Smoke test of the demo (`npm start`), in each engine: the shop's buttons
// reach Convertro's (stand-in) tag through analytics.js, and the panel shows
// what it received. Nothing leaves the machine: every outside request goes
// to the test proxy, which refuses it, and the test checks that the demo
// made none.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../www/server.mjs';
import { launch, ENGINES, waitFor, watchScripts, markOrder, readOrder } from '../support/driver.mjs';
import { startProxy } from '../support/proxy.mjs';

let server;
let proxy;

before(async () => {
  server = await startServer({ port: 0, quiet: true });
  proxy = await startProxy();
});

after(async () => {
  await proxy?.close();
  await server?.close();
});

/** Clicks the element with data-testid `id`. */
const click = (page, id) => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`).click(), id);
/** The text of the first element matching `selector` (null when there is none). */
const text = (page, selector) => page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);

for (const engine of ENGINES) {
  describe(engine, () => {
    let browser;
    before(async () => { browser = await launch(engine, { proxyPort: proxy.port }); });
    after(() => browser?.close());

    /** The demo page with `query`, once it says it is ready; every outside request recorded. */
    async function open(query = '') {
      const outside = [];
      proxy.use((url) => { outside.push(url); });
      const page = await browser.newPage();
      await page.goto(server.url + query);
      await waitFor(page, () => document.body.dataset.ready === 'true', [], { timeout: 15000, what: 'the demo to be ready' });
      return { page, outside };
    }

    test('demo: sign up, add to cart and Order Completed reach the stand-in tag and show in the panel', async () => {
      const { page, outside } = await open();
      try {
        await click(page, 'consent-accept');
        await click(page, 'sign-up');
        await waitFor(page, () => document.querySelector('#tag-status.ok'), [], { timeout: 15000, what: 'the tag to load' });
        for (const id of ['add-to-cart', 'checkout-start', 'place-order']) await click(page, id);
        const orderId = await text(page, '[data-testid="order-id"]');
        const sale = await waitFor(page, () => [...document.querySelectorAll('#commands li[data-command="trackEvent"]')]
          .map((li) => li.innerText).find((t) => t.includes('"sale.new"')), [], { what: 'the sale.new command in the panel' });
        assert.match(sale, new RegExp(`"id": "${orderId}"`));
        assert.match(sale, /"amount": \d+(\.\d+)?/);

        const names = await page.evaluate(() => [...document.querySelectorAll('#commands li')].map((li) => li.dataset.command));
        assert.equal(names[0], 'trackUser', 'identify comes first');
        assert.ok(names.every((n) => n === 'trackUser' || n === 'trackEvent'), names.join());
        // The panel lists exactly what the tag recorded, in the same order.
        assert.equal(names.length, await page.evaluate(() => window.__cvoReceived.length));
        assert.deepEqual(outside, [], 'the demo asked for nothing outside 127.0.0.1');
        assert.deepEqual(await page.errors(), []);
      } finally {
        await page.close();
      }
    });

    test('demo: before the visitor consents nothing reaches Convertro and its tag is not loaded; after, it is', async () => {
      const { page, outside } = await open();
      try {
        assert.equal(await page.evaluate(() => document.querySelector('[data-testid="consent-banner"]').hidden), false, 'the banner asks');
        // The tag script's insertion, in order with the visitor's consent:
        // a tag loaded before consent comes before 'consented'.
        await watchScripts(page, '/stand-in/');
        await click(page, 'sign-up');
        await click(page, 'add-to-cart');
        // The consent wrapper stamps each call with the consent of the moment
        // analytics.js processes it, and the demo shows no sign of that: the
        // two calls get a moment to be processed before the visitor consents.
        await page.evaluate(() => new Promise((r) => setTimeout(r, 800)));
        const before = await page.evaluate(() => ({
          commands: document.querySelectorAll('#commands li').length,
          status: document.querySelector('#tag-status').textContent,
          scripts: [...document.scripts].filter((s) => s.src.includes('/stand-in/')).length,
        }));
        assert.deepEqual(before, { commands: 0, status: 'waiting for consent', scripts: 0 });
        await markOrder(page, 'consented');
        await click(page, 'consent-accept');
        await click(page, 'add-to-cart');
        await waitFor(page, () => document.querySelector('#tag-status.ok'), [], { what: 'the tag to load' });
        // Only the add to cart after consent is listed: the sign-up and the
        // add to cart before it, had they been sent, would be listed first.
        const after = await waitFor(page, () => document.querySelectorAll('#commands li').length && [...document.querySelectorAll('#commands li')].map((li) => li.innerText), [], { what: 'a command after consent' });
        assert.equal(after.length, 1, after.join('\n'));
        assert.match(after[0], /"cart\.add"/);
        assert.deepEqual(await readOrder(page), ['consented', 'script'], 'the tag loaded only after consent');
        assert.deepEqual(outside, []);
      } finally {
        await page.close();
      }
    });

    test('demo: settings from the (stand-in) Segment app: ConvertroIntegration sends the order', async () => {
      const { page, outside } = await open('?mode=app');
      try {
        assert.equal(await page.evaluate(() => document.querySelector('[data-testid="mode-app"]').checked), true);
        await click(page, 'consent-accept');
        for (const id of ['sign-up', 'add-to-cart', 'checkout-start', 'place-order']) await click(page, id);
        const orderId = await text(page, '[data-testid="order-id"]');
        const sale = await waitFor(page, () => [...document.querySelectorAll('#commands li[data-command="trackEvent"]')]
          .map((li) => li.innerText).find((t) => t.includes('"sale.new"')), [], { what: 'the sale.new command in the panel' });
        assert.match(sale, new RegExp(`"id": "${orderId}"`));
        assert.match(await text(page, '#panel-source'), /enabled in the Segment app/);
        assert.deepEqual(outside, []);
        assert.deepEqual(await page.errors(), []);
      } finally {
        await page.close();
      }
    });

    test('demo: a bad setting shows the settings error and registers no plugin', async () => {
      const query = '?settings=' + encodeURIComponent(JSON.stringify({ account: 'not an account!', tagUrl: '/stand-in/live.js' }));
      const { page, outside } = await open(query);
      try {
        assert.match(await text(page, '[data-testid="settings-error"]'), /account/);
        assert.equal(await text(page, '[data-testid="tag-status"]'), 'not registered');
        assert.deepEqual(outside, []);
      } finally {
        await page.close();
      }
    });
  });
}
