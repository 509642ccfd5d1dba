// The one way out of the test browsers: every engine is started with this
// local HTTP proxy (loopback bypasses it, so the test server is reached
// directly). It records every request that tries to leave the machine,
// answers the ones a test routes (Convertro's tag at its real CDN URL, a
// custom tagUrl, Segment's CDN for the sites test) and refuses the rest.
// https is answered too: CONNECT is accepted and the TLS terminated here
// with a self-signed certificate the browsers are told to accept
// (acceptInsecureCerts / ignoreHTTPSErrors), so the page sees the real
// https:// URL. Nothing is ever forwarded: no request reaches the network.
import http from 'node:http';
import tls from 'node:tls';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

const CERT_DIR = path.join(ROOT, 'tests/artifacts/tls');

/** A self-signed certificate for the proxy (made once with openssl, kept in tests/artifacts/). */
function certificate() {
  const key = path.join(CERT_DIR, 'key.pem');
  const cert = path.join(CERT_DIR, 'cert.pem');
  if (!existsSync(key) || !existsSync(cert)) {
    mkdirSync(CERT_DIR, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650',
      '-subj', '/CN=convertro-tests', '-addext', 'subjectAltName=DNS:*.cloudfront.net,DNS:*.example,DNS:*.segment.com,DNS:*.segment.io'], { stdio: 'ignore' });
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * Starts the proxy. Resolves to `{ port, use(request), background, close() }`.
 * `use(request)` sets what happens to the requests of the page being
 * tested: `request(url)` is called for each (it records it) and returns a
 * handler `(req, res) => …` (a node http request and response) that answers
 * it, or undefined to refuse it: the connection is destroyed, as for a
 * request an ad blocker blocks. Pages are tested one at a time per browser,
 * so the function in use when a request arrives is its page's.
 *
 * A request without Fetch Metadata (`Sec-Fetch-Dest`, which all three
 * engines put on every request a page makes) is the browser's own, such as
 * Chromium's component updater: it is refused and listed in `background`,
 * not given to the page's function.
 */
export async function startProxy() {
  let current = () => undefined;
  const background = [];
  const answer = (req, res, url) => {
    if (!('sec-fetch-dest' in req.headers)) {
      background.push(url);
      return req.socket.destroy();
    }
    const handler = current(url);
    if (!handler) return req.socket.destroy();
    Promise.resolve(handler(req, res)).catch(() => req.socket.destroy());
  };
  // Requests inside a CONNECT tunnel, after TLS: their URL is https://host/path.
  const inner = http.createServer((req, res) => answer(req, res, `https://${req.headers.host}${req.url}`));
  inner.on('clientError', (_, socket) => socket.destroy());
  const { key, cert } = certificate();
  const proxy = http.createServer((req, res) => answer(req, res, req.url));
  proxy.on('connect', (req, socket) => {
    socket.on('error', () => {});
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
    secure.on('error', () => socket.destroy());
    inner.emit('connection', secure);
  });
  proxy.on('clientError', (_, socket) => socket.destroy());
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: proxy.address().port,
    background,
    use(request) {
      current = request;
    },
    close: () => new Promise((done) => {
      proxy.closeAllConnections?.();
      inner.closeAllConnections?.();
      proxy.close(() => done());
    }),
  };
}
