// Smoke test of the demo (`npm start`): the shop's buttons reach Convertro's
// (stand-in) tag through analytics.js, and the panel shows what it received.
// Nothing leaves the machine: every request not to 127.0.0.1 is aborted, and
// the test checks that the demo made none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/server.mjs';
import { CHROMIUM, localOnly } from '../../www/screenshot.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ port: 0, quiet: true });
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = '') {
  const context = await browser.newContext();
  const blocked = await localOnly(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url + query);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 15000 });
  return { context, page, blocked, errors };
}

test('demo: sign up, add to cart and Order Completed reach the stand-in tag and show in the panel', async () => {
  const { context, page, blocked, errors } = await open();
  try {
    await page.locator('#tag-status.ok').waitFor({ timeout: 15000 });
    await page.getByTestId('sign-up').click();
    await page.getByTestId('add-to-cart').click();
    await page.getByTestId('checkout-start').click();
    await page.getByTestId('place-order').click();
    const orderId = await page.getByTestId('order-id').textContent();

    const sale = page.locator('#commands li[data-command="trackEvent"]', { hasText: '"sale.new"' });
    await sale.waitFor({ timeout: 10000 });
    const text = await sale.innerText();
    assert.match(text, new RegExp(`"id": "${orderId}"`));
    assert.match(text, /"amount": \d+(\.\d+)?/);

    const names = await page.locator('#commands li').evaluateAll((lis) => lis.map((li) => li.dataset.command));
    assert.equal(names[0], 'trackUser', 'identify comes first');
    assert.ok(names.every((n) => n === 'trackUser' || n === 'trackEvent'), names.join());

    // The panel lists exactly what the tag recorded, in the same order.
    const recorded = await page.evaluate(() => window.__cvoReceived.length);
    assert.equal(names.length, recorded);
    assert.deepEqual(blocked, [], 'the demo asked for nothing outside 127.0.0.1');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('demo: a bad setting shows the settings error and registers no plugin', async () => {
  const query = '?settings=' + encodeURIComponent(JSON.stringify({ account: 'not an account!', tagUrl: '/stand-in/live.js' }));
  const { context, page, blocked } = await open(query);
  try {
    const message = await page.getByTestId('settings-error').textContent();
    assert.match(message, /account/);
    assert.equal(await page.getByTestId('tag-status').textContent(), 'not registered');
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});
