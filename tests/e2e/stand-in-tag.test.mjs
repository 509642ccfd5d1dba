// The stand-in for Convertro's tag behaves like the real one, so the other
// tests can trust what it records: it adopts the existing $CVO array, drains
// it in order, handles later pushes at once, defines trackEvent / trackUser,
// and records deep copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, cdnTag, addScript, forEachEngine } from '../support/harness.mjs';

forEachEngine((engine) => {
const impl = { name: 'page only', module: null, engine }; // no plugin on these pages

/** Loads the stand-in tag from the CDN URL (intercepted) and waits for it. */
const loadTag = (page) => addScript(page, cdnTag('acme'));

test('the stand-in tag adopts, drains and then handles $CVO pushes at once, recording copies', async () => {
  const p = await openPage(impl, { analytics: false });
  try {
    await p.page.evaluate(() => {
      window.$CVO = [['trackUser', { id: 'u-1' }], ['trackEvent', { type: 'sale', id: '1' }]];
      window.__pagesQueue = window.$CVO;
    });
    await loadTag(p.page);
    const r = await p.page.evaluate(() => {
      const queue = window.__pagesQueue;
      const payload = { type: 'later', id: '2' };
      const drained = JSON.parse(JSON.stringify(window.__cvoReceived));
      window.$CVO.push(['trackEvent', payload]);
      payload.id = 'mutated after the push';
      const afterPush = window.__cvoReceived.length;
      window.$CVO.trackUser({ id: 'u-2' });
      return {
        sameArray: window.$CVO === queue,
        leftInQueue: queue.length,
        functions: [typeof window.$CVO.trackEvent, typeof window.$CVO.trackUser],
        drained,
        afterPush,
        all: JSON.parse(JSON.stringify(window.__cvoReceived)),
      };
    });
    assert.equal(r.sameArray, true);
    assert.equal(r.leftInQueue, 0);
    assert.deepEqual(r.functions, ['function', 'function']);
    assert.deepEqual(r.drained, [['trackUser', { id: 'u-1' }], ['trackEvent', { type: 'sale', id: '1' }]]);
    assert.equal(r.afterPush, 3, 'a later push is handled at once');
    assert.deepEqual(r.all.slice(2), [['trackEvent', { type: 'later', id: '2' }], ['trackUser', { id: 'u-2' }]]);
  } finally {
    await p.close();
  }
});

test('the stand-in tag creates $CVO when the page has none', async () => {
  const p = await openPage(impl, { analytics: false });
  try {
    await loadTag(p.page);
    const r = await p.page.evaluate(() => {
      window.$CVO.push(['trackEvent', { type: 'x' }]);
      return { isArray: Array.isArray(window.$CVO), received: window.__cvoReceived };
    });
    assert.deepEqual(r, { isArray: true, received: [['trackEvent', { type: 'x' }]] });
  } finally {
    await p.close();
  }
});
});
