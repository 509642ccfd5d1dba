// No conversion lost (issue 15): a command sent while Convertro's tag is
// still loading reaches Convertro exactly once, even when the visitor leaves.
// Each test runs across real navigations between pages of one local site, in
// each engine. What Convertro received is counted by a stand-in tag that
// records into localStorage (`__cvoLog`, [page, command] per command), which
// survives the navigation; the tag for a page that is "still loading" is held
// by the proxy and never answered, or blocked, as an ad blocker would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/paths.mjs';
import { forEachEngine, CDN, blocked, heldTag, script, standInSource, addScript, waitFor } from '../support/harness.mjs';
import { open, env } from '../support/pages.mjs';
import { analyticsBundle } from '../support/analytics-bundle.mjs';
import { cdnSettings, appConvertro } from '../support/app-settings.mjs';

const BLANK = '<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head><body></body></html>';
// The outbox's keys for account acme (src/rules/outbox.rs): one record per
// page (`<page>`), calls kept before the wasm (`<page>:<n>`), claims.
const PREFIX = 'convertro:v2:acme:';
/** Commands in a stable order, for comparing what arrived regardless of order. */
const sorted = (commands) => [...commands].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const SALE = (id, amount) => ['trackEvent', amount === undefined ? { type: 'sale', id } : { type: 'sale', id, amount }];

/**
 * The stand-in tag, recording every command it receives into localStorage
 * too (the real one, kept before a test breaks it for the page).
 */
const RECORDING = `(function () {
  var store = window.__realStorage || localStorage;
  var set = window.__realSetItem || Storage.prototype.setItem;
  var log = [];
  log.push = function () {
    var all = JSON.parse(store.getItem('__cvoLog') || '[]');
    for (var i = 0; i < arguments.length; i++) all.push([location.pathname, arguments[i]]);
    set.call(store, '__cvoLog', JSON.stringify(all));
    return Array.prototype.push.apply(this, arguments);
  };
  window.__cvoReceived = log;
})();
${standInSource()}`;
const recording = () => (req, res) => script(res, RECORDING);

let pages = 0;

/**
 * A tab on a page of the site. `tag` answers the tag's requests until
 * `setTag` changes it (before the next page asks). `go(name)` navigates
 * this tab to another page of the site; `start(...)` loads analytics-next
 * there with the plugin (or the classic source).
 */
async function tab(engine, tag) {
  let asked = 0;
  const answer = (url) => {
    if (!url.startsWith(`${CDN}/`)) return undefined;
    return (req, res) => {
      asked++;
      return tag(req, res);
    };
  };
  const p = await open(engine, { route: answer });
  return { ...p, ...on(p.page, p.origin), setTag: (handler) => { tag = handler; }, asked: () => asked };
}

/** Another tab of `t`'s browser (storage shared), answered by `t`'s tag. */
async function sibling(t) {
  const page = await t.page.sibling();
  return { page, close: page.close, ...on(page, t.origin) };
}

