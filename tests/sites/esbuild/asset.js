// The wasm by its package path, through esbuild's `file` loader (the
// `--loader:.wasm=file` of the build): esbuild copies it into dist/ and
// gives its URL, which goes to options.wasm. The main entry, no /inline.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin';
import wasm from 'convertro-analytics-plugin/convertro_bg.wasm';

const analytics = new AnalyticsBrowser();
convertro({ account: 'acme', hybridAttributionModel: true }, { wasm: new URL(wasm, import.meta.url) }).then((plugin) =>
  analytics.load({ writeKey: 'SITES_WRITE_KEY', plugins: [plugin] }),
);

analytics.page();
analytics.identify('user-1', { email: 'ada@example.com', plan: 'pro' });

document.getElementById('buy').addEventListener('click', () => {
  analytics.track('Order Completed', { order_id: 'order-1', total: 42.5, currency: 'EUR', repeat: false });
});
