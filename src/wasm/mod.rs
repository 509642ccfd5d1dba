//! The binding layer: the destinations that `js/index.js` gives the plugin
//! and classic-source shapes, used through exported functions and a handle.
//! It reads from JS values what the rules ask for and carries out the
//! commands they return; it holds no rules of its own.
//!
//! The event path goes through `safe.js`, the binding's page-facing half:
//! one call per step of the rules, because a crossing between wasm and JS
//! costs more than the rules themselves. Its functions never throw: an
//! exception thrown through wasm frames would skip Rust's clean-up, and
//! wasm-bindgen's `catch` imports leak a table slot for each exception they
//! catch. The numbers the two halves exchange (`js::codes`) are defined once,
//! in safe.js.
//!
//! # One track event's path
//!
//! analytics-next calls the plugin's `track(ctx)` (for the classic source,
//! `invoke('track', facade)`, which makes `{ event: facade.rawEvent() }`);
//! js/index.js calls the exported [`track`] with the destination's handle,
//! and [`Destination::track`] runs:
//!
//! 1. `safe.js track(ctx, seen_names)` reads `ctx.event` and its `event` (the
//!    name) and looks the name up in this destination's name memo: the answer
//!    Rust gave for that name before (nothing, an order, or mapped group `g`),
//!    or `ANSWER_UNKNOWN`. An event that is not sent (the commonest kind) ends
//!    here, after one crossing.
//! 2. On `ANSWER_UNKNOWN`, `text()` copies the name into wasm,
//!    [`rules::target`] decides what it is (Order Completed, a mapped name, or
//!    nothing), and `remember()` keeps the answer in the memo.
//! 3. [`rules::track_target`] runs the rules. First consent, only when the
//!    settings have consent categories ([`rules::allows`] through
//!    `read::EventConsent`): `consent()` reads
//!    `context.consent.categoryPreferences`, `granted(i)` the value under
//!    category `i`. An event held back reads no property.
//! 4. Then the properties (`read::Properties`): `properties(seen_keys)` reads
//!    `event.properties` and their keys, and looks the list of keys up in the
//!    key memo (where each field the rules use first appears). Unknown, the
//!    keys cross once, joined as `"k1\0k2\0…"`, [`rules::Fields`] finds the
//!    fields, and they are remembered packed in one number.
//! 5. `field(i)` reads each property the rules need (id, order id, total,
//!    revenue, repeat, each only while its answer is still open) and gives its
//!    kind; a string or a number comes across with `heldText()` /
//!    `heldNumber()`. safe.js keeps each value it read, by key index.
//! 6. The rules give a [`rules::Track`]: the commands (each with its
//!    [`rules::Kind`], the amount, and the key the id was read from) and why
//!    anything was not sent, which goes to `ctx.log('debug', …)`
//!    (`logged()`, or `logLine()` the first time a line is used).
//! 7. For each command, `trackEvent(types, type_index, id_key, amount)`:
//!    safe.js builds `{ type, id, amount }` (the type from the destination's
//!    type names, made once; the id as `String()` of the value it read at
//!    `id_key`, so a string id is sent as it was read) and pushes
//!    `['trackEvent', payload]` onto `window.$CVO` (`queue()` makes it an
//!    array if there is none).
//! 8. The first command sent lets Convertro's tag load, if [`Destination::load`]
//!    held it back for consent (`tag.rs` injects it).
//!
//! identify is shorter: `identify(ctx)` reads the userId, [`rules::identify`]
//! applies the userId and consent rules, and `trackUser()` pushes a copy of
//! the traits with `id` set to the userId as read.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, UnsafeCell};

mod js;
mod read;
mod tag;

use js_sys::{Function, Map};
use wasm_bindgen::prelude::*;

use crate::rules::{self, Command, Engine, Kind, Settings, Skip, Target};
use js::codes;

/// One configured Convertro destination, made by [`create`] and used
/// through its handle.
pub struct Destination {
    settings: Settings,
    /// Every Convertro type as a JS string, made once: `sale`, `sale.new`,
    /// `sale.repeat`, then the mapped types in mapping order.
    types: JsValue,
    /// What each event name seen is to Convertro: 0 nothing, 1 an order,
    /// 2 + g the mapped group g.
    seen_names: Map,
    /// The fields found for each list of property keys seen.
    seen_keys: Map,
    /// The consent categories as a JS array (undefined when there are none).
    categories: JsValue,
    /// Whether an event may have been sent: with consent categories the tag
    /// is not injected before.
    sent: Cell<bool>,
    /// `load`'s resolve and reject, while the tag waits for that event.
    waiting: Cell<Option<(Function, Function)>>,
}

