// A client-only plugin (the .client suffix): analytics runs in the browser.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';

export default defineNuxtPlugin(() => {
  const analytics = new AnalyticsBrowser();
  convertro({ account: 'acme', hybridAttributionModel: true }).then((plugin) =>
    analytics.load({ writeKey: 'SITES_WRITE_KEY', plugins: [plugin] }),
  );
  analytics.page();
  analytics.identify('user-1', { email: 'ada@example.com', plan: 'pro' });
  return { provide: { analytics } };
});
