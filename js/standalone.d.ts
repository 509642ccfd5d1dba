// convertro-analytics-plugin/standalone (dist/convertro.standalone.js): a
// classic script, with the wasm inlined, that defines `window.convertro`,
// the same function as the module's `convertro` export. It exports nothing.
import type { convertro as factory } from './index.js';

declare global {
  /** Creates the Convertro destination plugin (see the package's `convertro`). */
  var convertro: typeof factory & { readonly VERSION: string };
}

export {};
