// convertro-analytics-plugin: Segment's Convertro destination for
// analytics.js 2.0. The rules live in Rust compiled to WebAssembly
// (pkg/convertro_bg.wasm); this file only loads the wasm once and gives the
// Rust `Destination` the plugin shape analytics.js expects.
import init, { Destination, initSync } from '../pkg/convertro.js';

/** The package version (kept equal to package.json's by a test). */
export const VERSION = '0.1.0';

let loading;

/** Initialises the wasm once; concurrent callers share one instance. */
function ready(wasm) {
  if (!loading) {
    loading = start(wasm ?? new URL('../pkg/convertro_bg.wasm', import.meta.url));
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

/**
 * Fetches the wasm (unless given its bytes or module) and compiles and
 * instantiates it synchronously: for a module this small that is faster than
 * streaming compilation, which waits on the event loop between its steps.
 * Browsers before Chrome 114 refuse to compile over 4 KB synchronously;
 * those, and anything else that fails here, take wasm-bindgen's own
 * asynchronous path, which also gives the error for a failed fetch.
 */
async function start(source) {
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
    source = fetch(source);
  }
  source = await source;
  if (typeof Response === 'function' && source instanceof Response && source.ok) source = await source.arrayBuffer();
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || source instanceof WebAssembly.Module) {
    try {
      initSync({ module: source });
      return;
    } catch {
      // the asynchronous path below
    }
  }
  await init({ module_or_path: source });
}

/**
 * Creates the Convertro destination plugin.
 * @param {import('./index').ConvertroSettings} settings
 * @param {import('./index').ConvertroOptions} [options]
 * @returns {Promise<import('./index').ConvertroPlugin>}
 */
export async function convertro(settings, options) {
  await ready(options?.wasm);
  const destination = new Destination(settings);
  let loaded;
  return {
    name: 'Convertro',
    type: 'destination',
    version: VERSION,
    isLoaded: () => destination.isLoaded(),
    // One tag injection however often analytics.js calls load().
    load: () => (loaded ??= new Promise((resolve, reject) => destination.load(resolve, reject))),
    identify(ctx) {
      try { destination.identify(ctx); } catch { /* the Rust reports what it can't send through ctx.log */ }
      return ctx;
    },
    track(ctx) {
      try { destination.track(ctx); } catch { /* as above */ }
      return ctx;
    },
  };
}

export default convertro;
