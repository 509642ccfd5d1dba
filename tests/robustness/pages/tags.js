// Browser side of tags.test.mjs: the real analytics-next (window.AnalyticsBrowser,
// from the bundle the test adds to the page) with the Convertro plugin and a
// second, plain JS destination registered alongside; events sent; then what
// became of the tag, the load promise, analytics.js and the other destination.

const race = (promise, ms, late) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(late), ms))]);

function otherDestination() {
  const seen = [];
  return {
    seen,
    plugin: {
      name: 'Other Destination',
      type: 'destination',
      version: '1.0.0',
      isLoaded: () => true,
      load: async () => {},
      track(ctx) { seen.push(`track:${ctx.event.event}`); return ctx; },
      identify(ctx) { seen.push(`identify:${ctx.event.userId}`); return ctx; },
    },
  };
}

const settle = (promise) => promise.then(
  () => ({ state: 'resolved' }),
  (error) => ({ state: 'rejected', isError: error instanceof Error, message: String(error?.message ?? error) }),
);

/**
 * `tagUrl`: the URL the plugin will load; `loadTwice`: call load again (and
 * on a second plugin instance); `waitMs`: how long to wait for the load
 * promise to settle.
 */
export async function run({ settings = { account: 'acme' }, tagUrl, loadTwice = false, waitMs = 8000 }) {
  const started = performance.now();
  const { convertro } = await import('/js/index.js');
  const plugin = await convertro(settings);
  const other = otherDestination();
  const [analytics] = await window.AnalyticsBrowser.load(
    { writeKey: 'robustness-key', cdnSettings: { integrations: {} }, plugins: [plugin, other.plugin] },
    { integrations: { 'Segment.io': false } }, // no delivery to Segment's API in these tests
  );
  const ready = await race(analytics.ready().then(() => 'fired'), 8000, 'did not fire within 8 s');
  const readyMs = performance.now() - started;

  // Sent at once, whatever state the tag is in.
  await analytics.identify('user-1', { email: 'a@b.c' });
  await analytics.track('Order Completed', { order_id: 'o-1', total: 10 });

  // plugin.load() is memoised: this is the promise analytics.js started.
  const loads = [plugin.load()];
  let second;
  if (loadTwice) {
    loads.push(plugin.load({}, analytics), plugin.load());
    second = await convertro(settings);
    loads.push(second.load());
  }
  let loadedAtResolve;
  const outcome = await race(settle(loads[0].then(() => { loadedAtResolve = plugin.isLoaded(); })), waitMs, { state: 'pending' });
  const loadMs = performance.now() - started;
  const others = loadTwice ? await Promise.all(loads.slice(1).map((p) => race(settle(p), waitMs, { state: 'pending' }))) : [];

  // analytics.js and the other destination after the tag's fate is known.
  await analytics.track('After Load', { n: 1 });
  await analytics.track('Order Completed', { order_id: 'o-2', total: 20 });
  await new Promise((resolve) => setTimeout(resolve, 50));

  const scripts = [...document.querySelectorAll('script')].filter((s) => s.src === tagUrl);
  return {
    ready,
    readyMs,
    outcome,
    loadMs,
    sameLoadPromise: loads.slice(0, 3).every((p) => p === loads[0]),
    others,
    scripts: scripts.length,
    asyncScripts: scripts.filter((s) => s.async).length,
    isLoaded: plugin.isLoaded(),
    loadedAtResolve,
    secondIsLoaded: second?.isLoaded(),
    received: JSON.parse(JSON.stringify(window.__cvoReceived ?? null)),
    queued: Array.isArray(window.$CVO) ? JSON.parse(JSON.stringify(window.$CVO)) : null,
    otherSeen: other.seen,
    userId: analytics.user().id(),
    convertroRegistered: analytics.queue.plugins.some((p) => p.name === 'Convertro'),
  };
}
