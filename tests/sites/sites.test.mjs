// Real websites, tested: packs this package with `npm pack`, installs the
// tarball into fresh copies of the fixture sites in tests/sites/<name>/ (each
// with its own npm packages, from the registry like any user's), builds them,
// and checks in headless Chromium that an identify and an Order Completed
// reach Convertro's tag (the local stand-in) through the real
// @segment/analytics-next (tests/sites/kit.mjs). Every request to another
// host is answered locally (Segment's CDN and API, Convertro's tag, unpkg and
// jsDelivr from the tarball) or aborted; the test checks that nothing was
// aborted, so nothing reaches the internet.
//
// Assumes `npm run build` has run (pkg/ and dist/ exist): the tarball is
// packed with --ignore-scripts so that packing does not rebuild.
// CONVERTRO_SITES_PACKAGE_DIR packs another directory instead of the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStatic } from './harness.mjs';
import { useSites, answerOutside, assertVisit, run, npm, EXPECTED, PACKAGE_DIR } from './kit.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SITES = path.join(ROOT, 'tests/sites');
const ctx = useSites(SITES);
const { site, visit } = ctx;

test('publint and arethetypeswrong find no problem in the packed tarball', { timeout: 120000 }, async () => {
  const publint = await run(path.join(ROOT, 'node_modules/.bin/publint'), ['run', '--strict', ctx.tarball], ROOT, { ok: false });
  assert.equal(publint.code, 0, publint.stdout + publint.stderr);
  assert.match(publint.stdout, /All good!/);
  // The package is ESM only (its loader finds the wasm through import.meta.url):
  // attw's esm-only profile leaves out what that means for require() callers.
  // The ./convertro_bg.wasm export is a file for a bundler's asset handling,
  // not a module with types: attw has nothing to check there.
  const attw = await run(path.join(ROOT, 'node_modules/.bin/attw'), ['--profile', 'esm-only', '--exclude-entrypoints', './convertro_bg.wasm', '--format', 'table-flipped', ctx.tarball], ROOT, { ok: false });
  assert.equal(attw.code, 0, attw.stdout + attw.stderr);
  assert.doesNotMatch(attw.stdout, /❌|💀|🐛|❗️/);
});

