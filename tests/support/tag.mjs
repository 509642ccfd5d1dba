// How a test answers requests for Convertro's tag: the stand-in served at
// once or after a delay, a 404, a blocked request (as by an ad blocker), or
// left hanging. Each answer is a playwright route handler.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** The stand-in tag's source (tests/support/stand-in-tag.js). */
export const standInSource = () => readFileSync(path.join(ROOT, 'tests/support/stand-in-tag.js'), 'utf8');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves the stand-in tag, optionally after `delayMs`. */
export function serveTag({ delayMs = 0 } = {}) {
  return async (route) => {
    if (delayMs) await sleep(delayMs);
    // The page may be gone by then: nothing to answer.
    await route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: standInSource() }).catch(() => {});
  };
}

/** Answers 404 Not Found. */
export const notFound = () => (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' }).catch(() => {});

/** Aborts the request, as an ad blocker does. */
export const blocked = () => (route) => route.abort('blockedbyclient').catch(() => {});

/**
 * Serves the stand-in only once `release()` is called (a tag that is slow
 * for as long as the test wants). Returns `{ handler, release, requested }`:
 * `requested` resolves when the browser has asked for the tag.
 */
export function heldTag() {
  let release;
  let requestedResolve;
  const released = new Promise((resolve) => { release = resolve; });
  const requested = new Promise((resolve) => { requestedResolve = resolve; });
  const handler = async (route) => {
    requestedResolve();
    await released;
    await route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: standInSource() }).catch(() => {});
  };
  return { handler, release, requested };
}
