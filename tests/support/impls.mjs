// The implementations the end-to-end tests run against: the package itself
// (wasm, through js/index.js) and the plain-JavaScript reference
// (bench/reference/convertro.js). E2E_IMPL=reference (or wasm) runs one only.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

// npm test builds first; a missing build is an error, not a skip.
if (!existsSync(path.join(ROOT, 'pkg/convertro_bg.wasm')) || !existsSync(path.join(ROOT, 'pkg/convertro.js'))) {
  throw new Error('pkg/ is not built: run `npm run build` (npm test does) before the end-to-end tests');
}

export const IMPLS = [
  { name: 'wasm', module: '/js/index.js' },
  // The reference is plain JavaScript with nothing engine-specific to check:
  // it runs in the first engine only (Chromium by default).
  { name: 'reference', module: '/bench/reference/convertro.js', firstEngineOnly: true },
].filter((impl) => !process.env.E2E_IMPL || process.env.E2E_IMPL === impl.name);
