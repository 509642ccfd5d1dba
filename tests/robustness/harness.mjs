// Shared plumbing for the robustness suite (issue 5), in every engine: pages
// from the shared support (tests/support/pages.mjs: one server, one proxy and
// one browser per engine per file, every outside request recorded and
// refused unless routed), the stand-in Convertro tag, and a recorder that
// turns each test's own outcome into a row of tests/robustness/RESULTS.md
// (see report.mjs).
//
// Not a test file itself (node --test only picks up *.test.mjs).
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { open, closeBrowser, ENGINES } from '../support/pages.mjs';
import { analyticsBundle } from '../support/analytics-bundle.mjs';
import { ROOT } from '../support/paths.mjs';

export { ROOT, cdnTag } from '../support/paths.mjs';
export { serveTag, standInSource as standInTag } from '../support/tag.mjs';
export { addScript, waitFor } from '../support/driver.mjs';
export const RESULTS_DIR = path.join(ROOT, 'tests/artifacts/robustness');

/** The engine whose tests are running (rows are recorded for it). */
let engine;

/** One describe block per engine; `body(engine)`. */
export function forEachEngine(body) {
  for (const e of ENGINES) {
    describe(e, () => {
      before(() => { engine = e; });
      after(() => closeBrowser(e));
      body(e);
    });
  }
}

/**
 * A fresh page in `engine`. `tags` ({ url: handler }) answer those outside
 * URLs; `route(url, handler)` adds one later (a URL on the test server
 * too); everything else outside is refused and recorded in `outside`.
 * `html` is the page's document, `headers` its response headers.
 * `requests()` lists every URL the page asked for: the test server's and
 * outside ones.
 */
export async function openPage(engine, { tags = {}, html, headers = {} } = {}) {
  const routes = { ...tags };
  const opened = await open(engine, { html, headers, route: (url) => routes[url] });
  return {
    ...opened,
    route(url, handler) {
      if (url.startsWith(opened.origin + '/')) opened.serve(url.slice(opened.origin.length), handler);
      else routes[url] = handler;
    },
    requests: () => [...opened.served().map((p) => opened.origin + p), ...opened.routed, ...opened.outside],
  };
}

/** The real @segment/analytics-next as a browser script exposing `AnalyticsBrowser` (a URL path on the test server). */
export const analyticsNextPath = () => analyticsBundle();

// ---------------------------------------------------------------- results

/**
 * Starts this file's section of the results: clears what an earlier run of
 * the same file recorded. Each row is one check in one engine: what was
 * tried and what happened, with the test's own verdict.
 */
export function section(file, title) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, path.basename(file).replace(/\.test\.mjs$/, '.jsonl'));
  rmSync(out, { force: true });
  return {
    /** Records one row; `ok` false marks a failing check (a bug to report). */
    row(tried, happened, ok = true) {
      appendFileSync(out, JSON.stringify({ section: title, engine: engine ?? 'none', tried, happened, ok }) + '\n');
    },
  };
}
