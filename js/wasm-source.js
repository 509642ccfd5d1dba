// Where the main entry finds its WebAssembly: the file beside this package's
// JavaScript, by the `new URL(…, import.meta.url)` pattern that Vite,
// webpack 5, Next.js, Parcel and browsers turn into an asset URL. The
// `/inline` entry (dist/convertro.inline.js, built by
// scripts/build-standalone.mjs) replaces this module with one that holds the
// wasm's bytes, for bundlers that do not emit such assets.
export const defaultWasm = () => new URL('../pkg/convertro_bg.wasm', import.meta.url);
