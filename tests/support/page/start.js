// Browser side of the end-to-end harness: makes the plugin from the selected
// implementation, registers it with the real analytics-next (window.AnalyticsBrowser,
// from the bundle the harness added to the page) next to a plain recording
// destination, and exposes what the tests drive as window.e2e.
const settle = (promise) => promise.then(
  () => ({ state: 'resolved' }),
  (error) => ({ state: 'rejected', isError: error instanceof Error, message: String(error && error.message !== undefined ? error.message : error) }),
);

const race = (promise, ms, late) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(late), ms))]);

/** A second destination that only records what analytics.js hands it. */
export function otherDestination() {
  const seen = [];
  const plugin = {
    name: 'Other Destination',
    type: 'destination',
    version: '1.0.0',
    isLoaded: () => true,
    load: async () => {},
    identify(ctx) { seen.push(['identify', ctx.event.userId]); return ctx; },
    track(ctx) { seen.push(['track', ctx.event.event]); return ctx; },
  };
  return { plugin, seen };
}

/**
 * Imports the implementation and makes the plugin only (no analytics.js):
 * with `await convertro(settings)`, or with `convertroPlugin(settings)`
 * when `noWait` (the plugin returned at once, its wasm loading behind).
 */
export async function makePlugin(impl, settings, options, noWait = false) {
  const mod = await import(impl);
  if (noWait) {
    const plugin = mod.convertroPlugin(settings, options);
    if (typeof plugin?.then === 'function') throw new Error('convertroPlugin() returned a promise');
    window.e2e = Object.assign(window.e2e || {}, { plugin });
    return plugin;
  }
  const convertro = mod.convertro;
  if (typeof convertro !== 'function' || mod.default !== convertro) throw new Error(`${impl} does not export convertro as named and default export`);
  const plugin = await convertro(settings, options);
  window.e2e = Object.assign(window.e2e || {}, { plugin });
  return plugin;
}

/**
 * `impl`: module URL; `settings`: the plugin's settings; `waitForLoad`: wait
 * (up to `loadTimeoutMs`) for the plugin's load promise to settle before
 * returning; `noWait`: make it with `convertroPlugin`; `reusePlugin`: register the plugin makePlugin already made
 * (to send events through it before analytics.js loads it). Returns
 * `{ load }` with the load outcome ({ state: 'pending' } when not waited
 * for), or `{ settingsError }` when the factory rejected.
 */
export async function start({ impl, settings, waitForLoad = true, loadTimeoutMs = 10000, reusePlugin = false, noWait = false }) {
  let plugin;
  try {
    plugin = reusePlugin && window.e2e && window.e2e.plugin ? window.e2e.plugin : await makePlugin(impl, settings, undefined, noWait);
  } catch (error) {
    return { settingsError: { isError: error instanceof Error, message: String(error && error.message) } };
  }
  const other = otherDestination();
  const [analytics] = await window.AnalyticsBrowser.load(
    { writeKey: 'test', cdnSettings: { integrations: {} }, plugins: [plugin, other.plugin] },
    { integrations: { 'Segment.io': false } }, // nothing to Segment's API
  );
  // analytics.js started plugin.load(); both implementations memoise it.
  const loading = settle(plugin.load());
  Object.assign(window.e2e, { analytics, other: other.seen, loading });
  const load = waitForLoad ? await race(loading, loadTimeoutMs, { state: 'pending' }) : { state: 'pending' };
  return { load };
}

/** Runs analytics calls one after the other, each awaited: [['track', name, props, options], ['identify', id, traits]]. */
export async function send(calls) {
  const { analytics } = window.e2e;
  for (const [method, ...args] of calls) await analytics[method](...args);
}

/** What Convertro's (stand-in) tag received, as plain data. */
export const received = () => JSON.parse(JSON.stringify(window.__cvoReceived || []));

/** The load outcome, waiting up to `ms`. */
export const loadOutcome = (ms = 10000) => race(window.e2e.loading, ms, { state: 'pending' });
