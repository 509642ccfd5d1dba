// A tiny static HTTP server for the end-to-end tests: serves the repository
// root on 127.0.0.1 (a random free port) with the right MIME types,
// application/wasm included, and no caching.
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

/** Starts the server; resolves to `{ origin, close() }`. */
export function startServer(root = ROOT) {
  const server = createServer(async (req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return res.writeHead(400).end('bad request');
    }
    const file = path.join(root, pathname.endsWith('/') ? pathname + 'index.html' : pathname);
    if (file !== root && !file.startsWith(root + path.sep)) return res.writeHead(403).end('forbidden');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': mimeType(file), 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      origin: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
    }));
  });
}
