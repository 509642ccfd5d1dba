// Builds Segment's own Convertro integration as the bench's peer (issue 24:
// per event, <= 0.3x Segment's integration), from a checkout of
// segmentio/analytics.js-integrations that the caller gives: it is not
// vendored here, and this machine's CI has no way to reach GitHub, so
// `npm run bench` measures it only when given one (`--segment <checkout>`).
//
// The integration's three dependencies, at the versions its package.json
// allows, and @segment/facade (the version installed here, the one
// analytics-next resolves) are installed from npm into a folder of their
// own; esbuild bundles the integration with a small adapter that does per
// event what analytics-next does for a classic destination that is ready:
// `new Track(event, { traverse: true })` (or Identify) and
// `integration.invoke('track', facade)`. analytics-next's own steps around
// it (destination middleware, its metrics) are left out, so the peer's
// figure is, if anything, low.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ADAPTER = `
import Convertro from 'convertro-integration';
import { Track, Identify } from '@segment/facade';

/** A peer plugin: { track, identify } hooks, as bench/page.js calls them. */
export function segment(settings) {
  const integration = new Convertro({
    account: settings.account,
    hybridAttributionModel: settings.hybridAttributionModel,
    events: settings.events,
  });
  integration.flush(); // ready: invoke calls the method at once, no tag
  return {
    track(ctx) {
      integration.invoke('track', new Track(ctx.event, { traverse: true }));
      return ctx;
    },
    identify(ctx) {
      integration.invoke('identify', new Identify(ctx.event, { traverse: true }));
      return ctx;
    },
  };
}
`;

/**
 * The peer's ES module, built from `checkout` (a clone of
 * segmentio/analytics.js-integrations) into a new temporary folder:
 * resolves to { dir, file, version } (the folder, which the caller removes;
 * the module in it; the integration's version).
 */
export async function segmentPeer(checkout) {
  const source = resolve(checkout, 'integrations/convertro');
  if (!existsSync(join(source, 'lib/index.js'))) throw new Error(`--segment ${checkout}: expected a checkout of segmentio/analytics.js-integrations (no integrations/convertro/lib/index.js)`);
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const work = await mkdtemp(join(tmpdir(), 'convertro-segment-peer-'));
  const facade = JSON.parse(readFileSync(new URL('../node_modules/@segment/facade/package.json', import.meta.url), 'utf8')).version;
  const deps = Object.entries(manifest.dependencies).map(([name, range]) => `${name}@${range}`);
  await writeFile(join(work, 'package.json'), '{"private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', ...deps, `@segment/facade@${facade}`], { cwd: work, stdio: 'inherit' });
  await writeFile(join(work, 'adapter.js'), ADAPTER);
  const file = join(work, 'segment-peer.js');
  await build({
    entryPoints: [join(work, 'adapter.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: file,
    alias: { 'convertro-integration': join(source, 'lib/index.js') },
    nodePaths: [join(work, 'node_modules')],
    // Browserify, which Segment built it with, gives CommonJS modules `global`.
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return { dir: work, file, version: manifest.version };
}
