// Browser side of load.test.mjs: bursts of events through the plugin's
// hooks, and the wasm instance's memory and externref table around them.
import { instanceExports } from '/pkg/convertro.js';
import { convertro } from '/js/index.js';

const SETTINGS = { account: 'acme', hybridAttributionModel: true, events: { 'Signed Up': 'signup', 'Product Added': 'cart' } };
const ctx = (event) => ({ event, log() {} });

/** The i-th event of a varied, realistic mix (identify, orders, mapped, unmapped, bad input). */
export function nth(i) {
  switch (i % 8) {
    case 0: return ['identify', ctx({ type: 'identify', userId: `user-${i}`, traits: { email: `u${i}@example.com`, plan: 'pro', n: i } })];
    case 1: return ['track', ctx({ type: 'track', event: 'Order Completed', properties: { order_id: `o-${i}`, total: i / 100, repeat: i % 3 === 0 } })];
    case 2: return ['track', ctx({ type: 'track', event: 'order_completed', properties: { orderId: i, revenue: `$${i}.99`, currency: 'USD', products: [{ sku: 'a' }] } })];
    case 3: return ['track', ctx({ type: 'track', event: 'Signed Up', properties: { id: `s-${i}` } })];
    case 4: return ['track', ctx({ type: 'track', event: 'productAdded', properties: { price: 3, quantity: 2 } })];
    case 5: return ['track', ctx({ type: 'track', event: 'Page Scrolled', properties: { depth: i } })];
    case 6: return ['track', ctx({ type: 'track', event: 'Order Completed', properties: null })];
    default: return ['identify', ctx({ type: 'identify', anonymousId: `a-${i}`, traits: { x: 1 } })];
  }
}

/** What the spec says event `i` sends, for the in-order delivery check. */
export function expectedFor(i) {
  switch (i % 8) {
    case 0: return [['trackUser', { email: `u${i}@example.com`, plan: 'pro', n: i, id: `user-${i}` }]];
    case 1: {
      const repeat = i % 3 === 0;
      return [['trackEvent', { type: repeat ? 'sale.repeat' : 'sale.new', id: `o-${i}`, amount: i / 100 }], ['trackEvent', { type: 'sale', id: `o-${i}`, amount: i / 100 }]];
    }
    case 2: return [['trackEvent', { type: 'sale', id: String(i), amount: Number(`${i}.99`) }]];
    case 3: return [['trackEvent', { type: 'signup', id: `s-${i}` }]];
    case 4: return [['trackEvent', { type: 'cart' }]];
    default: return [];
  }
}

export async function plugin() {
  return convertro(SETTINGS);
}

/** The wasm instance's memory and externref table (the one the plugin uses: call it after `plugin()`). */
export async function wasmParts() {
  const values = Object.values(instanceExports());
  return {
    memory: values.find((v) => v instanceof WebAssembly.Memory),
    table: values.find((v) => v instanceof WebAssembly.Table),
  };
}

/** Sends events `from` .. `to` (exclusive) through `p`'s hooks. */
export function send(p, from, to) {
  for (let i = from; i < to; i++) {
    const [hook, c] = nth(i);
    p[hook](c);
  }
}
