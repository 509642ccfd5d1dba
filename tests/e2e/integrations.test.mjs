// analytics.js's `integrations` option keys on the plugin's name
// ('Convertro'): per call it keeps an event from Convertro while other
// destinations still get it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withPage, trackEvent, trackUser } from '../support/harness.mjs';

forEachImpl((impl) => {
  test('the plugin is named Convertro, a destination, with the package version and the hooks analytics.js calls', async () => {
    await withPage(impl, { account: 'acme' }, async (p) => {
      const shape = await p.page.evaluate(() => {
        const { plugin } = window.e2e;
        return {
          name: plugin.name,
          type: plugin.type,
          version: plugin.version,
          hooks: ['isLoaded', 'load', 'identify', 'track'].filter((k) => typeof plugin[k] === 'function'),
          // analytics.js keeps it registered once its load resolved.
          registered: window.e2e.analytics.queue.plugins.filter((q) => q.name === 'Convertro').length,
        };
      });
      const { version } = JSON.parse((await import('node:fs')).readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      assert.deepEqual(shape, { name: 'Convertro', type: 'destination', version, hooks: ['isLoaded', 'load', 'identify', 'track'], registered: 1 });
    });
  });

  test('integrations: { Convertro: false } on a call keeps that event from Convertro only', async () => {
    await withPage(impl, { account: 'acme', events: { 'Signed Up': 'signup' } }, async (p) => {
      const off = { integrations: { Convertro: false } };
      await p.send(
        ['track', 'Order Completed', { order_id: 'hidden', total: 1 }, off],
        ['identify', 'hidden-user', { a: 1 }, off],
        ['track', 'Signed Up', {}, off],
        ['track', 'Order Completed', { order_id: 'shown', total: 2 }],
        ['track', 'Order Completed', { order_id: 'shown-too', total: 3 }, { integrations: { Convertro: true } }],
        ['track', 'Signed Up', {}, { integrations: { All: false, Convertro: true } }],
        ['track', 'Signed Up', {}, { integrations: { All: false } }],
      );
      assert.deepEqual(await p.received(), [
        trackEvent({ type: 'sale', id: 'shown', amount: 2 }),
        trackEvent({ type: 'sale', id: 'shown-too', amount: 3 }),
        trackEvent({ type: 'signup' }),
      ]);
      // The other destination got every event not turned off for it.
      const other = await p.page.evaluate(() => window.e2e.other);
      assert.deepEqual(other, [
        ['track', 'Order Completed'], ['identify', 'hidden-user'], ['track', 'Signed Up'],
        ['track', 'Order Completed'], ['track', 'Order Completed'],
      ]);
    });
  });

  test('identify turned off for Convertro, then on again', async () => {
    await withPage(impl, { account: 'acme' }, async (p) => {
      await p.send(['identify', 'u-1', { plan: 'a' }, { integrations: { Convertro: false } }], ['identify', 'u-1', { plan: 'b' }]);
      assert.deepEqual(await p.received(), [trackUser({ plan: 'b', id: 'u-1' })]);
    });
  });
});
