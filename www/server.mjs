// The demo's dev server: a dependency-free Node static server (esbuild is
// the only package it uses, to bundle the demo) on 127.0.0.1.
//
//   node www/server.mjs            # PORT=8080 by default
//
// It serves
//   /                      www/index.html (and www/*.css)
//   /dist/app.js           www/app.js bundled by esbuild with the real
//                          @segment/analytics-next and this package imported
//                          from ../js/index.js (so the current `npm run build`)
//   /pkg/convertro_bg.wasm the built wasm: js/index.js fetches it from
//                          new URL('../pkg/convertro_bg.wasm', import.meta.url),
//                          which from /dist/app.js is this path
//   /stand-in/live.js      tests/support/stand-in-tag.js, the local stand-in
//                          for Convertro's live.js (the demo's default tagUrl)
// The bundle is rebuilt (incrementally) on every page load, so edits to www/
// or a new `npm run build` show on reload.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { mimeType } from '../tests/support/server.mjs';

const WWW = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WWW, '..');
const DIST = path.join(WWW, 'dist');
const STAND_IN = process.env.CVO_STAND_IN || path.join(ROOT, 'tests', 'support', 'stand-in-tag.js');

/** Maps a URL path to a file, or null (only these roots are served). */
function resolveFile(pathname) {
  if (pathname === '/' || pathname === '/index.html') return path.join(WWW, 'index.html');
  if (pathname === '/stand-in/live.js') return STAND_IN;
  if (pathname === '/pkg/convertro_bg.wasm') return path.join(ROOT, 'pkg', 'convertro_bg.wasm');
  const inside = (dir, rel) => {
    const file = path.resolve(dir, '.' + path.posix.normalize('/' + rel));
    return file.startsWith(dir + path.sep) ? file : null;
  };
  if (pathname.startsWith('/dist/')) return inside(DIST, pathname.slice('/dist'.length));
  if (/^\/[\w.-]+\.(css|svg)$/.test(pathname)) return inside(WWW, pathname);
  return null;
}

/** Starts esbuild (incremental) and the HTTP server; resolves to { url, server, close }. */
export async function startServer({ port = Number(process.env.PORT ?? 8080), host = '127.0.0.1', quiet = false } = {}) {
  const ctx = await esbuild.context({
    entryPoints: [path.join(WWW, 'app.js')],
    outdir: DIST,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    sourcemap: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  let building = ctx.rebuild();
  await building; // fail fast when the bundle can't be made (e.g. pkg/ not built)

  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      if (pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (pathname === '/' || pathname === '/index.html') building = ctx.rebuild();
      if (pathname.startsWith('/dist/')) await building;
      const file = resolveFile(pathname);
      if (!file || !(await stat(file).catch(() => null))?.isFile()) {
        const hint = file === STAND_IN ? ' (the stand-in tag is missing: ' + path.relative(ROOT, STAND_IN) + ')' : '';
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: ' + pathname + hint + '\n');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': mimeType(file),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      if (!quiet) console.error('demo server:', pathname, err.message ?? err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(err.message ?? err) + '\n');
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}/`;
  const close = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections?.();
    await closed;
    await ctx.dispose();
  };
  return { url, server, close };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { url, close } = await startServer();
    console.log(`Convertro demo: ${url}  (Ctrl-C to stop)`);
    const stop = () => close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    console.error('demo server failed to start:', err.errors?.map((e) => e.text).join('\n') || err.message || err);
    process.exit(1);
  }
}
