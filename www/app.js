// The demo shop. Every button goes through the real @segment/analytics-next
// with this package's Convertro destination, installed either way: as a
// plugin with its settings in code, or as the destination enabled in the
// Segment app (ConvertroIntegration built from a local cdnSettings object
// that stands in for the app). A small consent banner made with Segment's
// consent wrapper decides what Convertro may get; the panel on the right
// lists each command Convertro's tag received.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { createWrapper } from '@segment/analytics-consent-tools';
import { convertro, ConvertroIntegration } from '../js/index.js';

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (n) => '$' + n.toFixed(2);

// ---------------------------------------------------------------- settings
// The settings live in the URL (?settings=<json>, or ?mode=app&cdn=<json>),
// so a reload re-creates analytics.js and the destination with them, and a
// link shares them.
const STAND_IN_URL = '/stand-in/live.js';
const ADVERTISING = 'C0004';
const DEFAULTS = {
  account: 'demo',
  hybridAttributionModel: false,
  events: { 'Signed Up': 'signup', 'Product Added': 'cart.add', 'Checkout Started': 'checkout' },
  consentSettings: { categories: [ADVERTISING] },
  tagUrl: STAND_IN_URL,
};
// What Segment's CDN returns for a source with Convertro enabled in device
// mode (the parts analytics-next reads), as the app keeps the destination's settings.
const DEFAULT_CDN = {
  integrations: {
    Convertro: {
      account: 'demo',
      events: [{ key: 'Signed Up', value: 'signup' }, { key: 'Product Added', value: 'cart.add' }, { key: 'Checkout Started', value: 'checkout' }],
      hybridAttributionModel: false,
      siteId: '',
      domain: '',
      clientName: '',
      type: 'browser',
      bundlingStatus: 'bundled',
      versionSettings: { version: '2.1.1', componentTypes: ['browser', 'server'] },
      consentSettings: { categories: [ADVERTISING] },
    },
  },
  consentSettings: { allCategories: ['C0001', ADVERTISING], hasUnmappedDestinations: false },
};
const realTagUrl = (account) => `https://d1ivexoxmp59q7.cloudfront.net/${account}/live.js`;

function readJson(name, fallback) {
  const raw = new URLSearchParams(location.search).get(name);
  if (raw == null) return { value: structuredClone(fallback) };
  try {
    const value = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { value };
    return { value: structuredClone(fallback), problem: `the ${name} in the URL are not a JSON object; using the defaults` };
  } catch {
    return { value: structuredClone(fallback), problem: `the ${name} in the URL are not valid JSON; using the defaults` };
  }
}

const MODE = new URLSearchParams(location.search).get('mode') === 'app' ? 'app' : 'code';
const fromUrl = MODE === 'app' ? readJson('cdn', DEFAULT_CDN) : readJson('settings', DEFAULTS);
const problem = fromUrl.problem;
const cdnSettings = MODE === 'app' ? fromUrl.value : undefined;
// The destination's settings, either way (for the app: its Convertro entry).
const settings = MODE === 'app' ? (cdnSettings.integrations?.Convertro ?? {}) : fromUrl.value;
// The app's settings have no tagUrl: the stand-in goes in through the load
// option integrations.Convertro, as a site would pass a self-hosted tag.
const usesStandIn = MODE === 'app' ? !new URLSearchParams(location.search).has('realTag') : settings.tagUrl === STAND_IN_URL;
const categories = Array.isArray(settings.consentSettings?.categories) ? settings.consentSettings.categories : [];

function fillSettingsForm() {
  $('#m-' + MODE).checked = true;
  $('#app-form').hidden = MODE !== 'app';
  $('#settings-form').hidden = MODE === 'app';
  $('#s-cdn').value = JSON.stringify(MODE === 'app' ? cdnSettings : DEFAULT_CDN, null, 2);
  if (MODE === 'app') return;
  $('#s-account').value = typeof settings.account === 'string' ? settings.account : JSON.stringify(settings.account ?? '');
  $('#s-hybrid').checked = settings.hybridAttributionModel === true;
  $('#s-events').value = settings.events === undefined ? '' : JSON.stringify(settings.events, null, 2);
  $('#s-categories').value = JSON.stringify(settings.consentSettings?.categories ?? []);
  $('#s-real').checked = settings.tagUrl === undefined;
  $('#s-tagurl').value = settings.tagUrl ?? '';
  syncRealCheckbox();
}

