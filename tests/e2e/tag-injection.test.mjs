// load(): one <script async> for Convertro's tag (CDN URL for the account, or
// tagUrl) with the CSP nonce, never a second one; an existing $CVO array and
// an existing tag script are kept; isLoaded() follows the tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, openPage, withPage, cdnTag, serveTag, heldTag, trackEvent, trackUser } from '../support/harness.mjs';

/** The script elements whose src is `url`, as plain data. */
const scriptsFor = (p, url) => p.page.evaluate((url) => [...document.scripts]
  .filter((s) => s.src === url)
  .map((s) => ({ async: s.async, nonce: s.nonce, inHead: s.parentNode === document.head })), url);

forEachImpl((impl) => {
  test('load injects one async script for the account\'s tag on the CDN, with the nonce, and resolves once it ran', async () => {
    await withPage(impl, { account: 'acme-shop', nonce: 'n0nce-123' }, async (p, started) => {
      assert.deepEqual(started.load, { state: 'resolved' });
      assert.deepEqual(await scriptsFor(p, cdnTag('acme-shop')), [{ async: true, nonce: 'n0nce-123', inHead: true }]);
      assert.deepEqual(p.tagRequests, [cdnTag('acme-shop')]);
      assert.equal(await p.page.evaluate(() => window.e2e.plugin.isLoaded()), true);
      assert.deepEqual(p.outside, [], 'nothing else left the machine');
    });
  });

  test('load called again, or by a second plugin, injects no second script', async () => {
    await withPage(impl, { account: 'acme' }, async (p) => {
      const outcome = await p.page.evaluate(async (impl) => {
        const { plugin, analytics } = window.e2e;
        const again = await Promise.allSettled([plugin.load(), plugin.load({}, analytics)]);
        const { convertro } = await import(impl);
        const second = await convertro({ account: 'acme' });
        const secondLoad = await Promise.allSettled([second.load({}, analytics)]);
        return [...again, ...secondLoad].map((r) => r.status).concat(second.isLoaded());
      }, impl.module);
      assert.deepEqual(outcome, ['fulfilled', 'fulfilled', 'fulfilled', true]);
      assert.equal((await scriptsFor(p, cdnTag('acme'))).length, 1);
      assert.deepEqual(p.tagRequests, [cdnTag('acme')]);
    });
  });

  test('load called again while the tag is still loading injects no second script', async () => {
    const tag = heldTag();
    const p = await openPage(impl, { tag: tag.handler });
    try {
      await p.start({ account: 'acme' }, { waitForLoad: false });
      await tag.requested;
      await p.page.evaluate(() => {
        const { plugin, analytics } = window.e2e;
        window.e2e.again = Promise.allSettled([plugin.load(), plugin.load({}, analytics)]);
      });
      assert.equal((await scriptsFor(p, cdnTag('acme'))).length, 1);
      tag.release();
      assert.deepEqual(await p.loadOutcome(10000), { state: 'resolved' });
      assert.deepEqual(await p.page.evaluate(async () => (await window.e2e.again).map((r) => r.status)), ['fulfilled', 'fulfilled']);
      assert.equal((await scriptsFor(p, cdnTag('acme'))).length, 1);
      assert.deepEqual(p.tagRequests, [cdnTag('acme')]);
    } finally {
      tag.release();
      await p.close();
    }
  });

  test("the page's own async tag script, still loading, is waited for rather than injected again", async () => {
    const tag = heldTag();
    const p = await openPage(impl, { tag: tag.handler });
    try {
      await p.page.evaluate((url) => {
        const script = document.createElement('script');
        script.async = true;
        script.src = url;
        document.head.append(script);
      }, cdnTag('acme'));
      await tag.requested;
      await p.start({ account: 'acme' }, { waitForLoad: false });
      await p.send(['track', 'Order Completed', { order_id: 'o-1' }]);
      assert.equal((await scriptsFor(p, cdnTag('acme'))).length, 1);
      tag.release();
      assert.deepEqual(await p.loadOutcome(10000), { state: 'resolved' });
      assert.equal(await p.page.evaluate(() => window.e2e.plugin.isLoaded()), true);
      assert.deepEqual(await p.received(), [trackEvent({ type: 'sale', id: 'o-1' })]);
      assert.deepEqual(p.tagRequests, [cdnTag('acme')]);
    } finally {
      tag.release();
      await p.close();
    }
  });

  test('tagUrl replaces the CDN URL (absolute, or a path on the same site)', async () => {
    const custom = 'https://tags.acme.example/cvo/live.js';
    const p = await openPage(impl, { routes: { [custom]: serveTag() } });
    try {
      const started = await p.start({ account: 'acme', tagUrl: custom });
      assert.deepEqual(started.load, { state: 'resolved' });
      await p.send(['track', 'Order Completed', { order_id: 'o-1' }]);
      assert.deepEqual(await p.received(), [trackEvent({ type: 'sale', id: 'o-1' })]);
      assert.deepEqual(p.tagRequests, [custom]);
      assert.equal((await scriptsFor(p, custom)).length, 1);
    } finally {
      await p.close();
    }

    const q = await openPage(impl);
    try {
      const path = '/tests/support/stand-in-tag.js'; // served by the test server itself
      const started = await q.start({ account: 'acme', tagUrl: path });
      assert.deepEqual(started.load, { state: 'resolved' });
      assert.equal((await scriptsFor(q, q.origin + path)).length, 1);
      assert.deepEqual(q.tagRequests, [], 'the CDN is not asked');
      await q.send(['identify', 'u-1', {}]);
      assert.deepEqual(await q.received(), [trackUser({ id: 'u-1' })]);
    } finally {
      await q.close();
    }
  });

  test('an existing $CVO array is kept, and what the page queued in it reaches the tag first', async () => {
    const p = await openPage(impl);
    try {
      await p.page.evaluate(() => {
        window.$CVO = [['trackEvent', { type: 'page-queued', id: 'p-1' }]];
        window.pageQueue = window.$CVO;
      });
      await p.start({ account: 'acme' });
      await p.send(['track', 'Order Completed', { order_id: 'o-1', total: 5 }]);
      assert.equal(await p.page.evaluate(() => window.$CVO === window.pageQueue), true, 'the same array object');
      assert.deepEqual(await p.received(), [
        trackEvent({ type: 'page-queued', id: 'p-1' }),
        trackEvent({ type: 'sale', id: 'o-1', amount: 5 }),
      ]);
    } finally {
      await p.close();
    }
  });

  test('a tag script already on the page is not injected again, and load resolves', async () => {
    const html = `<!doctype html><html><head><script src="${cdnTag('acme')}"></script></head><body></body></html>`;
    const p = await openPage(impl, { html });
    try {
      const started = await p.start({ account: 'acme' });
      assert.deepEqual(started.load, { state: 'resolved' });
      assert.equal((await scriptsFor(p, cdnTag('acme'))).length, 1);
      assert.deepEqual(p.tagRequests, [cdnTag('acme')]);
      await p.send(['track', 'Order Completed', { order_id: 'o-1' }]);
      assert.deepEqual(await p.received(), [trackEvent({ type: 'sale', id: 'o-1' })]);
    } finally {
      await p.close();
    }
  });

  test('isLoaded() is false until the tag defines $CVO.trackEvent, then true', async () => {
    const p = await openPage(impl, { analytics: false });
    try {
      const states = await p.page.evaluate(async (impl) => {
        const { convertro } = await import(impl);
        const plugin = await convertro({ account: 'acme', tagUrl: '/tests/support/does-not-exist.js' });
        const before = plugin.isLoaded();
        window.$CVO = [];
        const withPlainArray = plugin.isLoaded();
        window.$CVO.trackEvent = function () {};
        const withTrackEvent = plugin.isLoaded();
        return { before, withPlainArray, withTrackEvent };
      }, impl.module);
      assert.deepEqual(states, { before: false, withPlainArray: false, withTrackEvent: true });
    } finally {
      await p.close();
    }
  });
});
