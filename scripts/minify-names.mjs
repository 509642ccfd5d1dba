// Shortens the wasm's import, export and module names (wasm-bindgen's are
// long, hashed and in every page's download) with binaryen's
// --minify-imports-and-exports-and-modules, and renames them to match in
// wasm-bindgen's JS glue. Fails loudly if any name is not found exactly
// where expected, so a wasm-bindgen upgrade cannot silently break the glue.
//
// Usage: node scripts/minify-names.mjs pkg/convertro_bg.wasm pkg/convertro.js
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, gluePath] = process.argv.slice(2);
const features = ['--enable-reference-types', '--enable-bulk-memory', '--enable-multivalue',
  '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-sign-ext'];
const out = execFileSync('node_modules/.bin/wasm-opt', [wasmPath, ...features,
  '--minify-imports-and-exports-and-modules', '--strip-target-features', '-o', wasmPath], { encoding: 'utf8' });
const map = JSON.parse(out.slice(out.indexOf('{')));

let glue = readFileSync(gluePath, 'utf8');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const replaceAll = (pattern, replacement, what, atLeast = 1) => {
  const count = (glue.match(pattern) || []).length;
  if (count < atLeast) throw new Error(`minify-names: ${what} not found in ${gluePath}`);
  glue = glue.replace(pattern, replacement);
};

const modules = new Set();
for (const [module, name, short] of map.imports) {
  modules.add(module);
  replaceAll(new RegExp(`^(\\s+)${escape(name)}: function`, 'gm'), `$1${JSON.stringify(short)}: function`, `import ${name}`);
}
if (map.imports.length) {
  if (modules.size !== 1) throw new Error(`minify-names: expected one import module, got ${[...modules]}`);
  // The module name is minified too (the mapping omits it): read it back.
  const [module] = modules;
  const shorts = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module));
  if (shorts.size !== 1) throw new Error(`minify-names: expected one minified import module, got ${[...shorts]}`);
  const [short] = shorts;
  replaceAll(new RegExp(`${escape(JSON.stringify(module))}: import0`, 'g'), `${JSON.stringify(short)}: import0`, `module ${module}`);
}
for (const [name, short] of map.exports) {
  replaceAll(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm[${JSON.stringify(short)}]`, `export ${name}`, 0);
}
writeFileSync(gluePath, glue);