function syncRealCheckbox() {
  const real = $('#s-real').checked;
  $('#s-tagurl').disabled = real;
  if (!real && !$('#s-tagurl').value) $('#s-tagurl').value = STAND_IN_URL;
  $('#real-url').textContent = realTagUrl($('#s-account').value || '{account}');
}

function applySettings() {
  const next = { account: $('#s-account').value, hybridAttributionModel: $('#s-hybrid').checked };
  const events = $('#s-events').value.trim();
  if (events) {
    try {
      next.events = JSON.parse(events);
    } catch (err) {
      $('#s-note').textContent = 'events is not valid JSON: ' + err.message;
      $('#s-note').classList.add('bad');
      return;
    }
  }
  try {
    const list = JSON.parse($('#s-categories').value || '[]');
    if (Array.isArray(list) && list.length) next.consentSettings = { categories: list };
  } catch (err) {
    $('#s-note').textContent = 'consentSettings.categories is not valid JSON: ' + err.message;
    $('#s-note').classList.add('bad');
    return;
  }
  if (!$('#s-real').checked) next.tagUrl = $('#s-tagurl').value;
  const url = new URL(location.href);
  url.search = '';
  url.searchParams.set('settings', JSON.stringify(next));
  location.assign(url);
}

function applyAppSettings() {
  let next;
  try {
    next = JSON.parse($('#s-cdn').value);
  } catch (err) {
    $('#a-note').textContent = 'cdnSettings is not valid JSON: ' + err.message;
    $('#a-note').classList.add('bad');
    return;
  }
  const url = new URL(location.href);
  url.search = '';
  url.searchParams.set('mode', 'app');
  url.searchParams.set('cdn', JSON.stringify(next));
  location.assign(url);
}

function switchMode(mode) {
  const url = new URL(location.href);
  url.search = '';
  if (mode === 'app') url.searchParams.set('mode', 'app');
  location.assign(url);
}

$('#s-real').addEventListener('change', syncRealCheckbox);
$('#s-account').addEventListener('input', syncRealCheckbox);
$('#s-apply').addEventListener('click', applySettings);
$('#a-apply').addEventListener('click', applyAppSettings);
$('#s-reset').addEventListener('click', () => switchMode('code'));
$('#a-reset').addEventListener('click', () => switchMode('app'));
for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', () => switchMode(radio.value));
fillSettingsForm();

// ------------------------------------------------------ what Convertro got
// With the stand-in tag (the default) the panel shows the tag's own record,
// window.__cvoReceived. With another tag (the real one) it shows what was
// pushed to window.$CVO, observed by wrapping push.
const observed = [];
if (!usesStandIn) observePushes();

function observePushes() {
  const wrap = (queue) => {
    if (!queue || typeof queue !== 'object' || queue.__demoObserved) return;
    let inner = queue.push;
    const push = function (...commands) {
      for (const c of commands) observed.push(c);
      return inner.apply(this, commands);
    };
    Object.defineProperty(queue, '__demoObserved', { value: true });
    Object.defineProperty(queue, 'push', {
      configurable: true,
      get: () => (typeof inner === 'function' ? push : inner),
      set: (fn) => { inner = fn; }, // the tag replaces push: keep observing
    });
  };
  let queue = window.$CVO ?? [];
  wrap(queue);
  Object.defineProperty(window, '$CVO', {
    configurable: true,
    get: () => queue,
    set: (value) => { queue = value; wrap(value); }, // the tag replaces $CVO: keep observing
  });
}

function normalise(entry) {
  // [name, payload] as pushed; tolerate { command|name|method, payload|args } records too.
  if (Array.isArray(entry)) return { name: entry[0], payload: entry.length > 2 ? entry.slice(1) : entry[1] };
  if (entry && typeof entry === 'object') {
    const name = entry.command ?? entry.name ?? entry.method ?? entry.type;
    const payload = entry.payload ?? entry.args ?? entry.data ?? entry.properties;
    return { name, payload: Array.isArray(payload) && payload.length === 1 ? payload[0] : payload };
  }
  return { name: String(entry), payload: undefined };
}

function received() {
  if (usesStandIn) return Array.isArray(window.__cvoReceived) ? window.__cvoReceived : [];
  return observed;
}

