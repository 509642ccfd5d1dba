// convertro-analytics-plugin/standalone (dist/convertro.standalone.js, also
// what unpkg and jsDelivr serve for the package's bare URL): a classic
// script, with the wasm inside it, that defines `window.convertro`,
// `window.convertroPlugin`, `window.ConvertroIntegration` and `window.createConvertroIntegration`, the
// module's exports of the same names. It exports nothing.
import type {
  convertro as factory,
  convertroPlugin as pluginFactory,
  ConvertroIntegration as Integration,
  createConvertroIntegration as createIntegration,
} from './index.js';

declare global {
  /** Creates the Convertro destination plugin (see the package's `convertro`). */
  var convertro: typeof factory & { readonly VERSION: string };
  /** Creates the Convertro destination plugin at once (see the package's `convertroPlugin`). */
  var convertroPlugin: typeof pluginFactory;
  /** The classic integration source (see the package's `ConvertroIntegration`). */
  var ConvertroIntegration: typeof Integration;
  /** Makes a classic integration source with its own options (see the package's `createConvertroIntegration`). */
  var createConvertroIntegration: typeof createIntegration;
}

export {};