/// The destinations of this page, by handle; a released slot is reused.
///
/// Destinations live in this table rather than in wasm-bindgen's exported
/// classes: the class machinery (a reference-counted cell per object, a
/// borrow check and its error in every method) costs more bytes than the
/// rest of the binding.
struct Table(UnsafeCell<Vec<Option<Box<Destination>>>>);

// SAFETY: wasm32-unknown-unknown without atomics runs one thread.
unsafe impl Sync for Table {}

static TABLE: Table = Table(UnsafeCell::new(Vec::new()));

/// The destination behind `handle`.
fn get(handle: u32) -> Option<&'static Destination> {
    // SAFETY: one thread (above), and no reference into the table outlives
    // this function: the destination itself is boxed, so it stays where it
    // is when the table grows, and it is freed only by `release`, which
    // js/index.js calls from a FinalizationRegistry callback once the plugin
    // holding the handle is unreachable (so never while a call on it runs).
    unsafe { (&*TABLE.0.get()).get(handle as usize)?.as_deref().map(|d| &*(d as *const Destination)) }
}

/// Validates the settings and makes a destination: its handle, or an
/// `Error` naming the bad setting.
#[wasm_bindgen]
pub fn create(settings: &JsValue) -> Result<u32, JsError> {
    let destination = Box::new(Destination::new(settings).map_err(|e| JsError::new(&e.message()))?);
    // SAFETY: one thread, and no reference into the table is held here
    // (settings are read above, before the table is touched).
    let table = unsafe { &mut *TABLE.0.get() };
    let handle = match table.iter().position(Option::is_none) {
        Some(free) => {
            table[free] = Some(destination);
            free
        }
        None => {
            table.push(Some(destination));
            table.len() - 1
        }
    };
    Ok(handle as u32)
}

/// Frees the destination behind `handle`; js/index.js calls it once the plugin or source holding the handle is unreachable.
#[wasm_bindgen]
pub fn release(handle: u32) {
    // SAFETY: as in `create`; the destination is not in use (see `get`).
    if let Some(slot) = unsafe { (&mut *TABLE.0.get()).get_mut(handle as usize) } {
        *slot = None;
    }
}

/// Whether Convertro's tag has loaded (`window.$CVO.trackEvent` is a function).
#[wasm_bindgen(js_name = isLoaded)]
pub fn is_loaded() -> bool {
    tag::is_loaded()
}

/// Makes the `$CVO` queue and injects the tag; calls `resolve()` when the
/// tag has loaded and `reject(error)` when it failed. The JS wrapper makes
/// the promise, and calls this once however often `load` is called.
#[wasm_bindgen]
pub fn load(handle: u32, resolve: &Function, reject: &Function) {
    if let Some(destination) = get(handle) {
        destination.load(resolve, reject)
    }
}

/// identify → `trackUser`.
#[wasm_bindgen]
pub fn identify(handle: u32, ctx: &JsValue) {
    if let Some(destination) = get(handle) {
        destination.identify(ctx)
    }
}

/// track → `trackEvent`s, for Order Completed and mapped events.
#[wasm_bindgen]
pub fn track(handle: u32, ctx: &JsValue) {
    if let Some(destination) = get(handle) {
        destination.track(ctx)
    }
}

impl Destination {
    /// Validates the settings.
    pub fn new(settings: &JsValue) -> Result<Destination, rules::SettingsError> {
        let settings = Settings::parse_in(&read::settings(settings), &Browser)?;
        // Every type a trackEvent can have, in `type_index` order.
        let mut types = String::new();
        for kind in [Kind::Sale, Kind::SaleNew, Kind::SaleRepeat] {
            push_name(&mut types, kind.name(&settings));
        }
        for name in settings.events().types() {
            push_name(&mut types, name);
        }
        let mut categories = String::new();
        for name in settings.categories() {
            push_name(&mut categories, name);
        }
        Ok(Destination {
            types: js::list(&types),
            categories: if categories.is_empty() { JsValue::UNDEFINED } else { js::list(&categories) },
            settings,
            seen_names: Map::new(),
            seen_keys: Map::new(),
            sent: Cell::new(false),
            waiting: Cell::new(None),
        })
    }

    /// identify → `trackUser`.
    pub fn identify(&self, ctx: &JsValue) {
        let kind = js::identify(ctx);
        if kind == codes::ANSWER_NO_EVENT {
            return self.log(ctx, Skip::NoEvent);
        }
        if let Err(skip) = rules::identify(&self.settings, &read::held(kind), &mut read::EventConsent { categories: &self.categories }) {
            return self.log(ctx, skip);
        }
        // The one command identify gives: trackUser with the userId as read.
        let sent = js::track_user();
        if sent & codes::SENT_TRAITS_UNREADABLE != 0 {
            self.log(ctx, Skip::TraitsUnreadable);
        }
        if sent & codes::SENT_PUSH_FAILED != 0 {
            push_failed(ctx);
        }
        self.may_send();
    }

