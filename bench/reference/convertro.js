// Reference implementation: the Convertro destination for analytics.js 2.0
// written by hand in plain JavaScript, with the same API, settings and rules
// as the wasm build (issue 2). The benchmark (issue 4) measures the wasm
// build against this file, and the end-to-end tests run against both.
// Written the straightforward way; not tuned, not slowed down.

export const VERSION = '0.1.0';

const DEFAULT_TAG_HOST = 'https://d1ivexoxmp59q7.cloudfront.net/';
const ORDER_COMPLETED = /^[ _]?(?:order[ _]?completed|completed[ _]?order)[ _]?$/i;

// ------------------------------------------------------------------ settings

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function invalid(setting, expected, got) {
  return new Error(`Convertro: setting \`${setting}\` must be ${expected} (got ${describe(got)}).`);
}

function isAccount(value) {
  return typeof value === 'string' && value.length <= 128 && /^[A-Za-z0-9_.-]+$/.test(value) && /[^.]/.test(value);
}

function isTagUrl(url) {
  // No backslashes, whitespace or control characters: browsers drop or
  // reinterpret them, which could lead the URL to another origin.
  if (/[\\\s\u0000-\u001f\u007f-\u009f]/.test(url)) return false;
  const match = /^https?:\/\/(.*)$/i.exec(url);
  if (match) return match[1] !== '' && !/^[/?#@:]/.test(match[1]);
  return url.startsWith('/') && !url.startsWith('//');
}

function optionalText(value) {
  return value === undefined || value === null || value === '' ? undefined : value;
}

/**
 * Event names as the `events` mapping compares them, as Segment's to-no-case
 * 0.1.3 does: a name with whitespace is only lower-cased; else every run of
 * non-word characters before a letter or digit becomes one space and a
 * trailing run goes (a name of nothing else stays as it is); else a space
 * goes before every capital but a first one. Then lower-cased.
 */
export function normalizeEventName(name) {
  if (/\s/.test(name)) return name.toLowerCase();
  if (/[^A-Za-z0-9]/.test(name)) {
    const words = name.split(/[^A-Za-z0-9]+/);
    const joined = words.map((word, i) => (i === 0 || word === '' ? word : ' ' + word)).join('');
    return (joined || name).toLowerCase();
  }
  return name.replace(/(?<=.)([A-Z])/g, ' $1').toLowerCase();
}

function parseEvents(events) {
  const map = new Map(); // normalised name -> [convertro type, ...]
  const add = (name, type, where, whereType) => {
    if (typeof name !== 'string' || name === '') {
      throw invalid(where, 'a non-empty string (a Segment event name)', name);
    }
    if (typeof type !== 'string' || type === '') {
      throw invalid(whereType, 'a non-empty string (a Convertro event type)', type);
    }
    const key = normalizeEventName(name);
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(type);
  };

  if (events === undefined || events === null) return map;
  if (Array.isArray(events)) {
    events.forEach((entry, i) => {
      if (typeof entry === 'string') {
        add(entry, entry, `events[${i}]`, `events[${i}]`);
      } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        add(entry.key, entry.value, `events[${i}].key`, `events[${i}].value`);
      } else {
        throw invalid(`events[${i}]`, 'an event name or an object { key: "Segment event", value: "convertro type" }', entry);
      }
    });
  } else if (typeof events === 'object') {
    for (const name of Object.keys(events)) {
      add(name, events[name], `events[${JSON.stringify(name)}]`, `events[${JSON.stringify(name)}]`);
    }
  } else {
    throw invalid('events', 'an object { "Segment event": "convertro type" }, an array of { key, value } entries or an array of event names', events);
  }
  return map;
}

function parseSettings(settings) {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    // The settings themselves are named by type only, a string too (as in the Rust).
    const got = typeof settings === 'string' ? 'a string' : describe(settings);
    throw new Error(`Convertro: settings must be an object such as { account: 'acme' } (got ${got}).`);
  }
  const { account, hybridAttributionModel, events, tagUrl, nonce, consentSettings } = settings;
  if (!isAccount(account)) {
    throw invalid('account', "a non-empty string of letters, digits, '_', '-' and '.' (your Convertro account name)", account);
  }
  if (hybridAttributionModel !== undefined && typeof hybridAttributionModel !== 'boolean') {
    throw invalid('hybridAttributionModel', 'true or false', hybridAttributionModel);
  }
  const url = optionalText(tagUrl);
  if (url !== undefined && (typeof url !== 'string' || !isTagUrl(url))) {
    throw invalid('tagUrl', "an absolute https: or http: URL, or a path on this site starting with a single '/'", tagUrl);
  }
  const cspNonce = optionalText(nonce);
  if (cspNonce !== undefined && typeof cspNonce !== 'string') {
    throw invalid('nonce', "a string (the CSP nonce for the tag's script element)", nonce);
  }
  return {
    tagUrl: url ?? `${DEFAULT_TAG_HOST}${account}/live.js`,
    nonce: cspNonce,
    hybrid: hybridAttributionModel === true,
    events: parseEvents(events),
    categories: parseCategories(consentSettings),
  };
}

