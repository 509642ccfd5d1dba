// Bad input reaching the hooks the way analytics.js hands it over: nothing is
// sent for what cannot be read, a ctx.log('debug', …) line says why, the hook
// returns ctx and throws nothing, and the plugin keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withPage, trackEvent } from '../support/harness.mjs';

const SETTINGS = { account: 'acme', events: { 'Signed Up': 'signup' } };

forEachImpl((impl) => {
  test('unreadable or malformed events send nothing, log a debug line and return ctx', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      const results = await p.page.evaluate(() => {
        const { plugin } = window.e2e;
        const throwing = new Proxy({}, { ownKeys() { throw new Error('boom'); }, get() { throw new Error('boom'); } });
        const cases = {
          'ctx without an event': ['track', {}],
          'event name a number': ['track', { event: { type: 'track', event: 42, properties: { order_id: 'x' } } }],
          'Order Completed with null properties': ['track', { event: { type: 'track', event: 'Order Completed', properties: null } }],
          'Order Completed with throwing properties': ['track', { event: { type: 'track', event: 'Order Completed', properties: throwing } }],
          'Order Completed whose order id getter throws': ['track', { event: { type: 'track', event: 'Order Completed', properties: { get order_id() { throw new Error('boom'); }, total: 5 } } }],
          'identify without userId': ['identify', { event: { type: 'identify', traits: { a: 1 } } }],
        };
        const out = {};
        for (const [what, [hook, partial]] of Object.entries(cases)) {
          const levels = [];
          const ctx = { ...partial, log: (level) => levels.push(level) };
          let returned;
          let threw = null;
          try { returned = plugin[hook](ctx); } catch (error) { threw = String(error); }
          out[what] = { sameCtx: returned === ctx, threw, debugLogged: levels.includes('debug') };
        }
        return out;
      });
      for (const [what, r] of Object.entries(results)) {
        assert.deepEqual(r, { sameCtx: true, threw: null, debugLogged: true }, what);
      }
      await p.send(['track', 'Order Completed', { order_id: 'after', total: 1 }]);
      assert.deepEqual(await p.received(), [trackEvent({ type: 'sale', id: 'after', amount: 1 })], 'only the good order after the bad input');
    });
  });

  test('a property that cannot be read is treated as absent; the rest is still sent', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      await p.page.evaluate(() => {
        const { plugin } = window.e2e;
        const log = () => {};
        const properties = { order_id: 'o-1', get total() { throw new Error('boom'); }, revenue: 8 };
        plugin.track({ event: { type: 'track', event: 'Order Completed', properties }, log });
        const unreadable = new Proxy({}, { ownKeys() { throw new Error('boom'); } });
        plugin.track({ event: { type: 'track', event: 'Signed Up', properties: unreadable }, log });
      });
      assert.deepEqual(await p.received(), [
        trackEvent({ type: 'sale', id: 'o-1', amount: 8 }),
        trackEvent({ type: 'signup' }),
      ]);
    });
  });
});
