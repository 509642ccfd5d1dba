// convertro-analytics-plugin/inline (dist/convertro.inline.js): the same
// exports as the main entry, with the wasm inside the module, for bundlers
// that do not emit `new URL(…, import.meta.url)` assets.
export * from './index.js';
export { default } from './index.js';