// One line per payload, a space after each top-level comma and colon.
function compact(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return '{ ' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ': ' + (JSON.stringify(v) ?? 'undefined')).join(', ') + ' }';
  }
  return JSON.stringify(value) ?? 'undefined';
}

let shown = 0;
function renderCommands() {
  const list = received();
  if (list.length === shown) return;
  const ol = $('#commands');
  for (let i = shown; i < list.length; i++) {
    const { name, payload } = normalise(list[i]);
    const li = document.createElement('li');
    li.className = 'command fresh';
    li.dataset.command = name;
    const type = payload && typeof payload === 'object' && typeof payload.type === 'string' ? payload.type : '';
    li.innerHTML = `<div class="cmd-head"><span class="n">${i + 1}</span><code class="cmd">${esc(name)}</code>${
      type ? `<span class="type">${esc(type)}</span>` : ''}</div><pre>${esc(compact(payload))}</pre>`;
    ol.appendChild(li);
    setTimeout(() => li.classList.remove('fresh'), 1200);
  }
  shown = list.length;
  $('#commands-empty').hidden = shown > 0;
  ol.lastElementChild?.scrollIntoView({ block: 'nearest' });
}
setInterval(renderCommands, 100);

$('#panel-source').innerHTML = (MODE === 'app'
  ? 'Convertro as enabled in the Segment app (<code>ConvertroIntegration</code>, built from the cdnSettings below). '
  : 'Convertro as a plugin with its settings in code. ') + (usesStandIn
  ? 'Recorded by the <b>local stand-in</b> for Convertro\'s tag (<code>' + esc(STAND_IN_URL) + '</code>), in order.'
  : 'Commands pushed to <code>window.$CVO</code> for the tag at <code>' +
    esc(typeof settings.tagUrl === 'string' ? settings.tagUrl : realTagUrl(settings.account)) + '</code>, in order.');

function setStatus(text, kind) {
  const el = $('#tag-status');
  el.textContent = text;
  el.className = 'pill ' + (kind ?? '');
}

// ------------------------------------------------------------- analytics
function logCall(method, name, payload) {
  const li = document.createElement('li');
  li.innerHTML = `<code>${esc(method)}</code> ${name ? `<b>${esc(name)}</b>` : ''}<span class="muted"> ${esc(JSON.stringify(payload))}</span>`;
  $('#calls').prepend(li);
}

// ---------------------------------------------------------------- consent
// A small consent management platform: the visitor's choice (kept in
// localStorage) for C0001 (strictly necessary, always granted) and C0004
// (advertising, Convertro's category), given to Segment's consent wrapper,
// which stamps it on every event.
const CONSENT_KEY = 'demo-consent';
let consented = (() => {
  try { return JSON.parse(localStorage.getItem(CONSENT_KEY)); } catch { return null; }
})();
let onConsentChanged = () => {};
const preferences = () => ({ C0001: true, [ADVERTISING]: consented === true });
function showConsent() {
  $('#consent-state').textContent = consented === null ? 'not chosen' : consented ? 'advertising accepted' : 'necessary only';
  $('#consent-banner').hidden = consented !== null;
}
function choose(accept) {
  consented = accept;
  localStorage.setItem(CONSENT_KEY, JSON.stringify(accept));
  showConsent();
  logCall('consent', accept ? 'advertising accepted' : 'necessary only', preferences());
  onConsentChanged(preferences());
}
$('#consent-accept').addEventListener('click', () => choose(true));
$('#consent-reject').addEventListener('click', () => choose(false));
$('#consent-open').addEventListener('click', () => { $('#consent-banner').hidden = false; });
showConsent();

// ------------------------------------------------------------- analytics
// Calls made before load() are buffered by AnalyticsBrowser and replayed.
const analytics = new AnalyticsBrowser();
window.analytics = analytics;
createWrapper({
  // Opt-out: analytics.js loads at once, and every event carries the
  // visitor's current choice; Convertro gets only what it may get.
  shouldLoadSegment: (ctx) => ctx.load({ consentModel: 'opt-out' }),
  getCategories: () => preferences(),
  registerOnConsentChanged: (changed) => { onConsentChanged = changed; },
})(analytics);

// The tag's state, for the pill: loaded once $CVO.trackEvent is Convertro's (or the stand-in's).
let failed = false;
function watchTag() {
  const loaded = typeof window.$CVO?.trackEvent === 'function';
  if (loaded) return setStatus(usesStandIn ? 'stand-in tag loaded' : 'tag loaded', 'ok');
  if (!failed) setStatus(categories.length && consented !== true ? 'waiting for consent' : 'loading tag…');
  setTimeout(watchTag, 150);
}