/** What a test does in a tab showing `page`. */
function on(page, origin) {
  /**
   * With `cacheable`, the page is served `no-cache` instead of the server's
   * `no-store`, which keeps it out of Chromium's back/forward cache once it
   * has made a request from JS (its notRestoredReasons): only the tests
   * that restore a page ask for it (a page in the cache holds its pending
   * tag request, and the next page's request for that URL waits for it).
   */
  const go = async (name, { cacheable = false } = {}) => {
    const { server } = await env();
    const path = `/__outbox/${++pages}-${name}.html`;
    server.page(path, BLANK, cacheable ? { 'cache-control': 'no-cache' } : {});
    await page.goto(origin + path);
  };
  /** Loads analytics-next with the plugin (`settings`), or the classic source (`classic: true`, the app's settings). */
  const start = async ({ settings = { account: 'acme' }, classic = false, noWait = false } = {}) => {
    await addScript(page, (await analyticsBundle()));
    if (classic) {
      await page.evaluate(async (cdn) => (await import('/tests/support/page/classic.js')).loadClassic({ cdnSettings: cdn, wait: false }), cdnSettings({ convertro: appConvertro() }));
    } else {
      await page.evaluate(async ([settings, noWait]) => (await import('/tests/support/page/start.js')).start({ impl: '/js/index.js', settings, noWait, waitForLoad: false }), [settings, noWait]);
    }
  };
  const track = (name, properties, options) => page.evaluate(async (a) => { await window.e2e.analytics.track(...a); }, [name, properties, options]);
  const identify = (id, traits) => page.evaluate(async (a) => { await window.e2e.analytics.identify(...a); }, [id, traits]);
  /** What every page's tag received so far: [[page, command], …]. */
  const log = async () => (await page.evaluate(() => JSON.parse((window.__realStorage || localStorage).getItem('__cvoLog') || '[]'))).filter(([, command]) => !isMarker(command));
  const commands = async () => (await log()).map(([, command]) => command);
  /** Waits until the tags received `n` commands; then what they received. */
  const received = async (n) => {
    let all;
    await eventually(async () => (all = await commands()).length >= n, `${n} commands at the tag`);
    return all;
  };
  /** What the outbox has stored for acme: every key below its prefix, as one JSON text, or null when there is none. */
  const stored = () => page.evaluate((prefix) => {
    const all = {};
    const storage = window.__realStorage || localStorage;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key.startsWith(prefix)) all[key.slice(prefix.length)] = storage.getItem(key);
    }
    return Object.keys(all).length ? JSON.stringify(all) : null;
  }, PREFIX);
  /** Waits until the outbox has nothing stored. */
  const emptied = () => eventually(async () => (await stored()) === null, 'nothing left in storage');
  /** Stores what a page that went for good left: a released record of `entries` ({ id, at, command }). */
  const left = (name, entries) => page.evaluate(([key, entries]) => {
    localStorage.setItem(key, JSON.stringify({ lease: 0 }));
    entries.forEach((entry, n) => localStorage.setItem(`${key}:e${n}`, JSON.stringify(entry)));
  }, [PREFIX + name, entries]);
  /** The outbox's stored keys by kind: `leases` (the numbers), `entries` ({ at, command }) and `calls`. */
  const parts = async () => {
    const all = Object.entries(JSON.parse((await stored()) ?? '{}')).map(([key, text]) => [key, JSON.parse(text)]);
    return {
      leases: all.filter(([key]) => !key.includes(':')).map(([, value]) => value.lease),
      entries: all.filter(([key]) => /:e\d+$/.test(key)).map(([, value]) => value),
      calls: all.filter(([key]) => /:\d+$/.test(key)).map(([, value]) => value),
    };
  };
  /** A first page of the site, with nothing stored from an earlier test. */
  const fresh = async (name, options) => {
    await go(name, options);
    await page.evaluate(() => localStorage.clear());
  };
  return { go, fresh, start, track, identify, log, commands, received, stored, emptied, left, parts };
}

/**
 * Kills `t`'s renderer as a crash or an out-of-memory kill does (Chromium,
 * CDP `Page.crash`): no `pagehide`, no `visibilitychange`, no unload; with
 * `hidden`, the tab first goes to the background as a phone's app switch
 * does (`visibilitychange` to hidden, then frozen: its timers stop), the
 * path of a tab the OS discards later.
 */
async function kill(t, { hidden = false } = {}) {
  const cdp = await t.page.native.context().newCDPSession(t.page.native);
  if (hidden) {
    await t.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  }
  // The command gets no answer: the page's crash event says it is done.
  const crashed = t.page.native.waitForEvent('crash');
  cdp.send('Page.crash').catch(() => {});
  await crashed;
}

/** What the tag of `t`'s page received (its own in-memory list: five tabs racing on one log could lose entries). */
const ownReceived = (t) => t.page.evaluate(() => (window.__cvoReceived || []).filter((c) => !String(c?.[1]?.id).startsWith('__settled-')));

/** The console.warn lines saying the tag failed, so far in this tab (WebKit: on this page). */
const failures = async (t) => (await t.console()).filter((m) => m.type === 'warn' && m.text.includes('failed to load')).length;

