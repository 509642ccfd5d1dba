// Settings: convertro(settings) rejects bad settings with an Error whose
// message names the bad setting; good settings (with Segment's extras) give a
// plugin; tagUrl and nonce change how the tag is loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, openPage } from '../support/harness.mjs';

// [what is wrong, settings, the setting the message must name]
const BAD = [
  ['settings are null', null, 'settings'],
  ['settings are a string', 'acme', 'settings'],
  ['no account', {}, 'account'],
  ['empty account', { account: '' }, 'account'],
  ['account with a space', { account: 'acme corp' }, 'account'],
  ['account with a slash', { account: 'acme/../evil' }, 'account'],
  ['account a number', { account: 42 }, 'account'],
  ['events a string', { account: 'acme', events: 'Signed Up' }, 'events'],
  ['events value a number', { account: 'acme', events: { 'Signed Up': 3 } }, 'events'],
  ['events value empty', { account: 'acme', events: { 'Signed Up': '' } }, 'events'],
  ['events entry value missing', { account: 'acme', events: [{ key: 'Signed Up' }] }, 'events'],
  ['events entry key a number', { account: 'acme', events: [{ key: 5, value: 'x' }] }, 'events'],
  ['events entry a number', { account: 'acme', events: [7] }, 'events'],
  ['events entry an array', { account: 'acme', events: [['Signed Up', 'signup']] }, 'events'],
  ['hybridAttributionModel a string', { account: 'acme', hybridAttributionModel: 'true' }, 'hybridAttributionModel'],
  ['hybridAttributionModel a number', { account: 'acme', hybridAttributionModel: 1 }, 'hybridAttributionModel'],
  ['tagUrl javascript:', { account: 'acme', tagUrl: 'javascript:alert(1)' }, 'tagUrl'],
  ['tagUrl data:', { account: 'acme', tagUrl: 'data:text/javascript,alert(1)' }, 'tagUrl'],
  ['tagUrl protocol-relative', { account: 'acme', tagUrl: '//evil.example/live.js' }, 'tagUrl'],
  ['tagUrl relative', { account: 'acme', tagUrl: 'live.js' }, 'tagUrl'],
  ['tagUrl ftp:', { account: 'acme', tagUrl: 'ftp://example.com/live.js' }, 'tagUrl'],
  ['tagUrl a number', { account: 'acme', tagUrl: 5 }, 'tagUrl'],
  ['nonce a number', { account: 'acme', nonce: 123 }, 'nonce'],
];

const GOOD = [
  ['account only', { account: 'acme' }],
  ['account with _ - .', { account: 'acme_shop-eu.1' }],
  ["Segment's full settings object with extras", {
    account: 'acme', clientName: 'Acme', siteId: '1234', domain: 'acme.com', hybridAttributionModel: false,
    events: [{ key: 'Signed Up', value: 'signup' }], versionSettings: { componentTypes: ['browser'] }, type: 'browser',
  }],
  ['events as an object', { account: 'acme', events: { 'Signed Up': 'signup' } }],
  ['events as an array of names', { account: 'acme', events: ['Signed Up'] }],
  ['empty events', { account: 'acme', events: [] }],
  ['tagUrl https', { account: 'acme', tagUrl: 'https://tags.acme.example/cvo/live.js' }],
  ['tagUrl a same-site path', { account: 'acme', tagUrl: '/convertro/live.js' }],
  ['nonce', { account: 'acme', nonce: 'r4nd0m' }],
];

forEachImpl((impl) => {
  test('bad settings are rejected with an Error naming the setting', async () => {
    const p = await openPage(impl, { analytics: false });
    try {
      const problems = [];
      for (const [what, settings, setting] of BAD) {
        const result = await p.makePlugin(settings);
        if (result.ok) problems.push(`${what}: accepted`);
        else if (!result.error.isError) problems.push(`${what}: rejected with a non-Error`);
        else if (!result.error.message.includes(setting)) problems.push(`${what}: message does not name \`${setting}\`: ${result.error.message}`);
        else if (result.error.message.length < setting.length + 20) problems.push(`${what}: message does not say what is expected: ${result.error.message}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await p.close();
    }
  });

  test('good settings give a plugin (extra keys ignored)', async () => {
    const p = await openPage(impl, { analytics: false });
    try {
      const problems = [];
      for (const [what, settings] of GOOD) {
        const result = await p.makePlugin(settings);
        if (!result.ok) problems.push(`${what}: rejected: ${result.error.message}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await p.close();
    }
  });

  test('a rejected plugin leaves the page without $CVO and without a tag script', async () => {
    const p = await openPage(impl, { analytics: false });
    try {
      await p.makePlugin({ account: 'bad account' });
      const state = await p.page.evaluate(() => ({ cvo: typeof window.$CVO, scripts: document.scripts.length }));
      assert.deepEqual(state, { cvo: 'undefined', scripts: 0 });
      assert.deepEqual(p.tagRequests, []);
    } finally {
      await p.close();
    }
  });
});