async function start() {
  if (problem) showError(problem);
  const plugins = [];
  const load = { writeKey: 'demo', plugins };
  const options = { integrations: { 'Segment.io': false } };
  if (MODE === 'app') {
    // Convertro enabled in the (stand-in) app: analytics-next builds it from cdnSettings.
    load.cdnSettings = cdnSettings;
    load.classicIntegrations = [ConvertroIntegration];
    if (usesStandIn) options.integrations.Convertro = { tagUrl: STAND_IN_URL };
    if (!cdnSettings.integrations?.Convertro) setStatus('not enabled in the app', 'bad');
    else watchTag();
  } else {
    load.cdnSettings = { integrations: {} };
    try {
      const plugin = await convertro(settings);
      // Watch the plugin's own load promise to show a failed tag.
      const original = plugin.load;
      plugin.load = (...args) => {
        const p = original(...args);
        p.catch((err) => {
          failed = true;
          setStatus('tag failed to load', 'bad');
          showError((err?.message ?? String(err)) + ' analytics.js dropped the Convertro destination, so nothing more is sent to it on this page.');
        });
        return p;
      };
      plugins.push(plugin);
      watchTag();
    } catch (err) {
      showError('Convertro plugin not registered: ' + (err?.message ?? err));
      setStatus('not registered', 'bad');
    }
  }
  analytics.load(load, options);
  await analytics;
  document.body.dataset.ready = 'true';
}

function showError(message) {
  const el = $('#settings-error');
  el.textContent = message;
  el.hidden = false;
}

function track(name, properties) {
  logCall('track', name, properties);
  return analytics.track(name, properties);
}

// ------------------------------------------------------------------- shop
const PRODUCTS = [
  { product_id: 'rg-guji', sku: 'RG-GUJI-250', name: 'Ethiopia Guji', notes: 'Bergamot · peach · jasmine', price: 18.5, color: '#c4572e', roast: 'Light roast', category: 'Single origin' },
  { product_id: 'rg-huila', sku: 'RG-HUILA-250', name: 'Colombia Huila', notes: 'Red apple · caramel · cocoa', price: 16, color: '#2f6f5e', roast: 'Medium roast', category: 'Single origin' },
  { product_id: 'rg-house', sku: 'RG-HOUSE-250', name: 'House Espresso', notes: 'Dark chocolate · hazelnut', price: 14.25, color: '#3a3f5c', roast: 'Medium-dark roast', category: 'Blend' },
];
const SHIPPING = 4.5;
const TAX_RATE = 0.08;

const state = { step: 'product', current: PRODUCTS[0], qty: 1, cart: [], user: null, order: null };

const bag = (p, size = 120) => `<svg class="bag" viewBox="0 0 100 120" width="${size}" height="${size * 1.2}" aria-hidden="true">
  <path d="M18 14 h64 l6 98 a4 4 0 0 1 -4 4 h-68 a4 4 0 0 1 -4 -4 z" fill="${p.color}"/>
  <path d="M18 14 h64 l-2 10 h-60 z" fill="#000" opacity=".18"/>
  <rect x="30" y="46" width="40" height="40" rx="20" fill="#f7f1e8"/>
  <path d="M38 74 L46 60 L51 67 L55 62 L62 74 Z" fill="${p.color}"/>
  <rect x="32" y="94" width="36" height="4" rx="2" fill="#f7f1e8" opacity=".7"/>
</svg>`;

function productProps(p, qty = 1) {
  return { product_id: p.product_id, sku: p.sku, name: p.name, category: p.category, price: p.price, quantity: qty, currency: 'USD' };
}

function viewProduct(p) {
  state.current = p;
  state.qty = 1;
  renderProduct();
  track('Product Viewed', productProps(p));
}

