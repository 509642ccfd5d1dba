//! The binding: the [`Destination`] that `js/index.js` gives analytics.js as
//! a plugin and as a classic integration source, made by [`make`] and
//! reached by its number (the functions here and in [`outbox`]: [`track`],
//! [`identify`], [`load`], …). It reads from the page
//! what the rules ask for ([`bridge`]), and carries out what they decide:
//! pushes onto `window.$CVO`, debug lines, Convertro's tag ([`tag`]). It
//! holds no rules of its own.
//!
//! # One Order Completed, from `track(ctx)` to `$CVO.push`
//!
//! 1. analytics-next calls the plugin's `track(ctx)` (the classic source's
//!    `invoke('track', facade)` makes `{ event: facade.rawEvent() }`), and
//!    js/index.js calls [`track`] with the destination's number.
//! 2. It makes a [`bridge::EventReader`] for `ctx` (which reads `ctx.event`)
//!    and calls [`rules::track`] with it.
//! 3. The rules ask the reader for the name (`event.event`), decide from it
//!    alone that this is an order (or a mapped event, or nothing: then
//!    nothing more is read), ask for the consent preferences if the settings
//!    have consent categories, then for the property keys, and for the
//!    value of each property they need (`id`, `order_id`, `total`,
//!    `revenue`, `repeat`, each while its answer is still open). Each of
//!    these is one `bridge.js` `get` or `keys` that cannot throw into wasm.
//! 4. They return a [`rules::Decision`]: the commands (`TrackEvent {
//!    kind, id, amount }`) and, if anything was held back, why
//!    ([`Skip`]: one `ctx.log('debug', …)` line, `bridge.js` `log`).
//! 5. For each command, `bridge.js` `eventCommand(type, id, amount)` builds
//!    `['trackEvent', { type, id, amount }]`, and `Destination::send`
//!    pushes it onto `window.$CVO` (`bridge.js` `push`; an array until
//!    Convertro's tag takes it over). A failed push is a debug line too.
//! 6. While the tag has not loaded, the command is also kept in the outbox
//!    ([`outbox`]: stored when the page goes, replayed by the next page).
//! 7. With consent categories, the first command sent lets the tag load
//!    ([`load`] waits until then).
//!
//! identify is the same with [`rules::identify`], and `bridge.js`
//! `userCommand(traits, id)` builds `['trackUser', …]`: a copy of the
//! traits with `id` set to the userId.

mod bridge;
mod outbox;
mod tag;

pub use outbox::{adopt, pagehide, pageshow, tick};

use core::cell::{Cell, RefCell};

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::rules::outbox::{Method, Note, Outbox};
use crate::rules::{self, Command, Engine, Id, Settings, Skip};
use bridge::{EventReader, Names, Read};

/// One configured Convertro destination.
pub struct Destination {
    /// Its number ([`make`]), and the destination made before it.
    number: u32,
    before: Option<&'static Destination>,
    settings: Settings,
    /// The names events are read by, made into JS strings once.
    names: Names,
    /// Whether a command has been sent: with consent categories, the tag is
    /// not injected before.
    sent: Cell<bool>,
    /// `load`'s resolve and reject, while the tag waits for that.
    waiting: Cell<Option<(Function, Function)>>,
    /// This page's id in storage ([`rules::outbox`]), and the account's
    /// prefix of every key it stores.
    page: String,
    prefix: String,
    /// The commands pushed while the tag has not loaded ([`rules::outbox`]).
    /// Borrowed around each use: a call that page code makes meanwhile
    /// leaves it alone, and never sees it half changed.
    outbox: RefCell<Outbox<JsValue>>,
    /// Whether this page may take what other pages left (with consent
    /// categories, once an event may be sent).
    open: Cell<bool>,
    /// `() => tick(n, true)`, for the outbox's timer, and whether it is set.
    ticker: Function,
    scheduled: Cell<bool>,
    /// The classic source (no per-event log): outbox notes go to one
    /// `console.warn` per page instead of `ctx.log('debug', …)`.
    classic: bool,
    /// An outbox note waiting for the next event's `ctx.log` (plugin), and
    /// whether this page's one note was given.
    note: Cell<Option<Note>>,
    warned: Cell<bool>,
}

/// The last destination made on this page: each points to the one made
/// before it, and has a number, from 1 (so that js/index.js can test for
/// one). js/index.js holds a destination's number, not a wasm-bindgen class
/// object, whose handles, borrow checks and finalizer cost 622 B gzip of
/// wasm and glue more (measured when this replaced it). Each lives as long
/// as the page, as its plugin and its `pagehide` listener made it do anyway.
struct Last(Cell<Option<&'static Destination>>);

// SAFETY: the wasm is built without threads: the page's one thread is the
// only one that ever reaches `LAST`.
unsafe impl Sync for Last {}

static LAST: Last = Last(Cell::new(None));

/// Destination number `n`, if one was made with it.
fn made(n: u32) -> Option<&'static Destination> {
    let mut at = LAST.0.get();
    while let Some(destination) = at {
        if destination.number == n {
            return Some(destination);
        }
        at = destination.before;
    }
    None
}

