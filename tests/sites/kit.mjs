// The machinery of the site tests (tests/sites/sites.test.mjs) and of
// `npm run test:frameworks` (tests/frameworks/frameworks.mjs): packs this
// package with `npm pack`, installs the tarball into fresh copies of fixture
// sites (each with its own npm packages, from the registry like any user's),
// builds them, and visits them in headless Chromium, where every request to
// another host is answered locally (Segment's CDN and API, Convertro's tag)
// or aborted, and recorded.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startStatic, CHROMIUM, standInTag, segmentCdn } from './harness.mjs';
import { ROOT } from '../support/paths.mjs';

export const PACKAGE_DIR = process.env.CONVERTRO_SITES_PACKAGE_DIR || ROOT;
const SITES = path.join(ROOT, 'tests/sites');
export const TAG_URL = 'https://d1ivexoxmp59q7.cloudfront.net/acme/live.js';
// Next.js and Nuxt send anonymous telemetry unless told not to; Angular asks.
process.env.NEXT_TELEMETRY_DISABLED = '1';
process.env.NUXT_TELEMETRY_DISABLED = '1';
process.env.NG_CLI_ANALYTICS = 'false';

// What every browser fixture sends: identify on page load, Order Completed
// ({ order_id: 'order-1', total: 42.5, repeat: false }) on the Buy button,
// with { account: 'acme', hybridAttributionModel: true }.
export const EXPECTED = [
  ['trackUser', { email: 'ada@example.com', plan: 'pro', id: 'user-1' }],
  ['trackEvent', { type: 'sale.new', id: 'order-1', amount: 42.5 }],
  ['trackEvent', { type: 'sale', id: 'order-1', amount: 42.5 }],
];

/** Runs a command (with `env`, default process.env); rejects on a non-zero exit unless ok: false. */
export function run(cmd, args, cwd, { ok = true, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 << 20, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      if (ok && code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code}\n${stdout}\n${stderr}`));
      } else {
        resolve({ code, stdout, stderr });
      }
    });
  });
}

export const npm = (args, cwd, opts) => run('npm', args, cwd, opts);

/**
 * Registers the before/after hooks of a suite of fixture sites in
 * `fixtures`, and returns its
 * context: `env` (the environment sites are installed and built with),
 * `work` (a temporary folder), `tarball`, `packed` (its file
 * list), `unpacked` (its files), `browser`, and the functions below.
 */
export function useSites(fixtures, { prepare } = {}) {
  // `prepare(ctx)` runs last in the before() hook (the frameworks suite sets ctx.env there).
  const ctx = { env: process.env };

  /** A fresh copy of <fixtures>/<name> with the tarball and its own packages installed (and built). */
  ctx.site = async (name) => {
    const dir = path.join(ctx.work, name);
    await cp(path.join(fixtures, name), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
    // The bundler sites' shared page script (tests/sites/shop.js), beside their main.js.
    const main = ['main.js', 'src/index.js'].find((file) => existsSync(path.join(dir, file)));
    if (fixtures === SITES && main) await cp(path.join(SITES, 'shop.js'), path.join(dir, path.dirname(main), 'shop.js'));
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ctx.tarball], dir, { env: ctx.env });
    const { scripts = {} } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    if (scripts.build) await npm(['run', 'build', '--silent'], dir, { env: ctx.env });
    return dir;
  };
  ctx.visit = (dir, page, options) => visit(ctx.browser, dir, page, options);

  before(async () => {
    ctx.work = await mkdtemp(path.join(tmpdir(), 'convertro-sites-'));
    const out = path.join(ctx.work, 'pack');
    await mkdir(out);
    const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], PACKAGE_DIR);
    const [info] = JSON.parse(stdout);
    ctx.tarball = path.join(out, info.filename);
    ctx.packed = info.files.map((f) => f.path);
    ctx.unpacked = path.join(ctx.work, 'unpacked');
    await mkdir(ctx.unpacked);
    await run('tar', ['-xzf', ctx.tarball, '-C', ctx.unpacked, '--strip-components=1'], ctx.work);
    ctx.browser = await chromium.launch(CHROMIUM);
    await prepare?.(ctx);
  });

  after(async () => {
    await ctx.browser?.close();
    if (ctx.work && !process.env.CONVERTRO_SITES_KEEP) await rm(ctx.work, { recursive: true, force: true });
  });
  return ctx;
}

/**
 * Answers every request `context` makes for another host: Convertro's tag
 * (the stand-in), what `own(url)` answers, Segment's API and CDN; aborts the
 * rest. Returns what it saw, filled in as requests come: `blocked` (aborted
 * URLs), `segmentApi` (paths asked of Segment's API), `own` (URLs `own`
 * answered).
 */
export async function answerOutside(context, dir, own) {
  const seen = { blocked: [], segmentApi: [], own: [] };
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    if (url.href === TAG_URL) return route.fulfill({ contentType: 'text/javascript', body: await standInTag() });
    const answer = await own?.(url);
    if (answer) {
      seen.own.push(url.href);
      return route.fulfill(answer);
    }
    if (url.hostname === 'api.segment.io') {
      seen.segmentApi.push(url.pathname);
      return route.fulfill({ contentType: 'application/json', body: '{}' });
    }
    const cdn = url.hostname === 'cdn.segment.com' && (await segmentCdn(url, dir));
    if (cdn) return route.fulfill(cdn);
    seen.blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  return seen;
}

/**
 * Opens, in `browser`, `page` of a site served from `dir` with every outside host answered
 * locally, waits for the identify, clicks Buy, and returns what the stand-in
 * tag recorded plus what else happened.
 */
export async function visit(browser, dir, page = '/', { origin, route: routeOwn, inspect = () => null } = {}) {
  // A site's own server (`origin`), or a static host for `dir`.
  const server = origin ? { origin, close: async () => {} } : await startStatic(dir);
  const context = await browser.newContext();
  const wasm = [];
  try {
    const { blocked, segmentApi } = await answerOutside(context, dir, routeOwn);
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
    // No fixed wait for "anything extra": a command pushed twice or by mistake
    // for this click arrives with the expected ones (one dispatch, one push
    // each), and the count above is `>=`, so the comparison below sees it.
    const received = await tab.evaluate(() => JSON.parse(JSON.stringify(window.__cvoReceived)));
    return { received, errors, blocked, segmentApi, wasm, inspected: await tab.evaluate(inspect) };
  } finally {
    await context.close();
    await server.close();
  }
}

/**
 * Checks a visit: exactly EXPECTED reached the tag, no page error, nothing
 * blocked, Segment got the events too, and the wasm was fetched
 * `wasmFetched` times (true: once; false: never, it is inside the JS).
 */
export function assertVisit(v, { wasmFetched }) {
  assert.deepEqual(v.received, EXPECTED);
  assert.deepEqual(v.errors, [], 'no page errors');
  assert.deepEqual(v.blocked, [], 'every outside request was answered locally');
  assert.ok(v.segmentApi.includes('/v1/i') && v.segmentApi.includes('/v1/t'), `analytics.js sent identify and track to Segment too: ${v.segmentApi}`);
  const times = wasmFetched === true ? 1 : wasmFetched || 0;
  assert.deepEqual(v.wasm, Array(times).fill({ status: 200, type: 'application/wasm' }),
    times ? `the wasm was fetched ${times === 1 ? 'once' : `${times} times`}, from the site` : 'no wasm fetched (it is inside the JS)');
}
