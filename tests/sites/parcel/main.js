import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';

const analytics = new AnalyticsBrowser();
convertro({ account: 'acme', hybridAttributionModel: true }).then((plugin) =>
  analytics.load({ writeKey: 'SITES_WRITE_KEY', plugins: [plugin] }),
);

analytics.page();
analytics.identify('user-1', { email: 'ada@example.com', plan: 'pro' });

document.getElementById('buy').addEventListener('click', () => {
  analytics.track('Order Completed', { order_id: 'order-1', total: 42.5, currency: 'EUR', repeat: false });
});
