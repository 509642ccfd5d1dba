// The real @segment/analytics-next from npm, bundled by esbuild for the
// browser into tests/support/dist/analytics-next.js (git-ignored): a classic
// script that sets window.AnalyticsBrowser. Built when missing or older than
// the installed package.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

export const BUNDLE_PATH = '/tests/support/dist/analytics-next.js';
const OUT = path.join(ROOT, BUNDLE_PATH);
const PACKAGE_JSON = path.join(ROOT, 'node_modules/@segment/analytics-next/package.json');

let building;

function upToDate() {
  return existsSync(OUT) && existsSync(PACKAGE_JSON) && statSync(OUT).mtimeMs >= statSync(PACKAGE_JSON).mtimeMs;
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
        contents: "import { AnalyticsBrowser } from '@segment/analytics-next';\nwindow.AnalyticsBrowser = AnalyticsBrowser;\n",
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
