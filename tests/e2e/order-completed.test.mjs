// Order Completed → ['trackEvent', { type: sale | sale.new | sale.repeat, id, amount }]:
// which names count, the order id (preference, key spelling, number → string),
// the amount (total, else revenue; numbers and "$" strings), repeat and the
// hybrid attribution model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withPage, trackEvent } from '../support/harness.mjs';

const SETTINGS = { account: 'acme' };
const sale = (id, amount, type = 'sale') => trackEvent(amount === undefined ? { type, id } : { type, id, amount });

forEachImpl((impl) => {
  test('Order Completed with order_id and total sends one sale', async () => {
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(['track', 'Order Completed', { order_id: 'A-1', total: 99.5, currency: 'USD', products: [{ sku: 'x' }] }]);
      assert.deepEqual(await p.received(), [sale('A-1', 99.5)]);
    });
  });

  test('every spelling of Order Completed and Completed Order is an order', async () => {
    const names = [
      'Order Completed', 'order completed', 'ORDER COMPLETED', 'order_completed', 'OrderCompleted', 'orderCompleted',
      'Completed Order', 'completed_order', 'CompletedOrder', ' Order Completed', 'Order Completed ', '_order_completed_',
    ];
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(...names.map((name, i) => ['track', name, { order_id: `o-${i}` }]));
      assert.deepEqual(await p.received(), names.map((_, i) => sale(`o-${i}`)));
    });
  });

  test('names that only look like Order Completed send nothing', async () => {
    const names = [
      'Order Completed Refund', 'Order Refunded', 'Order', 'Completed', 'Order  Completed', 'Order-Completed',
      'Order.Completed', '  Order Completed', 'Order Completed__', 'Order Complete', 'Orders Completed', 'xOrder Completed',
    ];
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(...names.map((name) => ['track', name, { order_id: 'nope', total: 1 }]));
      await p.send(['track', 'Order Completed', { order_id: 'last' }]); // proves the page still sends
      assert.deepEqual(await p.received(), [sale('last')]);
    });
  });

  test('the order id: the first truthy of id, order_id / orderId, any key spelling, numbers sent as strings', async () => {
    const cases = [
      [{ id: 'by-id', order_id: 'by-order-id' }, 'by-id'],
      [{ order_id: 'by-order-id', id: 'by-id' }, 'by-id'],
      [{ orderId: 'camel' }, 'camel'],
      [{ OrderID: 'upper' }, 'upper'],
      [{ 'order-id': 'dashed' }, 'dashed'],
      [{ ID: 'caps' }, 'caps'],
      [{ order_id: 12345 }, '12345'],
      [{ id: 1.5 }, '1.5'],
      [{ id: '', order_id: 'fallback-from-empty' }, 'fallback-from-empty'],
      [{ id: null, orderId: 'fallback-from-null' }, 'fallback-from-null'],
      [{ id: 0, orderId: 'fallback-from-zero' }, 'fallback-from-zero'],
      [{ id: false, order_id: 'fallback-from-false' }, 'fallback-from-false'],
      [{ order_id: -7 }, '-7'],
      [{ order_id: 'first-spelling', orderId: 'second-spelling' }, 'first-spelling'],
    ];
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(...cases.map(([props]) => ['track', 'Order Completed', props]));
      assert.deepEqual(await p.received(), cases.map(([, id]) => sale(id)));
    });
  });

  test('Order Completed without a usable order id sends nothing', async () => {
    const cases = [{}, { total: 10 }, { id: '' }, { order_id: null }, { orderId: true }, { order_id: ['x'] }, { orderNumber: 'n-1' }, { id: 0 }, { id: { nested: 1 }, order_id: 'o' }, { 'order.id': 'o' }];
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(...cases.map((props) => ['track', 'Order Completed', props]));
      await p.page.evaluate(() => window.e2e.plugin.track({ event: { type: 'track', event: 'Order Completed', properties: { order_id: Number.NaN } }, log() {} }));
      await p.page.evaluate(() => window.e2e.plugin.track({ event: { type: 'track', event: 'Order Completed' }, log() {} }));
      await p.send(['track', 'Order Completed', { order_id: 'last' }]);
      assert.deepEqual(await p.received(), [sale('last')]);
    });
  });

  test('the amount: total, else revenue; numbers, 0, "$" strings; unusable values left out', async () => {
    const cases = [
      [{ total: 50.99 }, 50.99],
      [{ total: '$50.99' }, 50.99],
      [{ total: '1,000' }, 1], // parseFloat reads the leading number
      [{ total: 0 }, 0],
      [{ total: '0' }, 0],
      [{ revenue: 20 }, 20],
      [{ total: 5, revenue: 20 }, 5],
      [{ revenue: 20, total: 5 }, 5],
      [{ total: 'free', revenue: '$7.25' }, 7.25],
      [{ total: null, revenue: 3 }, 3],
      [{ Total: 12 }, 12],
      [{ total: 'abc' }, undefined],
      [{ total: '' }, undefined],
      [{ total: 'Infinity' }, undefined],
      [{ total: '1e400' }, undefined],
      [{ total: true }, undefined],
      [{ total: { value: 3 } }, undefined],
      [{ subtotal: 8, value: 9, price: 10 }, undefined],
    ];
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(...cases.map(([props], i) => ['track', 'Order Completed', { order_id: `o-${i}`, ...props }]));
      assert.deepEqual(await p.received(), cases.map(([, amount], i) => sale(`o-${i}`, amount)));
    });
  });

  test('repeat: true → sale.repeat, false → sale.new, anything else → sale', async () => {
    const cases = [
      [{ repeat: true }, 'sale.repeat'],
      [{ repeat: false }, 'sale.new'],
      [{}, 'sale'],
      [{ repeat: null }, 'sale'],
      [{ repeat: 'true' }, 'sale'],
      [{ repeat: 1 }, 'sale'],
      [{ Repeat: true }, 'sale.repeat'],
    ];
    await withPage(impl, SETTINGS, async (p) => {
      await p.send(...cases.map(([props], i) => ['track', 'Order Completed', { order_id: `o-${i}`, total: 10, ...props }]));
      assert.deepEqual(await p.received(), cases.map(([, type], i) => sale(`o-${i}`, 10, type)));
    });
  });

  test('hybridAttributionModel: a sale follows sale.new / sale.repeat, but not a plain sale', async () => {
    await withPage(impl, { ...SETTINGS, hybridAttributionModel: true }, async (p) => {
      await p.send(
        ['track', 'Order Completed', { order_id: 'r', total: 30, repeat: true }],
        ['track', 'Order Completed', { order_id: 'n', total: '$40', repeat: false }],
        ['track', 'Order Completed', { order_id: 'u', total: 50 }],
        ['track', 'Order Completed', { order_id: 's', repeat: 'true' }],
      );
      assert.deepEqual(await p.received(), [
        sale('r', 30, 'sale.repeat'), sale('r', 30, 'sale'),
        sale('n', 40, 'sale.new'), sale('n', 40, 'sale'),
        sale('u', 50),
        sale('s'),
      ]);
    });
  });

  test('hybridAttributionModel: false sends only sale.new / sale.repeat', async () => {
    await withPage(impl, { ...SETTINGS, hybridAttributionModel: false }, async (p) => {
      await p.send(
        ['track', 'Order Completed', { order_id: 'r', repeat: true }],
        ['track', 'Order Completed', { order_id: 'n', repeat: false }],
      );
      assert.deepEqual(await p.received(), [sale('r', undefined, 'sale.repeat'), sale('n', undefined, 'sale.new')]);
    });
  });

  test('the events mapping does not apply to Order Completed', async () => {
    await withPage(impl, { ...SETTINGS, events: { 'Order Completed': 'purchase', 'Completed Order': 'purchase' } }, async (p) => {
      await p.send(['track', 'Order Completed', { order_id: 'o-1', total: 10 }], ['track', 'Completed Order', { order_id: 'o-2' }]);
      assert.deepEqual(await p.received(), [sale('o-1', 10), sale('o-2')]);
    });
  });

  test("track never modifies the event's properties", async () => {
    await withPage(impl, { ...SETTINGS, hybridAttributionModel: true }, async (p) => {
      const props = await p.page.evaluate(async () => {
        const properties = { order_id: 777, total: '$12.50', repeat: false, products: [{ sku: 'a', price: 12.5 }] };
        await window.e2e.analytics.track('Order Completed', properties);
        return JSON.parse(JSON.stringify(properties));
      });
      assert.deepEqual(props, { order_id: 777, total: '$12.50', repeat: false, products: [{ sku: 'a', price: 12.5 }] });
      assert.deepEqual(await p.received(), [sale('777', 12.5, 'sale.new'), sale('777', 12.5)]);
    });
  });
});