test('npm publish --dry-run lists exactly the files a site needs', async () => {
  const { stdout } = await npm(['publish', '--dry-run', '--ignore-scripts', '--json'], PACKAGE_DIR);
  const info = JSON.parse(stdout);
  const files = (info.files ?? Object.values(info)[0].files).map((f) => f.path).sort();
  assert.deepEqual(files, [
    'CHANGELOG.md', 'LICENSE', 'README.md', 'dist/convertro.inline.js', 'dist/convertro.standalone.js', 'js/index.d.ts', 'js/index.js',
    'js/inline.d.ts', 'js/standalone.d.ts', 'js/wasm-source.js', 'package.json', 'pkg/convertro.js', 'pkg/convertro_bg.wasm',
  ]);
  const manifest = JSON.parse(await readFile(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  assert.equal(manifest.license, 'MIT');
  assert.match(await readFile(path.join(PACKAGE_DIR, 'LICENSE'), 'utf8'), /^MIT License/);
});

test('the tarball ships the module, its types, the wasm, the inline entry and the standalone build', async () => {
  for (const file of ['js/index.js', 'js/index.d.ts', 'js/standalone.d.ts', 'pkg/convertro.js', 'pkg/convertro_bg.wasm', 'dist/convertro.inline.js', 'dist/convertro.standalone.js']) {
    assert.ok(ctx.packed.includes(file), `${file} is not in the ctx.packed ctx.tarball (package.json "files"; run npm run build first): ${ctx.packed.join(', ')}`);
  }
  const manifest = JSON.parse(await readFile(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.exports?.['./inline'], { types: './js/inline.d.ts', default: './dist/convertro.inline.js' }, 'package.json exports "./inline", with its types');
  assert.deepEqual(manifest.exports?.['./standalone'], { types: './js/standalone.d.ts', default: './dist/convertro.standalone.js' }, 'package.json exports "./standalone", with its types');
  assert.equal(manifest.exports?.['./convertro_bg.wasm'], './pkg/convertro_bg.wasm', 'package.json exports the wasm file');
  assert.equal(manifest.unpkg, './dist/convertro.standalone.js', 'unpkg serves the standalone build for the bare URL');
  assert.equal(manifest.jsdelivr, './dist/convertro.standalone.js', 'jsDelivr serves the standalone build for the bare URL');
});


test('vite: `vite build`, served from dist/', { timeout: 180000 }, async () => {
  const dir = await site('vite');
  assertVisit(await visit(path.join(dir, 'dist')), { wasmFetched: true });
});

test('webpack 5: production build with no configuration at all', { timeout: 180000 }, async () => {
  const dir = await site('webpack');
  assert.ok(existsSync(path.join(dir, 'dist/main.js')));
  assertVisit(await visit(dir), { wasmFetched: true });
});

test('no bundler: <script type="module"> importing the package from node_modules', { timeout: 180000 }, async () => {
  const dir = await site('no-bundler');
  assertVisit(await visit(dir), { wasmFetched: true });
});

test('Segment snippet: global window.analytics from Segment\'s CDN, plugin from the standalone build', { timeout: 180000 }, async () => {
  const dir = await site('snippet');
  assertVisit(await visit(dir), { wasmFetched: false });
});

test('typescript: tsc --strict accepts correct use and rejects wrong setting names and types', { timeout: 180000 }, async () => {
  const dir = await site('typescript');
  const tsc = (file, module = ['--module', 'nodenext']) => run(path.join(dir, 'node_modules/.bin/tsc'),
    ['--strict', '--noEmit', '--pretty', 'false', '--target', 'es2022', ...module, '--lib', 'es2022,dom', file], dir, { ok: false });

  const good = await tsc('good.ts');
  assert.equal(good.code, 0, `good.ts compiles:\n${good.stdout}${good.stderr}`);
  // Also the way a bundler-based TypeScript project (Vite's template) resolves it.
  const bundler = await tsc('good.ts', ['--module', 'preserve', '--moduleResolution', 'bundler']);
  assert.equal(bundler.code, 0, `good.ts compiles with moduleResolution bundler:\n${bundler.stdout}${bundler.stderr}`);

  // bad.ts marks each line that must fail with `// TSnnnn`; exactly those errors, no others.
  const source = await readFile(path.join(dir, 'bad.ts'), 'utf8');
  const expected = source.split('\n').flatMap((line, i) => [...line.matchAll(/\/\/ (TS\d+)$/g)].map((m) => `bad.ts:${i + 1} ${m[1]}`));
  const bad = await tsc('bad.ts');
  assert.notEqual(bad.code, 0, 'bad.ts must not compile');
  const actual = [...bad.stdout.matchAll(/^bad\.ts\((\d+),\d+\): error (TS\d+)/gm)].map((m) => `bad.ts:${m[1]} ${m[2]}`);
  assert.ok(expected.length >= 10, 'bad.ts has its markers');
  assert.deepEqual(actual, expected, bad.stdout);
});

test('Next.js (App Router): `next build` with no configuration, served by `next start`; server-side import and convertro() on the server', { timeout: 300000 }, async () => {
  const dir = await site('nextjs');
  assert.ok(existsSync(path.join(dir, '.next/BUILD_ID')), 'next build produced a build');
  // A plain Node.js import of the package (what server code does) does not throw;
  // convertro() there rejects with an Error saying it needs a browser.
  const script = "import('convertro-analytics-plugin').then((m) => m.convertro({ account: 'acme' })).then(() => console.log('resolved'), (e) => console.log((e instanceof Error) + ' ' + e.message))";
  const node = await run(process.execPath, ['--input-type=module', '-e', script], dir);
  assert.match(node.stdout, /^true Convertro: the destination runs in a browser/);

  const port = await new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
  const next = spawn(path.join(dir, 'node_modules/.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], { cwd: dir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  next.stdout.on('data', (d) => { log += d; });
  next.stderr.on('data', (d) => { log += d; });
  try {
    const origin = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (await fetch(origin + '/').then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The package imported in a route handler, on the server.
    const server = await (await fetch(origin + '/api/server-import')).json();
    assert.equal(server.imported, true);
    assert.equal(server.rejected, true);
    assert.equal(server.isError, true);
    assert.match(server.message, /needs? a browser|runs in a browser/);
    // The page, rendered on the server, then the client component in the browser.
    const html = await (await fetch(origin + '/')).text();
    assert.match(html, /<button id="buy"/, 'the server rendered the client component');
    const v = await visit(dir, '/', { origin });
    assert.deepEqual(v.received, EXPECTED);
    assert.deepEqual(v.errors, [], 'no page errors');
    assert.deepEqual(v.blocked, [], 'every outside request was answered locally');
    assert.deepEqual(v.wasm, [{ status: 200, type: 'application/wasm' }], 'the wasm was fetched once, from the site');
  } finally {
    next.kill();
    if (process.env.CONVERTRO_SITES_DEBUG) console.log(log);
  }
});

test('esbuild: `esbuild --bundle --format=esm`, importing convertro-analytics-plugin/inline (the one documented line)', { timeout: 180000 }, async () => {
  const dir = await site('esbuild');
  assertVisit(await visit(dir), { wasmFetched: false });
});

test('esbuild with the main entry (following nothing): convertro() rejects naming the URL tried, the cause and the fix', { timeout: 180000 }, async () => {
  const dir = path.join(ctx.work, 'esbuild');
  if (!existsSync(path.join(dir, 'dist/unconfigured.js'))) await site('esbuild');
  const server = await startStatic(dir);
  const context = await ctx.browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(`${server.origin}/unconfigured.html`);
    await tab.waitForFunction(() => window.__convertroError !== undefined, null, { timeout: 15000 });
    const message = await tab.evaluate(() => window.__convertroError);
    // esbuild left `new URL('../pkg/convertro_bg.wasm', import.meta.url)` as it is: relative to dist/unconfigured.js.
    assert.match(message, new RegExp(`^Convertro: could not load its WebAssembly from ${server.origin}/pkg/convertro_bg\\.wasm: HTTP 404`));
    assert.match(message, /your bundler probably did not emit convertro_bg\.wasm/i);
    assert.match(message, /import from 'convertro-analytics-plugin\/inline'/);
    assert.match(message, /options\.wasm/);
  } finally {
    await context.close();
    await server.close();
  }
});

test('esbuild with the exported wasm file (`import wasm from \'convertro-analytics-plugin/convertro_bg.wasm\'`, the file loader) passed as options.wasm', { timeout: 180000 }, async () => {
  const dir = path.join(ctx.work, 'esbuild');
  if (!existsSync(path.join(dir, 'dist/asset.js'))) await site('esbuild');
  assertVisit(await visit(dir, '/asset.html'), { wasmFetched: true });
});

test('Rollup 4 with node-resolve and commonjs (what analytics-next needs), importing convertro-analytics-plugin/inline', { timeout: 180000 }, async () => {
  const dir = await site('rollup');
  assertVisit(await visit(dir), { wasmFetched: false });
});

test('Parcel 2: `parcel build` with no configuration, the main entry', { timeout: 300000 }, async () => {
  const dir = await site('parcel');
  assertVisit(await visit(path.join(dir, 'dist')), { wasmFetched: true });
});

// ---------------------------------------------------------------- CDN

/** What the standalone build defines: convertro, ConvertroIntegration (a classic source named Convertro), createConvertroIntegration. */
const GLOBALS = () => [typeof window.convertro, typeof window.ConvertroIntegration, window.ConvertroIntegration?.prototype?.name, typeof window.createConvertroIntegration];

const sha384 = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/**
 * Answers unpkg and jsDelivr from the packed tarball as they answer for a
 * published package: the bare URL (`/convertro-analytics-plugin@0.1.0`) with
 * the file the package.json field each reads names (unpkg answers with a
 * redirect to it, which Playwright's interception does not follow: served
 * here directly), and a file path with that file; with the CORS header both
 * send.
 */
async function cdn(url) {
  const cors = { 'access-control-allow-origin': '*' };
  const m = url.hostname === 'unpkg.com' ? /^\/convertro-analytics-plugin@([^/]+)(\/.*)?$/.exec(url.pathname)
    : url.hostname === 'cdn.jsdelivr.net' ? /^\/npm\/convertro-analytics-plugin@([^/]+)(\/.*)?$/.exec(url.pathname) : null;
  if (!m) return undefined;
  const manifest = JSON.parse(await readFile(path.join(ctx.unpacked, 'package.json'), 'utf8'));
  if (m[1] !== manifest.version) return { status: 404, headers: cors, body: 'not found' };
  if (!m[2]) {
    const field = url.hostname === 'unpkg.com' ? manifest.unpkg : manifest.jsdelivr;
    if (!field) return { status: 404, headers: cors, body: 'no default file' };
    m[2] = field.replace(/^\.\//, '/');
  }
  const file = path.join(ctx.unpacked, m[2]);
  if (!file.startsWith(ctx.unpacked + path.sep) || !existsSync(file)) return { status: 404, headers: cors, body: 'not found' };
  return { status: 200, headers: { ...cors, 'content-type': 'text/javascript; charset=utf-8' }, body: await readFile(file) };
}

/** The snippet site's page with its standalone <script> replaced by `script`, in a fresh copy. */
async function cdnPage(name, script) {
  const dir = path.join(ctx.work, name);
  await cp(path.join(SITES, 'snippet'), dir, { recursive: true });
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const local = /<script src="node_modules\/convertro-analytics-plugin\/dist\/convertro\.standalone\.js"><\/script>/;
  assert.match(html, local);
  await writeFile(path.join(dir, 'index.html'), html.replace(local, script));
  return dir;
}

/** The README's CDN <script> tags (from the packed README, as a user reads it). */
async function readmeScripts() {
  const readme = await readFile(path.join(ctx.unpacked, 'README.md'), 'utf8');
  return [...readme.matchAll(/<script src="(https:\/\/(?:unpkg\.com|cdn\.jsdelivr\.net)\/[^"]+)"\s+integrity="([^"]+)"\s+crossorigin="anonymous"><\/script>/g)]
    .map(([tag, src, integrity]) => ({ tag, src, integrity }));
}

test('CDN: the README\'s unpkg and jsDelivr <script> tags carry the packed standalone build\'s sha384 and the package version', async () => {
  const scripts = await readmeScripts();
  const { version } = JSON.parse(await readFile(path.join(ctx.unpacked, 'package.json'), 'utf8'));
  assert.deepEqual(scripts.map((s) => new URL(s.src).hostname).sort(), ['cdn.jsdelivr.net', 'unpkg.com']);
  const hash = sha384(await readFile(path.join(ctx.unpacked, 'dist/convertro.standalone.js')));
  for (const s of scripts) {
    assert.equal(s.integrity, hash, `${s.src}: integrity is the packed file's hash`);
    assert.ok(s.src.includes(`convertro-analytics-plugin@${version}/`), `${s.src} pins version ${version}`);
  }
});

for (const host of ['unpkg.com', 'cdn.jsdelivr.net']) {
  test(`CDN (${host}): Segment's snippet and the README's <script> with integrity: identify and Order Completed reach the tag; window.ConvertroIntegration is defined too`, { timeout: 120000 }, async () => {
    const { tag } = (await readmeScripts()).find((s) => new URL(s.src).hostname === host);
    const dir = await cdnPage(`cdn-${host}`, tag);
    const v = await visit(dir, '/', { route: cdn, inspect: GLOBALS });
    assertVisit(v, { wasmFetched: false });
    assert.deepEqual(v.inspected, ['function', 'function', 'Convertro', 'function']);
  });
}

test('CDN: the bare URLs (no file path) serve the standalone build, which defines window.convertro and window.ConvertroIntegration', { timeout: 120000 }, async () => {
  const { version } = JSON.parse(await readFile(path.join(ctx.unpacked, 'package.json'), 'utf8'));
  for (const src of [`https://unpkg.com/convertro-analytics-plugin@${version}`, `https://cdn.jsdelivr.net/npm/convertro-analytics-plugin@${version}`]) {
    const dir = await cdnPage(`cdn-bare-${new URL(src).hostname}`, `<script src="${src}"></script>`);
    const v = await visit(dir, '/', { route: cdn, inspect: GLOBALS });
    assert.deepEqual(v.received, EXPECTED, src);
    assert.deepEqual(v.inspected, ['function', 'function', 'Convertro', 'function'], src);
    assert.deepEqual(v.errors, [], src);
    assert.deepEqual(v.blocked, [], src);
  }
});

test('CDN: a wrong integrity hash is refused by the browser: the script does not run and nothing reaches Convertro', { timeout: 120000 }, async () => {
  const { tag, integrity } = (await readmeScripts()).find((s) => new URL(s.src).hostname === 'unpkg.com');
  const wrong = sha384(Buffer.from('not the standalone build'));
  assert.notEqual(wrong, integrity);
  const dir = await cdnPage('cdn-wrong-hash', tag.replace(integrity, wrong));
  const server = await startStatic(dir);
  const context = await ctx.browser.newContext();
  try {
    const seen = await answerOutside(context, dir, cdn);
    const tab = await context.newPage();
    const console = [];
    tab.on('console', (m) => console.push(m.text()));
    await tab.goto(server.origin + '/', { waitUntil: 'load' });
    await tab.waitForFunction(() => window.analytics?.initialized === true, null, { timeout: 15000 });
    assert.ok(seen.own.length > 0, 'the page asked the CDN for the script');
    assert.deepEqual(await tab.evaluate(() => [typeof window.convertro, typeof window.ConvertroIntegration, window.__cvoReceived?.length ?? 0]), ['undefined', 'undefined', 0]);
    assert.ok(console.some((text) => /integrity/i.test(text)), `the browser said why: ${console.join(' | ')}`);
  } finally {
    await context.close();
    await server.close();
  }
});
