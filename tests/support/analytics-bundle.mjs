// The real @segment/analytics-next and @segment/analytics-consent-tools from
// npm, bundled by esbuild for the browser into
// tests/support/dist/analytics-next.js (git-ignored): a classic script that
// sets window.AnalyticsBrowser and window.ConsentTools ({ createWrapper }).
// Built when missing or older than the installed packages.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

export const BUNDLE_PATH = '/tests/support/dist/analytics-next.js';
const OUT = path.join(ROOT, BUNDLE_PATH);
const PACKAGE_JSONS = ['analytics-next', 'analytics-consent-tools'].map((p) => path.join(ROOT, `node_modules/@segment/${p}/package.json`));

let building;

function upToDate() {
  return existsSync(OUT) && PACKAGE_JSONS.every((p) => existsSync(p) && statSync(OUT).mtimeMs >= statSync(p).mtimeMs);
}

/** Builds the bundle if needed; resolves to its URL path on the test server. */
export function analyticsBundle() {
  building ??= (async () => {
    if (upToDate()) return BUNDLE_PATH;
    const { build } = await import('esbuild');
    mkdirSync(path.dirname(OUT), { recursive: true });
    const tmp = `${OUT}.${process.pid}.tmp`;
    await build({
      stdin: {
        contents: [
          "import { AnalyticsBrowser } from '@segment/analytics-next';",
          "import { createWrapper } from '@segment/analytics-consent-tools';",
          'window.AnalyticsBrowser = AnalyticsBrowser;',
          'window.ConsentTools = { createWrapper };',
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      logLevel: 'error',
      outfile: tmp,
    });
    renameSync(tmp, OUT); // atomic: another test process never reads half a file
    return BUNDLE_PATH;
  })();
  return building;
}
