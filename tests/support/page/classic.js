// Browser side of the classic-integration tests: loads the real
// analytics-next (window.AnalyticsBrowser) as a site that keeps Convertro
// enabled in the Segment app does, with `classicIntegrations:
// [ConvertroIntegration]` and app-shaped `cdnSettings`, optionally behind
// Segment's consent wrapper (window.ConsentTools), next to a plain recording
// destination. What the tests drive is window.e2e, as in start.js.
import { otherDestination } from './start.js';

const race = (promise, ms, late) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(late), ms))]);

/** Destination middleware the tests can add, by name. */
const MIDDLEWARE = {
  // Rewrites the order id of every Order Completed.
  'rename-order': ({ payload, next }) => {
    if (payload.obj.event === 'Order Completed') payload.obj.properties = { ...payload.obj.properties, order_id: 'renamed-by-middleware' };
    next(payload);
  },
  // Drops Signed Up.
  'drop-signed-up': ({ payload, next }) => next(payload.obj.event === 'Signed Up' ? null : payload),
};

/**
 * - `cdnSettings`: the source's settings (as Segment's CDN gives them);
 * - `options`: analytics-next load options (`integrations` merged over { 'Segment.io': false });
 * - `wasm`: where the wasm is (createConvertroIntegration({ wasm })), default beside the module;
 * - `consent`: { model: 'opt-in' | 'opt-out', categories } loads through Segment's consent wrapper;
 * - `middleware`: names from MIDDLEWARE, added with addDestinationMiddleware('Convertro', …);
 * - `slowTimers`: analytics-next's random delays made at least 4.5 s (flush timers of up to 5 s);
 * - `wait`: wait for analytics.ready() (up to 5 s); false returns at once;
 * - `plugin`: settings for the plain plugin, registered in `plugins` instead
 *   of the classic source (the same page otherwise, consent wrapper included);
 * - `oldEngine`: WebAssembly refuses to compile the module, as in a browser
 *   without reference types.
 * Resolves to { ready: 'resolved' | 'pending' | 'not waited' }.
 */
export async function loadClassic({ cdnSettings, options = {}, wasm, consent, middleware = [], slowTimers = false, wait = true, plugin, oldEngine = false }) {
  const mod = await import('/js/index.js');
  if (oldEngine) {
    // What a browser before reference types (Chrome < 96, Firefox < 79,
    // Safari < 15) does with this module: every way to compile it fails.
    const refuse = () => { throw new WebAssembly.CompileError('WebAssembly.Module(): invalid value type externref'); };
    WebAssembly.Module = function Module() { refuse(); };
    for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) WebAssembly[name] = async () => refuse();
  }
  const source = wasm ? mod.createConvertroIntegration({ wasm }) : mod.ConvertroIntegration;
  const convertro = plugin ? await mod.convertro(plugin) : undefined;
  if (slowTimers) {
    // Still random (message ids stay unique), but every timer analytics-next
    // draws as random() × 5 s is 4.5 s or more.
    const random = Math.random;
    Math.random = () => 0.9 + 0.0999 * random();
  }
  const other = otherDestination();
  const settings = convertro
    ? { writeKey: 'test-key', cdnSettings, plugins: [convertro, other.plugin] }
    : { writeKey: 'test-key', cdnSettings, classicIntegrations: [source], plugins: [other.plugin] };
  const loadOptions = { ...options, integrations: { 'Segment.io': false, ...options.integrations } };
  let analytics;
  if (consent) {
    window.__categories = consent.categories;
    analytics = new window.AnalyticsBrowser();
    window.ConsentTools.createWrapper({
      shouldLoadSegment: (ctx) => ctx.load({ consentModel: consent.model }),
      getCategories: () => window.__categories,
    })(analytics);
    analytics.load(settings, loadOptions);
  } else {
    analytics = window.AnalyticsBrowser.load(settings, loadOptions);
  }
  for (const name of middleware) analytics.addDestinationMiddleware('Convertro', MIDDLEWARE[name]);
  window.e2e = Object.assign(window.e2e || {}, { analytics, other: other.seen, plugin: convertro });
  if (!wait) return { ready: 'not waited' };
  const ready = await race(analytics.ready().then(() => 'resolved'), 5000, 'pending');
  return { ready };
}

/** Sets the visitor's consent (what the wrapper's getCategories gives from now on). */
export function setConsent(categories) {
  window.__categories = categories;
}

/** analytics.track(name, props); resolves to the debug lines analytics-next kept for it. */
export async function trackLogs(name, props) {
  const ctx = await window.e2e.analytics.track(name, props);
  return ctx.logs().map((l) => l.message);
}

/**
 * At page load, right after loadClassic without waiting: analytics.track(name,
 * props), and the time until Convertro's queue has a command (null when none
 * within `ms`).
 */
export async function timeToQueue(name, props, ms = 3000) {
  const t0 = performance.now();
  window.e2e.analytics.track(name, props);
  for (;;) {
    const q = window.$CVO;
    if (Array.isArray(q) ? q.length > 0 || (window.__cvoReceived?.length ?? 0) > 0 : (window.__cvoReceived?.length ?? 0) > 0) return performance.now() - t0;
    if (performance.now() - t0 > ms) return null;
    await new Promise((r) => setTimeout(r, 5));
  }
}
