// Issue 5, "Settings of every wrong shape": `convertro(settings)` must reject
// with an `Error` whose message names the setting, quickly, never hang, never
// throw synchronously and never reject with a non-Error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, section, forEachEngine } from './harness.mjs';

const results = section(import.meta.url, '2. Settings of every wrong shape');
const QUICK_MS = 1000; // generous bound: "quickly", not a benchmark

forEachEngine((engine) => {
  test('settings of every wrong shape: convertro() rejects with an Error naming the setting, quickly', async (t) => {
    const { page, errors, close } = await openPage(engine);
    try {
      const reports = await page.evaluate(async () => {
        const { convertro } = await import('/js/index.js');
        const { cases, runCase } = await import('/tests/robustness/pages/settings.js');
        await convertro({ account: 'warm-up' }); // wasm compiled once, outside the timings
        const out = [];
        for (const c of cases) out.push(await runCase(convertro, c));
        return out;
      });
      assert.ok(reports.length >= 40, `ran ${reports.length} cases`);
      for (const r of reports) {
        await t.test(r.label, () => {
          const problems = [];
          if (r.syncThrow) problems.push(`threw synchronously: ${r.syncThrow}`);
          else if (!r.isPromise) problems.push('did not return a Promise');
          if (r.hang) problems.push('neither resolved nor rejected within 5 s');
          if (r.resolved) problems.push(`resolved (to ${r.resolved}) instead of rejecting`);
          if ('isError' in r && !r.isError) problems.push(`rejected with a non-Error (${r.type}: ${r.message})`);
          if (r.isError && !r.message.includes(r.names)) problems.push(`message does not name \`${r.names}\`: ${r.message}`);
          if (r.ms >= QUICK_MS) problems.push(`took ${r.ms.toFixed(0)} ms (bound ${QUICK_MS} ms)`);
          const happened = problems.length
            ? `FAILED: ${problems.join('; ')}`
            : `rejected with ${r.type} in ${r.ms.toFixed(1)} ms: "${r.message.length > 140 ? r.message.slice(0, 140) + '…' : r.message}"`;
          results.row(r.label, happened, problems.length === 0);
          assert.deepEqual(problems, []);
        });
      }

      await t.test('afterwards valid settings still give a working plugin', async () => {
        const sent = await page.evaluate(async () => {
          const { convertro } = await import('/js/index.js');
          const plugin = await convertro({ account: 'acme', events: [{ key: 'Signed Up', value: 'signup' }] });
          window.$CVO = [];
          plugin.track({ event: { event: 'Signed Up', properties: {} }, log() {} });
          return { name: plugin.name, sent: JSON.parse(JSON.stringify(window.$CVO)) };
        });
        const ok = sent.name === 'Convertro' && JSON.stringify(sent.sent) === JSON.stringify([['trackEvent', { type: 'signup' }]]);
        results.row('after all of the above: valid settings, then a mapped event', ok ? 'plugin made; trackEvent {type: "signup"} sent' : `FAILED: ${JSON.stringify(sent)}`, ok);
        assert.ok(ok, JSON.stringify(sent));
        assert.deepEqual(await errors(), []);
      });
    } finally {
      await close();
    }
  });
});
