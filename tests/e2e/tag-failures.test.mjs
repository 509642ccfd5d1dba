// A slow tag loses nothing (events sent before it arrives, even before load
// was called, reach it in order); a blocked tag and a 404 make load reject
// with an Error naming the URL while analytics.js keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, openPage, cdnTag, heldTag, blocked, notFound, trackEvent, trackUser } from '../support/harness.mjs';

const SETTINGS = { account: 'acme', events: { 'Signed Up': 'signup' }, hybridAttributionModel: true };

forEachImpl((impl) => {
  test('slow tag: everything sent before it loads (even before load was called) reaches it, in order', async () => {
    const tag = heldTag();
    const p = await openPage(impl, { tag: tag.handler });
    try {
      // Straight through the plugin's hooks before analytics.js has called load().
      assert.deepEqual(await p.makePlugin(SETTINGS), { ok: true });
      await p.page.evaluate(() => {
        window.e2e.plugin.track({ event: { type: 'track', event: 'Order Completed', properties: { order_id: 'early', total: 1 } }, log() {} });
      });
      const started = await p.start(SETTINGS, { waitForLoad: false, reusePlugin: true });
      assert.deepEqual(started.load, { state: 'pending' });
      await tag.requested;
      await p.send(
        ['identify', 'user-1', { email: 'a@example.com' }],
        ['track', 'Signed Up', { id: 'u-1' }],
        ['track', 'Order Completed', { order_id: 'o-1', total: 10, repeat: false }],
        ['track', 'Not Mapped', { total: 3 }],
      );
      const waiting = await p.page.evaluate(() => ({
        isLoaded: window.e2e.plugin.isLoaded(),
        queued: window.$CVO.length,
        received: window.__cvoReceived === undefined,
        analyticsUser: window.e2e.analytics.user().id(),
      }));
      assert.deepEqual(waiting, { isLoaded: false, queued: 5, received: true, analyticsUser: 'user-1' });
      assert.deepEqual(await p.received(), [], 'the tag has not run yet');

      tag.release();
      assert.deepEqual(await p.loadOutcome(10000), { state: 'resolved' });
      assert.equal(await p.page.evaluate(() => window.e2e.plugin.isLoaded()), true);
      await p.send(['track', 'Order Completed', { order_id: 'o-2' }]); // after the tag: handled at once
      assert.deepEqual(await p.received(), [
        trackEvent({ type: 'sale', id: 'early', amount: 1 }),
        trackUser({ email: 'a@example.com', id: 'user-1' }),
        trackEvent({ type: 'signup', id: 'u-1' }),
        trackEvent({ type: 'sale.new', id: 'o-1', amount: 10 }),
        trackEvent({ type: 'sale', id: 'o-1', amount: 10 }),
        trackEvent({ type: 'sale', id: 'o-2' }),
      ]);
      assert.deepEqual(await p.errors(), []);
    } finally {
      tag.release();
      await p.close();
    }
  });

  const failures = {
    'blocked (as by an ad blocker)': blocked(),
    'answering 404': notFound(),
  };
  for (const [how, handler] of Object.entries(failures)) {
    test(`tag ${how}: one console.warn naming the URL, load resolves (a rejection would make analytics-next drop the destination), everything keeps working`, async () => {
      const p = await openPage(impl, { tag: handler });
      try {
        const started = await p.start(SETTINGS);
        assert.equal(started.load.state, 'resolved');
        const warnings = (await p.console()).filter((m) => m.type === 'warn' && m.text.includes(cdnTag('acme')));
        assert.equal(warnings.length, 1, `one warning names the URL: ${JSON.stringify(await p.console())}`);

        const after = await p.page.evaluate(async (tagUrl) => {
          const { analytics, plugin } = window.e2e;
          const ready = await Promise.race([analytics.ready().then(() => 'fired'), new Promise((r) => setTimeout(() => r('timed out'), 5000))]);
          const ctx = await analytics.track('Order Completed', { order_id: 'o-9', total: 9 });
          await analytics.identify('user-9', { plan: 'pro' });
          return {
            ready,
            trackResolved: ctx.event.event,
            isLoaded: plugin.isLoaded(),
            scripts: [...document.scripts].filter((s) => s.src === tagUrl).length,
            userId: analytics.user().id(),
          };
        }, cdnTag('acme'));
        assert.deepEqual(after, { ready: 'fired', trackResolved: 'Order Completed', isLoaded: false, scripts: 1, userId: 'user-9' });
        // The destination still gets every event: they wait in $CVO (and, for the package, its outbox).
        assert.deepEqual(await p.page.evaluate(() => window.$CVO), [
          ['trackEvent', { type: 'sale', id: 'o-9', amount: 9 }],
          ['trackUser', { plan: 'pro', id: 'user-9' }],
        ]);
        // Another destination still gets every event.
        assert.deepEqual(await p.page.evaluate(() => window.e2e.other), [['track', 'Order Completed'], ['identify', 'user-9']]);
        assert.deepEqual(await p.received(), [], 'no tag ran');
        assert.deepEqual(await p.errors(), [], 'no uncaught error on the page');
        assert.deepEqual(p.tagRequests, [cdnTag('acme')]);
        assert.deepEqual(p.outside, []);
      } finally {
        await p.close();
      }
    });
  }

  test('a failing custom tagUrl is the URL the error names', async () => {
    const url = 'https://tags.acme.example/missing.js';
    const p = await openPage(impl, { routes: { [url]: notFound() } });
    try {
      const started = await p.start({ account: 'acme', tagUrl: url });
      assert.equal(started.load.state, 'resolved');
      const warnings = (await p.console()).filter((m) => m.type === 'warn' && m.text.includes(url));
      assert.equal(warnings.length, 1, JSON.stringify(await p.console()));
    } finally {
      await p.close();
    }
  });
});
