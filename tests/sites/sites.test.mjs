// Real websites, tested: packs this package with `npm pack`, installs the
// tarball into fresh copies of the fixture sites in tests/sites/<name>/ (each
// with its own npm packages, from the registry like any user's), builds them,
// and checks in headless Chromium that an identify and an Order Completed
// reach Convertro's tag (the local stand-in) through the real
// @segment/analytics-next. Every request to another host is answered locally
// (Segment's CDN and API, Convertro's tag) or aborted; the test checks that
// nothing was aborted, so nothing reaches the internet.
//
// Assumes `npm run build` has run (pkg/ and dist/ exist): the tarball is
// packed with --ignore-scripts so that packing does not rebuild.
// CONVERTRO_SITES_PACKAGE_DIR packs another directory instead of the repo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStatic, CHROMIUM, standInTag, segmentCdn } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SITES = path.join(ROOT, 'tests/sites');
const PACKAGE_DIR = process.env.CONVERTRO_SITES_PACKAGE_DIR || ROOT;
const TAG_URL = 'https://d1ivexoxmp59q7.cloudfront.net/acme/live.js';
// Next.js sends anonymous build telemetry unless told not to.
process.env.NEXT_TELEMETRY_DISABLED = '1';

// What every browser fixture sends: identify on page load, Order Completed
// ({ order_id: 'order-1', total: 42.5, repeat: false }) on the Buy button,
// with { account: 'acme', hybridAttributionModel: true }.
const EXPECTED = [
  ['trackUser', { email: 'ada@example.com', plan: 'pro', id: 'user-1' }],
  ['trackEvent', { type: 'sale.new', id: 'order-1', amount: 42.5 }],
  ['trackEvent', { type: 'sale', id: 'order-1', amount: 42.5 }],
];

let work;
let tarball;
let packed;
let browser;