    /// track → `trackEvent`s, for Order Completed and mapped events.
    pub fn track(&self, ctx: &JsValue) {
        let code = js::track(ctx, &self.seen_names);
        let target = if code >= 0.0 {
            decode_target(code)
        } else {
            match code as i32 {
                codes::ANSWER_NO_EVENT => return self.log(ctx, Skip::NoEvent),
                codes::ANSWER_NOT_TEXT => return self.log(ctx, Skip::NameNotText),
                codes::ANSWER_UNKNOWN => {
                    let target = rules::target(&self.settings, &js::text().unwrap_or_default(), &Browser);
                    js::remember(&self.seen_names, encode_target(target), read::MEMO_CAPACITY);
                    target
                }
                _ => None,
            }
        };
        let Some(target) = target else { return };
        #[cfg(feature = "cost-swb-events")]
        let mut properties = read::SwbProperties::of(ctx);
        #[cfg(not(feature = "cost-swb-events"))]
        let mut properties = read::Properties { seen: &self.seen_keys };
        let mut consent = read::EventConsent { categories: &self.categories };
        let track = rules::track_target(&self.settings, target, &mut properties, &mut consent, &Browser);
        if let Some(skip) = track.skipped {
            self.log(ctx, skip);
        }
        // Every command carries the id read from the property `id_key`
        // names: safe.js sends that value, as a string.
        let id_key = track.id_key.map_or(-1, |key| key as i32);
        for command in &track.commands {
            if let Command::TrackEvent { kind, amount, .. } = command {
                if !js::track_event(&self.types, type_index(*kind), id_key, *amount) {
                    push_failed(ctx);
                }
            }
        }
        if !track.commands.is_empty() {
            self.may_send();
        }
    }

    /// Whether Convertro's tag has loaded.
    pub fn is_loaded(&self) -> bool {
        tag::is_loaded()
    }

    /// Injects the tag (see [`load`]); with consent categories, only once an
    /// event may have been sent (until then `resolve` and `reject` wait).
    pub fn load(&self, resolve: &Function, reject: &Function) {
        if self.settings.categories().is_empty() || self.sent.get() {
            tag::load(&self.settings, resolve, reject)
        } else {
            self.waiting.set(Some((resolve.clone(), reject.clone())));
        }
    }

    /// An event was sent: the tag may load now, if `load` is waiting for it.
    fn may_send(&self) {
        if !self.sent.replace(true) {
            if let Some((resolve, reject)) = self.waiting.take() {
                tag::load(&self.settings, &resolve, &reject);
            }
        }
    }

    /// `ctx.log('debug', …)` with `skip`'s line, when the context has a log method.
    fn log(&self, ctx: &JsValue, skip: Skip) {
        log_line(ctx, skip as u32, skip.message());
    }
}

/// The browser's own `parseFloat` and `toLowerCase`, for the rules (see
/// [`Engine`]).
struct Browser;

impl Engine for Browser {
    fn parse_float(&self, s: &str) -> f64 {
        js_sys::parse_float(s)
    }

    fn to_lower_case(&self, s: &str) -> String {
        js_sys::JsString::from(s).to_lower_case().into()
    }
}

/// `ctx.log('debug', line)`: the line crosses into JS once, and is known by
/// its number after that.
fn log_line(ctx: &JsValue, number: u32, line: &str) {
    if !js::logged(ctx, number) {
        js::log_line(ctx, number, line);
    }
}

fn push_failed(ctx: &JsValue) {
    log_line(ctx, Skip::ALL.len() as u32, "Convertro: window.$CVO.push failed (is $CVO an array or Convertro's queue?); command dropped.");
}

/// Appends `name` to a `"\0"`-separated list.
fn push_name(list: &mut String, name: &str) {
    if !list.is_empty() {
        list.push('\0');
    }
    list.push_str(name);
}

/// Where a [`Kind`]'s name is in [`Destination::types`].
fn type_index(kind: Kind) -> u32 {
    match kind {
        Kind::Sale => 0,
        Kind::SaleNew => 1,
        Kind::SaleRepeat => 2,
        Kind::Mapped(index) => 3 + index as u32,
    }
}

/// A [`Target`] as the number [`Destination::seen_names`] keeps.
fn encode_target(target: Option<Target>) -> f64 {
    match target {
        None => 0.0,
        Some(Target::Order) => 1.0,
        Some(Target::Mapped(group)) => 2.0 + group as f64,
    }
}

fn decode_target(code: f64) -> Option<Target> {
    match code as usize {
        0 => None,
        1 => Some(Target::Order),
        n => Some(Target::Mapped(n - 2)),
    }
}
