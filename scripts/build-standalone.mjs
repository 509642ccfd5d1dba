// Builds dist/convertro.standalone.js: a classic (non-module) script for
// pages that use Segment's snippet (a global `window.analytics`). It defines
// `window.convertro`, the same `convertro(settings, options)` as the package's
// ES module, and needs no bundler and no configuration: the wasm is inlined,
// so there is one file to host and nothing to locate at run time.
//
//   node scripts/build-standalone.mjs            build dist/convertro.standalone.js
//   node scripts/build-standalone.mjs --compare  also build the other way (wasm
//       fetched from beside the script, found through document.currentScript)
//       into a temporary directory and print both sizes (gzip -9)
//
// Needs pkg/ (scripts/build.sh). esbuild is a pinned devDependency.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, statSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const banner = `/*! convertro-analytics-plugin ${version} | standalone build: defines window.convertro | MIT */`;

// The wrapper gives js/index.js's `convertro` a default `options.wasm`, so the
// `new URL('../pkg/convertro_bg.wasm', import.meta.url)` there is never used
// (a classic script has no import.meta).
const wrapper = `
const convertro = (settings, options) =>
  real(settings, options != null && options.wasm != null ? options : { ...options, wasm: defaultWasm() });
convertro.VERSION = VERSION;
window.convertro = convertro;
`;

const entries = {
  // The wasm bytes inside the script (esbuild's binary loader: base64, decoded once).
  inline: `
import { convertro as real, VERSION } from './js/index.js';
import bytes from './pkg/convertro_bg.wasm';
const defaultWasm = () => bytes;
${wrapper}`,
  // The wasm beside the script, found from the script's own URL; that URL is
  // only known while the script first runs, so it is read right away.
  beside: `
import { convertro as real, VERSION } from './js/index.js';
const script = document.currentScript;
const defaultWasm = () => {
  if (!script || !script.src) throw new Error('convertro: cannot tell where convertro.standalone.js was loaded from; pass options.wasm');
  return new URL('convertro_bg.wasm', script.src);
};
${wrapper}`,
};

async function bundle(kind, outfile) {
  await build({
    stdin: { contents: entries[kind], resolveDir: root, sourcefile: `standalone-${kind}.js`, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    minify: true,
    legalComments: 'inline',
    banner: { js: banner },
    define: { 'import.meta.url': '"about:invalid"' },
    loader: { '.wasm': 'binary' },
    outfile,
    logLevel: 'warning',
  });
  if (kind === 'beside') copyFileSync(join(root, 'pkg/convertro_bg.wasm'), join(dirname(outfile), 'convertro_bg.wasm'));
}

// Bytes after `gzip -9n` (the gzip command; zlib's level 9 differs by a few bytes).
const gz = (file) => execFileSync('gzip', ['-9n'], { input: readFileSync(file), maxBuffer: 1 << 26 }).length;
const size = (file) => `${statSync(file).size} bytes (${gz(file)} gzip -9)`;

mkdirSync(join(root, 'dist'), { recursive: true });
const out = join(root, 'dist/convertro.standalone.js');
await bundle('inline', out);
console.log(`built dist/convertro.standalone.js: ${size(out)}, wasm inlined`);

if (process.argv.includes('--compare')) {
  const dir = mkdtempSync(join(tmpdir(), 'convertro-standalone-'));
  try {
    const js = join(dir, 'convertro.standalone.js');
    const wasm = join(dir, 'convertro_bg.wasm');
    await bundle('beside', js);
    console.log(`compare, wasm beside the script: ${size(js)} + ${size(wasm)} = ${gz(js) + gz(wasm)} gzip -9 in 2 requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
