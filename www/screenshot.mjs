// Takes www/screenshot.png (used by the README): starts the demo server,
// opens the demo in headless Chromium, signs up, adds to cart and places an
// order, then photographs the page with Convertro's commands in the panel.
//
//   node www/screenshot.mjs            (after `npm run build`)
//
// Nothing leaves the machine: every request not to 127.0.0.1 is aborted.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS } from '../tests/support/browser.mjs';
import { startServer } from './server.mjs';

const WWW = path.dirname(fileURLToPath(import.meta.url));

/** Chromium's launch options: the tests' own. */
export const CHROMIUM = LAUNCH_OPTIONS;

/** Aborts every request that is not to 127.0.0.1; returns the list of what it blocked. */
export async function localOnly(context) {
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  return blocked;
}

/** Drives the shop: accept advertising in the consent banner, sign up, view a product, add to cart, checkout, place an order. */
export async function clickThrough(page) {
  await page.getByTestId('consent-accept').click();
  await page.getByTestId('sign-up').click();
  await page.getByRole('button', { name: /Colombia Huila/ }).click();
  await page.locator('[data-qty="1"]').click();
  await page.getByTestId('add-to-cart').click();
  await page.getByTestId('checkout-start').click();
  await page.getByTestId('place-order').click();
  await page.getByTestId('order-id').waitFor();
  await page.locator('#commands li', { hasText: '"sale' }).first().waitFor();
}

async function main() {
  const out = path.join(WWW, 'screenshot.png');
  const server = await startServer({ port: 0, quiet: true });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    const blocked = await localOnly(context);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(server.url);
    await page.locator('body[data-ready="true"]').waitFor();
    await clickThrough(page);
    await page.locator('#tag-status.ok').waitFor();
    await page.waitForTimeout(1500); // let the highlight of fresh commands fade
    await page.mouse.move(0, 0);
    await page.screenshot({ path: out, fullPage: true });
    console.log('saved', path.relative(process.cwd(), out));
    if (blocked.length) console.log('blocked (not local):', blocked.join(' '));
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