/// Validates the settings and makes a destination: its number, or an
/// `Error` naming the bad setting. `classic`: made for the classic
/// integration source. `page`: this page's id in storage (js/index.js made
/// it, digits, for the calls it kept before the WebAssembly was ready);
/// `ticker`: `() => tick(n, true)`.
#[wasm_bindgen]
pub fn make(settings: &JsValue, classic: bool, page: String, ticker: Function) -> Result<u32, js_sys::Error> {
    let settings = Settings::parse_in(&rules::read_settings(&Read::of(settings.clone())), &Browser).map_err(|error| js_sys::Error::new(&error.message()))?;
    let prefix = rules::outbox::prefix(settings.account());
    let before = LAST.0.get();
    let number = before.map_or(1, |before| before.number + 1);
    let destination = Box::leak(Box::new(Destination {
        number,
        before,
        settings,
        names: Names::new(),
        sent: Cell::new(false),
        waiting: Cell::new(None),
        outbox: RefCell::new(Outbox::new(page.clone())),
        page,
        prefix,
        open: Cell::new(false),
        ticker,
        scheduled: Cell::new(false),
        classic,
        note: Cell::new(None),
        warned: Cell::new(false),
    }));
    LAST.0.set(Some(destination));
    Ok(number)
}

/// identify → `trackUser`, by destination `n`.
#[wasm_bindgen]
pub fn identify(n: u32, ctx: &JsValue) {
    if let Some(destination) = made(n) {
        destination.send(ctx, destination.decide(Method::Identify, ctx));
    }
}

/// track → `trackEvent`s, for Order Completed and mapped events, by destination `n`.
#[wasm_bindgen]
pub fn track(n: u32, ctx: &JsValue) {
    if let Some(destination) = made(n) {
        destination.send(ctx, destination.decide(Method::Track, ctx));
    }
}

/// Makes the `$CVO` queue and injects the tag for destination `n`; calls
/// `resolve()` when the tag has loaded and `reject(error)` when it failed.
/// With consent categories, only once a command has been sent (until then
/// `resolve` and `reject` wait); without, what an earlier page left is
/// replayed first. js/index.js calls it once per destination.
#[wasm_bindgen]
pub fn load(n: u32, resolve: &Function, reject: &Function) {
    let Some(destination) = made(n) else { return };
    if destination.settings.categories().is_empty() || destination.sent.get() {
        destination.open();
        tag::load(&destination.settings, resolve, reject)
    } else {
        destination.waiting.set(Some((resolve.clone(), reject.clone())));
    }
}

impl Destination {
    /// This page's id in storage.
    fn me(&self) -> &str {
        &self.page
    }

    /// The commands the rules decide for a call (`ctx.event`), built as they
    /// are pushed; why anything was held back goes to `ctx.log`.
    fn decide(&self, method: Method, ctx: &JsValue) -> Vec<JsValue> {
        let mut event = EventReader::of(ctx, &self.names);
        let mut commands = Vec::new();
        if method == Method::Identify {
            let decision = rules::identify(&self.settings, &mut event);
            log(ctx, decision.skipped);
            if let (Some(Command::TrackUser { user_id }), Ok(raw)) = (decision.commands.first(), event.event()) {
                let (command, traits_read) = event.user_command(raw, &js_id(user_id));
                if !traits_read {
                    log(ctx, Some(Skip::TraitsUnreadable));
                }
                commands.push(command);
            }
        } else {
            let decision = rules::track(&self.settings, &mut event, &Browser);
            log(ctx, decision.skipped);
            for command in &decision.commands {
                if let Command::TrackEvent { kind, id, amount } = command {
                    let id = id.as_ref().map_or(JsValue::UNDEFINED, js_id);
                    commands.push(bridge::event_command(kind.name(&self.settings), &id, *amount));
                }
            }
        }
        commands
    }

    /// Sends what was decided: lets the tag load and this page take what
    /// others left if this is the first command ([`Destination::before_sending`]),
    /// pushes each command onto `window.$CVO` (a failed push is a debug
    /// line), and keeps them until the tag has them.
    fn send(&self, ctx: &JsValue, commands: Vec<JsValue>) {
        if !commands.is_empty() {
            self.before_sending();
        }
        let mut pushed = Vec::new();
        for command in commands {
            if bridge::push(&command) {
                pushed.push(command);
            } else {
                log(ctx, Some(Skip::PushFailed));
            }
        }
        self.keep(pushed);
        self.noted(ctx);
    }

    /// Before the first command is pushed: this page may take what other
    /// pages left (with consent categories, this is the first event that
    /// may be sent), and the tag loads if `load` is waiting for that.
    fn before_sending(&self) {
        self.open();
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
