// The browser-side pieces the sites test needs: a static server, Chromium's
// launch options and the stand-in for Convertro's tag (all three from the
// shared support in tests/support), and answers for Segment's CDN.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { ROOT } from '../support/paths.mjs';

export { LAUNCH_OPTIONS as CHROMIUM } from '../support/browser.mjs';

/** Serves `dir` on 127.0.0.1 (any free port), like any static host: `/` is index.html. */
export const startStatic = (dir) => startServer(dir);

/** The stand-in tag's source (tests/support/stand-in-tag.js). */
export { standInSource as standInTag } from '../support/tag.mjs';

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
