// The browser-side pieces the sites test needs: a static server, Chromium's
// launch options, the stand-in for Convertro's tag and answers for Segment's
// CDN. The stand-in comes from tests/support/stand-in-tag.js (the shared e2e
// harness) when it exists.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` on 127.0.0.1 (any free port), like any static host: `/` is index.html. */
export function startStatic(dir) {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    const file = path.join(dir, decodeURIComponent(pathname).replace(/\/$/, '/index.html'));
    if (!file.startsWith(dir + path.sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => server.close(done)),
    }));
  });
}

// A stand-in that behaves like Convertro's tag: adopts the $CVO queue, runs
// what was queued, runs later pushes at once, defines trackEvent/trackUser,
// and records every command in window.__cvoReceived as [name, payload].
const FALLBACK_TAG = `(function () {
  var received = window.__cvoReceived = window.__cvoReceived || [];
  var queue = window.$CVO = window.$CVO || [];
  function run(command) {
    if (!command || typeof command.length !== 'number') return;
    received.push(Array.prototype.slice.call(command));
  }
  queue.trackEvent = function (payload) { run(['trackEvent', payload]); };
  queue.trackUser = function (payload) { run(['trackUser', payload]); };
  var queued = queue.splice(0, queue.length);
  queue.push = function () { for (var i = 0; i < arguments.length; i++) run(arguments[i]); return 0; };
  for (var i = 0; i < queued.length; i++) run(queued[i]);
})();
`;

const SHARED_TAG = path.join(ROOT, 'tests/support/stand-in-tag.js');

/** The stand-in tag's source. */
export async function standInTag() {
  return existsSync(SHARED_TAG) ? readFile(SHARED_TAG, 'utf8') : FALLBACK_TAG;
}

/** The real @segment/analytics-next from npm: the site's own copy, else the repo's devDependency. */
function analyticsNext(siteDir) {
  for (const base of [siteDir, path.join(siteDir, '..'), ROOT]) {
    const dir = path.join(base, 'node_modules/@segment/analytics-next');
    if (existsSync(dir)) return dir;
  }
  throw new Error('@segment/analytics-next is not installed');
}

/**
 * Answers a request to Segment's CDN (https://cdn.segment.com) as the CDN
 * would for a source with no device-mode destinations, or returns undefined:
 * - /v1/projects/{writeKey}/settings: the source's settings;
 * - /analytics.js/v1/{writeKey}/analytics.min.js: analytics.js 2.0's standalone
 *   build (what Segment's snippet loads);
 * - /analytics-next/bundles/{chunk}: the lazily loaded chunks of the browser builds.
 */
export async function segmentCdn(url, siteDir) {
  let m;
  if ((m = /^\/v1\/projects\/([^/]+)\/settings$/.exec(url.pathname))) {
    const settings = {
      integrations: { 'Segment.io': { apiKey: m[1], apiHost: 'api.segment.io/v1', addBundledMetadata: true } },
      plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
      edgeFunction: {},
      analyticsNextEnabled: true,
      middlewareSettings: {},
      enabledMiddleware: {},
      metrics: { sampleRate: 0 },
      legacyVideoPluginsEnabled: false,
      remotePlugins: [],
    };
    return { contentType: 'application/json', body: JSON.stringify(settings) };
  }
  const umd = path.join(analyticsNext(siteDir), 'dist/umd');
  if (/^\/analytics\.js\/v1\/[^/]+\/analytics\.min\.js$/.test(url.pathname)) {
    return { contentType: 'text/javascript', body: await readFile(path.join(umd, 'standalone.js')) };
  }
  if ((m = /^\/analytics-next\/bundles\/([\w.-]+\.js)$/.exec(url.pathname)) && existsSync(path.join(umd, m[1]))) {
    return { contentType: 'text/javascript', body: await readFile(path.join(umd, m[1])) };
  }
  return undefined;
}
