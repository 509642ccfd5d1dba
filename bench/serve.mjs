// A minimal static file server for the benchmark: serves the repository root
// on 127.0.0.1 (a free port), with the right MIME types (application/wasm, so
// instantiateStreaming is used), no caching, and cross-origin isolation
// headers so that performance.now() has its finest resolution in the page.
// `/__blank` is an empty page of that origin for the bench to run in.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.map': 'application/json',
};

const HEADERS = {
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Starts serving `root`, and each of `mounts` ({ '/prefix/': dir }) from its
 * own folder; resolves to { origin, close() }.
 */
export function serve(root, mounts = {}) {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let base = root;
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (path.startsWith(prefix)) {
        base = dir;
        path = path.slice(prefix.length - 1);
      }
    }
    if (path === '/__blank') {
      res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES['.html'] });
      res.end('<!doctype html><meta charset="utf-8"><title>bench</title>');
      return;
    }
    const file = normalize(join(base, path));
    if (!file.startsWith(base + sep)) {
      res.writeHead(403, HEADERS).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, HEADERS).end();
    }
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }),
      });
    });
  });
}
