// identify → ['trackUser', traits + id]: only with a usable userId (a
// non-empty string or a finite number), traits copied, the caller's objects
// left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withPage, trackUser } from '../support/harness.mjs';

const SETTINGS = { account: 'acme' };

forEachImpl((impl) => {
  test('identify with a string userId sends trackUser with the traits and the id', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(['identify', 'user-1', { email: 'a@example.com', plan: 'pro', age: 42, vip: true }]);
      assert.deepEqual(await p.received(), [
        trackUser({ email: 'a@example.com', plan: 'pro', age: 42, vip: true, id: 'user-1' }),
      ]);
    });
  });

  test('identify keeps nested traits and audience booleans, and the id overrides a trait named id', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(['identify', 'user-2', { id: 'stale', address: { city: 'Paris' }, in_vip_audience: true, ltv: 0 }]);
      const [[name, payload]] = await p.received();
      assert.equal(name, 'trackUser');
      assert.equal(payload.id, 'user-2');
      assert.deepEqual(payload.address, { city: 'Paris' });
      assert.equal(payload.in_vip_audience, true);
      assert.equal(payload.ltv, 0);
    });
  });

  test('identify with a number userId sends it (as analytics.js gives it, and as a number when the hook gets one)', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      // analytics-next turns a number userId into a string before the plugin sees it.
      await p.page.evaluate(() => window.e2e.analytics.identify(12345, { name: 'Ann' }));
      // Called the way analytics.js calls the hook, with a number userId as given.
      await p.page.evaluate(() => window.e2e.plugin.identify({ event: { type: 'identify', userId: 678, traits: { name: 'Bob' } }, log() {} }));
      await p.page.evaluate(() => window.e2e.plugin.identify({ event: { type: 'identify', userId: 0, traits: {} }, log() {} }));
      assert.deepEqual(await p.received(), [
        trackUser({ name: 'Ann', id: '12345' }),
        trackUser({ name: 'Bob', id: 678 }),
        trackUser({ id: 0 }),
      ]);
    });
  });

  test('identify without a userId (anonymous, or empty) sends nothing', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(['identify', { email: 'anon@example.com' }]);
      await p.page.evaluate(() => window.e2e.plugin.identify({ event: { type: 'identify', userId: '', traits: { a: 1 } }, log() {} }));
      await p.page.evaluate(() => window.e2e.plugin.identify({ event: { type: 'identify', userId: null, traits: { a: 1 } }, log() {} }));
      await p.page.evaluate(() => window.e2e.plugin.identify({ event: { type: 'identify', userId: Number.NaN, traits: { a: 1 } }, log() {} }));
      assert.deepEqual(await p.received(), []);
      // The same page still sends a proper identify: nothing was silently broken.
      await p.send(['identify', 'user-3', { plan: 'free' }]);
      // analytics.js keeps the anonymous visitor's traits and adds the new ones.
      assert.deepEqual(await p.received(), [trackUser({ email: 'anon@example.com', plan: 'free', id: 'user-3' })]);
    });
  });

  test("identify never modifies the caller's traits object", async () => {
    await withPage(impl, SETTINGS, async (p) => {
      const result = await p.page.evaluate(async () => {
        const { analytics, plugin } = window.e2e;
        const viaAnalytics = { email: 'x@example.com' };
        await analytics.identify('user-4', viaAnalytics);
        const traits = { email: 'y@example.com', nested: { a: 1 } };
        const event = { type: 'identify', userId: 'user-5', traits };
        const ctx = { event, log() {} };
        // Watch what reaches $CVO.push (the tag's own push still runs).
        const tagPush = window.$CVO.push;
        let pushed;
        window.$CVO.push = function (command) { pushed = command; return tagPush.apply(this, arguments); };
        const returned = plugin.identify(ctx);
        window.$CVO.push = tagPush;
        return {
          viaAnalytics: { ...viaAnalytics },
          traits: JSON.parse(JSON.stringify(traits)),
          eventKeys: Object.keys(event),
          sameCtx: returned === ctx,
          pushedIsCallersObject: pushed[1] === traits,
        };
      });
      assert.deepEqual(result.viaAnalytics, { email: 'x@example.com' });
      assert.deepEqual(result.traits, { email: 'y@example.com', nested: { a: 1 } });
      assert.deepEqual(result.eventKeys, ['type', 'userId', 'traits']);
      assert.equal(result.sameCtx, true, 'identify returns the ctx it was given');
      assert.equal(result.pushedIsCallersObject, false);
      assert.deepEqual(await p.received(), [
        trackUser({ email: 'x@example.com', id: 'user-4' }),
        trackUser({ email: 'y@example.com', nested: { a: 1 }, id: 'user-5' }),
      ]);
    });
  });
});