function renderProduct() {
  const p = state.current;
  $('#product-detail').innerHTML = `
    <div class="product-art" style="--c:${p.color}">${bag(p, 150)}</div>
    <div class="product-info">
      <p class="eyebrow">${esc(p.category)} · ${esc(p.roast)}</p>
      <h1>${esc(p.name)}</h1>
      <p class="notes">${esc(p.notes)}</p>
      <p class="price">${money(p.price)} <span class="muted">/ 250 g whole bean</span></p>
      <div class="row">
        <div class="qty"><button data-qty="-1" aria-label="less">−</button><span id="qty">${state.qty}</span><button data-qty="1" aria-label="more">+</button></div>
        <button class="primary" id="add-to-cart" data-testid="add-to-cart">Add to cart</button>
      </div>
    </div>`;
  $('#product-grid').innerHTML = PRODUCTS.map((q) => `
    <button class="tile ${q === p ? 'on' : ''}" data-product="${q.product_id}">
      ${bag(q, 44)}<span><b>${esc(q.name)}</b><small>${money(q.price)}</small></span>
    </button>`).join('');
}

$('#product-detail').addEventListener('click', (e) => {
  const qty = e.target.closest('[data-qty]');
  if (qty) {
    state.qty = Math.max(1, state.qty + Number(qty.dataset.qty));
    $('#qty').textContent = state.qty;
  }
  if (e.target.closest('#add-to-cart')) {
    const p = state.current;
    const line = state.cart.find((l) => l.p === p);
    if (line) line.qty += state.qty;
    else state.cart.push({ p, qty: state.qty });
    track('Product Added', { ...productProps(p, state.qty), cart_id: 'cart-1' });
    go('cart');
  }
});
$('#product-grid').addEventListener('click', (e) => {
  const tile = e.target.closest('[data-product]');
  if (tile) viewProduct(PRODUCTS.find((p) => p.product_id === tile.dataset.product));
});

function totals() {
  const subtotal = state.cart.reduce((s, l) => s + l.p.price * l.qty, 0);
  const discount = /^\s*welcome10\s*$/i.test($('#co-coupon').value) ? Math.round(subtotal * 10) / 100 : 0;
  const tax = Math.round((subtotal - discount) * TAX_RATE * 100) / 100;
  const shipping = state.cart.length ? SHIPPING : 0;
  const total = Math.round((subtotal - discount + tax + shipping) * 100) / 100;
  return { subtotal, discount, tax, shipping, total, revenue: Math.round((subtotal - discount) * 100) / 100 };
}

function renderCart() {
  const count = state.cart.reduce((s, l) => s + l.qty, 0);
  $('#cart-count').hidden = count === 0;
  $('#cart-count').textContent = count;
  $('#checkout-start').disabled = count === 0;
  $('#cart-lines').innerHTML = count === 0
    ? '<p class="muted">Your cart is empty.</p>'
    : `<ul class="lines">${state.cart.map((l, i) => `
        <li>${bag(l.p, 36)}<span class="grow"><b>${esc(l.p.name)}</b><small class="muted">${esc(l.p.notes)}</small></span>
        <span class="muted">${l.qty} × ${money(l.p.price)}</span><b>${money(l.qty * l.p.price)}</b>
        <button class="link" data-remove="${i}" aria-label="remove">✕</button></li>`).join('')}</ul>
        <p class="subtotal">Subtotal <b>${money(totals().subtotal)}</b></p>`;
}

$('#cart-lines').addEventListener('click', (e) => {
  const rm = e.target.closest('[data-remove]');
  if (!rm) return;
  const [line] = state.cart.splice(Number(rm.dataset.remove), 1);
  track('Product Removed', productProps(line.p, line.qty));
  renderCart();
});

$('#checkout-start').addEventListener('click', () => {
  const t = totals();
  track('Checkout Started', { order_id: nextOrderId(), value: t.total, revenue: t.revenue, currency: 'USD', products: state.cart.map((l) => productProps(l.p, l.qty)) });
  go('checkout');
});

function renderSummary() {
  const t = totals();
  $('#checkout-summary').innerHTML = `
    ${state.cart.map((l) => `<p><span>${l.qty} × ${esc(l.p.name)}</span><span>${money(l.qty * l.p.price)}</span></p>`).join('')}
    ${t.discount ? `<p><span>Coupon</span><span>−${money(t.discount)}</span></p>` : ''}
    <p class="muted"><span>Shipping</span><span>${money(t.shipping)}</span></p>
    <p class="muted"><span>Tax</span><span>${money(t.tax)}</span></p>
    <p class="total"><span>Total</span><span>${money(t.total)}</span></p>`;
}
$('#co-coupon').addEventListener('input', renderSummary);

