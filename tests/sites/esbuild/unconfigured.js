// What a user who follows nothing gets with esbuild: the main entry, whose
// `.wasm` esbuild did not emit. convertro() rejects; the page shows why.
import { convertro } from 'convertro-analytics-plugin';

convertro({ account: 'acme' }).then(
  () => { window.__convertroError = null; },
  (error) => { window.__convertroError = error instanceof Error ? error.message : `not an Error: ${error}`; },
);
