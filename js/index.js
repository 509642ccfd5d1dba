// convertro-analytics-plugin: Segment's Convertro destination for
// analytics.js 2.0. The rules live in Rust compiled to WebAssembly
// (pkg/convertro_bg.wasm); this file only loads the wasm once and gives the
// Rust `Destination` the plugin shape analytics.js expects.
import init, { create, identify, initSync, isLoaded, load, release, track } from '../pkg/convertro.js';

/** The package version (kept equal to package.json's by a test). */
export const VERSION = '0.1.0';

let loading;
const released = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(release) : undefined;

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
  const handle = create(settings);
  let loaded;
  const plugin = {
    name: 'Convertro',
    type: 'destination',
    version: VERSION,
    isLoaded,
    // One tag injection however often analytics.js calls load().
    load: () => (loaded ??= new Promise((resolve, reject) => load(handle, resolve, reject))),
    identify(ctx) {
      try { identify(handle, ctx); } catch { /* the Rust reports what it can't send through ctx.log */ }
      return ctx;
    },
    track(ctx) {
      try { track(handle, ctx); } catch { /* as above */ }
      return ctx;
    },
  };
  // The destination is freed once the plugin is unreachable.
  released?.register(plugin, handle);
  return plugin;
}

export default convertro;
