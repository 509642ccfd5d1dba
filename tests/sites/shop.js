// What every bundler site's page does, copied into each site by the test
// (tests/sites/kit.mjs): the site's own main.js only imports (that is where
// the bundlers differ) and calls shop(). identify at load; Order Completed on
// the Buy button; the plugin with { account: 'acme', hybridAttributionModel: true }.
export function shop(AnalyticsBrowser, convertro, options) {
  const analytics = new AnalyticsBrowser();
  convertro({ account: 'acme', hybridAttributionModel: true }, options).then((plugin) =>
    analytics.load({ writeKey: 'SITES_WRITE_KEY', plugins: [plugin] }),
  );

  analytics.page();
  analytics.identify('user-1', { email: 'ada@example.com', plan: 'pro' });

  document.getElementById('buy').addEventListener('click', () => {
    analytics.track('Order Completed', { order_id: 'order-1', total: 42.5, currency: 'EUR', repeat: false });
  });
}
