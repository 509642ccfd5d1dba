// The benchmark's server: the tests' static server (tests/support/server.mjs)
// with no caching and cross-origin isolation headers, so that
// performance.now() has its finest resolution in the page. `/__blank` is an
// empty page of that origin for the bench to run in.
import { startServer } from '../tests/support/server.mjs';

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Starts serving `root`, and each of `mounts` ({ '/prefix/': dir }) from its
 * own folder; resolves to { origin, close() }.
 */
export function serve(root, mounts = {}) {
  return startServer(root, { headers: HEADERS, mounts, pages: { '/__blank': '<!doctype html><meta charset="utf-8"><title>bench</title>' } });
}
