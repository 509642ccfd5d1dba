// Consent, with the real @segment/analytics-consent-tools from npm (the
// wrapper Segment's OneTrust and other CMP wrappers build on), in both
// models, on both ways of installing. The source's settings are shaped like
// Segment's: consent categories C0001 and C0004, Convertro in C0004.
//
// - classic source: the wrapper gates it as it gates Segment's own
//   destination (opt-in: not loaded without consent; opt-out: its events
//   blocked); the tag waits for the first event Convertro may send.
// - plain plugin: it enforces `consentSettings` itself, from the consent the
//   wrapper stamps on every event, and injects no tag before that event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPLS, openPage, forEachEngine, cdnTag, trackEvent, trackUser, watchScripts, markOrder, readOrder } from '../support/harness.mjs';
import { cdnSettings } from '../support/app-settings.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/paths.mjs';

const wasm = IMPLS.find((impl) => impl.name === 'wasm');
const TAG = cdnTag('acme');
const CONVERTRO = JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/settings/segment-app-consent.json'), 'utf8'));
const SOURCE = cdnSettings({ convertro: CONVERTRO, consentCategories: ['C0001', 'C0004'] });
const GRANTED = { C0001: true, C0004: true };
const DENIED = { C0001: true, C0004: false };
const CALLS = [['identify', 'user-1', { plan: 'pro' }], ['track', 'Order Completed', { order_id: 'k-1', total: 9, repeat: true }]];
const SENT = [
  trackUser({ plan: 'pro', id: 'user-1' }),
  trackEvent({ type: 'sale.repeat', id: 'k-1', amount: 9 }),
  trackEvent({ type: 'sale', id: 'k-1', amount: 9 }),
];

/**
 * The visitor grants every category: a 'granted' mark among the tag
 * script's insertions (`watchScripts`: a tag added while consent was denied
 * comes before it, which the test sees without waiting), then the
 * wrapper's answer.
 */
const grant = async (p) => {
  await markOrder(p.page, 'granted');
  await p.classic('setConsent', GRANTED);
};

async function withSite(engine, options, body) {
  const p = await openPage({ ...wasm, engine });
  try {
    await p.classic('loadClassic', options);
    return await body(p);
  } finally {
    await p.close();
  }
}


