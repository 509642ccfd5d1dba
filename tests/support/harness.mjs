// The end-to-end harness: every test runs in each engine (BROWSERS, all
// three by default) against the wasm package, and in the first engine also
// against the plain-JS reference, in a fresh page. Requests to the test server pass;
// Convertro's tag is answered by the test (at its real CDN URL, through the
// proxy); anything else outside is refused and recorded.
import { after, describe } from 'node:test';
import { open, closeBrowser, ENGINES } from './pages.mjs';
import { analyticsBundle } from './analytics-bundle.mjs';
import { addScript } from './driver.mjs';
import { serveTag } from './tag.mjs';
import { IMPLS } from './impls.mjs';
import { CDN } from './paths.mjs';

export { IMPLS } from './impls.mjs';
export { ENGINES } from './pages.mjs';
export { cdnTag, CDN } from './paths.mjs';
export { serveTag, notFound, blocked, heldTag, standInSource, script } from './tag.mjs';
export { addScript, waitFor, watchScripts, markOrder, readOrder } from './driver.mjs';

/** One describe block per engine and implementation, so every test runs against each; each engine's browser is closed after its block. */
export function forEachImpl(body) {
  for (const engine of ENGINES) {
    describe(engine, () => {
      after(() => closeBrowser(engine));
      for (const impl of IMPLS) {
        if (impl.firstEngineOnly && engine !== ENGINES[0]) continue;
        describe(impl.name, () => body({ ...impl, engine }));
      }
    });
  }
}

/** One describe block per engine, for tests of the package alone; `body(engine)`. */
export function forEachEngine(body) {
  for (const engine of ENGINES) {
    describe(engine, () => {
      after(() => closeBrowser(engine));
      body(engine);
    });
  }
}

/**
 * `read()` once `done` accepts what it gives, or after `ms`, whatever it
 * gives then (so that the assertion that follows shows what came): the wait
 * for a thing a test awaits.
 */
export async function until(read, done, ms = 5000) {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 20))) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
  }
}

/**
 * Opens a fresh page for `impl` (in `impl.engine`).
 * - `tag`: handler for every URL under Convertro's CDN (default: the stand-in at once);
 * - `routes`: { exactUrl: handler } for other outside URLs (a custom `tagUrl`);
 * - `html`, `headers`: the page's document and its response headers;
 * - `analytics`: add the analytics-next bundle (default true).
 */
export async function openPage(impl, { tag = serveTag(), routes = {}, html, headers, analytics = true } = {}) {
  const opened = await open(impl.engine, {
    html,
    headers,
    route: (url) => (Object.hasOwn(routes, url) ? routes[url] : url.startsWith(CDN + '/') ? tag : undefined),
  });
  const { page } = opened;
  if (analytics) await addScript(page, await analyticsBundle());

  const inPage = (fn, arg) => page.evaluate(
    async (fn, arg) => (await import('/tests/support/page/start.js'))[fn](...arg),
    fn, arg,
  );

  return {
    impl,
    engine: impl.engine,
    page,
    origin: opened.origin,
    /** Outside requests that were refused (nothing leaves the machine). */
    outside: opened.outside,
    /** Requests for Convertro's tag (CDN or a configured tagUrl) and other routed URLs. */
    tagRequests: opened.routed,
    /** What the page asked of the test server so far (paths). */
    served: opened.served,
    /** Uncaught errors on the page so far. */
    errors: opened.errors,
    /** Console messages so far: [{ type, text }]. */
    console: opened.console,
    /** Makes the plugin, loads analytics-next with it (see page/start.js); throws when the settings are rejected. */
    start: async (settings, options = {}) => {
      const started = await inPage('start', [{ impl: impl.module, settings, ...options }]);
      if (started.settingsError) throw new Error(`convertro(settings) rejected: ${started.settingsError.message}`);
      return started;
    },
    /** Makes the plugin only. Resolves to { ok } or { error: { isError, message } }. */
    makePlugin: (settings) => page.evaluate(async (impl, settings) => {
      try {
        const m = await import('/tests/support/page/start.js');
        await m.makePlugin(impl, settings);
        return { ok: true };
      } catch (error) {
        return { error: { isError: error instanceof Error, message: String(error && error.message) } };
      }
    }, impl.module, settings),
    /** analytics calls, one after the other: ['track', name, props, options] / ['identify', id, traits]. */
    send: (...calls) => inPage('send', [calls]),
    /** What the stand-in tag recorded: [[name, payload], ...]. */
    received: () => inPage('received', []),
    /** What the tag recorded once it has `n` commands (or after 5 s, whatever it has). */
    receivedAtLeast: (n) => until(() => inPage('received', []), (received) => received.length >= n),
    /** The console messages of `type` that match `re`, once there is one (or after 5 s, none). */
    consoleWhen: (type, re) => until(async () => (await opened.console()).filter((m) => m.type === type && re.test(m.text)), (found) => found.length > 0),
    /** The plugin's load outcome ({ state, isError, message }), waiting up to `ms`. */
    loadOutcome: (ms) => inPage('loadOutcome', [ms]),
    /** Calls `fn(...args)` of the classic-integration page module (page/classic.js). */
    classic: (fn, ...args) => page.evaluate(async (fn, args) => (await import('/tests/support/page/classic.js'))[fn](...args), fn, args),
    close: opened.close,
  };
}

/**
 * Opens a page, starts the plugin with `settings` (tag served at once, load
 * awaited), runs `body(p)` and closes the page whatever happens.
 */
export async function withPage(impl, settings, body, pageOptions) {
  const p = await openPage(impl, pageOptions);
  try {
    return await body(p, await p.start(settings));
  } finally {
    await p.close();
  }
}

/** Shorthands for what the tag receives. */
export const trackEvent = (payload) => ['trackEvent', payload];
export const trackUser = (payload) => ['trackUser', payload];
