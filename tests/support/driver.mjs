// One small interface over the three browser engines the tests run in, so
// that a test is written once:
//
//   const browser = await launch(engine, { proxyPort })
//   const page = await browser.newPage()      // fresh storage, nothing shared
//   await page.goto(url)
//   await page.evaluate(fn, ...args)          // fn runs in the page; JSON in, JSON out
//   await page.errors()                       // uncaught errors (messages)
//   await page.console()                      // [{ type: 'log' | 'warn' | …, text }]
//   await page.close(); await browser.close()
//
// Every engine sends every request for a host other than 127.0.0.1 to the
// test proxy (tests/support/proxy.mjs), which records it and answers or
// refuses it: nothing leaves the machine.
//
// - chromium: Debian's /usr/bin/chromium through playwright-core (CDP);
// - firefox: Debian's firefox-esr through puppeteer-core over WebDriver BiDi;
// - webkit: WebKitGTK's MiniBrowser through WebKitWebDriver (classic
//   WebDriver), under Xvfb: it has no headless mode and sends no console or
//   error events, so a recorder installed into each page after it loads
//   keeps them (errors before that are not seen, and an exception thrown by
//   a cross-origin script reaches it as "Script error.", as the browser
//   mutes it for the page).
//
// BROWSERS (a comma-separated list) chooses the engines; all three by default.

/** The engines the tests run in. */
export const ENGINES = (process.env.BROWSERS || 'chromium,firefox,webkit').split(',').map((e) => e.trim()).filter(Boolean);

for (const engine of ENGINES) {
  if (!['chromium', 'firefox', 'webkit'].includes(engine)) throw new Error(`BROWSERS: unknown engine ${engine} (chromium, firefox, webkit)`);
}

/** Starts `engine` with every outside request going to the proxy on `proxyPort`. */
export async function launch(engine, { proxyPort }) {
  const module = await import(`./engines/${engine}.mjs`);
  return module.launch({ proxyPort });
}

/**
 * The expression that runs `fn(...args)` in a page and gives its result as
 * JSON text (undefined stays undefined): every engine evaluates this one
 * string, which also works on pages whose CSP forbids eval.
 */
export function expression(fn, args) {
  return `(async () => { const value = await (${fn})(...${JSON.stringify(args)}); return value === undefined ? undefined : JSON.stringify(value); })()`;
}

/** Parses what `expression` gave. */
export const result = (text) => (text === undefined || text === null ? undefined : JSON.parse(text));

/**
 * The driver's page over a Playwright or a Puppeteer page (the calls used
 * here are the same in both): uncaught errors and console messages come
 * from the page's events. `error(e)` gives an error's message, or undefined
 * to leave it out.
 */
export function eventPage(page, close, error = (e) => e.message) {
  const errors = [];
  const messages = [];
  page.on('pageerror', (e) => {
    const message = error(e);
    if (message !== undefined) errors.push(message);
  });
  page.on('console', (m) => messages.push({ type: m.type() === 'warning' ? 'warn' : m.type(), text: m.text() }));
  return {
    native: page,
    goto: async (url) => { await page.goto(url); },
    evaluate: async (fn, ...args) => result(await page.evaluate(expression(fn, args))),
    errors: async () => [...errors],
    console: async () => [...messages],
    close,
  };
}

/**
 * Console and error recorder for engines without such events (webkit):
 * wraps the console's methods and listens for uncaught errors and rejections.
 */
export function recorder() {
  if (window.__recorded) return;
  const r = (window.__recorded = { errors: [], console: [] });
  const text = (v) => (v instanceof Error ? v.message : String(v));
  window.addEventListener('error', (e) => r.errors.push(e.error ? text(e.error) : String(e.message)));
  window.addEventListener('unhandledrejection', (e) => r.errors.push(text(e.reason)));
  for (const type of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = console[type];
    console[type] = function (...args) {
      r.console.push({ type, text: args.map(text).join(' ') });
      return original.apply(this, args);
    };
  }
}

/** Waits until `fn(...args)` in the page gives a truthy value; resolves to it. */
export async function waitFor(page, fn, args = [], { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, ...args);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Starts listing, in the page, each script added whose `src` contains
 * `part` (as 'script'), in order with the marks the test makes
 * (`markOrder(page, name)`); `readOrder(page)` gives the list. What came
 * first then shows without waiting: a script added before a mark was
 * added before the test made it.
 */
export function watchScripts(page, part) {
  return page.evaluate((part) => {
    window.__order = [...document.scripts].filter((s) => s.src.includes(part)).map(() => 'script');
    new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((node) => {
      if (node.src?.includes(part)) window.__order.push('script');
    }))).observe(document, { childList: true, subtree: true });
  }, part);
}
export const markOrder = (page, name) => page.evaluate((name) => window.__order.push(name), name);
export const readOrder = (page) => page.evaluate(() => window.__order);

/** Adds a classic `<script src=url>` to the page and waits for it to load. */
export function addScript(page, url) {
  return page.evaluate((src) => new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve(true);
    s.onerror = () => reject(new Error(`script ${src} failed to load`));
    document.head.append(s);
  }), url);
}
