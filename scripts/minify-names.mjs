// Finishes wasm-bindgen's output into two self-contained files:
// - shortens the wasm's import, export and module names (wasm-bindgen's are
//   long and hashed, and in every page's download) with binaryen's
//   --minify-imports-and-exports-and-modules, and renames them to match in
//   the JS glue;
// - inlines the binding's JS snippets (pkg/snippets/…, e.g. src/wasm/safe.js)
//   into the glue, so the package is two files and a page makes no extra
//   module request.
// Fails loudly if anything is not found where expected, so a wasm-bindgen
// upgrade cannot silently break the glue.
//
// Usage: node scripts/minify-names.mjs pkg/convertro_bg.wasm pkg/convertro.js
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [wasmPath, gluePath] = process.argv.slice(2);
const features = ['--enable-reference-types', '--enable-bulk-memory', '--enable-multivalue',
  '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-sign-ext'];
const out = execFileSync('node_modules/.bin/wasm-opt', [wasmPath, ...features,
  '--minify-imports-and-exports-and-modules', '--strip-target-features', '-o', wasmPath], { encoding: 'utf8' });
const map = JSON.parse(out.slice(out.indexOf('{')));

let glue = readFileSync(gluePath, 'utf8');
const fail = (what) => { throw new Error(`minify-names: ${what} (in ${gluePath})`); };
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const replaceAll = (pattern, replacement, what, atLeast = 1) => {
  if ((glue.match(pattern) || []).length < atLeast) fail(`${what} not found`);
  glue = glue.replace(pattern, replacement);
};

// The mapping leaves out module names: read the minified ones back.
const minified = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)));
const moduleOf = new Map(minified.map((i) => [i.name, i.module]));
const shortModule = new Map();
for (const [module, , short] of map.imports) {
  const m = moduleOf.get(short);
  if (m === undefined) fail(`import ${short} missing from the minified wasm`);
  if (shortModule.has(module) && shortModule.get(module) !== m) fail(`module ${module} minified twice`);
  shortModule.set(module, m);
}

const imports = [];
for (const [module, name, short] of map.imports) {
  if (module === './convertro_bg.js') {
    // wasm-bindgen's own imports: keys of the import0 object.
    replaceAll(new RegExp(`^(\\s+)${escape(name)}: function`, 'gm'), `$1${JSON.stringify(short)}: function`, `import ${name}`);
  }
}
// Inline each snippet module once, as a const namespace, in place of
// wasm-bindgen's imports of it (a namespace import per directly imported
// function, and named imports for the ones its glue wraps).
const snippets = new Map();
const namespaceOf = (file) => {
  if (!snippets.has(file)) snippets.set(file, `snippet${snippets.size}`);
  return snippets.get(file);
};
glue = glue.replace(/^import \* as (import\d+) from "(\.\/snippets\/[^"]+)";?\n/gm, (_, local, file) => `const ${local} = ${namespaceOf(file)};\n`);
glue = glue.replace(/^import \{([^}]+)\} from '(\.\/snippets\/[^']+)';?\n/gm, (_, names, file) => `const {${names}} = ${namespaceOf(file)};\n`);
if (/^import .*snippets/m.test(glue)) fail('a snippet import was left');
let inlined = '';
for (const [file, namespace] of snippets) {
  const source = readFileSync(path.join(path.dirname(gluePath), file), 'utf8');
  const exported = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  if (exported.length === 0) fail(`no exported functions in ${file}`);
  const body = source.replace(/^export function /gm, 'function ').replace(/^(?=.)/gm, '    ');
  inlined += `const ${namespace} = (() => {\n${body}\n    return { ${exported.join(', ')} };\n})();\n`;
}
glue = inlined + glue;
rmSync(path.join(path.dirname(gluePath), 'snippets'), { recursive: true, force: true });

// The module entries of the imports object: wasm-bindgen's own module keeps
// its object; a snippet's becomes an object of its functions under their
// minified names.
const entry = (module) => new RegExp(`^\\s*${escape(JSON.stringify(module))}: (import\\d+),\\n`, 'gm');
// binaryen may give several modules one short name: group them.
const parts = new Map();
for (const [module, short] of shortModule) {
  const match = [...glue.matchAll(entry(module))];
  if (match.length === 0) fail(`imports entry for ${module}`);
  glue = glue.replace(entry(module), '');
  if (!parts.has(short)) parts.set(short, []);
  if (module === './convertro_bg.js') {
    parts.get(short).unshift(match[0][1]);
  } else {
    const namespace = snippets.get(module);
    if (!namespace) fail(`no inlined snippet for ${module}`);
    const names = map.imports.filter(([m]) => m === module).map(([, name, s]) => `${JSON.stringify(s)}: ${namespace}.${name}`);
    parts.get(short).push(`{ ${names.join(', ')} }`);
  }
}
let entries = '';
for (const [short, objects] of parts) {
  entries += `        ${JSON.stringify(short)}: ${objects.length === 1 ? objects[0] : `Object.assign(${objects.join(', ')})`},\n`;
}
replaceAll(/(return \{\n\s*__proto__: null,\n)/, `$1${entries}`, 'the imports object');

for (const [name, short] of map.exports) {
  replaceAll(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm[${JSON.stringify(short)}]`, `export ${name}`, 0);
}
writeFileSync(gluePath, glue);
