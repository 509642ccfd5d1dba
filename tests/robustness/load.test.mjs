// Issue 5, "Load": 10 000 events sent before the tag arrives are all
// delivered, in order, once it loads; 100 000 events in a row leave the wasm
// memory (and its externref table, and the JS heap) flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, section, serveTag, cdnTag, analyticsNextPath } from './harness.mjs';

const results = section(import.meta.url, '4. Load');
const TAG = cdnTag('acme');
const PAGE = 64 * 1024;

test('10 000 events sent through the hooks before the tag arrives are all delivered, in order, once it loads', async () => {
  const { page, pageErrors, close } = await openPage({ tags: { [TAG]: serveTag({ delayMs: 1500 }) } });
  try {
    const r = await page.evaluate(async () => {
      const m = await import('/tests/robustness/pages/load.js');
      const plugin = await m.plugin();
      const loading = plugin.load();
      const start = performance.now();
      m.send(plugin, 0, 10000);
      const sendMs = performance.now() - start;
      const beforeTag = { received: window.__cvoReceived?.length ?? 0, queued: window.$CVO.length, isLoaded: plugin.isLoaded() };
      await loading;
      const expected = Array.from({ length: 10000 }, (_, i) => m.expectedFor(i)).flat();
      const got = window.__cvoReceived ?? [];
      const firstMismatch = expected.findIndex((command, i) => JSON.stringify(command) !== JSON.stringify(got[i]));
      return { sendMs, beforeTag, expected: expected.length, received: got.length, firstMismatch,
        sample: firstMismatch >= 0 ? [expected[firstMismatch], got[firstMismatch]] : null, isLoaded: plugin.isLoaded(), queueLeft: window.$CVO.length };
    });
    const ok = r.beforeTag.received === 0 && r.beforeTag.queued === r.expected && r.received === r.expected && r.firstMismatch === -1 && r.isLoaded && pageErrors.length === 0;
    results.row('10 000 events (identify, Order Completed with hybrid model, mapped, unmapped, bad input) through the hooks while the tag takes 1.5 s',
      ok ? `all ${r.expected} commands queued in $CVO (${r.sendMs.toFixed(0)} ms to send), then delivered in order when the tag loaded`
        : `FAILED: ${JSON.stringify(r)}`, ok);
    assert.equal(r.beforeTag.received, 0, 'the tag had not run yet');
    assert.equal(r.beforeTag.queued, r.expected, 'every command waits in $CVO');
    assert.equal(r.received, r.expected);
    assert.equal(r.firstMismatch, -1, JSON.stringify(r.sample));
    assert.ok(r.isLoaded);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('10 000 analytics.track calls through the real analytics-next before the tag arrives are all delivered, in order', async () => {
  const { page, pageErrors, close } = await openPage({ tags: { [TAG]: serveTag({ delayMs: 2000 }) } });
  try {
    await page.addScriptTag({ url: await analyticsNextPath() });
    const r = await page.evaluate(async () => {
      const { convertro } = await import('/js/index.js');
      const plugin = await convertro({ account: 'acme' });
      const [analytics] = await window.AnalyticsBrowser.load(
        { writeKey: 'robustness-key', cdnSettings: { integrations: {} }, plugins: [plugin] },
        { integrations: { 'Segment.io': false } },
      );
      const start = performance.now();
      const sent = [];
      for (let i = 0; i < 10000; i++) sent.push(analytics.track('Order Completed', { order_id: `n-${i}`, total: i }));
      await Promise.all(sent);
      const sendMs = performance.now() - start;
      const beforeTag = { received: window.__cvoReceived?.length ?? 0, isLoaded: plugin.isLoaded() };
      await plugin.load();
      const got = window.__cvoReceived ?? [];
      const firstMismatch = Array.from({ length: 10000 }, (_, i) => i)
        .findIndex((i) => JSON.stringify(got[i]) !== JSON.stringify(['trackEvent', { type: 'sale', id: `n-${i}`, amount: i }]));
      return { sendMs, beforeTag, received: got.length, firstMismatch, sample: got[firstMismatch] ?? null };
    });
    const ok = r.beforeTag.received === 0 && !r.beforeTag.isLoaded && r.received === 10000 && r.firstMismatch === -1 && pageErrors.length === 0;
    results.row('10 000 Order Completed through analytics-next while the tag takes 2 s',
      ok ? `all sent before the tag arrived (${r.sendMs.toFixed(0)} ms), then all 10000 delivered in order` : `FAILED: ${JSON.stringify(r)}`, ok);
    assert.equal(r.beforeTag.received, 0, 'sent before the tag arrived');
    assert.equal(r.received, 10000);
    assert.equal(r.firstMismatch, -1, JSON.stringify(r.sample));
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('100 000 events in a row leave the wasm memory, its externref table and the JS heap flat', async () => {
  const { page, context, close } = await openPage();
  try {
    const cdp = await context.newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await page.evaluate(async () => {
      const m = await import('/tests/robustness/pages/load.js');
      window.__load = { m, plugin: await m.plugin(), parts: await m.wasmParts() };
      // A queue that keeps nothing: what is measured is the plugin's own retention.
      window.$CVO = { pushed: 0, push() { return ++this.pushed; } };
      m.send(window.__load.plugin, 0, 1000); // warm-up
    });
    const state = () => page.evaluate(() => ({
      memory: __load.parts.memory.buffer.byteLength, table: __load.parts.table?.length ?? 0, pushed: window.$CVO.pushed,
      isMemory: __load.parts.memory instanceof WebAssembly.Memory,
    }));
    const warm = await state();
    const warmHeap = await heap();
    const ms = await page.evaluate(() => { const t0 = performance.now(); __load.m.send(__load.plugin, 1000, 101000); return performance.now() - t0; });
    const end = await state();
    const endHeap = await heap();
    const grew = end.memory - warm.memory;
    const heapGrew = endHeap - warmHeap;
    const ok = warm.isMemory && grew <= PAGE && end.table === warm.table && heapGrew < 1024 * 1024 && end.pushed > warm.pushed + 50000;
    results.row('100 000 events in a row after 1 000 warm-up events (memory measured via init() exports)',
      `${ok ? '' : 'FAILED: '}wasm memory ${warm.memory} → ${end.memory} bytes (+${grew}), externref table ${warm.table} → ${end.table}, JS heap after GC ${heapGrew >= 0 ? '+' : ''}${(heapGrew / 1024).toFixed(0)} KiB, ${end.pushed - warm.pushed} commands pushed in ${ms.toFixed(0)} ms`, ok);
    assert.ok(warm.isMemory, 'found the WebAssembly.Memory among init()\'s exports');
    assert.ok(grew <= PAGE, `wasm memory grew by ${grew} bytes`);
    assert.equal(end.table, warm.table, 'externref table grew: JS values leaked in wasm');
    assert.ok(heapGrew < 1024 * 1024, `JS heap grew by ${heapGrew} bytes over 100 000 events`);
    assert.ok(end.pushed > warm.pushed + 50000, 'the events did send commands');
  } finally {
    await close();
  }
});

test('repeated 1 MiB inputs reuse the wasm memory: as much after 100 as after 10', async () => {
  const { page, close } = await openPage();
  try {
    const r = await page.evaluate(async () => {
      const m = await import('/tests/robustness/pages/load.js');
      const plugin = await m.plugin();
      const { memory } = await m.wasmParts();
      window.$CVO = { push() { return 0; } };
      const big = (c, i) => c.repeat(1024 * 1024 - 8) + String(i).padStart(8, '0');
      const one = (i) => {
        plugin.track({ event: { event: 'Order Completed', properties: { order_id: big('o', i), total: big('9', i), [big('k', i)]: 1 } }, log() {} });
        plugin.track({ event: { event: big('n', i), properties: {} }, log() {} });
        plugin.identify({ event: { userId: big('u', i), traits: { [big('t', i)]: 1 } }, log() {} });
      };
      for (let i = 0; i < 10; i++) one(i);
      const after10 = memory.buffer.byteLength;
      for (let i = 10; i < 100; i++) one(i);
      return { after10, after100: memory.buffer.byteLength };
    });
    const ok = r.after100 - r.after10 <= PAGE;
    results.row('100 rounds of 1 MiB order ids, totals, keys, event names and userIds',
      `${ok ? '' : 'FAILED: '}wasm memory ${r.after10} bytes after 10 rounds, ${r.after100} after 100`, ok);
    assert.ok(ok, JSON.stringify(r));
  } finally {
    await close();
  }
});
