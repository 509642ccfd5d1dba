// Issue 5, "Security": only the configured tag URL is ever requested;
// `account` / `tagUrl` can't be bent into another origin or a javascript: /
// data: URL; a strict nonce-based CSP page works with the `nonce` setting;
// the package uses no eval / new Function; the only global it writes is $CVO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openPage, section, serveTag, cdnTag, analyticsNextPath, addScript, forEachEngine, ROOT } from './harness.mjs';

const results = section(import.meta.url, '5. Security');
const CDN = 'https://d1ivexoxmp59q7.cloudfront.net';
const TAG = cdnTag('acme');

/** The requests a page made, less the test's own files on the test server. */
function pluginRequests(requests, origin) {
  const own = ['/__page/', '/favicon.ico', '/tests/', '/js/index.js', '/js/wasm-source.js', '/pkg/convertro.js', '/pkg/convertro_bg.wasm'];
  return requests.filter((url) => !(url.startsWith(origin + '/') && own.some((p) => url.slice(origin.length).startsWith(p))));
}

forEachEngine((engine) => {
  test('only the configured tag URL is ever requested (default CDN URL and a custom tagUrl)', async (t) => {
    for (const [label, settings, tagUrl] of [
      ['default settings { account: "acme" }', { account: 'acme' }, TAG],
      ['tagUrl "https://tags.shop.example/cvo/live.js"', { account: 'acme', tagUrl: 'https://tags.shop.example/cvo/live.js' }, 'https://tags.shop.example/cvo/live.js'],
      ['tagUrl "/cvo/live.js" (same site)', { account: 'acme', tagUrl: '/cvo/live.js' }, null],
    ]) {
      await t.test(label, async () => {
        const opened = await openPage(engine, {});
        const resolved = tagUrl ?? `${opened.origin}/cvo/live.js`;
        // Answer the tag URL wherever it points.
        opened.route(resolved, serveTag());
        try {
          await addScript(opened.page, await analyticsNextPath());
          const received = await opened.page.evaluate(async (s) => {
            const { convertro } = await import('/js/index.js');
            const plugin = await convertro(s);
            const [analytics] = await window.AnalyticsBrowser.load(
              { writeKey: 'robustness-key', cdnSettings: { integrations: {} }, plugins: [plugin] },
              { integrations: { 'Segment.io': false } },
            );
            await analytics.identify('u-1', { email: 'a@b.c' });
            await analytics.track('Order Completed', { order_id: 'o-1', total: 5 });
            await analytics.page();
            await plugin.load();
            return window.__cvoReceived?.length ?? 0;
          }, settings);
          const made = pluginRequests(opened.requests(), opened.origin);
          const ok = JSON.stringify(made) === JSON.stringify([resolved]) && received === 2;
          results.row(`requests made by the plugin with ${label}`, ok ? `exactly one: ${resolved.replace(opened.origin, '<site>')}` : `FAILED: ${JSON.stringify(made)} (tag received ${received})`, ok);
          assert.deepEqual(made, [resolved]);
          assert.equal(received, 2);
        } finally {
          await opened.close();
        }
      });
    }
  });

  // Values that must be refused outright.
  const REJECTED = [
    ['tagUrl', 'javascript:alert(1)'],
    ['tagUrl', 'JavaScript:alert(1)'],
    ['tagUrl', ' javascript:alert(1)'],
    ['tagUrl', 'java\tscript:alert(1)'],
    ['tagUrl', 'data:text/javascript,alert(1)'],
    ['tagUrl', 'data:text/javascript;base64,YWxlcnQoMSk='],
    ['tagUrl', 'blob:https://evil.example/0b2c'],
    ['tagUrl', 'vbscript:msgbox(1)'],
    ['tagUrl', 'file:///etc/passwd'],
    ['tagUrl', 'ftp://evil.example/x.js'],
    ['tagUrl', '//evil.example/x.js'],
    ['tagUrl', '/\\evil.example/x.js'],
    ['tagUrl', '\\\\evil.example/x.js'],
    ['tagUrl', '/\t/evil.example/x.js'],
    ['tagUrl', '/\n/evil.example/x.js'],
    ['tagUrl', 'https:evil.example/x.js'],
    ['tagUrl', 'https:/evil.example/x.js'],
    ['tagUrl', 'https:\\\\evil.example/x.js'],
    ['tagUrl', 'https:///evil.example/x.js'],
    ['tagUrl', 'https://'],
    ['tagUrl', 'https://@evil.example/x.js'],
    ['tagUrl', 'evil.example/x.js'],
    ['tagUrl', 'x.js'],
    ['tagUrl', './x.js'],
    ['account', '../../evil'],
    ['account', '..'],
    ['account', '.'],
    ['account', 'acme/../../evil.example'],
    ['account', 'evil.example/x.js?'],
    ['account', '//evil.example'],
    ['account', 'acme?u=//evil.example'],
    ['account', 'acme#'],
    ['account', '%2e%2e'],
    ['account', 'acme\\..\\evil'],
    ['account', 'ac me'],
    ['account', 'acme\u0000'],
    ['account', '\uff0e\uff0e'],
    ['account', '@evil.example'],
    ['account', 'javascript:alert(1)'],
  ];

  // Odd but valid accounts: accepted, and the tag stays on Convertro's CDN, in the account's folder.
  const ACCEPTED_ACCOUNTS = ['.a', 'a..b', '...a', '-', '_', 'A.B-C_D', 'x'.repeat(128)];

  test('account / tagUrl cannot be bent into another origin or a javascript: / data: URL', async (t) => {
    const opened = await openPage(engine, {});
    try {
      const outcomes = await opened.page.evaluate(async ({ rejected, accepted }) => {
        const { convertro } = await import('/js/index.js');
        const out = { rejected: [], accepted: [] };
        for (const [key, value] of rejected) {
          const settings = key === 'account' ? { account: value } : { account: 'acme', tagUrl: value };
          const r = { key, value };
          try {
            const plugin = await convertro(settings);
            r.accepted = true;
            // load() injects the tag, if it does, before it returns.
            plugin.load().catch(() => {});
          } catch (error) {
            r.isError = error instanceof Error;
            r.message = String(error?.message);
          }
          r.scripts = [...document.scripts].filter((s) => s.src).map((s) => s.src);
          out.rejected.push(r);
        }
        for (const account of accepted) {
          for (const s of [...document.scripts]) if (s.src.includes('cloudfront')) s.remove();
          delete window.$CVO;
          const plugin = await convertro({ account });
          plugin.load().catch(() => {}); // injects the tag before it returns
          const srcs = [...document.scripts].filter((s) => s.src.includes('cloudfront')).map((s) => s.src);
          out.accepted.push({ account, srcs });
        }
        return out;
      }, { rejected: REJECTED, accepted: ACCEPTED_ACCOUNTS });

      for (const r of outcomes.rejected) {
        const tried = `\`${r.key}\`: ${JSON.stringify(r.value)}`;
        await t.test(`rejected: ${tried}`, () => {
          const problems = [];
          if (r.accepted) problems.push(`accepted; scripts on the page: ${JSON.stringify(r.scripts)}`);
          else if (!r.isError || !r.message.includes(`\`${r.key}\``)) problems.push(`rejected without an Error naming \`${r.key}\`: ${r.message}`);
          if (r.scripts.length) problems.push(`a script was added: ${r.scripts}`);
          results.row(tried, problems.length ? `FAILED: ${problems.join('; ')}` : `rejected: "${r.message.replace(/ \(got [\s\S]*$/, '')}"`, problems.length === 0);
          assert.deepEqual(problems, []);
        });
      }
      for (const r of outcomes.accepted) {
        const tried = `\`account\`: ${JSON.stringify(r.account.length > 20 ? `${r.account.slice(0, 8)}… (${r.account.length} chars)` : r.account)}`;
        await t.test(`accepted, stays on the CDN: ${tried}`, () => {
          const expected = `${CDN}/${r.account}/live.js`;
          const ok = r.srcs.length === 1 && r.srcs[0] === expected && new URL(r.srcs[0]).origin === CDN;
          results.row(tried, ok ? `accepted; tag ${new URL(r.srcs[0]).origin}/${r.account.length > 20 ? '…' : r.account}/live.js (on the CDN, in the account's folder)` : `FAILED: ${JSON.stringify(r.srcs)}`, ok);
          assert.deepEqual(r.srcs, [expected]);
        });
      }
      await t.test('nothing but the CDN was asked for', () => {
        const made = pluginRequests(opened.requests(), opened.origin);
        const elsewhere = made.filter((u) => !u.startsWith(CDN + '/'));
        results.row('all of the above: requests made', elsewhere.length ? `FAILED: ${elsewhere}` : `${made.length} requests, all to ${CDN}`, elsewhere.length === 0);
        assert.deepEqual(elsewhere, []);
      });
    } finally {
      await opened.close();
    }
  });

  // A page whose only scripts are nonce'd: the module that uses the plugin, and
  // a listener for CSP violations that runs first.
  const cspPage = (settings) => `<!doctype html><html><head><meta charset="utf-8">
  <script nonce="abc">
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    // Warnings, recorded by the page itself (WebKit's driver records the console only once the page has loaded).
    window.__warnings = [];
    const warn = console.warn;
    console.warn = (...args) => { window.__warnings.push(args.join(' ')); return warn.apply(console, args); };
  </script>
  <script nonce="abc" type="module">
    import { convertro } from '/js/index.js';
    window.__result = (async () => {
      const plugin = await convertro(${JSON.stringify(settings)});
      let load;
      try { await plugin.load(); load = 'resolved'; } catch (error) { load = 'rejected: ' + error.message; }
      plugin.identify({ event: { userId: 'csp-user', traits: {} }, log() {} });
      plugin.track({ event: { event: 'Order Completed', properties: { order_id: 'csp-1', total: 3 } }, log() {} });
      return { load, isLoaded: plugin.isLoaded(), received: window.__cvoReceived ?? null };
    })().catch((error) => ({ error: String(error) }));
  </script></head><body></body></html>`;
  const CSP = "script-src 'nonce-abc' 'wasm-unsafe-eval'";

  test('a strict nonce-based CSP page works with the nonce setting (and the tag is blocked without it)', async (t) => {
    for (const [label, settings, expectOk] of [
      ["with `nonce: 'abc'`", { account: 'acme', nonce: 'abc' }, true],
      ['without the nonce (control: the CSP is really enforced)', { account: 'acme' }, false],
    ]) {
      await t.test(label, async () => {
        const opened = await openPage(engine, { tags: { [TAG]: serveTag() }, html: cspPage(settings), headers: { 'content-security-policy': CSP } });
        try {
          const r = await opened.page.evaluate(() => window.__result);
          const violations = await opened.page.evaluate(() => window.__violations);
          const tried = `page with \`Content-Security-Policy: ${CSP}\`, ${label}`;
          let ok;
          let happened;
          if (expectOk) {
            const pageErrors = await opened.errors();
            ok = !r.error && r.load === 'resolved' && r.isLoaded && JSON.stringify(r.received) === JSON.stringify([['trackUser', { id: 'csp-user' }], ['trackEvent', { type: 'sale', id: 'csp-1', amount: 3 }]])
              && violations.length === 0 && pageErrors.length === 0;
            happened = ok ? 'wasm compiled, tag loaded, trackUser and trackEvent arrived, no CSP violation' : `FAILED: ${JSON.stringify({ r, violations, pageErrors })}`;
          } else {
            const warned = (await opened.page.evaluate(() => window.__warnings)).filter((text) => text.includes(TAG)).length;
            ok = !r.error && r.load === 'resolved' && warned === 1 && !r.isLoaded && violations.some((v) => v.startsWith('script-src') && v.includes(TAG));
            happened = ok ? 'tag blocked by the CSP (violation reported), one console.warn naming the URL; page unbroken' : `FAILED: ${JSON.stringify({ r, violations, warned })}`;
          }
          results.row(tried, happened, ok);
          assert.ok(ok, happened);
        } finally {
          await opened.close();
        }
      });
    }
  });

  test('the package source uses no eval, new Function or Function(', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const files = [...new Set([...pkg.files.filter((f) => f.endsWith('.js')), 'js/index.js', 'pkg/convertro.js'])];
    const patterns = [/\beval\s*\(/, /\bnew\s+Function\b/, /(?<![\w$.])Function\s*\(/, /setTimeout\s*\(\s*['"`]/, /\bimportScripts\b/];
    const found = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const re of patterns) if (re.test(text)) found.push(`${file}: ${re}`);
    }
    results.row(`the shipped JS (${files.join(', ')}) searched for eval( / new Function / Function( / string setTimeout`, found.length ? `FAILED: ${found.join('; ')}` : 'none found (and the CSP page above, without unsafe-eval, ran it)', found.length === 0);
    assert.deepEqual(found, []);
  });

  test('the only global the plugin writes is $CVO (analytics-next\'s own globals measured without it)', async () => {
    // What analytics-next and a plain destination add by themselves, then the same with Convertro.
    const run = async (withConvertro) => {
      const opened = await openPage(engine, { tags: { [TAG]: serveTag() } });
      try {
        await addScript(opened.page, await analyticsNextPath());
        return await opened.page.evaluate(async (useConvertro) => {
          const before = new Set(Object.getOwnPropertyNames(window));
          const plugins = [{ name: 'Other', type: 'destination', version: '1', isLoaded: () => true, load: async () => {}, track: (c) => c, identify: (c) => c }];
          let plugin;
          if (useConvertro) {
            const { convertro } = await import('/js/index.js');
            plugin = await convertro({ account: 'acme', events: { 'Signed Up': 'signup' } });
            plugins.push(plugin);
          }
          const [analytics] = await window.AnalyticsBrowser.load(
            { writeKey: 'robustness-key', cdnSettings: { integrations: {} }, plugins },
            { integrations: { 'Segment.io': false } },
          );
          await analytics.identify('g-1', { a: 1 });
          await analytics.track('Order Completed', { order_id: 'g-1', total: 1 });
          await analytics.track('Signed Up');
          await plugin?.load();
          return Object.getOwnPropertyNames(window).filter((k) => !before.has(k));
        }, withConvertro);
      } finally {
        await opened.close();
      }
    };
    const baseline = new Set(await run(false));
    const added = (await run(true)).filter((k) => !baseline.has(k) && k !== '__cvoReceived'); // __cvoReceived: the stand-in tag's record
    const ok = JSON.stringify(added) === JSON.stringify(['$CVO']);
    results.row('new window properties after identify, track and load (beyond analytics-next\'s own and the stand-in tag\'s record)', ok ? 'only $CVO' : `FAILED: ${JSON.stringify(added)}`, ok);
    assert.deepEqual(added, ['$CVO']);
  });
});
