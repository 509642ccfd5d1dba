// Issue 5, "Hostile input in the browser": the plugin's hooks called directly
// in Chromium with throwing proxies and getters, wrong shapes, odd names,
// amounts and ids, 1 MiB strings, 10 000-key objects and `__proto__` keys.
// Each call must return ctx, throw nothing, finish well within a frame, send
// only well-formed commands (and exactly the spec's when it says which),
// leave the caller's objects and the built-in prototypes untouched; after all
// of them the same wasm instance must still send a normal Order Completed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, section, forEachEngine } from './harness.mjs';

const results = section(import.meta.url, '1. Hostile input (hooks called directly)');
// A bound against a hang or pathological (say quadratic) work on 1 MiB
// inputs, which would take minutes; not a speed test (speed is measured by
// `npm run bench`). Far above what any engine takes here on a slow machine
// (WebKitGTK: 60-220 ms for the largest cases), so it cannot trip on one.
const HANG_MS = 5000;

forEachEngine((engine) => {
  test('hostile input: every hook call returns ctx, throws nothing and sends only well-formed commands', async (t) => {
    const { page, errors, outside, close } = await openPage(engine);
    try {
      const reports = await page.evaluate(async () => {
        const { convertro } = await import('/js/index.js');
        const { cases, runCase } = await import('/tests/robustness/pages/hostile.js');
        const plugin = await convertro({ account: 'acme', events: { 'Signed Up': 'signup' } });
        window.__plugin = plugin;
        return cases.map((c) => runCase(plugin, c));
      });
      assert.ok(reports.length >= 80, `ran ${reports.length} cases`);
      for (const r of reports) {
        // A case that found a bug (reported to the lead, not fixed here) says so in its name.
        await t.test(r.bug ? `${r.label} [BUG: ${r.bug}]` : r.label, () => {
          const problems = [...r.problems];
          if (r.ms >= HANG_MS) problems.push(`took ${r.ms.toFixed(1)} ms (bound ${HANG_MS} ms: a hang)`);
          const happened = problems.length
            ? `FAILED: ${problems.join('; ')}`
            : `returned ctx, no throw, ${r.ms.toFixed(1)} ms; ${r.sent}${r.logs.length ? ` (logged: ${r.logs[0].replace(/^Convertro: /, '')})` : ''}`;
          results.row(r.label, problems.length && r.bug ? `${happened} (bug reported)` : happened, problems.length === 0);
          assert.deepEqual(problems, [], `${r.label}: ${problems.join('; ')}`);
        });
      }

      await t.test('afterwards the same wasm instance sends a normal Order Completed, identify and a mapped event', async () => {
        const sent = await page.evaluate(() => {
          window.$CVO = [];
          const plugin = window.__plugin;
          const ctx = (event) => ({ event, log() {} });
          plugin.identify(ctx({ type: 'identify', userId: 'after-1', traits: { email: 'a@b.c' } }));
          plugin.track(ctx({ type: 'track', event: 'Order Completed', properties: { order_id: 'after-42', total: 99.5, repeat: true } }));
          plugin.track(ctx({ type: 'track', event: 'signed_up', properties: { orderId: 7 } }));
          return JSON.parse(JSON.stringify(window.$CVO));
        });
        const expected = [
          ['trackUser', { email: 'a@b.c', id: 'after-1' }],
          ['trackEvent', { type: 'sale.repeat', id: 'after-42', amount: 99.5 }],
          ['trackEvent', { type: 'signup', id: '7' }],
        ];
        const ok = JSON.stringify(sent) === JSON.stringify(expected);
        results.row('after all of the above: identify, Order Completed (repeat, total 99.5), mapped `signed_up`',
          ok ? 'all three sent exactly as specified (wasm instance healthy)' : `FAILED: sent ${JSON.stringify(sent)}`, ok);
        assert.deepEqual(sent, expected);
      });

      await t.test('no uncaught error on the page and no request left the machine', async () => {
        const pageErrors = await errors();
        results.row('whole run: uncaught page errors, outside requests', `${pageErrors.length} page errors, ${outside.length} outside requests`,
          pageErrors.length === 0 && outside.length === 0);
        assert.deepEqual(pageErrors, []);
        assert.deepEqual(outside, []);
      });
    } finally {
      await close();
    }
  });
});
