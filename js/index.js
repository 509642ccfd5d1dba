// convertro-analytics-plugin: Segment's Convertro destination for
// analytics.js 2.0. The rules live in Rust compiled to WebAssembly
// (pkg/convertro_bg.wasm); this file only loads the wasm once and gives the
// Rust destination the two shapes analytics.js takes: a plugin
// (`convertro()`) and a classic integration source (`ConvertroIntegration`).
import { adopt, finalize, identify, imports, isLoaded, load as loadTag, make as makeDestination, pagehide, pageshow, tick, track } from '../pkg/convertro.js';
import { defaultWasm } from './wasm-source.js';

/** The package version (kept equal to package.json's by a test). */
export const VERSION = '0.1.0';

let loading;

/** Initialises the wasm once; concurrent callers share one instance. */
function ready(wasm) {
  if (!loading) {
    loading = start(wasm ?? defaultWasm());
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

/**
 * Fetches the wasm (unless given its bytes or module), then compiles and
 * instantiates it, synchronously where the engine allows: for a module this
 * small that is faster than the asynchronous path, which waits on the event
 * loop between its steps (browsers before Chrome 114 refuse to compile more
 * than 4 KB synchronously, and take the asynchronous path).
 */
async function start(source) {
  if (typeof document === 'undefined') {
    throw new Error('Convertro: the destination runs in a browser (it loads Convertro\'s tag into the page); call convertro() or load analytics-next in client-side code, not on the server.');
  }
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
    const url = String(source.url ?? source);
    source = fetch(source).catch((error) => {
      throw notFetched(url, `the request failed: ${error?.message ?? error}`);
    });
  }
  source = await source;
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw notFetched(source.url, `HTTP ${source.status}${source.statusText ? ` ${source.statusText}` : ''}`);
    const { url } = source;
    const type = source.headers.get('content-type');
    source = await source.arrayBuffer();
    // Every wasm module starts with "\0asm"; a page (a server's answer for any path) does not.
    const head = new Uint8Array(source, 0, Math.min(4, source.byteLength));
    if (String.fromCharCode(...head) !== '\0asm') {
      throw notFetched(url, `it answered ${type || 'no Content-Type'}, not WebAssembly (${source.byteLength} bytes)`);
    }
  }
  let module = source, instance;
  try {
    if (!(module instanceof WebAssembly.Module)) module = new WebAssembly.Module(source);
    instance = new WebAssembly.Instance(module, imports());
  } catch {
    if (!(module instanceof WebAssembly.Module)) module = await WebAssembly.compile(source);
    instance = await WebAssembly.instantiate(module, imports());
  }
  finalize(instance, module);
}

/**
 * The Error for a wasm that could not be had from `url`: what went wrong,
 * the likely cause and the fix.
 */
function notFetched(url, what) {
  return new Error(`Convertro: could not load its WebAssembly from ${url || 'the URL given'}: ${what}. `
    + 'Your bundler probably did not emit convertro_bg.wasm (esbuild, Rollup and the Angular CLI do not): '
    + "import from 'convertro-analytics-plugin/inline' instead, or serve the file and pass its URL as options.wasm (see the README for your bundler).");
}

/** The line for a wasm that could not be loaded: nothing is sent. */
function notLoaded(error) {
  return String(error?.message).startsWith('Convertro: ')
    ? `${error.message} Nothing is sent to Convertro.`
    : `Convertro: the WebAssembly module could not be loaded (${error?.message ?? error}); nothing is sent to Convertro.`;
}

/** The Rust calls a destination takes for analytics.js's. */
const calls = { track, identify };

/**
 * Makes the Rust destination (throws an Error naming a bad setting): its
 * number, which every call into the wasm takes. `page` is this page's id
 * in storage. The page's lifecycle goes to its outbox: `pagehide` releases
 * what it kept to the next page, a return from the back/forward cache runs
 * its tick (src/wasm/outbox.rs).
 */