// Order ids go on from where this browser's last order stopped.
let orderSeq = Number(localStorage.getItem('demo-order-seq')) || 1000;
const nextOrderId = () => `RC-${orderSeq + 1}`;

$('#place-order').addEventListener('click', () => {
  if (!state.cart.length) return;
  const t = totals();
  orderSeq += 1;
  localStorage.setItem('demo-order-seq', String(orderSeq));
  const repeat = $('#co-repeat').value;
  const props = {
    order_id: `RC-${orderSeq}`,
    total: t.total,
    revenue: t.revenue,
    shipping: t.shipping,
    tax: t.tax,
    discount: t.discount,
    coupon: $('#co-coupon').value || undefined,
    currency: 'USD',
    products: state.cart.map((l) => productProps(l.p, l.qty)),
  };
  if (repeat) props.repeat = repeat === 'true';
  track('Order Completed', props);
  state.order = { ...props, lines: state.cart };
  state.cart = [];
  go('thanks');
});

function renderThanks() {
  const o = state.order;
  $('#step-thanks').innerHTML = o ? `
    <div class="tick" aria-hidden="true">✓</div>
    <h2>Thank you${state.user ? ', ' + esc(state.user.traits.firstName) : ''}!</h2>
    <p>Order <b data-testid="order-id">${esc(o.order_id)}</b> is on its way: ${o.lines.map((l) => `${l.qty} × ${esc(l.p.name)}`).join(', ')}.</p>
    <p class="muted">Total ${money(o.total)} (revenue ${money(o.revenue)})${'repeat' in o ? ` · repeat: ${o.repeat}` : ''}</p>
    <div class="row center"><button class="primary" data-goto="product">Shop again</button></div>`
    : '<p class="muted">No order yet.</p>';
}

// ---------------------------------------------------------------- account
function renderAccount() {
  const el = $('#account');
  if (state.user) {
    el.innerHTML = `<span class="avatar">${esc(state.user.traits.firstName[0] ?? '?')}</span>
      <span><b>${esc(state.user.traits.name)}</b><small class="muted">${esc(state.user.userId)}</small></span>
      <button class="link" id="sign-out">Sign out</button>`;
  } else {
    el.innerHTML = `<input id="acc-name" placeholder="Name" value="Ada Lovelace" aria-label="name">
      <input id="acc-email" type="email" placeholder="Email" value="ada@example.com" aria-label="email">
      <button class="ghost small" id="sign-in" data-testid="sign-in">Sign in</button>
      <button class="primary small" id="sign-up" data-testid="sign-up">Sign up</button>`;
  }
}

function userFromForm() {
  const name = $('#acc-name').value.trim() || 'Ada Lovelace';
  const email = $('#acc-email').value.trim() || 'ada@example.com';
  let h = 0;
  for (const c of email.toLowerCase()) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return { userId: 'user-' + (h % 100000).toString().padStart(5, '0'), traits: { name, firstName: name.split(/\s+/)[0], email, plan: 'beans-monthly' } };
}

$('#account').addEventListener('click', async (e) => {
  const id = e.target.closest('button')?.id;
  if (id === 'sign-up' || id === 'sign-in') {
    const user = userFromForm();
    state.user = user;
    logCall('identify', user.userId, user.traits);
    analytics.identify(user.userId, user.traits);
    if (id === 'sign-up') track('Signed Up', { method: 'email', plan: user.traits.plan });
    $('#co-email').value = user.traits.email;
    renderAccount();
  } else if (id === 'sign-out') {
    state.user = null;
    logCall('reset', '', {});
    analytics.reset();
    renderAccount();
  }
});

// -------------------------------------------------------------- navigation
function go(step) {
  state.step = step;
  for (const s of ['product', 'cart', 'checkout', 'thanks']) $('#step-' + s).hidden = s !== step;
  for (const b of document.querySelectorAll('#steps button')) b.classList.toggle('on', b.dataset.step === step);
  renderCart();
  if (step === 'checkout') renderSummary();
  if (step === 'thanks') renderThanks();
}
document.addEventListener('click', (e) => {
  const to = e.target.closest('[data-goto], #steps button');
  if (!to) return;
  const step = to.dataset.goto ?? to.dataset.step;
  if (step === 'checkout' && !state.cart.length) return;
  if (step === 'product') renderProduct();
  go(step);
});

renderAccount();
renderProduct();
go('product');
start().then(() => track('Product Viewed', productProps(state.current)));
