'use client';
// Analytics in a client component: the plugin is made and registered in an
// effect, which runs in the browser only (the module itself is also loaded
// on the server, to render the button: importing the package there is fine).
import { useEffect, useRef } from 'react';
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';

export default function Shop() {
  const analytics = useRef(null);
  useEffect(() => {
    let cancelled = false;
    convertro({ account: 'acme', hybridAttributionModel: true }).then((plugin) => {
      if (cancelled) return;
      analytics.current = AnalyticsBrowser.load({ writeKey: 'WRITE_KEY', plugins: [plugin] });
      analytics.current.identify('user-1', { email: 'ada@example.com', plan: 'pro' });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  const buy = () => analytics.current?.track('Order Completed', { order_id: 'order-1', total: 42.5, repeat: false });
  return (
    <button id="buy" type="button" onClick={buy}>
      Buy
    </button>
  );
}
