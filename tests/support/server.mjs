// The one static HTTP server of the tests and the benchmark: serves a folder
// (the repository root by default) on 127.0.0.1 (a random free port) with
// the right MIME types, application/wasm included, and no caching.
// - `headers`: sent with every response (the bench's cross-origin isolation);
// - `mounts`: { '/prefix/': dir } serves the paths under a prefix from another folder;
// - `pages`: { '/path': html } answers those paths with fixed HTML;
//   `server.page(path, html, headers)` adds one while it runs (a test's own
//   page, with its own headers, such as a Content-Security-Policy), and
//   `server.route(path, handler)` answers a path with `handler(req, res)`;
// - `server.requests` lists every URL asked for (path and query), in order.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './paths.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export const mimeType = (file) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Starts the server; resolves to `{ origin, close() }`. `/` and `dir/` are their index.html. */
export function startServer(root = ROOT, { headers = {}, mounts = {}, pages = {} } = {}) {
  const dynamic = new Map();
  const handlers = new Map();
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return res.writeHead(400, headers).end('bad request');
    }
    if (handlers.has(pathname)) return handlers.get(pathname)(req, res);
    if (dynamic.has(pathname)) {
      const { html, headers: own } = dynamic.get(pathname);
      return res.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...own }).end(html);
    }
    if (Object.hasOwn(pages, pathname)) {
      return res.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(pages[pathname]);
    }
    let base = root;
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (pathname.startsWith(prefix)) {
        base = dir;
        pathname = pathname.slice(prefix.length - 1);
      }
    }
    const file = path.join(base, pathname.endsWith('/') ? pathname + 'index.html' : pathname);
    if (file !== base && !file.startsWith(base + path.sep)) return res.writeHead(403, headers).end('forbidden');
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': mimeType(file), 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      origin: `http://127.0.0.1:${server.address().port}`,
      requests,
      /** Serves `html` (with `headers`) at `path` from now on. */
      page: (path, html, own = {}) => dynamic.set(path, { html, headers: own }),
      /** Answers `path` with `handler(req, res)` from now on. */
      route: (path, handler) => handlers.set(path, handler),
      close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
    }));
  });
}
