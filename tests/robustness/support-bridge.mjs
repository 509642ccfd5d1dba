// What the robustness suite takes from the shared e2e support (tests/support):
// the static server, Chromium's launch options, the stand-in tag and the
// analytics-next bundle. Kept in one place so the suite has a single seam.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../support/paths.mjs';
import { LAUNCH_OPTIONS } from '../support/browser.mjs';
import { analyticsBundle } from '../support/analytics-bundle.mjs';

export { startServer } from '../support/server.mjs';

/** playwright-core launch options for the system Chromium. */
export const LAUNCH = LAUNCH_OPTIONS;

/** The stand-in for Convertro's tag (tests/support/stand-in-tag.js). */
export function standInTag() {
  return readFile(path.join(ROOT, 'tests/support/stand-in-tag.js'), 'utf8');
}

/** The real @segment/analytics-next bundled as a classic script defining window.AnalyticsBrowser. */
export function analyticsNextPath() {
  return analyticsBundle();
}