/** `consentSettings: { categories: [...] }` as Segment's app keeps it. */
function parseCategories(consent) {
  if (consent === undefined || consent === null) return [];
  if (typeof consent !== 'object' || Array.isArray(consent)) {
    throw invalid('consentSettings', 'an object { categories: ["category", …] } (the consent categories set for Convertro in Segment)', consent);
  }
  const categories = consent.categories;
  if (categories === undefined || categories === null) return [];
  if (!Array.isArray(categories) || categories.length > 100) {
    throw invalid('consentSettings.categories', 'an array of at most 100 consent category names', categories);
  }
  categories.forEach((c, i) => {
    if (typeof c !== 'string' || c === '' || c.length > 2048) {
      throw invalid(`consentSettings.categories[${i}]`, 'a non-empty string (a consent category)', c);
    }
  });
  return [...categories];
}

/**
 * Whether an event may be sent: with consent categories, an event carrying
 * `context.consent.categoryPreferences` needs every one of them `true`.
 */
function consented(categories, event) {
  if (categories.length === 0) return true;
  const context = event.context;
  const consent = context && typeof context === 'object' ? context.consent : undefined;
  const preferences = consent && typeof consent === 'object' ? consent.categoryPreferences : undefined;
  if (preferences === undefined || preferences === null) return true;
  if (typeof preferences !== 'object') return false;
  return categories.every((c) => preferences[c] === true);
}

// ------------------------------------------------------------------ rules

function usableId(value) {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function usableAmount(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const amount = parseFloat(value.replace(/\$/g, ''));
    return Number.isFinite(amount) ? amount : undefined;
  }
  return undefined;
}

/**
 * The properties the rules read, each from the first key that names it when
 * compared with everything but ASCII letters, digits and `.` removed,
 * lower-cased (`orderId`, `order_id`, `OrderID` name one property;
 * `order.id` none). The order id is the first truthy one of `id` and
 * `order_id`, if it is usable.
 */
function readProperties(ctx, properties) {
  const found = {};
  if (!properties || typeof properties !== 'object') {
    log(ctx, 'Convertro: track properties are missing or not an object; no id or amount sent.');
    return found;
  }
  let keys;
  try {
    keys = Object.keys(properties);
  } catch {
    log(ctx, 'Convertro: track properties could not be read (a getter or proxy threw); no id or amount sent.');
    return found;
  }
  for (const key of keys) {
    const name = key.replace(/[^A-Za-z0-9.]/g, '').toLowerCase();
    if ((name === 'id' || name === 'orderid' || name === 'total' || name === 'revenue' || name === 'repeat') && !(name in found)) {
      try {
        found[name] = properties[key];
      } catch {
        found[name] = undefined;
        log(ctx, 'Convertro: a track property could not be read (a getter or proxy threw); it was treated as absent.');
      }
    }
  }
  return {
    id: (found.id || found.orderid) ? usableId(found.id || found.orderid) : undefined,
    amount: usableAmount(found.total) ?? usableAmount(found.revenue),
    repeat: found.repeat,
  };
}

function trackEvent(type, id, amount) {
  const payload = { type };
  if (id !== undefined) payload.id = id;
  if (amount !== undefined) payload.amount = amount;
  return ['trackEvent', payload];
}

// ------------------------------------------------------------------ page

function queue() {
  if (window.$CVO === undefined || window.$CVO === null) window.$CVO = [];
  return window.$CVO;
}

function push(ctx, command) {
  try {
    queue().push(command);
  } catch (error) {
    log(ctx, `Convertro: window.$CVO.push failed (${error && error.message}); command dropped.`);
  }
}

function log(ctx, message) {
  try {
    if (ctx && typeof ctx.log === 'function') ctx.log('debug', message);
  } catch {
    // a page's broken logger is not ours to fix
  }
}

