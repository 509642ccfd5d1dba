// The drop-in for the destination enabled in the Segment app:
// `classicIntegrations: [ConvertroIntegration]`, with cdnSettings shaped like
// Segment's settings response. analytics-next builds it from the app's
// settings; the app's on/off switch, per-event integrations, destination
// middleware and filters apply; it sends what the plugin sends; it fails
// with one console.warn; and Segment's own Convertro bundle is never asked
// for (every outside request is recorded: only the tag may be).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPLS, openPage, forEachEngine, cdnTag, trackEvent, trackUser, script, standInSource, until } from '../support/harness.mjs';
import { cdnSettings, appConvertro } from '../support/app-settings.mjs';
import { CASES, toCall } from '../support/fixtures.mjs';

const wasm = IMPLS.find((impl) => impl.name === 'wasm');
const TAG = cdnTag('acme');
const ORDER = ['track', 'Order Completed', { order_id: 'c-1', total: 25, repeat: false }];
const IDENTIFY = ['identify', 'user-1', { email: 'ada@example.com' }];
/**
 * An identify sent after the events under test, with consent for `settings`'
 * categories: its `trackUser` arriving means everything sent before it has
 * arrived (the source sends in order).
 */
const marker = (settings) => ['identify', 'marker', {}, {
  context: { consent: { categoryPreferences: Object.fromEntries((settings?.consentSettings?.categories ?? []).map((c) => [c, true])) } },
}];

/** A page with the analytics bundle; `body(p)`; closed whatever happens. */
async function withClassic(engine, body, pageOptions) {
  const p = await openPage({ ...wasm, engine }, pageOptions);
  try {
    return await body(p);
  } finally {
    await p.close();
  }
}

const state = (p) => p.page.evaluate((tag) => ({
  cvo: window.$CVO === undefined ? 'undefined' : 'defined',
  scripts: [...document.scripts].filter((s) => s.src === tag).length,
  other: window.e2e.other,
}), TAG);

/** The page's state once the other destination has had `n` events (or after 5 s): they have been dispatched to every destination. */
const afterOther = (p, n) => until(() => state(p), (s) => (s.other?.length ?? 0) >= n);