function make(settings, classic, page) {
  const destination = makeDestination(settings, classic, page, () => tick(destination, true));
  if (typeof addEventListener === 'function') {
    addEventListener('pagehide', () => pagehide(destination));
    addEventListener('pageshow', (event) => event.persisted && pageshow(destination));
  }
  return destination;
}

/** A new page id: digits (the Rust rules' key grammar takes anything without a `:`). */
const newPage = () => String(Math.random()).slice(2) || '0';

/**
 * The key of this page's call number `n`: `convertro:v2:<account>:<page>:<n>`,
 * a call key of the Rust outbox's key grammar (src/rules/outbox.rs), which
 * decides the call on this page once the wasm is ready, or on another page
 * if this one dies first.
 */
const callKey = (settings, page, n) => `convertro:v2:${settings.account}:${page}:${n}`;

/**
 * Writes a call that came before the wasm was ready, so that it survives
 * the page: `{ at, call: [method, event] }` under its call key. Returns
 * `n`, or undefined when it could not be written.
 */
function write(settings, page, n, method, ctx) {
  try {
    localStorage.setItem(callKey(settings, page, n), JSON.stringify({ at: Date.now(), call: [method, ctx.event] }));
    return n;
  } catch {
    return undefined;
  }
}

/**
 * A destination made in the background: the wasm is fetched and given the
 * settings while calls come in. Until then each call is kept in order and
 * written (`write`); then Rust takes each (`adopt`), in order. A wasm or
 * settings failure is one console.warn.
 * `made` resolves to the destination's number (null on failure).
 */
function background(settings, classic, wasm) {
  const page = newPage();
  const kept = [];
  let destination;
  const fail = (line) => {
    destination = null;
    console.warn(line);
    return null;
  };
  const made = ready(wasm).then(() => {
    try {
      destination = make(settings, classic, page);
    } catch (error) {
      // A settings error names the setting. No page could send the calls
      // under these settings: their keys go.
      for (const [, , n] of kept.splice(0)) {
        try { localStorage.removeItem(callKey(settings, page, n)); } catch { /* nothing stored */ }
      }
      return fail(error.message);
    }
    for (const [method, ctx, n] of kept.splice(0)) adopt(destination, method, ctx, n);
    return destination;
  },
  // A wasm that could not be had here (blocked, or its fetch aborted as the
  // page goes) leaves the calls' keys for a page that has it.
  (error) => fail(notLoaded(error)));
  return {
    made,
    destination: () => destination,
    call(method, ctx) {
      if (destination) {
        try { calls[method](destination, ctx); } catch { /* the Rust reports what it can't send through ctx.log */ }
      } else if (destination === undefined) {
        kept.push([method, ctx, write(settings, page, kept.length, method, ctx)]);
      }
    },
  };
}

/**
 * The analytics.js plugin over a destination `source` (`background`, or
 * one already made). One tag injection however often analytics.js calls
 * load(). A tag that fails to load is one console.warn, not a rejection:
 * analytics-next removes a destination whose load() rejects, and every
 * later event on the page would be lost; kept, they wait in the outbox for
 * a page where the tag loads. No `ready()`: analytics.ready never waits
 * for the wasm.
 */
function plugin(source) {
  let loaded;
  const load = (destination) => destination && new Promise((resolve) => loadTag(destination, () => {
    tick(destination, false);
    resolve();
  }, (error) => {
    console.warn(error.message);
    resolve();
  }));
  return {
    name: 'Convertro',
    type: 'destination',
    version: VERSION,
    isLoaded: () => !!source.destination() && isLoaded(),
    // A destination already made injects the tag within this call.
    load: () => (loaded ??= source.destination() ? load(source.destination()) : source.made.then(load)),
    identify(ctx) {
      source.call('identify', ctx);
      return ctx;
    },
    track(ctx) {
      source.call('track', ctx);
      return ctx;
    },
  };
}

