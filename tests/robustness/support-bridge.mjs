// What the robustness suite takes from the shared e2e support (tests/support):
// one static server and one Chromium per test file, the stand-in tag and the
// analytics-next bundle. Kept in one place so the suite has a single seam.
import { analyticsBundle } from '../support/analytics-bundle.mjs';

export { env } from '../support/harness.mjs';

/** The stand-in for Convertro's tag (tests/support/stand-in-tag.js). */
export { standInSource as standInTag } from '../support/tag.mjs';

export { ROOT, cdnTag } from '../support/paths.mjs';

/** The real @segment/analytics-next bundled as a classic script defining window.AnalyticsBrowser. */
export function analyticsNextPath() {
  return analyticsBundle();
}
