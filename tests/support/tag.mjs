// How a test answers requests for Convertro's tag: the stand-in served at
// once or after a delay, a 404, a blocked request (as by an ad blocker), or
// left hanging. Each answer is a proxy handler `(req, res) => …`
// (tests/support/proxy.mjs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** The stand-in tag's source (tests/support/stand-in-tag.js). */
export const standInSource = () => readFileSync(path.join(ROOT, 'tests/support/stand-in-tag.js'), 'utf8');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers with JavaScript `body`. */
export const script = (res, body) => res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(body);

/** Serves the stand-in tag (or `body`), optionally after `delayMs`. */
export function serveTag({ delayMs = 0, body } = {}) {
  return async (req, res) => {
    if (delayMs) await sleep(delayMs);
    script(res, body ?? standInSource());
  };
}

/** Answers 404 Not Found. */
export const notFound = () => (req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');

/** Drops the connection, as an ad blocker does: the browser sees a network error. */
export const blocked = () => (req) => req.socket.destroy();

/**
 * Serves the stand-in (or the `body` given to `release(body)`) only once
 * `release()` is called (a tag that is slow for as long as the test wants). Returns `{ handler, release, requested }`:
 * `requested` resolves when the browser has asked for the tag.
 */
export function heldTag() {
  let release;
  let requestedResolve;
  const released = new Promise((resolve) => { release = resolve; });
  const requested = new Promise((resolve) => { requestedResolve = resolve; });
  const handler = async (req, res) => {
    requestedResolve();
    const body = await released;
    script(res, body ?? standInSource());
  };
  return { handler, release, requested };
}
