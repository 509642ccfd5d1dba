// The end-to-end harness: one static server and one headless Chromium per
// test file, a fresh browser context per page, every request intercepted
// (the local server passes, Convertro's tag is answered by the test, anything
// else is aborted and recorded), and the same tests run per implementation.
import { after, describe } from 'node:test';
import { startServer } from './server.mjs';
import { launchBrowser } from './browser.mjs';
import { analyticsBundle } from './analytics-bundle.mjs';
import { serveTag } from './tag.mjs';
import { IMPLS } from './impls.mjs';
import { CDN } from './paths.mjs';

export { IMPLS } from './impls.mjs';
export { cdnTag, CDN } from './paths.mjs';
export { serveTag, notFound, blocked, heldTag, standInSource } from './tag.mjs';

const PAGE_PATH = '/__e2e/page.html';
const BLANK = '<!doctype html><html><head><meta charset="utf-8"><title>e2e</title></head><body></body></html>';

let shared;

// Registered when a test file imports the harness: closes what that file opened.
after(async () => {
  if (!shared) return;
  const { server, browser } = await shared.catch(() => ({}));
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
});

/** One server and one browser per test file, closed after the file's tests. */
export function env() {
  shared ??= (async () => {
    const [server, browser] = await Promise.all([startServer(), launchBrowser(), analyticsBundle()]);
    return { server, browser };
  })();
  return shared;
}

/** One describe block per implementation, so every test runs against each. */
export function forEachImpl(body) {
  for (const impl of IMPLS) {
    describe(impl.name, { skip: impl.skip }, () => body(impl));
  }
}

/**
 * Opens a fresh page for `impl`.
 * - `tag`: route handler for every URL under Convertro's CDN (default: the stand-in at once);
 * - `routes`: { exactUrl: handler } for other tag URLs (a custom `tagUrl`);
 * - `html`: the page's document; `analytics`: add the analytics-next bundle (default true).
 */
export async function openPage(impl, { tag = serveTag(), routes = {}, html = BLANK, analytics = true } = {}) {
  const { server, browser } = await env();
  const origin = server.origin;
  const context = await browser.newContext();
  const outside = [];
  const tagRequests = [];
  const pageErrors = [];

  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === origin + PAGE_PATH) {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    }
    if (Object.hasOwn(routes, url)) {
      tagRequests.push(url);
      return routes[url](route);
    }
    if (url.startsWith(origin + '/')) return route.continue();
    if (url.startsWith(CDN + '/')) {
      tagRequests.push(url);
      return tag(route);
    }
    outside.push(url);
    return route.abort('blockedbyclient');
  });

  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(origin + PAGE_PATH);
  if (analytics) await page.addScriptTag({ url: await analyticsBundle() });

  const inPage = (fn, arg) => page.evaluate(
    async ({ fn, arg }) => (await import('/tests/support/page/start.js'))[fn](...arg),
    { fn, arg },
  );

  return {
    impl,
    page,
    context,
    origin,
    /** Requests that tried to leave the machine (all aborted). */
    outside,
    /** Requests for Convertro's tag (CDN or a configured tagUrl). */
    tagRequests,
    /** Uncaught errors on the page. */
    pageErrors,
    /** Makes the plugin, loads analytics-next with it (see page/start.js); throws when the settings are rejected. */
    start: async (settings, options = {}) => {
      const started = await inPage('start', [{ impl: impl.module, settings, ...options }]);
      if (started.settingsError) throw new Error(`convertro(settings) rejected: ${started.settingsError.message}`);
      return started;
    },
    /** Makes the plugin only. Resolves to { ok } or { error: { isError, message } }. */
    makePlugin: (settings) => page.evaluate(async ({ impl, settings }) => {
      try {
        const m = await import('/tests/support/page/start.js');
        await m.makePlugin(impl, settings);
        return { ok: true };
      } catch (error) {
        return { error: { isError: error instanceof Error, message: String(error && error.message) } };
      }
    }, { impl: impl.module, settings }),
    /** analytics calls, one after the other: ['track', name, props, options] / ['identify', id, traits]. */
    send: (...calls) => inPage('send', [calls]),
    /** What the stand-in tag recorded: [[name, payload], ...]. */
    received: () => inPage('received', []),
    /** The plugin's load outcome ({ state, isError, message }), waiting up to `ms`. */
    loadOutcome: (ms) => inPage('loadOutcome', [ms]),
    close: () => context.close(),
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
