// Other track events: sent only when mapped in `events` (object, array of
// { key, value }, array of names), names matched the way Segment matches them,
// one trackEvent per mapped type in mapping order, id / amount when present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withPage, trackEvent } from '../support/harness.mjs';

const FORMS = {
  'an object': { 'Signed Up': 'signup', 'Added Product': 'cart' },
  'an array of { key, value }': [{ key: 'Signed Up', value: 'signup' }, { key: 'Added Product', value: 'cart' }],
};

forEachImpl((impl) => {
  for (const [form, events] of Object.entries(FORMS)) {
    test(`events as ${form}: mapped events are sent with their Convertro type, unmapped ones are not`, async () => {
      await withPage(impl, { account: 'acme', events }, async (p) => {
        await p.send(
          ['track', 'Signed Up', { plan: 'pro' }],
          ['track', 'Viewed Page', { order_id: 'x', total: 1 }],
          ['track', 'Added Product', { sku: 'p-1', revenue: 12 }],
          ['track', 'Checkout Started', { total: 5 }],
        );
        assert.deepEqual(await p.received(), [
          trackEvent({ type: 'signup' }),
          trackEvent({ type: 'cart', amount: 12 }),
        ]);
      });
    });
  }

  test('events as an array of names: each name maps to itself', async () => {
    await withPage(impl, { account: 'acme', events: ['Signed Up', 'newsletter'] }, async (p) => {
      await p.send(['track', 'signed_up'], ['track', 'Newsletter'], ['track', 'Other']);
      assert.deepEqual(await p.received(), [trackEvent({ type: 'Signed Up' }), trackEvent({ type: 'newsletter' })]);
    });
  });

  test('names match as Segment\'s to-no-case normalises them: case, punctuation runs, camelCase', async () => {
    const names = ['Signed Up', 'signed up', 'SIGNED UP', 'signed_up', 'signed-up', 'signed.up', 'signedUp', 'SignedUp', 'signed__-Up', 'Signed/Up', '_Signed_Up_'.slice(1)];
    await withPage(impl, { account: 'acme', events: { signed_up: 'signup' } }, async (p) => {
      await p.send(...names.map((name) => ['track', name]));
      // Not matched by Segment either: no trimming, double spaces kept, capital runs split.
      await p.send(['track', 'Signed Up Twice'], ['track', 'SignedUpx'], ['track', 'Signed'], ['track', ' Signed Up'], ['track', 'Signed  Up'], ['track', 'SignedUP']);
      assert.deepEqual(await p.received(), names.map(() => trackEvent({ type: 'signup' })));
    });
  });

  test('one name mapped to several types sends one trackEvent per type, in mapping order', async () => {
    const events = [
      { key: 'Signed Up', value: 'signup' },
      { key: 'Viewed Pricing', value: 'pricing' },
      { key: 'signed_up', value: 'lead' },
      { key: 'SignedUp', value: 'registration' },
    ];
    await withPage(impl, { account: 'acme', events }, async (p) => {
      await p.send(['track', 'Signed Up', { id: 'u-9' }]);
      assert.deepEqual(await p.received(), [
        trackEvent({ type: 'signup', id: 'u-9' }),
        trackEvent({ type: 'lead', id: 'u-9' }),
        trackEvent({ type: 'registration', id: 'u-9' }),
      ]);
    });
  });

  test('mapped events carry id and amount by the same rules as orders', async () => {
    await withPage(impl, { account: 'acme', events: { 'Subscription Started': 'subscription' } }, async (p) => {
      await p.send(
        ['track', 'Subscription Started', { id: 'sub-1', total: '$9.99' }],
        ['track', 'Subscription Started', { orderId: 42, revenue: 0 }],
        ['track', 'Subscription Started', { id: '', order_id: 'o-7', total: 'n/a', revenue: '19' }],
        ['track', 'Subscription Started', { plan: 'pro' }],
        ['track', 'Subscription Started', { repeat: true, total: 3 }], // repeat means nothing here
      );
      assert.deepEqual(await p.received(), [
        trackEvent({ type: 'subscription', id: 'sub-1', amount: 9.99 }),
        trackEvent({ type: 'subscription', id: '42', amount: 0 }),
        trackEvent({ type: 'subscription', id: 'o-7', amount: 19 }),
        trackEvent({ type: 'subscription' }),
        trackEvent({ type: 'subscription', amount: 3 }),
      ]);
    });
  });

  test('a mapped event without properties is still sent', async () => {
    await withPage(impl, { account: 'acme', events: { 'Signed Up': 'signup' } }, async (p) => {
      await p.send(['track', 'Signed Up']);
      await p.page.evaluate(() => window.e2e.plugin.track({ event: { type: 'track', event: 'Signed Up' }, log() {} }));
      await p.page.evaluate(() => window.e2e.plugin.track({ event: { type: 'track', event: 'Signed Up', properties: 'oops' }, log() {} }));
      assert.deepEqual(await p.received(), [trackEvent({ type: 'signup' }), trackEvent({ type: 'signup' }), trackEvent({ type: 'signup' })]);
    });
  });

  test('without an events mapping only Order Completed is sent', async () => {
    await withPage(impl, { account: 'acme' }, async (p) => {
      await p.send(
        ['track', 'Signed Up', { id: 'u' }],
        ['track', 'Product Viewed', { total: 1, order_id: 'x' }],
        ['page'],
        ['group', 'g-1', { name: 'Acme' }],
        ['alias', 'new-id'],
        ['track', 'Order Completed', { order_id: 'o-1' }],
      );
      assert.deepEqual(await p.received(), [trackEvent({ type: 'sale', id: 'o-1' })]);
    });
  });
});
