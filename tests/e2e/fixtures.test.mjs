// The fixture corpus (tests/fixtures/), run in the browser: each case's
// settings go to the plugin, its calls through the real analytics-next, and
// what Convertro's (stand-in) tag receives must be the case's `expected`:
// the same files and expectations as the native run (tests/fixtures.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, openPage } from '../support/harness.mjs';
import { CASES, toCall } from '../support/fixtures.mjs';

test('the corpus has cases of every kind', () => {
  assert.ok(CASES.length >= 20, `${CASES.length} cases`);
  assert.ok(CASES.some((c) => c.error) && CASES.some((c) => c.calls?.some((x) => x.type === 'identify')));
});

forEachImpl((impl) => {
  for (const c of CASES) {
    test(c.label, async () => {
      if (c.error) {
        const p = await openPage(impl);
        try {
          assert.deepEqual(await p.makePlugin(c.settings), { error: { isError: true, message: c.error } });
        } finally {
          await p.close();
        }
        return;
      }
      const p = await openPage(impl);
      try {
        // With consent categories the tag loads only after the first event
        // sent, so load() is not awaited up front.
        await p.start(c.settings, { waitForLoad: false });
        await p.send(...c.calls.map(toCall));
        if (c.expected.length > 0) assert.deepEqual(await p.loadOutcome(10000), { state: 'resolved' });
        assert.deepEqual(await p.received(), c.expected);
        assert.deepEqual(p.outside, []);
      } finally {
        await p.close();
      }
    });
  }
});