/**
 * Creates the Convertro destination plugin at once: the wasm loads in the
 * background, and calls that come before it are kept (and written to
 * localStorage) until Rust decides them. A bad setting is one console.warn.
 * @param {import('./index').ConvertroSettings} settings
 * @param {import('./index').ConvertroOptions} [options]
 * @returns {import('./index').ConvertroPlugin}
 */
export function convertroPlugin(settings, options) {
  return plugin(background(settings, false, options?.wasm));
}

/**
 * Creates the Convertro destination plugin once its wasm is ready; rejects
 * with an Error naming a bad setting.
 * @param {import('./index').ConvertroSettings} settings
 * @param {import('./index').ConvertroOptions} [options]
 * @returns {Promise<import('./index').ConvertroPlugin>}
 */
export async function convertro(settings, options) {
  await ready(options?.wasm);
  const destination = make(settings, false, newPage());
  return plugin({
    made: Promise.resolve(destination),
    destination: () => destination,
    call(method, ctx) {
      try { calls[method](destination, ctx); } catch { /* as in `background` */ }
    },
  });
}

/**
 * A classic integration source for analytics-next's `classicIntegrations`:
 * `AnalyticsBrowser.load({ writeKey, classicIntegrations: [ConvertroIntegration] })`
 * builds it from the Segment app's settings for Convertro (merged with the
 * load option `integrations.Convertro`), in place of Segment's own bundle.
 * `options.wasm` says where the wasm is, as for `convertro()`.
 * @param {import('./index').ConvertroOptions} [options]
 */
export function createConvertroIntegration(options) {
  /** analytics-next constructs it with the settings, sets `.analytics`, then calls `initialize()`. */
  function ConvertroIntegration(settings) {
    this.settings = settings;
    this.listeners = [];
    // The destination made in the background (`background`), from the first initialize() or invoke().
    this.source = undefined;
  }
  const proto = ConvertroIntegration.prototype;
  proto.name = 'Convertro';
  proto.version = VERSION;
  proto.on = function (event, listener, once = false) {
    this.listeners.push([event, listener, once]);
    return this;
  };
  proto.once = function (event, listener) {
    return this.on(event, listener, true);
  };
  proto.off = function (event, listener) {
    this.listeners = this.listeners.filter(([e, l]) => e !== event || l !== listener);
    return this;
  };
  proto.emit = function (event, ...args) {
    for (const entry of [...this.listeners]) {
      if (entry[0] !== event) continue;
      if (entry[2]) this.listeners = this.listeners.filter((x) => x !== entry);
      entry[1](...args);
    }
    return this;
  };
  /** Whether Convertro's tag has loaded: false, never an exception, until the wasm is ready. */
  proto.loaded = function () {
    return !!this.source?.destination() && isLoaded();
  };
  /** The destination made in the background, from the first initialize() or invoke(). */
  proto.start = function () {
    return (this.source ??= background(this.settings, true, options?.wasm));
  };
  /**
   * Ready at once: events wait in `background` (never on analytics-next's
   * flush timers, of up to 5 s), written to localStorage, until the wasm is
   * ready, then go in order. A wasm or settings failure is one
   * console.warn, and nothing is sent.
   */
  proto.initialize = function () {
    this.emit('initialize');
    this.emit('ready');
    this.start().made.then((destination) => destination && loadTag(destination, () => tick(destination, false), (error) => console.warn(error.message)));
  };
  /** analytics-next's call for every event: `invoke('track' | 'identify' | 'page' | …, facade)`. */
  proto.invoke = function (method, facade) {
    if (method !== 'track' && method !== 'identify') return; // Convertro takes no page, group or alias
    // The event as analytics.js made it (after destination middleware), not the facade's Date-converted copy.
    const event = typeof facade?.rawEvent === 'function' ? facade.rawEvent() : facade;
    // The classic path has no per-event log: debug lines go nowhere.
    this.start().call(method, { event, log() {} });
  };
  return ConvertroIntegration;
}

/** The classic integration source, with the wasm beside this module (see `createConvertroIntegration`). */
export const ConvertroIntegration = /* @__PURE__ */ createConvertroIntegration();

export default convertro;
