// Pages for the browser suites, in any engine: one static server, one
// proxy and one browser per engine per test file (closed after the file's
// tests), and a fresh page per test with its own document, headers and
// routes for outside URLs. The e2e and robustness harnesses build on this.
import { after } from 'node:test';
import { startServer } from './server.mjs';
import { startProxy } from './proxy.mjs';
import { launch, ENGINES } from './driver.mjs';
import { analyticsBundle } from './analytics-bundle.mjs';

export { ENGINES } from './driver.mjs';

const BLANK = '<!doctype html><html><head><meta charset="utf-8"><title>test</title></head><body></body></html>';

let shared;
const browsers = new Map();

/** The file's server and proxy (started once). */
export function env() {
  shared ??= Promise.all([startServer(), startProxy(), analyticsBundle()]).then(([server, proxy]) => ({ server, proxy }));
  return shared;
}

/** The file's browser for `engine`, launched on first use. */
export function browser(engine) {
  if (!browsers.has(engine)) browsers.set(engine, env().then(({ proxy }) => launch(engine, { proxyPort: proxy.port })));
  return browsers.get(engine);
}

/** Closes the browser of `engine` (each engine's block of tests closes its own when done). */
export async function closeBrowser(engine) {
  const b = browsers.get(engine);
  browsers.delete(engine);
  await (await b?.catch(() => undefined))?.close();
}

after(async () => {
  for (const engine of [...browsers.keys()]) await closeBrowser(engine);
  if (!shared) return;
  const { server, proxy } = await shared.catch(() => ({}));
  await proxy?.close().catch(() => {});
  await server?.close().catch(() => {});
});

let pages = 0;

/**
 * A fresh page in `engine`, showing `html` (served with `headers`) from the
 * test server. `route(url)` answers requests for outside URLs: it returns a
 * proxy handler `(req, res) => …` or undefined to refuse the request. The
 * page records, in order and without the browser's own retries:
 * `outside`, the outside URLs it asked for and were refused; `routed`,
 * those that were answered; `served`, what it asked of the test server.
 */
export async function open(engine, { html = BLANK, headers = {}, route = () => undefined } = {}) {
  const { server, proxy } = await env();
  const b = await browser(engine);
  const path = `/__page/${++pages}.html`;
  server.page(path, html, headers);
  const outside = [];
  const routed = [];
  const once = (list, url) => { if (!list.includes(url)) list.push(url); };
  proxy.use((url) => {
    const handler = route(url);
    once(handler ? routed : outside, url);
    return handler;
  });
  const first = server.requests.length;
  const page = await b.newPage();
  await page.goto(server.origin + path);
  return {
    engine,
    page,
    origin: server.origin,
    outside,
    routed,
    /** What the page asked of the test server so far (paths). */
    served: () => server.requests.slice(first),
    /** Answers `path` on the test server with `handler(req, res)`. */
    serve: (path, handler) => server.route(path, handler),
    errors: () => page.errors(),
    console: () => page.console(),
    close: async () => {
      await page.close();
      proxy.use(() => undefined);
    },
  };
}
