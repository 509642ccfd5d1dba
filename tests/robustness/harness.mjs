// Shared plumbing for the robustness suite (issue 5): one Chromium, one static
// server, pages on which every outside request is intercepted, the stand-in
// Convertro tag, and a recorder that turns each test's own outcome into a row
// of tests/robustness/RESULTS.md (see report.mjs).
//
// Not a test file itself (node --test only picks up *.test.mjs).
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as support from './support-bridge.mjs';

export const { ROOT, cdnTag } = support;
export const RESULTS_DIR = path.join(ROOT, 'tests/artifacts/robustness');

/** One server and one browser per test file (tests/support/harness.mjs), closed after the file's tests. */
export async function env() {
  const { server, browser } = await support.env();
  return { server, browser, origin: server.origin };
}

/**
 * A fresh page on the test server's origin. Every request is recorded; those
 * to the test server go through, `tags` ({ url: handler(route) }) answer the
 * tag URLs, and everything else is aborted (nothing leaves the machine).
 * `html` is the page's document, `headers` its response headers.
 */
export async function openPage({ tags = {}, html = BLANK, headers = {}, path: pagePath = '/__robustness/page.html' } = {}) {
  const { browser, origin } = await env();
  const context = await browser.newContext();
  const requests = [];
  const outside = [];
  const pageErrors = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === origin + pagePath) {
      return route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: html });
    }
    if (Object.hasOwn(tags, url)) return tags[url](route);
    if (url.startsWith(origin + '/')) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(origin + pagePath);
  return { context, page, origin, requests, outside, pageErrors, close: () => context.close() };
}

const BLANK = '<!doctype html><html><head><meta charset="utf-8"><title>robustness</title></head><body></body></html>';

/** The stand-in Convertro tag's source (records every command in window.__cvoReceived). */
export const standInTag = () => support.standInTag();

/** A route handler that serves the stand-in tag, optionally after `delayMs`. */
export function serveTag({ delayMs = 0, body } = {}) {
  return async (route) => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await route.fulfill({ status: 200, contentType: 'text/javascript', body: body ?? (await standInTag()) }).catch(() => {});
  };
}

/** The real @segment/analytics-next as a browser script exposing `AnalyticsBrowser` (a URL path on the test server). */
export const analyticsNextPath = () => support.analyticsNextPath();

// ---------------------------------------------------------------- results

/**
 * Starts this file's section of the results: clears what an earlier run of
 * the same file recorded. Each row is one test: what was tried and what
 * happened, with the test's own verdict.
 */
export function section(file, title) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, path.basename(file).replace(/\.test\.mjs$/, '.jsonl'));
  rmSync(out, { force: true });
  return {
    /** Records one row; `ok` false marks a failing check (a bug to report). */
    row(tried, happened, ok = true) {
      appendFileSync(out, JSON.stringify({ section: title, tried, happened, ok }) + '\n');
    },
  };
}
