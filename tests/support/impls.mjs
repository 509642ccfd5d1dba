// The implementations the end-to-end tests run against: the package itself
// (wasm, through js/index.js) and the plain-JavaScript reference
// (bench/reference/convertro.js). E2E_IMPL=reference (or wasm) runs one only.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

const wasmBuilt = existsSync(path.join(ROOT, 'pkg/convertro_bg.wasm')) && existsSync(path.join(ROOT, 'pkg/convertro.js'));

export const IMPLS = [
  {
    name: 'wasm',
    module: '/js/index.js',
    // TODO(lead): remove skip once the build always runs before the tests.
    skip: wasmBuilt ? false : 'pkg/convertro_bg.wasm is not built yet (run `npm run build`)',
  },
  { name: 'reference', module: '/bench/reference/convertro.js', skip: false },
].filter((impl) => !process.env.E2E_IMPL || process.env.E2E_IMPL === impl.name);
