//! The binding: the [`Destination`] that `js/index.js` gives analytics.js as
//! a plugin and as a classic integration source. It reads from the page
//! what the rules ask for ([`bridge`]), and carries out what they decide:
//! pushes onto `window.$CVO`, debug lines, Convertro's tag ([`tag`]). It
//! holds no rules of its own.
//!
//! # One Order Completed, from `track(ctx)` to `$CVO.push`
//!
//! 1. analytics-next calls the plugin's `track(ctx)` (the classic source's
//!    `invoke('track', facade)` makes `{ event: facade.rawEvent() }`), and
//!    js/index.js calls [`Destination::track`].
//! 2. It makes a [`bridge::EventReader`] for `ctx` (which reads `ctx.event`)
//!    and calls [`rules::track`] with it.
//! 3. The rules ask the reader for the name (`event.event`), decide from it
//!    alone that this is an order (or a mapped event, or nothing: then
//!    nothing more is read), ask for the consent preferences if the settings
//!    have consent categories, then for the property keys, and for the
//!    value of each property they need (`id`, `order_id`, `total`,
//!    `revenue`, `repeat`, each while its answer is still open). Each of
//!    these is one `bridge.js` `get` or `keys` that cannot throw into wasm.
//! 4. They return a [`Decision`]: the commands (`TrackEvent { kind, id,
//!    amount }`) and, if anything was held back, why.
//! 5. For each command, `bridge.js` `trackEvent(type, id, amount)` builds
//!    `{ type, id, amount }` and pushes `['trackEvent', payload]` onto
//!    `window.$CVO` (an array until Convertro's tag replaces it); a skip or a
//!    failed push becomes one `ctx.log('debug', …)` line (`bridge.js` `log`).
//! 6. With consent categories, the first command sent lets the tag load
//!    ([`Destination::load`] waits until then).
//!
//! identify is the same with [`rules::identify`], and `trackUser(event, id)`
//! pushes a copy of the traits with `id` set to the userId.

mod bridge;
mod tag;

use core::cell::Cell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::rules::{self, Command, Decision, Engine, Id, Settings, Skip};
use bridge::{EventReader, Pushed};

/// One configured Convertro destination.
#[wasm_bindgen]
pub struct Destination {
    settings: Settings,
    /// Whether a command has been sent: with consent categories, the tag is
    /// not injected before.
    sent: Cell<bool>,
    /// `load`'s resolve and reject, while the tag waits for that.
    waiting: Cell<Option<(Function, Function)>>,
}

#[wasm_bindgen]
impl Destination {
    /// Validates the settings: an `Error` naming the bad setting.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: &JsValue) -> Result<Destination, js_sys::Error> {
        match Settings::parse_in(&bridge::settings(settings), &Browser) {
            Ok(settings) => Ok(Destination { settings, sent: Cell::new(false), waiting: Cell::new(None) }),
            Err(error) => Err(js_sys::Error::new(&error.message())),
        }
    }

    /// identify → `trackUser`.
    pub fn identify(&self, ctx: &JsValue) {
        let mut event = EventReader::of(ctx);
        let decision = rules::identify(&self.settings, &mut event);
        log(ctx, decision.skipped);
        if let (Some(Command::TrackUser { user_id }), Ok(raw)) = (decision.commands.first(), event.event()) {
            match bridge::track_user(raw, &js_id(user_id)) {
                Pushed::WithoutTraits => log(ctx, Some(Skip::TraitsUnreadable)),
                Pushed::Failed => log(ctx, Some(Skip::PushFailed)),
                _ => {}
            }
            self.sent_one();
        }
    }

    /// track → `trackEvent`s, for Order Completed and mapped events.
    pub fn track(&self, ctx: &JsValue) {
        let decision: Decision = rules::track(&self.settings, &mut EventReader::of(ctx), &Browser);
        log(ctx, decision.skipped);
        for command in &decision.commands {
            if let Command::TrackEvent { kind, id, amount } = command {
                let id = id.as_ref().map_or(JsValue::UNDEFINED, js_id);
                if !bridge::track_event(kind.name(&self.settings), &id, *amount) {
                    log(ctx, Some(Skip::PushFailed));
                }
            }
        }
        if !decision.commands.is_empty() {
            self.sent_one();
        }
    }

    /// Makes the `$CVO` queue and injects the tag; calls `resolve()` when
    /// the tag has loaded and `reject(error)` when it failed. With consent
    /// categories, only once a command has been sent (until then `resolve`
    /// and `reject` wait). js/index.js calls it once per destination.
    pub fn load(&self, resolve: &Function, reject: &Function) {
        if self.settings.categories().is_empty() || self.sent.get() {
            tag::load(&self.settings, resolve, reject)
        } else {
            self.waiting.set(Some((resolve.clone(), reject.clone())));
        }
    }
}

impl Destination {
    /// A command was sent: the tag may load now, if `load` is waiting.
    fn sent_one(&self) {
        if !self.sent.replace(true) {
            if let Some((resolve, reject)) = self.waiting.take() {
                tag::load(&self.settings, &resolve, &reject);
            }
        }
    }
}

/// Whether Convertro's tag has loaded (`window.$CVO.trackEvent` is a function).
#[wasm_bindgen(js_name = isLoaded)]
pub fn is_loaded() -> bool {
    bridge::is_loaded()
}

/// An id as it is pushed: a string, or a number (`trackEvent` sends it as
/// `String(id)`; `trackUser` as it is).
fn js_id(id: &Id) -> JsValue {
    match id {
        Id::Text(text) => JsValue::from_str(text),
        Id::Number(n) => JsValue::from_f64(*n),
    }
}

/// `ctx.log('debug', …)` with why something was not sent.
fn log(ctx: &JsValue, skipped: Option<Skip>) {
    if let Some(skip) = skipped {
        bridge::log(ctx, skip.message());
    }
}

/// The browser's own `parseFloat` and `toLowerCase`, for the rules (see
/// [`Engine`]).
struct Browser;

impl Engine for Browser {
    fn parse_float(&self, s: &str) -> f64 {
        js_sys::parse_float(s)
    }

    fn to_lower_case(&self, s: &str) -> alloc::string::String {
        js_sys::JsString::from(s).to_lower_case().into()
    }
}