/** Waits until `condition()` (in the test) holds. */
async function eventually(condition, what, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until everything pushed so far on `t`'s page has reached its tag
 * (which must have loaded): pushes a marker onto \`$CVO\` and waits for the tag
 * to record it. The tag takes commands in order, so anything the destination
 * pushed before (a replay sent twice, a malformed entry) is recorded by
 * then; the tests' logs leave the marker out.
 */
let markers = 0;
async function settled(t) {
  const id = `__settled-${++markers}`;
  await t.page.evaluate((id) => { window.$CVO.push(['trackUser', { id }]); }, id);
  await waitFor(t.page, (id) => ((window.__realStorage || localStorage).getItem('__cvoLog') || '').includes(`"${id}"`), [id], { what: 'the marker at the tag' });
}

/** Whether a recorded command is a marker of `settled`. */
const isMarker = (command) => String(command?.[1]?.id).startsWith('__settled-');

/**
 * The start of each back/forward-cache test: on a first page, an order is
 * sent while the tag (`slow`) loads, and the page goes into the cache.
 */
async function orderThenCache(t, slow, orderId) {
  await t.fresh('cart');
  await t.start();
  await t.track('Order Completed', { order_id: orderId });
  await slow.requested;
  await transition(t, 'pagehide');
}

/**
 * Dispatches what the browser dispatches when the page goes into the
 * back/forward cache or comes back from it (`persisted`), or goes for good.
 */
const transition = (t, type, persisted = true) => t.page.evaluate(([type, persisted]) => { dispatchEvent(new PageTransitionEvent(type, { persisted })); }, [type, persisted]);

/**
 * What the plugin has done to the page: `window.$CVO` (null when there is
 * none) and how many of Convertro's tag scripts it added. A replay pushes
 * onto the queue and the tag is added in the same call that decides it
 * (a plugin's `track`, or `load()`, which `start()` has called), so once
 * these have returned there is nothing more to wait for.
 */
const untouched = (t) => t.page.evaluate((cdn) => ({
  queue: window.$CVO ?? null,
  tags: [...document.scripts].filter((s) => s.src.startsWith(`${cdn}/`)).length,
}), CDN);

forEachEngine((engine) => {
  for (const way of ['plugin', 'classic source']) {
    const classic = way === 'classic source';
    test(`${way}: an order sent while the tag loads reaches Convertro once, on the next page, beside that page's own commands`, { timeout: 60_000 }, async () => {
      const slow = heldTag();
      const t = await tab(engine, slow.handler);
      try {
        await t.fresh('cart');
        await t.start({ classic });
        await t.track('Order Completed', { order_id: 'o-1', total: 5 });
        await slow.requested;
        await waitFor(t.page, () => Array.isArray(window.$CVO) && window.$CVO.length === 1, [], { what: 'the order queued' });
        t.setTag(recording());
        await t.go('thanks');
        await t.start({ classic });
        await t.identify('u-1');
        const got = await t.received(2);
        await settled(t);
        assert.deepEqual(sorted(await t.commands()), sorted([SALE('o-1', 5), ['trackUser', { id: 'u-1' }]]));
        assert.equal(got.length, 2);
        await t.emptied();
      } finally {
        slow.release();
        await t.close();
      }
    });
  }

  test('plugin: an identify sent while the tag loads reaches Convertro once, on the next page', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      await t.fresh('account');
      await t.start();
      await t.identify('u-7', { email: 'a@b.c', plan: 'pro' });
      await slow.requested;
      t.setTag(recording());
      await t.go('home');
      await t.start();
      await t.received(1);
      await settled(t);
      assert.deepEqual(await t.commands(), [['trackUser', { email: 'a@b.c', plan: 'pro', id: 'u-7' }]]);
    } finally {
      slow.release();
      await t.close();
    }
  });

  test('the tag loaded before the visitor left: the order reached it once, and nothing is replayed', { timeout: 60_000 }, async () => {
    const t = await tab(engine, recording());
    try {
      await t.fresh('cart');
      await t.start();
      await t.track('Order Completed', { order_id: 'o-2' });
      await t.received(1);
      await t.go('thanks');
      await t.start();
      await t.track('Signed Up', {});
      await t.identify('u-2');
      await t.received(2);
      await settled(t);
      const log = await t.log();
      assert.deepEqual(log.map(([, command]) => command), [SALE('o-2'), ['trackUser', { id: 'u-2' }]]);
      assert.match(log[0][0], /cart/);
    } finally {
      await t.close();
    }
  });

  if (engine !== 'chromium') test('back from the back/forward cache (pageshow with persisted): the page takes back what it stored and delivers it once', { timeout: 60_000 }, async () => {
    // The events a restore dispatches, dispatched by the test: Firefox
    // (Puppeteer over BiDi) and WebKit (WebKitWebDriver) never restore a page
    // from the cache here (checked: \`persisted\` is false on a real back
    // navigation). Chromium's real restores are tested below.
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      await orderThenCache(t, slow, 'o-3');
      assert.deepEqual(await t.parts().then((p) => [p.leases, p.entries.map((e) => e.command)]), [[0], [SALE('o-3')]], 'released when the page went');
      await transition(t, 'pageshow');
      assert.ok((await t.parts()).leases[0] > 0, 'its lease renewed when it came back');
      // Its own queue delivers it: the tag arrives on this page (recording).
      slow.release(RECORDING);
      await t.received(1);
      await t.emptied();
      t.setTag(recording());
      await t.go('next');
      await t.start();
      await t.identify('u-3');
      await t.received(2);
      await settled(t);
      assert.deepEqual(await t.commands(), [SALE('o-3'), ['trackUser', { id: 'u-3' }]]);
    } finally {
      slow.release();
      await t.close();
    }
  });

  if (engine !== 'chromium') test('back from the back/forward cache after another page stored an order: the restored page delivers both, once', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      await orderThenCache(t, slow, 'o-10');
      // Meanwhile another page of the site went, leaving an order of its own.
      await t.left('4242', [{ at: Date.now(), command: ['trackEvent', { type: 'sale', id: 'o-11' }] }]);
      await transition(t, 'pageshow');
      slow.release(RECORDING);
      await t.received(2);
      await settled(t);
      assert.deepEqual(await t.commands(), [SALE('o-10'), SALE('o-11')]);
      await t.emptied();
    } finally {
      slow.release();
      await t.close();
    }
  });

  if (engine !== 'chromium') test('back from the back/forward cache after another tab replayed the order: it is not delivered twice', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    const other = await sibling(t);
    try {
      await orderThenCache(t, slow, 'o-4');
      // Another tab of the site starts meanwhile and delivers what was stored.
      // (Its tag at another URL: Chromium makes a request for a URL wait
      // for the same URL's response still pending in another tab.)
      t.setTag(recording());
      await other.go('home');
      await other.start({ settings: { account: 'acme', tagUrl: `${CDN}/acme/live.js?tab=2` } });
      await other.received(1);
      await transition(t, 'pageshow');
      assert.deepEqual(await t.page.evaluate(() => window.$CVO), [], 'the first page took the order back out of its queue');
      await settled(other);
      assert.deepEqual(await other.commands(), [SALE('o-4')]);
    } finally {
      slow.release();
      await other.close();
      await t.close();
    }
  });

  test('two tabs opened one after the other on the stored outbox: the order reaches Convertro once in all', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      await t.fresh('cart');
      await t.start();
      await t.track('Order Completed', { order_id: 'o-5' });
      await slow.requested;
      await t.go('away'); // no destination on this page: the order waits in storage
      assert.match(await t.stored(), /o-5/);
      t.setTag(recording());
      const first = await sibling(t);
      const second = await sibling(t);
      try {
        await first.go('a');
        await second.go('b');
        await first.start();
        await second.start();
        await first.received(1);
        await settled(first);
        await settled(second);
        assert.deepEqual(await first.commands(), [SALE('o-5')]);
      } finally {
        await second.close();
        await first.close();
      }
    } finally {
      slow.release();
      await t.close();
    }
  });

  for (const way of ['plugin', 'classic source']) {
  // Each order after the tag has failed on its page: the destination must
  // still be there to take it (a plugin whose load() rejected would not be).
  test(`${way}: the tag blocked over three pages, each sending an order, then loading: every order reaches Convertro once, in order`, { timeout: 60_000 }, async () => {
    const classic = way === 'classic source';
    const t = await tab(engine, blocked());
    try {
      await t.fresh('p1');
      for (const [page, order] of [['p1', 'o-a'], ['p2', 'o-b'], ['p3', 'o-c']]) {
        if (page !== 'p1') await t.go(page);
        const before = await failures(t);
        await t.start({ classic });
        await eventually(async () => (await failures(t)) > before, 'the tag failing (its console.warn)');
        await t.track('Order Completed', { order_id: order });
      }
      t.setTag(recording());
      await t.go('p4');
      await t.start({ classic });
      await t.received(3);
      await settled(t);
      assert.deepEqual(await t.commands(), [SALE('o-a'), SALE('o-b'), SALE('o-c')]);
    } finally {
      await t.close();
    }
  });
  }

  test('beyond 100 commands or older than 24 hours, the oldest are dropped, and a debug line says so', { timeout: 60_000 }, async () => {
    const t = await tab(engine, blocked());
    const dropped = async () => (await t.console()).filter((m) => m.type === 'warn' && m.text.startsWith('Convertro: the outbox dropped its oldest commands')).length;
    try {
      await t.fresh('p1');
      await t.start({ classic: true });
      await t.page.evaluate(async () => {
        for (let i = 0; i < 103; i++) await window.e2e.analytics.track('Order Completed', { order_id: `o-${i}` });
      });
      await waitFor(t.page, () => Array.isArray(window.$CVO) && window.$CVO.length === 103, [], { what: '103 orders queued' });
      // Console messages reach the test a moment after the page logs them.
      await eventually(async () => (await dropped()) >= 1, 'the drop said');
      assert.equal(await dropped(), 1, 'one console.warn on the classic path');
      t.setTag(recording());
      await t.go('p2');
      // One entry from a day ago, as a page left it: expired.
      await t.left('1', [{ at: Date.now() - 25 * 3600 * 1000, command: ['trackEvent', { type: 'sale', id: 'stale' }] }]);
      const before = await dropped();
      await t.start({ classic: true });
      const got = await t.received(100);
      await settled(t);
      assert.equal((await t.commands()).length, 100);
      assert.deepEqual(got[0], SALE('o-3'));
      assert.deepEqual(got[99], SALE('o-102'));
      await eventually(async () => (await dropped()) - before >= 1, 'the expired entry said');
      assert.equal(await dropped() - before, 1, 'the expired entry is said once on this page too');
    } finally {
      await t.close();
    }
  });

  test('consent: nothing is replayed until an event passes consent; a visitor who denies gets no replay and no tag', { timeout: 60_000 }, async () => {
    const settings = { account: 'acme', consentSettings: { categories: ['C0004'] } };
    const granted = { context: { consent: { categoryPreferences: { C0004: true } } } };
    const denied = { context: { consent: { categoryPreferences: { C0004: false } } } };
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      await t.fresh('cart');
      await t.start({ settings });
      await t.track('Order Completed', { order_id: 'o-6' }, granted);
      await slow.requested;
      t.setTag(recording());
      await t.go('denies');
      await t.start({ settings });
      await t.track('Order Completed', { order_id: 'o-7' }, denied);
      assert.deepEqual(await untouched(t), { queue: null, tags: 0 }, 'no replay, no queue, no tag on the page that denied');
      assert.equal(t.asked(), 1, 'no tag requested on the page that denied');
      await t.go('grants');
      await t.start({ settings });
      assert.deepEqual(await untouched(t), { queue: null, tags: 0 }, 'nothing replayed before an event that passes consent');
      await t.track('Signed Up', {}, granted);
      await t.track('Order Completed', { order_id: 'o-8' }, granted);
      await t.received(2);
      await settled(t);
      assert.deepEqual(sorted(await t.commands()), sorted([SALE('o-6'), SALE('o-8')]));
    } finally {
      slow.release();
      await t.close();
    }
  });

  test('another account on the next page replays nothing, and the entries stay', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      await t.fresh('cart');
      await t.start();
      await t.track('Order Completed', { order_id: 'o-9' });
      await slow.requested;
      t.setTag(recording());
      await t.go('other');
      await t.start({ settings: { account: 'globex' } });
      await t.identify('u-9');
      await t.received(1);
      await settled(t);
      assert.deepEqual(await t.commands(), [['trackUser', { id: 'u-9' }]]);
      assert.match(await t.stored(), /o-9/);
    } finally {
      slow.release();
      await t.close();
    }
  });

  for (const [label, storage] of [
    ['localStorage throwing on access', () => Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } })],
    // Full for this package's key (analytics-next's own storage still works).
    ['localStorage full', () => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (key.startsWith('convertro:')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, key, value);
      };
    }],
    ['corrupt JSON stored', (prefix) => { localStorage.setItem(`${prefix}1`, '{"not json'); localStorage.setItem(`${prefix}1:e0`, '{"not json'); localStorage.setItem(`${prefix}2:0`, '{"not json'); localStorage.setItem(`${prefix}3:claim`, '['); }],
    ['a wrong shape stored', (prefix) => {
      const set = (key, value) => localStorage.setItem(`${prefix}${key}`, JSON.stringify(value));
      set('1', { lease: 0 });
      set('1:e0', { at: Date.now(), command: ['trackEvent', { type: 'sale', id: 'x', evil: '<script>' }] });
      set('1:e1', { at: Date.now(), command: ['eval', 'alert(1)'] });
      set('1:e2', 'x');
      set('1:e3', null);
      set('1:e4', { id: 1, at: Date.now(), command: ['trackEvent', { type: 'sale', id: 'x' }] });
      set('2', [{ at: Date.now(), command: ['trackEvent', { type: 'sale', id: 'x' }] }]);
      set('3:0', { at: Date.now() - 60000, call: ['eval', { event: 'Order Completed' }] });
      localStorage.setItem(`${prefix}4:x`, 'anything');
      set('5:claim', { by: { toString: 1 }, at: 'soon' });
    }],
    ['a 1 MiB value stored', (prefix) => {
      localStorage.setItem(`${prefix}1`, JSON.stringify({ lease: 0 }));
      localStorage.setItem(`${prefix}1:e0`, JSON.stringify({ at: Date.now(), command: ['trackEvent', { type: 'x'.repeat(1 << 20) }] }));
      // Well-formed (a trait may hold anything), but longer than any entry
      // this package writes (rules::outbox::MAX_STORED): dropped unread all the same.
      localStorage.setItem(`${prefix}1:e1`, JSON.stringify({ at: Date.now(), command: ['trackUser', { id: 'u', note: 'x'.repeat(400_000) }] }));
    }],
  ]) {
    test(`${label}: nothing is thrown, the page's own events are sent, nothing malformed is pushed`, { timeout: 60_000 }, async () => {
      const t = await tab(engine, recording());
      try {
        await t.go('shop');
        await t.page.evaluate(() => {
          localStorage.clear();
          window.__realStorage = localStorage;
          window.__realSetItem = Storage.prototype.setItem;
        });
        await t.page.evaluate((source, prefix) => { (0, eval)(`(${source})`)(prefix); }, String(storage), PREFIX);
        await t.start();
        await t.track('Order Completed', { order_id: 'own', total: 1 });
        await t.received(1);
        // Everything stored was taken (and nothing of it pushed) once the keys are gone.
        await t.emptied();
        await transition(t, 'pagehide', false);
        await settled(t);
        const got = await t.commands();
        // (Compared as text, shortened: a failure must not print a MiB.)
        assert.equal(JSON.stringify(got).slice(0, 500), JSON.stringify([SALE('own', 1)]));
        assert.deepEqual(await t.errors(), []);
      } finally {
        await t.close();
      }
    });
  }

  test('written when kept: an order sent while the tag loads is in storage at once, with no pagehide', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    try {
      for (const [classic, order] of [[false, 'o-w1'], [true, 'o-w2']]) {
        await t.fresh(classic ? 'classic' : 'plugin');
        await t.start({ classic });
        await t.track('Order Completed', { order_id: order, total: 3 });
        // The plugin writes within track(); the classic source once analytics.js hands it the event (as a
        // call key first when its wasm is not ready yet, then as the outbox's entry once it has decided it).
        await eventually(async () => (await t.parts()).entries.length > 0, `${order} kept by the outbox`);
        const { leases, entries, calls } = await t.parts();
        assert.equal(leases.length, 1);
        assert.ok(leases[0] > Date.now() - 60_000, 'its page holds a live lease');
        assert.deepEqual(entries.map((e) => e.command), [SALE(order, 3)], 'one key for the one command');
        assert.deepEqual(calls, [], 'no call left undecided');
      }
    } finally {
      slow.release();
      await t.close();
    }
  });

  if (engine === 'chromium') {
    for (const way of ['plugin', 'classic source']) {
      const classic = way === 'classic source';
      for (const [label, hidden] of [['hidden, then its renderer killed', true], ['its renderer killed 300 ms after the order, with no lifecycle event', false]]) {
        test(`${way}: an order sent while the tag is slow, the tab ${label}: the next page delivers it once, within 10 s`, { timeout: 60_000 }, async () => {
          const slow = heldTag();
          const t = await tab(engine, slow.handler);
          const next = await sibling(t);
          try {
            await t.fresh('thanks');
            await t.start({ classic });
            await t.track('Order Completed', { order_id: 'o-k', total: 7 });
            await slow.requested;
            await eventually(async () => (await t.stored())?.includes('o-k'), 'the order in storage');
            if (!hidden) await new Promise((resolve) => setTimeout(resolve, 300));
            await kill(t, { hidden });
            t.setTag(recording());
            const opened = Date.now();
            await next.go('home');
            await next.start({ classic });
            await next.received(1);
            const took = Date.now() - opened;
            assert.ok(took <= 10_000, `delivered ${took} ms after the next page opened`);
            await next.emptied();
            await settled(next);
            assert.deepEqual(await next.commands(), [SALE('o-k', 7)]);
          } finally {
            slow.release();
            await next.close();
            await t.close();
          }
        });
      }
    }

    test('five tabs opening together after a killed page: the order reaches Convertro once in all', { timeout: 60_000 }, async () => {
      const slow = heldTag();
      const t = await tab(engine, slow.handler);
      const tabs = [];
      try {
        for (let i = 0; i < 5; i++) tabs.push(await sibling(t));
        await t.fresh('thanks');
        await t.start();
        await t.track('Order Completed', { order_id: 'o-5t' });
        await eventually(async () => (await t.stored())?.includes('o-5t'), 'the order in storage');
        await kill(t);
        t.setTag(recording());
        await Promise.all(tabs.map(async (other, i) => {
          await other.go(`tab-${i}`);
          await other.start({ settings: { account: 'acme', tagUrl: `${CDN}/acme/live.js?tab=${i}` } });
        }));
        // Once nothing is stored, every take is done and pushed.
        await tabs[0].emptied();
        for (const other of tabs) await settled(other);
        const got = (await Promise.all(tabs.map(ownReceived))).flat();
        assert.deepEqual(got, [SALE('o-5t')]);
      } finally {
        slow.release();
        for (const other of tabs) await other.close();
        await t.close();
      }
    });
  }

  test('a live page keeps what it kept while a second tab opens: delivered once, by its own tag', { timeout: 60_000 }, async () => {
    const slow = heldTag();
    const t = await tab(engine, slow.handler);
    const other = await sibling(t);
    try {
      await t.fresh('cart');
      await t.start();
      await t.track('Order Completed', { order_id: 'o-live' });
      await slow.requested;
      t.setTag(recording());
      await other.go('home');
      await other.start({ settings: { account: 'acme', tagUrl: `${CDN}/acme/live.js?tab=2` } });
      // What is asserted is that nothing happens: it takes the time in
      // which a wrong take would (a lease and two ticks).
      await new Promise((resolve) => setTimeout(resolve, 6_500));
      assert.match(await t.stored(), /o-live/, 'still the first page\'s');
      slow.release(RECORDING);
      await t.received(1);
      await t.emptied();
      await settled(t);
      await settled(other);
      assert.deepEqual([...await ownReceived(t), ...await ownReceived(other)], [SALE('o-live')]);
    } finally {
      slow.release();
      await other.close();
      await t.close();
    }
  });

  for (const way of ['plugin (convertroPlugin)', 'classic source']) {
    const classic = way === 'classic source';
    test(`${way}: a visitor who leaves before the wasm arrives has the order delivered once by the next page`, { timeout: 60_000 }, async () => {
      // The first page's wasm is held back until it has gone.
      const { server } = await env();
      let hold = true;
      server.route('/pkg/convertro_bg.wasm', async (req, res) => {
        while (hold) await new Promise((resolve) => setTimeout(resolve, 50));
        res.writeHead(200, { 'content-type': 'application/wasm', 'cache-control': 'no-store' }).end(readFileSync(path.join(ROOT, 'pkg/convertro_bg.wasm')));
      });
      const t = await tab(engine, recording());
      try {
        await t.fresh('cart');
        await t.start({ classic, noWait: true });
        await t.track('Order Completed', { order_id: 'o-early', total: 4 });
        await eventually(async () => (await t.stored())?.includes('o-early'), 'the call in storage');
        assert.equal(await t.page.evaluate(() => window.$CVO ?? null), null, 'nothing pushed without the wasm');
        await t.go('thanks');
        hold = false;
        await t.start({ classic, noWait: true });
        await t.received(1);
        await t.emptied();
        await settled(t);
        assert.deepEqual(await t.commands(), [SALE('o-early', 4)]);
      } finally {
        hold = false;
        await t.close();
      }
    });
  }

  if (engine === 'chromium') {
    /**
     * A real back navigation to `t`'s page from the next one; fails unless
     * the page came back from the back/forward cache (its analytics.js
     * instance is still there) and the plugin's `pageshow` has run.
     */
    const backFromCache = async (t) => {
      await t.page.back();
      await waitFor(t.page, () => document.readyState === 'complete', [], { what: 'the page back' });
      const why = await t.page.evaluate(() => JSON.stringify(performance.getEntriesByType('navigation')[0]?.notRestoredReasons ?? null));
      assert.equal(await t.page.evaluate(() => !!window.e2e?.analytics), true, `restored from the back/forward cache (not reloaded): ${why}`);
    };

    test('back from the back/forward cache, for real: the page renews what it released, takes what another page left meanwhile, and each order is delivered once', { timeout: 60_000 }, async () => {
      const slow = heldTag();
      const t = await tab(engine, slow.handler);
      try {
        await t.fresh('cart', { cacheable: true });
        await t.start();
        await t.track('Order Completed', { order_id: 'o-bf' });
        await slow.requested;
        await t.go('away'); // a real navigation: the page goes into the cache
        assert.deepEqual(await t.parts().then((p) => [p.leases, p.entries.map((e) => e.command)]), [[0], [SALE('o-bf')]], 'released when the page went');
        await t.left('4242', [{ at: Date.now(), command: SALE('o-other') }]);
        await backFromCache(t);
        await eventually(async () => (await t.parts()).leases.every((lease) => lease > 0), 'its lease renewed');
        await eventually(async () => !(await t.stored()).includes('4242'), 'the other page\'s order taken');
        assert.deepEqual(sorted(await t.page.evaluate(() => window.$CVO)), sorted([SALE('o-bf'), SALE('o-other')]), 'both in its queue');
        // It goes again, for good this time: the next page delivers both, once.
        // (Its tag at another URL: Chromium makes a request wait for the same
        // URL's response still pending for the cached page.)
        t.setTag(recording());
        await t.go('next');
        await t.start({ settings: { account: 'acme', tagUrl: `${CDN}/acme/live.js?next=1` } });
        await t.received(2);
        await t.emptied();
        await settled(t);
        assert.deepEqual(sorted(await t.commands()), sorted([SALE('o-bf'), SALE('o-other')]));
      } finally {
        slow.release();
        await t.close();
      }
    });

    test('back from the back/forward cache, for real, after another tab delivered the order: it leaves the queue, delivered once', { timeout: 60_000 }, async () => {
      const slow = heldTag();
      const t = await tab(engine, slow.handler);
      const other = await sibling(t);
      try {
        await t.fresh('cart', { cacheable: true });
        await t.start();
        await t.track('Order Completed', { order_id: 'o-bf2' });
        await slow.requested;
        await t.go('away');
        t.setTag(recording());
        await other.go('home');
        await other.start({ settings: { account: 'acme', tagUrl: `${CDN}/acme/live.js?tab=2` } });
        await other.received(1);
        await backFromCache(t);
        await waitFor(t.page, () => Array.isArray(window.$CVO) && window.$CVO.length === 0, [], { what: "the order out of the restored page's queue" });
        await settled(other);
        assert.deepEqual(await ownReceived(other), [SALE('o-bf2')]);
        assert.equal(await t.stored(), null);
      } finally {
        slow.release();
        await other.close();
        await t.close();
      }
    });
  }
});