function run(cmd, args, cwd, { ok = true } = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 << 20, env: process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      if (ok && code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code}\n${stdout}\n${stderr}`));
      } else {
        resolve({ code, stdout, stderr });
      }
    });
  });
}

const npm = (args, cwd, opts) => run('npm', args, cwd, opts);

/** A fresh copy of tests/sites/<name> with the tarball and its own packages installed (and built). */
async function site(name) {
  const dir = path.join(work, name);
  await cp(path.join(SITES, name), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], dir);
  const { scripts = {} } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  if (scripts.build) await npm(['run', 'build', '--silent'], dir);
  return dir;
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'convertro-sites-'));
  const out = path.join(work, 'pack');
  await mkdir(out);
  const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], PACKAGE_DIR);
  const [info] = JSON.parse(stdout);
  tarball = path.join(out, info.filename);
  packed = info.files.map((f) => f.path);
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  if (work && !process.env.CONVERTRO_SITES_KEEP) await rm(work, { recursive: true, force: true });
});

test('publint and arethetypeswrong find no problem in the packed tarball', { timeout: 120000 }, async () => {
  const publint = await run(path.join(ROOT, 'node_modules/.bin/publint'), ['run', '--strict', tarball], ROOT, { ok: false });
  assert.equal(publint.code, 0, publint.stdout + publint.stderr);
  assert.match(publint.stdout, /All good!/);
  // The package is ESM only (its loader finds the wasm through import.meta.url):
  // attw's esm-only profile leaves out what that means for require() callers.
  const attw = await run(path.join(ROOT, 'node_modules/.bin/attw'), ['--profile', 'esm-only', '--format', 'table-flipped', tarball], ROOT, { ok: false });
  assert.equal(attw.code, 0, attw.stdout + attw.stderr);
  assert.doesNotMatch(attw.stdout, /❌|💀|🐛|❗️/);
});

test('npm publish --dry-run lists exactly the files a site needs', async () => {
  const { stdout } = await npm(['publish', '--dry-run', '--ignore-scripts', '--json'], PACKAGE_DIR);
  const info = JSON.parse(stdout);
  const files = (info.files ?? Object.values(info)[0].files).map((f) => f.path).sort();
  assert.deepEqual(files, [
    'CHANGELOG.md', 'LICENSE', 'README.md', 'dist/convertro.standalone.js', 'js/index.d.ts', 'js/index.js',
    'js/standalone.d.ts', 'package.json', 'pkg/convertro.js', 'pkg/convertro_bg.wasm',
  ]);
  const manifest = JSON.parse(await readFile(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  assert.equal(manifest.license, 'MIT');
  assert.match(await readFile(path.join(PACKAGE_DIR, 'LICENSE'), 'utf8'), /^MIT License/);
});

test('the tarball ships the module, its types, the wasm and the standalone build', async () => {
  for (const file of ['js/index.js', 'js/index.d.ts', 'js/standalone.d.ts', 'pkg/convertro.js', 'pkg/convertro_bg.wasm', 'dist/convertro.standalone.js']) {
    assert.ok(packed.includes(file), `${file} is not in the packed tarball (package.json "files"; run npm run build first): ${packed.join(', ')}`);
  }
  const manifest = JSON.parse(await readFile(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.exports?.['./standalone'], { types: './js/standalone.d.ts', default: './dist/convertro.standalone.js' }, 'package.json exports "./standalone", with its types');
});

/**
 * Opens `page` of a site served from `dir` with every outside host answered
 * locally, waits for the identify, clicks Buy, and returns what the stand-in
 * tag recorded plus what else happened.
 */
async function visit(dir, page = '/', { origin } = {}) {
  // A site's own server (`origin`), or a static host for `dir`.
  const server = origin ? { origin, close: async () => {} } : await startStatic(dir);
  const context = await browser.newContext();
  const blocked = [];
  const segmentApi = [];
  const wasm = [];
  try {
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      if (url.href === TAG_URL) return route.fulfill({ contentType: 'text/javascript', body: await standInTag() });
      if (url.hostname === 'api.segment.io') {
        segmentApi.push(url.pathname);
        return route.fulfill({ contentType: 'application/json', body: '{}' });
      }
      const cdn = url.hostname === 'cdn.segment.com' && (await segmentCdn(url, dir));
      if (cdn) return route.fulfill(cdn);
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (err) => errors.push(err.message));
    tab.on('response', (res) => {
      if (new URL(res.url()).pathname.endsWith('.wasm')) wasm.push({ status: res.status(), type: res.headers()['content-type'] });
    });
    await tab.goto(server.origin + page);
    const count = () => tab.evaluate(() => (Array.isArray(window.__cvoReceived) ? window.__cvoReceived.length : -1));
    await tab.waitForFunction(() => window.__cvoReceived?.length >= 1, null, { timeout: 15000 })
      .catch(async () => assert.fail(`the identify never reached the tag (received: ${await count()}, page errors: ${errors.join('; ') || 'none'}, blocked: ${blocked.join(' ') || 'none'})`));
    await tab.click('#buy');
    await tab.waitForFunction((n) => window.__cvoReceived.length >= n, EXPECTED.length, { timeout: 15000 })
      .catch(async () => assert.fail(`Order Completed never reached the tag (received: ${await count()})`));
    await tab.waitForTimeout(300); // anything extra would show up now
    const received = await tab.evaluate(() => JSON.parse(JSON.stringify(window.__cvoReceived)));
    return { received, errors, blocked, segmentApi, wasm };
  } finally {
    await context.close();
    await server.close();
  }
}

function assertVisit(v, { wasmFetched }) {
  assert.deepEqual(v.received, EXPECTED);
  assert.deepEqual(v.errors, [], 'no page errors');
  assert.deepEqual(v.blocked, [], 'every outside request was answered locally');
  assert.ok(v.segmentApi.includes('/v1/i') && v.segmentApi.includes('/v1/t'), `analytics.js sent identify and track to Segment too: ${v.segmentApi}`);
  if (wasmFetched) {
    assert.deepEqual(v.wasm, [{ status: 200, type: 'application/wasm' }], 'the wasm was fetched once, from the site');
  } else {
    assert.deepEqual(v.wasm, [], 'no wasm fetched (it is inlined)');
  }
}

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