forEachEngine((engine) => {
  test('the source is named Convertro (analytics-next reads prototype.name)', { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      const r = await p.page.evaluate(async () => {
        const m = await import('/js/index.js');
        const other = m.createConvertroIntegration({ wasm: '/pkg/convertro_bg.wasm' });
        return [m.ConvertroIntegration.prototype.name, other.prototype.name, typeof m.ConvertroIntegration, other !== m.ConvertroIntegration];
      });
      assert.deepEqual(r, ['Convertro', 'Convertro', 'function', true]);
    }, { analytics: false });
  });

  test("built from the app's settings: identify and Order Completed reach the tag; nothing else is asked for outside", { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      const { ready } = await p.classic('loadClassic', { cdnSettings: cdnSettings() });
      assert.equal(ready, 'resolved');
      await p.send(IDENTIFY, ORDER, ['track', 'Signed Up', { plan: 'pro' }], ['page']);
      // The app's settings: hybrid attribution on, Signed Up mapped to signup.
      assert.deepEqual(await p.receivedAtLeast(4), [
        trackUser({ email: 'ada@example.com', id: 'user-1' }),
        trackEvent({ type: 'sale.new', id: 'c-1', amount: 25 }),
        trackEvent({ type: 'sale', id: 'c-1', amount: 25 }),
        trackEvent({ type: 'signup' }),
      ]);
      assert.deepEqual(p.tagRequests, [TAG], "the tag at the app's account, and nothing else");
      assert.deepEqual(p.outside, [], "no request to Segment's CDN (no Convertro bundle) or anywhere else");
      assert.deepEqual(await p.errors(), []);
    });
  });

  test('every fixture case sends through the classic source exactly what the plugin sends', { skip: !wasm }, async () => {
    const problems = [];
    // (A Convertro entry that is not an object is not installed by analytics-next at all.)
    for (const c of CASES.filter((c) => typeof c.settings === 'object' && c.settings !== null)) {
      await withClassic(engine, async (p) => {
        await p.classic('loadClassic', { cdnSettings: cdnSettings({ convertro: c.settings }) });
        if (c.error) {
          const warnings = await p.consoleWhen('warn', /^Convertro/);
          if (JSON.stringify(warnings.map((m) => m.text)) !== JSON.stringify([c.error])) problems.push(`${c.label}: warned ${JSON.stringify(warnings)}`);
          return;
        }
        await p.send(...c.calls.map(toCall), marker(c.settings));
        const all = await p.receivedAtLeast(c.expected.length + 1);
        const received = all.slice(0, -1);
        const [name, payload] = all.at(-1) ?? [];
        if (name !== 'trackUser' || payload?.id !== 'marker') problems.push(`${c.label}: the marker did not arrive last: ${JSON.stringify(all)}`);
        if (JSON.stringify(received) !== JSON.stringify(c.expected)) problems.push(`${c.label}: received ${JSON.stringify(received)}`);
      });
    }
    assert.deepEqual(problems, []);
  });

  test("an Order Completed right at page load reaches $CVO without waiting on analytics-next's flush timers", { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      // Every timer analytics-next draws at random is made 4.5 s or more.
      await p.classic('loadClassic', { cdnSettings: cdnSettings(), slowTimers: true, wait: false });
      // timeToQueue gives up after 4 s: arriving at all is arriving before any flush timer could fire.
      const ms = await p.classic('timeToQueue', 'Order Completed', { order_id: 'fast-1', total: 1 }, 4000);
      assert.ok(ms !== null, 'the command did not reach $CVO within 4 s');
      // The tag's request finishes in this test, not in the next one's (the proxy is shared).
      assert.equal((await p.receivedAtLeast(1)).length, 1);
    });
  });

  test("tagUrl and nonce come through the load option integrations.Convertro, over the app's settings", { skip: !wasm }, async () => {
    const url = 'https://tags.shop.example/cvo/live.js';
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings(), options: { integrations: { Convertro: { tagUrl: url, nonce: 'n0nce' } } } });
      await p.send(ORDER);
      assert.equal((await p.receivedAtLeast(2)).length, 2);
      const scripts = await p.page.evaluate((url) => [...document.scripts].filter((s) => s.src === url).map((s) => s.nonce), url);
      assert.deepEqual(scripts, ['n0nce']);
      assert.deepEqual(p.tagRequests, [url]);
    }, { routes: { [url]: (req, res) => script(res, standInSource()) } });
  });

  test('createConvertroIntegration({ wasm }) says where the wasm is served', { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings(), wasm: '/pkg/convertro_bg.wasm?from=option' });
      await p.send(ORDER);
      assert.equal((await p.receivedAtLeast(2)).length, 2);
      assert.ok(p.served().includes('/pkg/convertro_bg.wasm?from=option'), `the wasm came from the option's URL: ${p.served()}`);
    });
  });

  for (const [how, settings, wasmUrl, warning, oldEngine = false] of [
    ["a bad account in the app's settings", { ...appConvertro(), account: 'acme corp' }, undefined, /^Convertro: setting `account` must be/],
    ['the wasm answering 404', appConvertro(), '/pkg/no-such.wasm', /^Convertro: could not load its WebAssembly from http:\/\/[^ ]+\/pkg\/no-such\.wasm: HTTP 404\b.* Your bundler probably did not emit convertro_bg\.wasm .*'convertro-analytics-plugin\/inline'.*options\.wasm.* Nothing is sent to Convertro\.$/],
    ['an old browser whose engine refuses to compile the wasm', appConvertro(), undefined, /^Convertro: the WebAssembly module could not be loaded \(.*externref.*\); nothing is sent to Convertro\.$/, true],
  ]) {
    test(`failure (${how}): one console.warn naming it, analytics.ready() resolves, nothing sent, other destinations keep working`, { skip: !wasm }, async () => {
      await withClassic(engine, async (p) => {
        const { ready } = await p.classic('loadClassic', { cdnSettings: cdnSettings({ convertro: settings }), wasm: wasmUrl, oldEngine });
        assert.equal(ready, 'resolved');
        await p.send(IDENTIFY, ORDER);
        // The warning is what the failure makes: once it is there, nothing else will be sent.
        const warnings = await p.consoleWhen('warn', /Convertro/);
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        assert.match(warnings[0].text, warning);
        assert.deepEqual(await p.received(), []);
        const s = await state(p);
        assert.equal(s.scripts, 0, 'no tag');
        assert.deepEqual(s.other, [['identify', 'user-1'], ['track', 'Order Completed']]);
        assert.deepEqual(p.outside, []);
      });
    });
  }

  test('Convertro not enabled in the app: nothing is constructed, no tag, no $CVO', { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      const { ready } = await p.classic('loadClassic', { cdnSettings: cdnSettings({ convertro: null }) });
      assert.equal(ready, 'resolved');
      await p.send(IDENTIFY, ORDER);
      const s = await afterOther(p, 2);
      assert.deepEqual([s.cvo, s.scripts], ['undefined', 0]);
      assert.deepEqual(s.other, [['identify', 'user-1'], ['track', 'Order Completed']]);
      assert.deepEqual(p.tagRequests, []);
    });
  });

  test('the load option integrations: { Convertro: false }: nothing is constructed, no tag, no $CVO', { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings(), options: { integrations: { Convertro: false } } });
      await p.send(IDENTIFY, ORDER);
      const s = await afterOther(p, 2);
      assert.deepEqual([s.cvo, s.scripts], ['undefined', 0]);
      assert.deepEqual(s.other, [['identify', 'user-1'], ['track', 'Order Completed']]);
      assert.deepEqual(p.tagRequests, []);
    });
  });

  test("a load option integrations.Convertro object alone installs it with {}: one warning, nothing sent", { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings({ convertro: null }), options: { integrations: { Convertro: { account: 'acme' } } } });
      await p.send(ORDER);
      const warnings = (await p.consoleWhen('warn', /Convertro/)).map((m) => m.text);
      assert.deepEqual(warnings, ["Convertro: setting `account` must be a non-empty string of letters, digits, '_', '-' and '.' (your Convertro account name) (got undefined)."]);
      assert.deepEqual(await p.received(), []);
    });
  });

  test('per-event integrations: { Convertro: false } skips that event only', { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings() });
      await p.send(
        ['track', 'Order Completed', { order_id: 'hidden', total: 1 }, { integrations: { Convertro: false } }],
        ['track', 'Order Completed', { order_id: 'shown', total: 2 }],
      );
      assert.deepEqual(await p.receivedAtLeast(1), [trackEvent({ type: 'sale', id: 'shown', amount: 2 })]);
    });
  });

  test('destination middleware applies: one rewrites the event, one drops Signed Up (next(null))', { skip: !wasm }, async () => {
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings(), middleware: ['rename-order', 'drop-signed-up'] });
      // The dropped event first: had it been sent, it would arrive before the order.
      await p.send(['track', 'Signed Up', {}], ORDER);
      assert.deepEqual(await p.receivedAtLeast(2), [
        trackEvent({ type: 'sale.new', id: 'renamed-by-middleware', amount: 25 }),
        trackEvent({ type: 'sale', id: 'renamed-by-middleware', amount: 25 }),
      ]);
    });
  });

  test("the app's destination filters (middlewareSettings.routingRules) apply to Convertro", { skip: !wasm }, async () => {
    // A filter, as the app makes it, that drops Signed Up for Convertro.
    const routingRules = [{
      matchers: [{ ir: '["=","event",{"value":"Signed Up"}]', type: 'fql' }],
      scope: 'destinations',
      target_type: 'workspace::project::destination::config',
      transformers: [[{ type: 'drop' }]],
      destinationName: 'Convertro',
    }];
    await withClassic(engine, async (p) => {
      await p.classic('loadClassic', { cdnSettings: cdnSettings({ routingRules }) });
      await p.send(['track', 'Signed Up', {}], ORDER);
      assert.deepEqual((await p.receivedAtLeast(2)).map(([, payload]) => payload.type), ['sale.new', 'sale']);
      assert.deepEqual(p.outside, []);
    });
  });
});
