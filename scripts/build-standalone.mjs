// Builds the two files that carry the wasm inside them, for setups that cannot
// fetch a `.wasm` asset by `new URL(…, import.meta.url)`:
//
// - dist/convertro.inline.js: `convertro-analytics-plugin/inline`, an ES
//   module with the same exports as the main entry, for bundlers that do not
//   emit such assets (esbuild, Rollup, the Angular CLI). The wasm is stored
//   deflate-raw compressed and base64-encoded, and decompressed by the
//   browser's DecompressionStream: the smallest of the encodings measured
//   (`--compare`; README, "Install with your bundler").
// - dist/convertro.standalone.js: a classic (non-module) script for pages
//   without a bundler (Segment's snippet, a CDN `<script>`): it defines
//   `window.convertro` and `window.ConvertroIntegration`. The wasm is plain
//   base64 (esbuild's binary loader), which every browser the package
//   supports decodes; its Subresource Integrity hash is written into the
//   README, between the `sri` markers, and printed.
//
// Both are js/index.js bundled by esbuild with its `./wasm-source.js` (where
// the main entry finds the `.wasm` file) replaced by a module holding the
// bytes.
//
//   node scripts/build-standalone.mjs            build both
//   node scripts/build-standalone.mjs --compare  also measure what each encoding
//       of the inline entry costs against the main entry plus its `.wasm`
//       (gzip -9 and brotli): a Markdown table, printed and written into the
//       README between the `inline-sizes` markers
//
// Needs pkg/ (scripts/build.sh). esbuild is a pinned devDependency.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, deflateRawSync, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wasm = () => readFileSync(join(root, 'pkg/convertro_bg.wasm'));

/** The module that replaces js/wasm-source.js: `defaultWasm()` from bytes held in the file. */
const SOURCES = {
  // Plain base64, decoded by esbuild's helper: every browser.
  base64: () => `
import bytes from './pkg/convertro_bg.wasm';
export const defaultWasm = () => bytes;
`,
  // deflate-raw, then base64: decompressed by the browser (Chrome 103, Firefox 113, Safari 16.4).
  'deflate-raw + base64': () => `
const DATA = ${JSON.stringify(deflateRawSync(wasm(), { level: 9 }).toString('base64'))};
export async function defaultWasm() {
  if (typeof DecompressionStream !== 'function') {
    throw new Error("Convertro: this browser cannot decompress the wasm inside 'convertro-analytics-plugin/inline' (that needs DecompressionStream: Chrome 103, Firefox 113, Safari 16.4). Import 'convertro-analytics-plugin' instead, which fetches convertro_bg.wasm.");
  }
  const bytes = Uint8Array.from(atob(DATA), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')));
}
`,
};

const ENTRIES = {
  inline: { format: 'esm', encoding: 'deflate-raw + base64', contents: "export * from './js/index.js';\nexport { default } from './js/index.js';\n" },
  standalone: {
    format: 'iife',
    encoding: 'base64',
    contents: `
import { convertro, convertroPlugin, ConvertroIntegration, createConvertroIntegration, VERSION } from './js/index.js';
convertro.VERSION = VERSION;
window.convertro = convertro;
window.convertroPlugin = convertroPlugin;
window.ConvertroIntegration = ConvertroIntegration;
window.createConvertroIntegration = createConvertroIntegration;
`,
  },
};

/** Bundles js/index.js as `kind` with the wasm held as `encoding`; returns the file's bytes. */
async function bundle(kind, encoding = ENTRIES[kind].encoding) {
  const { format, contents } = ENTRIES[kind];
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: `${kind}.js`, loader: 'js' },
    bundle: true,
    format,
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'inline',
    banner: { js: `/*! convertro-analytics-plugin ${version} | ${kind} build, the wasm inside | MIT */` },
    // No module of the bundle reads import.meta.url once wasm-source.js is replaced.
    define: format === 'iife' ? { 'import.meta.url': '"about:invalid"' } : {},
    loader: { '.wasm': 'binary' },
    write: false,
    logLevel: 'warning',
    plugins: [{
      name: 'wasm-inside',
      setup(b) {
        b.onResolve({ filter: /^\.\/wasm-source\.js$/ }, () => ({ path: 'wasm-source', namespace: 'wasm-inside' }));
        b.onLoad({ filter: /.*/, namespace: 'wasm-inside' }, () => ({ contents: SOURCES[encoding](), resolveDir: root, loader: 'js' }));
      },
    }],
  });
  return Buffer.from(result.outputFiles[0].contents);
}

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const br = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

mkdirSync(join(root, 'dist'), { recursive: true });
for (const kind of Object.keys(ENTRIES)) {
  const bytes = await bundle(kind);
  writeFileSync(join(root, `dist/convertro.${kind}.js`), bytes);
  console.log(`built dist/convertro.${kind}.js: ${bytes.length} bytes (${gz(bytes)} gzip -9, ${br(bytes)} brotli), wasm inside as ${ENTRIES[kind].encoding}`);
}

// The standalone build's integrity hash, into the README's CDN snippet and figures.
const standalone = readFileSync(join(root, 'dist/convertro.standalone.js'));
const hash = sri(standalone);
const readme = join(root, 'README.md');
const text = readFileSync(readme, 'utf8');
const updated = text.replace(/(<!-- sri:start -->)[\s\S]*?(<!-- sri:end -->)/g, `$1${hash}$2`)
  .replace(/(integrity=")sha384-[^"]*(")/g, `$1${hash}$2`)
  .replace(/(convertro-analytics-plugin@)\d+\.\d+\.\d+[^/"\s]*/g, `$1${version}`);
if (updated !== text) writeFileSync(readme, updated);
console.log(`dist/convertro.standalone.js integrity: ${hash}`);

if (process.argv.includes('--compare')) {
  // The main entry as a bundler ships it: js/index.js and the glue in one minified module, plus the .wasm.
  const main = (await build({
    entryPoints: [join(root, 'js/index.js')], bundle: true, format: 'esm', minify: true, write: false, logLevel: 'silent',
  })).outputFiles[0].contents;
  const file = wasm();
  const rows = [['main entry + convertro_bg.wasm (2 files)', main.length + file.length, gz(main) + gz(file), br(main) + br(file)]];
  for (const encoding of Object.keys(SOURCES)) {
    const bytes = await bundle('inline', encoding);
    rows.push([`inline entry, wasm as ${encoding}`, bytes.length, gz(bytes), br(bytes)]);
  }
  const [, , g0, b0] = rows[0];
  const sign = (n) => (n >= 0 ? `+${n}` : `${n}`);
  const table = ['| what | raw | gzip -9 | brotli | over the main entry, gzip / brotli |', '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(([what, raw, g, b]) => `| ${what} | ${raw} B | ${g} B | ${b} B | ${g === g0 && b === b0 ? '–' : `${sign(g - g0)} B / ${sign(b - b0)} B`} |`)].join('\n');
  console.log(table);
  const now = readFileSync(readme, 'utf8');
  writeFileSync(readme, now.replace(/(<!-- inline-sizes:start -->)[\s\S]*?(<!-- inline-sizes:end -->)/, `$1\n${table}\n$2`));
}
