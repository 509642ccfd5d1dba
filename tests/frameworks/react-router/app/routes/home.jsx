import { useEffect } from 'react';
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';

const analytics = new AnalyticsBrowser();

export default function Home() {
  // An effect runs in the browser only.
  useEffect(() => {
    convertro({ account: 'acme', hybridAttributionModel: true }).then((plugin) =>
      analytics.load({ writeKey: 'SITES_WRITE_KEY', plugins: [plugin] }),
    );
    analytics.page();
    analytics.identify('user-1', { email: 'ada@example.com', plan: 'pro' });
  }, []);
  const buy = () => analytics.track('Order Completed', { order_id: 'order-1', total: 42.5, currency: 'EUR', repeat: false });
  return (
    <>
      <h1>Blue mug</h1>
      <button id="buy" onClick={buy}>Buy</button>
    </>
  );
}
