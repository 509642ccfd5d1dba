// How long an Order Completed takes from analytics.track() to Convertro's
// queue ($CVO.push), through the real analytics-next, on both ways of
// installing: the classic source built from app-shaped settings
// (`classicIntegrations: [ConvertroIntegration]`) and the plain plugin.
// - at page load: in a fresh page, the track call right after
//   AnalyticsBrowser.load (for the plugin, once convertro() has resolved,
//   as a site must await it), median over fresh pages;
// - warm: later tracks on a page that has sent before, median.
// The tag is a same-origin script that loads and leaves $CVO alone
// (bench/empty-tag.js, given as tagUrl): the queue is where the plugin's
// work ends, and a tag that failed would make analytics-next drop the plugin.
import { cdnSettings } from '../tests/support/app-settings.mjs';

/** The page-side measurement (run with page.evaluate). */
async function measure({ path, cdn, warmCount }) {
  const hits = [];
  window.$CVO = [];
  const push = window.$CVO.push;
  window.$CVO.push = function (...args) {
    hits.push(performance.now());
    return push.apply(this, args);
  };
  const { convertro, ConvertroIntegration } = await import('/js/index.js');
  const tagUrl = '/bench/empty-tag.js';
  const first = () => new Promise((resolve) => {
    const poll = () => (hits.length ? resolve(hits[0]) : setTimeout(poll, 0));
    poll();
  });
  let analytics;
  let t0;
  if (path === 'classic') {
    analytics = window.AnalyticsBrowser.load({ writeKey: 'bench', cdnSettings: cdn, classicIntegrations: [ConvertroIntegration] }, { integrations: { 'Segment.io': false, Convertro: { tagUrl } } });
    t0 = performance.now();
  } else {
    const plugin = await convertro({ ...cdn.integrations.Convertro, tagUrl });
    analytics = window.AnalyticsBrowser.load({ writeKey: 'bench', cdnSettings: { integrations: {} }, plugins: [plugin] }, { integrations: { 'Segment.io': false } });
    t0 = performance.now();
  }
  analytics.track('Order Completed', { order_id: 'first', total: 10 });
  const atLoad = (await first()) - t0;
  await analytics.ready();
  const warm = [];
  for (let i = 0; i < warmCount; i++) {
    const before = hits.length;
    const t = performance.now();
    await analytics.track('Order Completed', { order_id: `warm-${i}`, total: i });
    while (hits.length === before) await new Promise((r) => setTimeout(r, 0));
    warm.push(hits[before] - t);
  }
  return { atLoad, warm };
}

/**
 * `pages` fresh pages per path, each measuring once at load and `warmCount`
 * times warm. `newPage()` gives a fresh { page, context } on the bench's
 * origin with the analytics-next bundle at `bundle`.
 */
export async function trackToQueue(newPage, { bundle, pages, warmCount }) {
  const cdn = cdnSettings();
  const out = { classic: { atLoad: [], warm: [] }, plugin: { atLoad: [], warm: [] } };
  for (let i = 0; i < pages; i++) {
    for (const path of i % 2 ? ['plugin', 'classic'] : ['classic', 'plugin']) {
      const { page, context } = await newPage();
      try {
        await page.addScriptTag({ url: bundle });
        const r = await page.evaluate(measure, { path, cdn, warmCount });
        out[path].atLoad.push(r.atLoad);
        out[path].warm.push(...r.warm);
      } finally {
        await context.close();
      }
    }
  }
  return out;
}
