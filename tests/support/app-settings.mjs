// Settings as Segment's CDN gives them for a source (GET
// https://cdn.segment.com/v1/projects/<writeKey>/settings), with Convertro
// enabled in device mode: what analytics-next reads as `cdnSettings`. The
// Convertro entry is tests/fixtures/settings/segment-app.json, the object the
// app keeps for the destination.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** The app's settings object for Convertro (the fixture). */
export const appConvertro = () => JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/settings/segment-app.json'), 'utf8'));

/**
 * A source's settings with `convertro` as its Convertro entry (leave it out
 * for a source where Convertro is not enabled). `consentCategories` are the
 * source's consent categories (`consentSettings.allCategories`);
 * `routingRules` its destination filters.
 */
export function cdnSettings({ convertro = appConvertro(), consentCategories, routingRules } = {}) {
  const integrations = { 'Segment.io': { apiKey: 'test-key', apiHost: 'api.segment.io/v1', addBundledMetadata: true, versionSettings: { version: '4.4.7', componentTypes: ['browser'] } } };
  if (convertro) integrations.Convertro = convertro;
  return {
    integrations,
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: routingRules ? { routingRules } : {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
    ...(consentCategories ? { consentSettings: { allCategories: consentCategories, hasUnmappedDestinations: false } } : {}),
  };
}