forEachEngine((engine) => {
  for (const model of ['opt-in', 'opt-out']) {
    test(`classic source, ${model}, consent granted: the commands arrive`, { skip: !wasm }, async () => {
      await withSite(engine, { cdnSettings: SOURCE, consent: { model, categories: GRANTED } }, async (p) => {
        await p.send(...CALLS);
        assert.deepEqual(await p.receivedAtLeast(SENT.length), SENT);
        assert.deepEqual(p.tagRequests, [TAG]);
        assert.deepEqual(p.outside, []);
      });
    });

    test(`classic source, ${model}, consent denied: no tag, no commands`, { skip: !wasm }, async () => {
      await withSite(engine, { cdnSettings: SOURCE, consent: { model, categories: DENIED } }, async (p) => {
        await watchScripts(p.page, TAG);
        await p.send(...CALLS, ['track', 'Signed Up', {}]);
        if (model === 'opt-out') {
          // Consent granted afterwards: the identify sent then arrives alone
          // (anything the denied calls had sent would be queued before it),
          // and the tag is added only then.
          await grant(p);
          await p.send(['identify', 'after-consent', {}]);
          assert.deepEqual(await p.receivedAtLeast(1), [trackUser({ id: 'after-consent' })]);
          assert.deepEqual(await readOrder(p.page), ['granted', 'script']);
          assert.deepEqual(p.outside, []);
          return;
        }
        // Opt-in: the wrapper leaves Convertro out of a page loaded without
        // consent (a grant counts from the next page), so no later event can
        // show that these were dropped: a moment for anything that would come.
        await p.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
        assert.deepEqual(await readOrder(p.page), []);
        const page = await p.page.evaluate((tag) => ({ scripts: [...document.scripts].filter((s) => s.src === tag).length, queued: Array.isArray(window.$CVO) ? window.$CVO.length : null }), TAG);
        assert.deepEqual(await p.received(), []);
        assert.deepEqual(page.scripts, 0);
        assert.ok(page.queued === null || page.queued === 0, `$CVO holds ${page.queued} commands`);
        assert.deepEqual(p.tagRequests, [], "no request to Convertro's host");
        assert.deepEqual(p.outside, []);
      });
    });
  }

  test('classic source, opt-out: denied, then granted: nothing before, the tag and the commands after', { skip: !wasm }, async () => {
    await withSite(engine, { cdnSettings: SOURCE, consent: { model: 'opt-out', categories: DENIED } }, async (p) => {
      await watchScripts(p.page, TAG);
      await p.send(['track', 'Order Completed', { order_id: 'before', total: 1 }]);
      await grant(p);
      await p.send(['track', 'Order Completed', { order_id: 'after', total: 2 }]);
      assert.deepEqual(await p.receivedAtLeast(1), [trackEvent({ type: 'sale', id: 'after', amount: 2 })]);
      assert.deepEqual(await readOrder(p.page), ['granted', 'script'], 'no tag while denied');
      assert.deepEqual(p.tagRequests, [TAG]);
    });
  });

  test("classic source without the wrapper: the app's consentSettings still hold back an event whose consent denies Convertro's category", { skip: !wasm }, async () => {
    await withSite(engine, { cdnSettings: SOURCE }, async (p) => {
      const consent = (categoryPreferences) => ({ context: { consent: { categoryPreferences } } });
      await watchScripts(p.page, TAG);
      await p.send(['track', 'Order Completed', { order_id: 'denied', total: 1 }, consent(DENIED)]);
      await markOrder(p.page, 'granted');
      await p.send(['track', 'Order Completed', { order_id: 'granted', total: 2 }, consent(GRANTED)]);
      assert.deepEqual(await p.receivedAtLeast(1), [trackEvent({ type: 'sale', id: 'granted', amount: 2 })]);
      assert.deepEqual(await readOrder(p.page), ['granted', 'script'], 'no tag while every event is denied');
      assert.deepEqual(p.tagRequests, [TAG]);
    });
  });

  test('plain plugin with consentSettings, a visitor who never consents: nothing sent, no request to Convertro, a debug line per event', { skip: !wasm }, async () => {
    await withSite(engine, { cdnSettings: cdnSettings({ convertro: null, consentCategories: ['C0001', 'C0004'] }), consent: { model: 'opt-out', categories: DENIED }, plugin: { account: 'acme', hybridAttributionModel: true, consentSettings: { categories: ['C0004'] } } }, async (p) => {
      await watchScripts(p.page, TAG);
      await p.send(...CALLS);
      // A plugin gets each event at once: the debug line says it has been
      // held back, and the tag would have been added then.
      const logs = await p.classic('trackLogs', 'Order Completed', { order_id: 'k-2' });
      assert.deepEqual(await readOrder(p.page), [], 'no tag script added');
      assert.ok(logs.some((m) => m.startsWith('Convertro: held back for consent')), JSON.stringify(logs));
      const state = await p.page.evaluate(() => ({ isLoaded: window.e2e.plugin.isLoaded(), queued: Array.isArray(window.$CVO) ? window.$CVO.length : null }));
      assert.deepEqual(await p.received(), []);
      assert.equal(state.isLoaded, false);
      assert.ok(state.queued === null || state.queued === 0);
      assert.deepEqual(p.tagRequests, [], "no request to Convertro's host");
      assert.deepEqual(p.outside, []);
    });
  });

  test('plain plugin with consentSettings: granted later, the tag loads then and the commands arrive', { skip: !wasm }, async () => {
    await withSite(engine, { cdnSettings: cdnSettings({ convertro: null, consentCategories: ['C0001', 'C0004'] }), consent: { model: 'opt-in', categories: DENIED }, plugin: { account: 'acme', hybridAttributionModel: true, consentSettings: { categories: ['C0004'] } } }, async (p) => {
      await watchScripts(p.page, TAG);
      await p.send(['track', 'Order Completed', { order_id: 'early', total: 1 }]);
      await grant(p);
      await p.send(...CALLS);
      assert.deepEqual(await p.receivedAtLeast(SENT.length), SENT);
      assert.deepEqual(await readOrder(p.page), ['granted', 'script']);
      assert.deepEqual(p.tagRequests, [TAG]);
    });
  });

  test('plain plugin with consentSettings: a consent getter that calls the plugin again does not change what the outer call sends', { skip: !wasm }, async () => {
    const p = await openPage({ ...wasm, engine }, { analytics: false });
    try {
      const sent = await p.page.evaluate(async () => {
        const { convertro } = await import('/js/index.js');
        const plugin = await convertro({ account: 'acme', consentSettings: { categories: ['C0004'] } });
        const ctx = (event) => ({ event, log() {} });
        const inner = () => plugin.identify(ctx({ userId: 'inner', traits: {} }));
        const granted = { C0004: true };
        const out = [];
        for (const consent of [
          // The nested call from a getter on the context, then from one on a category.
          { get context() { inner(); return { consent: { categoryPreferences: granted } }; } },
          { context: { consent: { categoryPreferences: { get C0004() { inner(); return true; } } } } },
        ]) {
          window.$CVO = [];
          plugin.identify(ctx(Object.defineProperties({ userId: 'outer', traits: { plan: 'pro' } }, Object.getOwnPropertyDescriptors(consent))));
          plugin.track(ctx(Object.defineProperties({ event: 'Order Completed', properties: { order_id: 'outer-1' } }, Object.getOwnPropertyDescriptors(consent))));
          out.push(JSON.parse(JSON.stringify(window.$CVO)));
        }
        return out;
      });
      const expected = [
        trackUser({ id: 'inner' }), trackUser({ plan: 'pro', id: 'outer' }),
        trackUser({ id: 'inner' }), trackEvent({ type: 'sale', id: 'outer-1' }),
      ];
      assert.deepEqual(sent, [expected, expected]);
    } finally {
      await p.close();
    }
  });

  test('plain plugin with consentSettings: an event without a consent object is sent', { skip: !wasm }, async () => {
    const p = await openPage({ ...wasm, engine });
    try {
      await p.start({ account: 'acme', hybridAttributionModel: true, consentSettings: { categories: ['C0004'] } }, { waitForLoad: false });
      await p.send(...CALLS);
      assert.deepEqual(await p.receivedAtLeast(SENT.length), SENT);
    } finally {
      await p.close();
    }
  });
});