function isLoaded() {
  const cvo = window.$CVO;
  return !!cvo && typeof cvo.trackEvent === 'function';
}

function injectTag(settings) {
  return new Promise((resolve, reject) => {
    queue();
    if (isLoaded()) return resolve();
    const failed = () => reject(new Error(`Convertro: the tag at ${settings.tagUrl} failed to load (blocked by an ad blocker or the network, or not found).`));

    const script = document.createElement('script');
    script.async = true;
    if (settings.nonce) script.setAttribute('nonce', settings.nonce);
    script.src = settings.tagUrl;

    const existing = Array.from(document.scripts).find((s) => s.src === script.src);
    if (existing) {
      // Already fetched by the browser: it had its chance, the queue keeps every command.
      if (performance.getEntriesByName(existing.src).length > 0) return resolve();
      existing.addEventListener('load', () => resolve());
      existing.addEventListener('error', failed);
      return;
    }
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', failed);
    (document.head || document.documentElement).appendChild(script);
  });
}

// ------------------------------------------------------------------ plugin

/**
 * Creates the Convertro destination plugin.
 * Rejects with an Error naming the bad setting.
 */
export async function convertro(settings) {
  const config = parseSettings(settings);
  let loading;
  // With consent categories the tag waits for the first event sent.
  let sent = config.categories.length === 0;
  let startTag;
  const mayLoad = () => {
    if (!sent) {
      sent = true;
      startTag?.();
    }
  };
  const HELD = "Convertro: held back for consent: the event's context.consent.categoryPreferences does not grant every one of consentSettings.categories; nothing sent.";

  function identify(ctx) {
    const event = ctx && ctx.event;
    if (!event) return log(ctx, 'Convertro: the context has no event; nothing sent.');
    const userId = event.userId;
    if (usableId(userId) === undefined) {
      return log(ctx, 'Convertro: identify has no userId (a non-empty string or a finite number); nothing sent.');
    }
    if (!consented(config.categories, event)) return log(ctx, HELD);
    const traits = event.traits && typeof event.traits === 'object' ? event.traits : {};
    push(ctx, ['trackUser', { ...traits, id: userId }]);
    mayLoad();
  }

  function track(ctx) {
    const event = ctx && ctx.event;
    if (!event) return log(ctx, 'Convertro: the context has no event; nothing sent.');
    const name = event.event;
    if (typeof name !== 'string') return log(ctx, 'Convertro: track event name is not a string; nothing sent.');

    if (ORDER_COMPLETED.test(name)) {
      if (!consented(config.categories, event)) return log(ctx, HELD);
      const { id, amount, repeat } = readProperties(ctx, event.properties);
      if (id === undefined) {
        return log(ctx, 'Convertro: Order Completed has no order id (id, order_id or orderId); nothing sent.');
      }
      if (repeat === true || repeat === false) {
        push(ctx, trackEvent(repeat ? 'sale.repeat' : 'sale.new', id, amount));
        if (config.hybrid) push(ctx, trackEvent('sale', id, amount));
      } else {
        push(ctx, trackEvent('sale', id, amount));
      }
      mayLoad();
      return;
    }

    if (config.events.size === 0) return;
    const types = config.events.get(normalizeEventName(name));
    if (!types) return;
    if (!consented(config.categories, event)) return log(ctx, HELD);
    const { id, amount } = readProperties(ctx, event.properties);
    for (const type of types) push(ctx, trackEvent(type, id, amount));
    mayLoad();
  }

  return {
    name: 'Convertro',
    type: 'destination',
    version: VERSION,
    isLoaded,
    load() {
      if (!loading) {
        // A tag that fails is one console.warn, not a rejection (a rejected
        // load() makes analytics-next drop the destination).
        const warned = (tag) => tag.catch((error) => console.warn(error.message));
        loading = sent ? warned(injectTag(config)) : new Promise((resolve) => {
          startTag = () => warned(injectTag(config)).then(resolve);
        });
      }
      return loading;
    },
    identify(ctx) {
      try { identify(ctx); } catch (error) { log(ctx, `Convertro: identify could not be read (${error && error.message}).`); }
      return ctx;
    },
    track(ctx) {
      try { track(ctx); } catch (error) { log(ctx, `Convertro: track could not be read (${error && error.message}).`); }
      return ctx;
    },
  };
}

export default convertro;
