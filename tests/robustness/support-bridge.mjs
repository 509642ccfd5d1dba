// What the robustness suite takes from the shared e2e support (tests/support):
// the static server, Chromium's launch options, the stand-in tag and the
// analytics-next bundle. Kept in one place so the suite has a single seam.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
};

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

export function startServer() {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    const file = path.join(ROOT, decodeURIComponent(pathname));
    if (!file.startsWith(ROOT + path.sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }),
  })));
}

const SHARED_TAG = path.join(ROOT, 'tests/support/stand-in-tag.js');

// Until tests/support/stand-in-tag.js exists: the same behaviour (adopts the
// $CVO queue, drains it, runs later pushes at once, defines trackEvent /
// trackUser, records every command in window.__cvoReceived).
const FALLBACK_TAG = `(function () {
  var received = window.__cvoReceived = window.__cvoReceived || [];
  var queue = window.$CVO = window.$CVO || [];
  function run(command) { received.push(Array.prototype.slice.call(command)); }
  queue.trackEvent = function (payload) { run(['trackEvent', payload]); };
  queue.trackUser = function (payload) { run(['trackUser', payload]); };
  var queued = queue.splice(0, queue.length);
  queue.push = function () { for (var i = 0; i < arguments.length; i++) run(arguments[i]); return 0; };
  for (var i = 0; i < queued.length; i++) run(queued[i]);
})();
`;

export async function standInTag() {
  return existsSync(SHARED_TAG) ? readFile(SHARED_TAG, 'utf8') : FALLBACK_TAG;
}

const BUNDLE = 'tests/artifacts/robustness/analytics-next.js';
let bundling;

/** The real @segment/analytics-next bundled by esbuild into a classic script defining window.AnalyticsBrowser. */
export function analyticsNextPath() {
  bundling ??= (async () => {
    const { build } = await import('esbuild');
    mkdirSync(path.join(ROOT, path.dirname(BUNDLE)), { recursive: true });
    await build({
      stdin: { contents: "import { AnalyticsBrowser } from '@segment/analytics-next'; window.AnalyticsBrowser = AnalyticsBrowser;", resolveDir: ROOT },
      bundle: true, format: 'iife', platform: 'browser', target: 'es2020', minify: true, logLevel: 'error',
      outfile: path.join(ROOT, BUNDLE),
    });
    return '/' + BUNDLE;
  })();
  return bundling;
}
