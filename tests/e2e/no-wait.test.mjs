// Nothing waits for the wasm (issue 24): `convertroPlugin(settings)` gives
// analytics.js a plugin at once, its WebAssembly loading behind. With the
// `.wasm` response held back two seconds by the test server, analytics.js
// is ready and other destinations get their events long before it
// arrives, and what was sent meanwhile reaches Convertro's tag once, after
// it does. (A visitor who leaves before it arrives: tests/e2e/outbox.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachEngine, openPage, until, trackEvent, trackUser } from '../support/harness.mjs';
import { env } from '../support/pages.mjs';
import { ROOT } from '../support/paths.mjs';

const HOLD_MS = 2000;
const IMPL = { name: 'wasm', module: '/js/index.js' };

/** The test server answers the wasm `HOLD_MS` late (for every page of this file). */
async function holdWasm() {
  const { server } = await env();
  server.route('/pkg/convertro_bg.wasm', async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    res.writeHead(200, { 'content-type': 'application/wasm', 'cache-control': 'no-store' }).end(readFileSync(path.join(ROOT, 'pkg/convertro_bg.wasm')));
  });
}

/**
 * In the page: makes the plugin with `convertroPlugin(settings)` (timing
 * its return), loads analytics-next with it and a recording destination,
 * waits for `analytics.ready`, then sends `calls` at once. Times are
 * milliseconds from just before `convertroPlugin` was called.
 */
function startNoWait(settings, calls) {
  return async ([settings, calls]) => {
    const { otherDestination } = await import('/tests/support/page/start.js');
    const { convertroPlugin } = await import('/js/index.js');
    const t0 = performance.now();
    const plugin = convertroPlugin(settings);
    const returnedIn = performance.now() - t0;
    const other = otherDestination();
    const [analytics] = await window.AnalyticsBrowser.load(
      { writeKey: 'test', cdnSettings: { integrations: {} }, plugins: [plugin, other.plugin] },
      { integrations: { 'Segment.io': false } },
    );
    await analytics.ready();
    const readyAt = performance.now() - t0;
    await Promise.all(calls.map(([method, ...args]) => analytics[method](...args)));
    window.e2e = { analytics, plugin, t0 };
    return {
      promise: typeof plugin?.then === 'function',
      plugin: { name: plugin.name, type: plugin.type },
      returnedIn,
      readyAt,
      sentAt: performance.now() - t0,
      other: [...other.seen],
      queue: window.$CVO ?? null,
    };
  };
}

/** When the wasm's response ended, in ms from the page's `t0` (undefined before it did). */
const wasmAt = (p) => p.page.evaluate(() => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/pkg/convertro_bg.wasm') && e.responseEnd > 0);
  return entry && entry.responseEnd - window.e2e.t0;
});

forEachEngine((engine) => {
  test('with the wasm held back 2 s: a plugin at once, analytics.js ready and other destinations served before it arrives, identify and order delivered once after', { timeout: 60_000 }, async () => {
    await holdWasm();
    const p = await openPage({ ...IMPL, engine });
    try {
      const calls = [['identify', 'u-nw', { plan: 'pro' }], ['track', 'Order Completed', { order_id: 'o-nw', total: 9 }]];
      const started = await p.page.evaluate(startNoWait(), [{ account: 'acme' }, calls]);
      assert.equal(started.promise, false, 'convertroPlugin() returned a plugin, not a promise');
      assert.deepEqual(started.plugin, { name: 'Convertro', type: 'destination' });
      assert.deepEqual(started.other, [['identify', 'u-nw'], ['track', 'Order Completed']], 'the other destination had both calls');
      assert.equal(started.queue, null, 'nothing pushed before the wasm');
      const got = await until(() => p.received(), (r) => r.length >= 2, 10_000);
      const arrived = await wasmAt(p);
      assert.ok(arrived >= HOLD_MS - 100, `the wasm arrived at ${arrived} ms`);
      assert.ok(started.readyAt < arrived - 1000, `analytics.js ready at ${Math.round(started.readyAt)} ms, the wasm at ${Math.round(arrived)} ms`);
      assert.ok(started.sentAt < arrived, 'both calls were handled before the wasm arrived');
      // Once the calls' keys are gone, Rust has taken them all: nothing more can come.
      await until(() => p.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('convertro:')).length), (n) => n === 0, 10_000);
      assert.deepEqual(await p.received(), [trackUser({ plan: 'pro', id: 'u-nw' }), trackEvent({ type: 'sale', id: 'o-nw', amount: 9 })]);
      assert.deepEqual(got.length, 2);
      assert.deepEqual(await p.errors(), []);
    } finally {
      await p.close();
    }
  });

  test('a bad setting through convertroPlugin: one console.warn naming it, nothing sent, nothing thrown', { timeout: 60_000 }, async () => {
    const p = await openPage({ ...IMPL, engine });
    try {
      const started = await p.page.evaluate(startNoWait(), [{ account: 'not an account' }, [['track', 'Order Completed', { order_id: 'o-bad' }], ['identify', 'u-bad']]]);
      assert.equal(started.promise, false);
      assert.deepEqual(started.other, [['track', 'Order Completed'], ['identify', 'u-bad']], 'other destinations are served');
      const warned = await p.consoleWhen('warn', /^Convertro:/);
      assert.equal(warned.length, 1, JSON.stringify(warned));
      assert.match(warned[0].text, /setting `account`/);
      await p.page.evaluate(() => window.e2e.analytics.track('Order Completed', { order_id: 'o-after' }));
      assert.deepEqual(await p.page.evaluate(() => ({
        queue: window.$CVO ?? null,
        scripts: [...document.scripts].filter((s) => s.src.includes('live.js')).length,
        stored: Object.keys(localStorage).filter((k) => k.startsWith('convertro:')),
      })), { queue: null, scripts: 0, stored: [] });
      assert.equal((await p.console()).filter((m) => m.type === 'warn' && m.text.startsWith('Convertro:')).length, 1);
      assert.deepEqual(await p.errors(), []);
    } finally {
      await p.close();
    }
  });
});
