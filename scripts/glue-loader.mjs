// Replaces wasm-bindgen's loaders at the end of its glue (`__wbg_init`,
// `initSync` and their helpers: fetching, streaming, deprecated-argument
// shims) with three exports: `imports()` and `finalize(instance, module)`,
// for js/index.js, which compiles and instantiates the wasm itself, once
// (every page view downloads one loader instead of three), and
// `instanceExports()`, the instance's exports (its memory and externref
// table), for the tests and the bench.
//
// Usage: node scripts/glue-loader.mjs pkg/convertro.js
import { readFileSync, writeFileSync } from 'node:fs';

const [gluePath] = process.argv.slice(2);
let glue = readFileSync(gluePath, 'utf8');
const start = glue.indexOf('async function __wbg_load(');
const end = glue.indexOf('export { initSync, __wbg_init as default };');
if (start < 0 || end < start || !glue.includes('function __wbg_finalize_init(') || !glue.includes('function __wbg_get_imports(')) {
  throw new Error(`glue-loader: wasm-bindgen's loaders are not where expected in ${gluePath} (a wasm-bindgen upgrade?)`);
}
glue = glue.slice(0, start) + `function __wbg_instance_exports() {
    return wasm;
}

export { __wbg_get_imports as imports, __wbg_finalize_init as finalize, __wbg_instance_exports as instanceExports };
`;
writeFileSync(gluePath, glue);
